//! `/organizations`: the client companies of the support team (ADMIN and AGENT).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::{OrganizationId, text};
use helpdesk_storage::repo::organizations::{self, Organization, OrganizationFields};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{Paginated, double_option, page, paginate, rfc3339};
use crate::error::{ApiError, ApiResult, FieldError};
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

/// An SLA policy named by a request must be one of the workspace's.
async fn check_policy(
    db: &impl sea_orm::ConnectionTrait,
    ctx: &helpdesk_domain::TenantCtx,
    f: &OrganizationFields,
) -> ApiResult<()> {
    if let Some(Some(id)) = f.sla_policy_id {
        match helpdesk_storage::repo::sla_policies::get(db, ctx, id).await {
            Ok(_) => {}
            Err(helpdesk_storage::StoreError::NotFound) => {
                return Err(ApiError::invalid("sla_policy_id", "no such SLA policy"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn parse_fields(body: OrganizationBody) -> ApiResult<OrganizationFields> {
    let mut errors = Vec::new();
    let name = body.name.map(|n| {
        text::bounded(&n, 1, 200).unwrap_or_else(|| {
            errors.push(FieldError::new("name", "must not be blank"));
            String::new()
        })
    });
    let domains = body.domains.map(|list| {
        let mut out: Vec<String> = Vec::new();
        for (i, d) in list.iter().enumerate() {
            let d = d.trim().trim_start_matches('@').to_lowercase();
            let probe = format!("x@{d}");
            if helpdesk_domain::Email::parse(&probe).is_err() {
                errors.push(FieldError::new(
                    format!("domains[{i}]"),
                    "must be a domain name like acme.com",
                ));
            } else if !out.contains(&d) {
                out.push(d);
            }
        }
        out
    });
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(OrganizationFields {
        name,
        domains,
        sla_policy_id: body.sla_policy_id,
        notes: body
            .notes
            .map(|n| n.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())),
    })
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
    let page = page(params.limit, params.cursor.as_deref())?;
    let q = params.q.as_deref().filter(|q| !q.trim().is_empty());
    let rows = organizations::list(state.store.read(), &authed.ctx, q, page).await?;
    Ok(Json(paginate(rows, page, |o| o.row.id, |o| Ok(o.into()))?))
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
    let mut fields = parse_fields(body)?;
    let name = fields
        .name
        .take()
        .ok_or_else(|| ApiError::invalid("name", "is required"))?;
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    check_policy(&tx, &authed.ctx, &fields).await?;
    let org = organizations::create(&tx, &authed.ctx, name, fields).await?;
    tx.commit().await.map_err(ApiError::db)?;
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
    Ok(Json(
        organizations::get(state.store.read(), &authed.ctx, id)
            .await?
            .into(),
    ))
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
    let fields = parse_fields(body)?;
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    check_policy(&tx, &authed.ctx, &fields).await?;
    let org = organizations::update(&tx, &authed.ctx, id, fields).await?;
    tx.commit().await.map_err(ApiError::db)?;
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
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    organizations::delete(&tx, &authed.ctx, id).await?;
    tx.commit().await.map_err(ApiError::db)?;
    // Its customers lost their organization; cached identities must not keep it.
    state.evict(crate::auth::Eviction::All).await;
    Ok(StatusCode::NO_CONTENT)
}
