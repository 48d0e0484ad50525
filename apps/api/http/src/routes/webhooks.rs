//! `/webhooks` (ADMIN): subscriptions to ticket events, signed deliveries and their log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_storage::repo::webhooks::{self, Delivery, Webhook, WebhookFields};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{Paginated, page, paginate, rfc3339, rfc3339_opt};
use crate::auth::opaque;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::{Admin, Id, StrictQuery, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_webhooks, create_webhook))
        .routes(routes!(get_webhook, update_webhook, delete_webhook))
        .routes(routes!(list_deliveries))
}

/// Event types a webhook can subscribe to; `*` is all of them.
pub const EVENT_TYPES: [&str; 9] = [
    "*",
    "ticket.created",
    "ticket.updated",
    "message.created",
    "note.created",
    "time_entry.created",
    "attachment.created",
    "sla.warning",
    "sla.breached",
];

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub url: String,
    pub events: Vec<String>,
    pub active: bool,
    pub consecutive_failures: i32,
    /// Set when repeated failures disabled it.
    pub disabled_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Webhook> for WebhookOut {
    fn from(w: Webhook) -> Self {
        Self {
            id: w.id,
            events: serde_json::from_value(w.events).unwrap_or_default(),
            url: w.url,
            active: w.active,
            consecutive_failures: w.consecutive_failures,
            disabled_at: rfc3339_opt(w.disabled_at),
            created_at: rfc3339(w.created_at),
            updated_at: rfc3339(w.updated_at),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookOut,
    /// The signing secret: shown once. Verify `X-Helpdesk-Signature: t=<unix>,v1=<hex>` as
    /// HMAC-SHA256 of `"<t>.<raw body>"` with it.
    pub secret: String,
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookBody {
    /// `http(s)://…`; private and loopback addresses are refused unless the deployment
    /// allows them (`HELPDESK_WEBHOOK_ALLOW_PRIVATE`).
    #[garde(length(min = 1, max = 2000))]
    pub url: Option<String>,
    #[garde(length(min = 1, max = 20))]
    pub events: Option<Vec<String>>,
    /// Default: a random secret, returned once.
    #[garde(length(min = 16, max = 200))]
    pub secret: Option<String>,
    #[garde(skip)]
    pub active: Option<bool>,
}

fn check_url(raw: &str, allow_private: bool) -> Result<String, FieldError> {
    let bad = |m: &str| FieldError::new("url", m);
    let url = reqwest::Url::parse(raw.trim()).map_err(|_| bad("is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must be http or https"));
    }
    let host = url.host_str().ok_or_else(|| bad("has no host"))?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let literal = match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => Some(ip),
        Err(_) => (bare.eq_ignore_ascii_case("localhost"))
            .then_some(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)),
    };
    if !allow_private && literal.is_some_and(|ip| !helpdesk_domain::net::is_public(ip)) {
        return Err(bad("points to a private or loopback address"));
    }
    Ok(url.to_string())
}

fn parse(body: WebhookBody, allow_private: bool) -> ApiResult<WebhookFields> {
    let mut errors = Vec::new();
    let url = body
        .url
        .map(|u| check_url(&u, allow_private))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if let Some(events) = &body.events {
        for e in events {
            if !EVENT_TYPES.contains(&e.as_str()) {
                errors.push(FieldError::new(
                    "events",
                    format!("{e:?} is not one of {}", EVENT_TYPES.join(", ")),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(WebhookFields {
        url,
        events: body.events,
        secret: body.secret,
        active: body.active,
    })
}

#[utoipa::path(get, path = "/webhooks", tag = "webhooks",
    responses((status = 200, body = Vec<WebhookOut>), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    Admin(authed): Admin,
) -> ApiResult<Json<Vec<WebhookOut>>> {
    Ok(Json(
        webhooks::list(state.store.read(), &authed.ctx)
            .await?
            .into_iter()
            .map(WebhookOut::from)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/webhooks", tag = "webhooks", request_body = WebhookBody,
    responses((status = 201, body = CreatedWebhook), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn create_webhook(
    State(state): State<AppState>,
    Admin(authed): Admin,
    ValidatedJson(body): ValidatedJson<WebhookBody>,
) -> ApiResult<(StatusCode, Json<CreatedWebhook>)> {
    let f = parse(body, state.settings.webhook_allow_private)?;
    let url = f
        .url
        .ok_or_else(|| ApiError::invalid("url", "is required"))?;
    let events = f
        .events
        .ok_or_else(|| ApiError::invalid("events", "is required"))?;
    let secret = f.secret.unwrap_or_else(|| opaque::generate("whsec_"));
    let mut w = webhooks::create(
        state.store.write(),
        &authed.ctx,
        url,
        events,
        secret.clone(),
    )
    .await?;
    if f.active == Some(false) {
        let off = WebhookFields {
            active: Some(false),
            ..WebhookFields::default()
        };
        w = webhooks::update(state.store.write(), &authed.ctx, w.id, off).await?;
    }
    Ok((
        StatusCode::CREATED,
        Json(CreatedWebhook {
            webhook: w.into(),
            secret,
        }),
    ))
}

#[utoipa::path(get, path = "/webhooks/{id}", tag = "webhooks", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = WebhookOut), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn get_webhook(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<WebhookOut>> {
    Ok(Json(
        webhooks::get(state.store.read(), &authed.ctx, id)
            .await?
            .into(),
    ))
}

/// Change the URL, events or secret; `{"active": true}` re-enables a disabled webhook.
#[utoipa::path(patch, path = "/webhooks/{id}", tag = "webhooks", params(("id" = String, Path, format = Uuid)), request_body = WebhookBody,
    responses((status = 200, body = WebhookOut), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_webhook(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
    ValidatedJson(body): ValidatedJson<WebhookBody>,
) -> ApiResult<Json<WebhookOut>> {
    let f = parse(body, state.settings.webhook_allow_private)?;
    Ok(Json(
        webhooks::update(state.store.write(), &authed.ctx, id, f)
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/webhooks/{id}", tag = "webhooks", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    webhooks::delete(&tx, &authed.ctx, id).await?;
    tx.commit().await.map_err(ApiError::db)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeliveryOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    #[schema(value_type = String, format = Uuid)]
    pub event_id: Uuid,
    pub event_type: String,
    pub attempt: i32,
    pub success: bool,
    pub response_code: Option<i32>,
    pub duration_ms: i64,
    pub error: Option<String>,
    pub created_at: String,
}

impl From<Delivery> for DeliveryOut {
    fn from(d: Delivery) -> Self {
        Self {
            id: d.id,
            event_id: d.event_id,
            event_type: d.event_type,
            attempt: d.attempt,
            success: d.success,
            response_code: d.response_code,
            duration_ms: d.duration_ms,
            error: d.error,
            created_at: rfc3339(d.created_at),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListDeliveries {
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// Every delivery attempt, newest first.
#[utoipa::path(get, path = "/webhooks/{id}/deliveries", tag = "webhooks", params(("id" = String, Path, format = Uuid), ListDeliveries),
    responses((status = 200, body = Paginated<DeliveryOut>), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
    StrictQuery(p): StrictQuery<ListDeliveries>,
) -> ApiResult<Json<Paginated<DeliveryOut>>> {
    let db = state.store.read();
    let w = webhooks::get(db, &authed.ctx, id).await?;
    let page = page(p.limit, p.cursor.as_deref())?;
    let rows = webhooks::deliveries(db, &authed.ctx, w.id, page).await?;
    Ok(Json(paginate(rows, page, |d| d.id, |d| Ok(d.into()))?))
}
