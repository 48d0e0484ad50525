//! `/organizations/{id}/contracts` and `/contracts/{id}`: contracts with client
//! organizations (admins write, staff read) and their usage per period.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::OrganizationId;
use helpdesk_domain::contract::{ContractKind, Period};
use helpdesk_service::Actor;
use helpdesk_service::contracts::ContractInput;
pub use helpdesk_service::contracts::ContractOut;
pub use helpdesk_service::contracts::usage::UsageOut;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::double_option;
use crate::error::ApiResult;
use crate::extract::{Id, Staff, StrictQuery, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_contracts, create_contract))
        .routes(routes!(get_contract, update_contract, delete_contract))
        .routes(routes!(contract_usage))
}

/// A contract's fields; on creation `name`, `kind`, `starts_on` and `currency` are
/// required (and `included_minutes` for prepaid hours and retainers, `hourly_rate_cents`
/// for time and materials); on `PATCH`, what is present changes.
#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractBody {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: Option<String>,
    #[garde(skip)]
    pub kind: Option<ContractKind>,
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    pub included_minutes: Option<Option<i64>>,
    /// Default `MONTH`.
    #[garde(skip)]
    pub period: Option<Period>,
    /// `YYYY-MM-DD`, in the workspace's time zone.
    #[garde(length(max = 10))]
    pub starts_on: Option<String>,
    /// Inclusive; `null`: open-ended.
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    pub ends_on: Option<Option<String>>,
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    pub hourly_rate_cents: Option<Option<i64>>,
    #[garde(length(max = 3))]
    pub currency: Option<String>,
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub sla_policy_id: Option<Option<Uuid>>,
    /// 1–100, default 80.
    #[garde(skip)]
    pub alert_at_percent: Option<i64>,
}

impl From<ContractBody> for ContractInput {
    fn from(b: ContractBody) -> Self {
        Self {
            name: b.name,
            kind: b.kind,
            included_minutes: b.included_minutes,
            period: b.period,
            starts_on: b.starts_on,
            ends_on: b.ends_on,
            hourly_rate_cents: b.hourly_rate_cents,
            currency: b.currency,
            sla_policy_id: b.sla_policy_id,
            alert_at_percent: b.alert_at_percent,
        }
    }
}

#[utoipa::path(get, path = "/organizations/{id}/contracts", tag = "contracts",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<ContractOut>), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_contracts(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(org): Id<OrganizationId>,
) -> ApiResult<Json<Vec<ContractOut>>> {
    let out = state
        .service
        .contracts(&Actor::request(authed.ctx), org)
        .await?;
    Ok(Json(out))
}

/// Adds a contract (admins); one contract per organization at a time (409 on overlap).
#[utoipa::path(post, path = "/organizations/{id}/contracts", tag = "contracts", request_body = ContractBody,
    params(("id" = String, Path, format = Uuid)),
    responses((status = 201, body = ContractOut), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, description = "overlaps another contract", body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_contract(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(org): Id<OrganizationId>,
    ValidatedJson(body): ValidatedJson<ContractBody>,
) -> ApiResult<(StatusCode, Json<ContractOut>)> {
    let out = state
        .service
        .create_contract(&Actor::request(authed.ctx), org, body.into())
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(get, path = "/contracts/{id}", tag = "contracts",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ContractOut), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_contract(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<ContractOut>> {
    let out = state
        .service
        .contract(&Actor::request(authed.ctx), id)
        .await?;
    Ok(Json(out))
}

#[utoipa::path(patch, path = "/contracts/{id}", tag = "contracts", request_body = ContractBody,
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ContractOut), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_contract(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
    ValidatedJson(body): ValidatedJson<ContractBody>,
) -> ApiResult<Json<ContractOut>> {
    let out = state
        .service
        .update_contract(&Actor::request(authed.ctx), id, body.into())
        .await?;
    Ok(Json(out))
}

#[utoipa::path(delete, path = "/contracts/{id}", tag = "contracts",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_contract(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    state
        .service
        .delete_contract(&Actor::request(authed.ctx), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UsageQuery {
    /// A day of the period (`YYYY-MM-DD`); default today in the workspace's time zone.
    pub period: Option<String>,
}

/// Used, remaining and overage minutes of one period, and what it invoices.
#[utoipa::path(get, path = "/contracts/{id}/usage", tag = "contracts", params(("id" = String, Path, format = Uuid), UsageQuery),
    responses((status = 200, body = UsageOut), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn contract_usage(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
    StrictQuery(q): StrictQuery<UsageQuery>,
) -> ApiResult<Json<UsageOut>> {
    let out = state
        .service
        .contract_usage(&Actor::request(authed.ctx), id, q.period)
        .await?;
    Ok(Json(out))
}
