//! `/webhooks` (ADMIN): subscriptions to ticket events, signed deliveries and their log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_service::Actor;
use helpdesk_service::webhooks::WebhookInput;
use helpdesk_storage::repo::webhooks::{Delivery, Webhook};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{PageRequest, Paginated, rfc3339, rfc3339_opt};
use crate::auth::opaque;
use crate::error::ApiResult;
use crate::extract::{Admin, Id, StrictQuery, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_webhooks, create_webhook))
        .routes(routes!(get_webhook, update_webhook, delete_webhook))
        .routes(routes!(list_deliveries))
        .routes(routes!(redeliver))
}

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

impl From<WebhookBody> for WebhookInput {
    fn from(b: WebhookBody) -> Self {
        Self {
            url: b.url,
            events: b.events,
            secret: b.secret,
            active: b.active,
        }
    }
}

#[utoipa::path(get, path = "/webhooks", tag = "webhooks",
    responses((status = 200, body = Vec<WebhookOut>), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    Admin(authed): Admin,
) -> ApiResult<Json<Vec<WebhookOut>>> {
    let list = state.service.webhooks(&Actor::request(authed.ctx)).await?;
    Ok(Json(list.into_iter().map(WebhookOut::from).collect()))
}

#[utoipa::path(post, path = "/webhooks", tag = "webhooks", request_body = WebhookBody,
    responses((status = 201, body = CreatedWebhook), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn create_webhook(
    State(state): State<AppState>,
    Admin(authed): Admin,
    ValidatedJson(body): ValidatedJson<WebhookBody>,
) -> ApiResult<(StatusCode, Json<CreatedWebhook>)> {
    let new = state
        .service
        .create_webhook(&Actor::request(authed.ctx), body.into(), || {
            opaque::generate("whsec_")
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedWebhook {
            webhook: new.webhook.into(),
            secret: new.secret,
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
    let w = state
        .service
        .webhook(&Actor::request(authed.ctx), id)
        .await?;
    Ok(Json(w.into()))
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
    let w = state
        .service
        .update_webhook(&Actor::request(authed.ctx), id, body.into())
        .await?;
    Ok(Json(w.into()))
}

#[utoipa::path(delete, path = "/webhooks/{id}", tag = "webhooks", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    state
        .service
        .delete_webhook(&Actor::request(authed.ctx), id)
        .await?;
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
    let page = PageRequest {
        limit: p.limit,
        cursor: p.cursor,
    };
    let list = state
        .service
        .webhook_deliveries(&Actor::request(authed.ctx), id, page)
        .await?;
    Ok(Json(list.map(DeliveryOut::from)))
}

/// Sends a delivery's event to the webhook again (a new delivery job).
#[utoipa::path(post, path = "/webhooks/{id}/deliveries/{delivery_id}/redeliver", tag = "webhooks",
    params(("id" = String, Path, format = Uuid), ("delivery_id" = String, Path, format = Uuid)),
    responses((status = 202, description = "queued"), (status = 404, body = crate::error::Problem),
        (status = 409, description = "the webhook is disabled", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn redeliver(
    State(state): State<AppState>,
    Admin(authed): Admin,
    axum::extract::Path((id, delivery)): axum::extract::Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let id: Uuid = id.parse().map_err(|_| crate::error::ApiError::NotFound)?;
    let delivery: Uuid = delivery
        .parse()
        .map_err(|_| crate::error::ApiError::NotFound)?;
    state
        .service
        .redeliver_webhook(&Actor::request(authed.ctx), id, delivery)
        .await?;
    Ok(StatusCode::ACCEPTED)
}
