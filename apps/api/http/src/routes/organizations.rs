//! `/organizations`: the client companies of the support team (ADMIN and AGENT).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::OrganizationId;
use helpdesk_service::Actor;
use helpdesk_service::organizations::OrganizationInput;
use helpdesk_storage::repo::organizations::Organization;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{PageRequest, Paginated, double_option, rfc3339};
use crate::error::ApiResult;
use crate::extract::{Id, Staff, StrictQuery, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organizations, create_organization))
        .routes(routes!(
            get_organization,
            update_organization,
            delete_organization
        ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganizationOut {
    pub id: OrganizationId,
    pub name: String,
    pub domains: Vec<String>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub sla_policy_id: Option<Uuid>,
    pub notes: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Organization> for OrganizationOut {
    fn from(o: Organization) -> Self {
        Self {
            id: OrganizationId::from_uuid(o.row.id),
            name: o.row.name,
            domains: o.domains,
            sla_policy_id: o.row.sla_policy_id,
            notes: o.row.notes,
            created_at: rfc3339(o.row.created_at),
            updated_at: rfc3339(o.row.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationBody {
    #[garde(length(chars, min = 1, max = 200))]
    pub name: Option<String>,
    /// Email domains (`acme.com`); new customers with such an address join.
    #[garde(length(max = 50), inner(length(min = 1, max = 253)))]
    pub domains: Option<Vec<String>>,
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub sla_policy_id: Option<Option<Uuid>>,
    #[garde(inner(inner(length(max = 10000))))]
    #[serde(default, deserialize_with = "double_option")]
    pub notes: Option<Option<String>>,
}

impl From<OrganizationBody> for OrganizationInput {
    fn from(b: OrganizationBody) -> Self {
        Self {
            name: b.name,
            domains: b.domains,
            sla_policy_id: b.sla_policy_id,
            notes: b.notes,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Substring of the name, case-insensitive.
    pub q: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/organizations", tag = "organizations", params(ListParams),
    responses((status = 200, body = Paginated<OrganizationOut>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_organizations(
    State(state): State<AppState>,
    Staff(authed): Staff,
    StrictQuery(params): StrictQuery<ListParams>,
) -> ApiResult<Json<Paginated<OrganizationOut>>> {
    let page = PageRequest {
        limit: params.limit,
        cursor: params.cursor,
    };
    let list = state
        .service
        .organizations(&Actor::request(authed.ctx), params.q.as_deref(), page)
        .await?;
    Ok(Json(list.map(OrganizationOut::from)))
}

#[utoipa::path(post, path = "/organizations", tag = "organizations", request_body = OrganizationBody,
    responses((status = 201, body = OrganizationOut), (status = 409, description = "a domain belongs to another organization", body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_organization(
    State(state): State<AppState>,
    Staff(authed): Staff,
    ValidatedJson(body): ValidatedJson<OrganizationBody>,
) -> ApiResult<(StatusCode, Json<OrganizationOut>)> {
    let org = state
        .service
        .create_organization(&Actor::request(authed.ctx), body.into())
        .await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}

#[utoipa::path(get, path = "/organizations/{id}", tag = "organizations",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = OrganizationOut), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_organization(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<OrganizationId>,
) -> ApiResult<Json<OrganizationOut>> {
    let org = state
        .service
        .organization(&Actor::request(authed.ctx), id)
        .await?;
    Ok(Json(org.into()))
}

#[utoipa::path(patch, path = "/organizations/{id}", tag = "organizations",
    params(("id" = String, Path, format = Uuid)), request_body = OrganizationBody,
    responses((status = 200, body = OrganizationOut), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_organization(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<OrganizationId>,
    ValidatedJson(body): ValidatedJson<OrganizationBody>,
) -> ApiResult<Json<OrganizationOut>> {
    let org = state
        .service
        .update_organization(&Actor::request(authed.ctx), id, body.into())
        .await?;
    Ok(Json(org.into()))
}

/// Deletes an organization without assets; its customers stay, without organization.
#[utoipa::path(delete, path = "/organizations/{id}", tag = "organizations",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem),
        (status = 409, description = "the organization still has assets", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_organization(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<OrganizationId>,
) -> ApiResult<StatusCode> {
    state
        .service
        .delete_organization(&Actor::request(authed.ctx), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
