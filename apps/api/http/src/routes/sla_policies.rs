//! `/sla-policies` (ADMIN writes, staff read): targets per priority, the calendar they count
//! in, the statuses that pause each metric, and when to warn.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::{Priority, TicketStatus};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::business_hours;
use helpdesk_storage::repo::sla_policies::{self, PolicyFields, SlaPolicy};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{double_option, rfc3339};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::{Admin, Id, Staff, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_policies, create_policy))
        .routes(routes!(get_policy, update_policy, delete_policy))
}

pub use helpdesk_domain::sla::{PauseOn, Targets};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PolicyOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub name: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub business_hours_id: Option<Uuid>,
    pub is_default: bool,
    /// By priority: `LOW`, `MEDIUM`, `HIGH`, `URGENT`.
    pub targets: BTreeMap<String, Targets>,
    pub pause_on: PauseOn,
    pub warn_at_percent: i32,
    pub created_at: String,
    pub updated_at: String,
}

impl From<SlaPolicy> for PolicyOut {
    fn from(p: SlaPolicy) -> Self {
        Self {
            id: p.id,
            name: p.name,
            business_hours_id: p.business_hours_id,
            is_default: p.is_default,
            targets: serde_json::from_value(p.targets).unwrap_or_default(),
            pause_on: serde_json::from_value(p.pause_on).unwrap_or_default(),
            warn_at_percent: p.warn_at_percent,
            created_at: rfc3339(p.created_at),
            updated_at: rfc3339(p.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyBody {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: Option<String>,
    /// The calendar; `null` or absent: 24×7.
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub business_hours_id: Option<Option<Uuid>>,
    #[garde(skip)]
    pub is_default: Option<bool>,
    #[garde(skip)]
    pub targets: Option<BTreeMap<String, Targets>>,
    #[garde(skip)]
    pub pause_on: Option<PauseOn>,
    /// 1–99; default 80.
    #[garde(skip)]
    pub warn_at_percent: Option<i32>,
}

const YEAR_MINUTES: i64 = 366 * 24 * 60;

async fn validate(
    db: &impl ConnectionTrait,
    authed: &crate::extract::Authed,
    f: PolicyOut,
) -> ApiResult<PolicyFields> {
    let mut errors = Vec::new();
    for (priority, t) in &f.targets {
        if priority.parse::<Priority>().is_err() {
            errors.push(FieldError::new(
                format!("targets.{priority}"),
                "must be LOW, MEDIUM, HIGH or URGENT",
            ));
        }
        for (metric, v) in [
            ("first_response_minutes", t.first_response_minutes),
            ("next_response_minutes", t.next_response_minutes),
            ("resolution_minutes", t.resolution_minutes),
        ] {
            if v.is_some_and(|m| !(1..=YEAR_MINUTES).contains(&m)) {
                errors.push(FieldError::new(
                    format!("targets.{priority}.{metric}"),
                    format!("must be between 1 and {YEAR_MINUTES}"),
                ));
            }
        }
    }
    for (metric, statuses) in [
        ("first_response", &f.pause_on.first_response),
        ("next_response", &f.pause_on.next_response),
        ("resolution", &f.pause_on.resolution),
    ] {
        if statuses.iter().any(|s| {
            !matches!(
                s,
                TicketStatus::Open | TicketStatus::Pending | TicketStatus::OnHold
            )
        }) {
            errors.push(FieldError::new(
                format!("pause_on.{metric}"),
                "only OPEN, PENDING and ON_HOLD can pause a clock",
            ));
        }
    }
    if !(1..=99).contains(&f.warn_at_percent) {
        errors.push(FieldError::new(
            "warn_at_percent",
            "must be between 1 and 99",
        ));
    }
    if let Some(c) = f.business_hours_id {
        match business_hours::get(db, &authed.ctx, c).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => {
                errors.push(FieldError::new("business_hours_id", "no such calendar"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(PolicyFields {
        name: f.name,
        business_hours_id: f.business_hours_id,
        is_default: f.is_default,
        targets: serde_json::to_value(&f.targets).map_err(ApiError::internal)?,
        pause_on: serde_json::to_value(&f.pause_on).map_err(ApiError::internal)?,
        warn_at_percent: f.warn_at_percent,
    })
}

/// The body's fields over `base`.
fn merged(base: PolicyOut, b: PolicyBody) -> ApiResult<PolicyOut> {
    let name = match b.name {
        Some(n) => Some(n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| ApiError::invalid("name", "must not be blank"))?,
        None => base.name,
    };
    Ok(PolicyOut {
        name,
        business_hours_id: b.business_hours_id.unwrap_or(base.business_hours_id),
        is_default: b.is_default.unwrap_or(base.is_default),
        targets: b.targets.unwrap_or(base.targets),
        pause_on: b.pause_on.unwrap_or(base.pause_on),
        warn_at_percent: b.warn_at_percent.unwrap_or(base.warn_at_percent),
        ..base
    })
}

#[utoipa::path(get, path = "/sla-policies", tag = "sla",
    responses((status = 200, body = Vec<PolicyOut>), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn list_policies(
    State(state): State<AppState>,
    Staff(authed): Staff,
) -> ApiResult<Json<Vec<PolicyOut>>> {
    Ok(Json(
        sla_policies::list(state.store.read(), &authed.ctx)
            .await?
            .into_iter()
            .map(PolicyOut::from)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/sla-policies", tag = "sla", request_body = PolicyBody,
    responses((status = 201, body = PolicyOut), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn create_policy(
    State(state): State<AppState>,
    Admin(authed): Admin,
    ValidatedJson(b): ValidatedJson<PolicyBody>,
) -> ApiResult<(StatusCode, Json<PolicyOut>)> {
    if b.name.is_none() {
        return Err(ApiError::invalid("name", "is required"));
    }
    let blank = PolicyOut {
        id: Uuid::nil(),
        name: String::new(),
        business_hours_id: None,
        is_default: false,
        targets: BTreeMap::new(),
        pause_on: PauseOn::default(),
        warn_at_percent: 80,
        created_at: String::new(),
        updated_at: String::new(),
    };
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let fields = validate(&tx, &authed, merged(blank, b)?).await?;
    let row = sla_policies::create(&tx, &authed.ctx, fields).await?;
    tx.commit().await.map_err(ApiError::db)?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[utoipa::path(get, path = "/sla-policies/{id}", tag = "sla", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = PolicyOut), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn get_policy(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<PolicyOut>> {
    Ok(Json(
        sla_policies::get(state.store.read(), &authed.ctx, id)
            .await?
            .into(),
    ))
}

#[utoipa::path(patch, path = "/sla-policies/{id}", tag = "sla", params(("id" = String, Path, format = Uuid)), request_body = PolicyBody,
    responses((status = 200, body = PolicyOut), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_policy(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
    ValidatedJson(b): ValidatedJson<PolicyBody>,
) -> ApiResult<Json<PolicyOut>> {
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let current: PolicyOut = sla_policies::get(&tx, &authed.ctx, id).await?.into();
    let fields = validate(&tx, &authed, merged(current, b)?).await?;
    let row = sla_policies::replace(&tx, &authed.ctx, id, fields).await?;
    tx.commit().await.map_err(ApiError::db)?;
    Ok(Json(row.into()))
}

/// Deletes a policy; organizations that named it fall back to the workspace default.
#[utoipa::path(delete, path = "/sla-policies/{id}", tag = "sla", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn delete_policy(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    sla_policies::delete(&tx, &authed.ctx, id).await?;
    tx.commit().await.map_err(ApiError::db)?;
    Ok(StatusCode::NO_CONTENT)
}
