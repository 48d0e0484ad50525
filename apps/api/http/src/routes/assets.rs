//! `/assets`: client devices the team supports (ADMIN and AGENT).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::{AssetId, OrganizationId};
use helpdesk_service::Actor;
use helpdesk_service::assets::{AssetFilter, AssetInput};
use helpdesk_storage::repo::assets::Asset;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::common::{PageRequest, Paginated, double_option, rfc3339};
use crate::error::ApiResult;
use crate::extract::{Id, Staff, StrictQuery, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_assets, create_asset))
        .routes(routes!(get_asset, update_asset, delete_asset))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssetOut {
    pub id: AssetId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub kind: String,
    pub hostname: Option<String>,
    pub os: Option<String>,
    pub serial: Option<String>,
    pub remote_access_id: Option<String>,
    pub notes: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Asset> for AssetOut {
    fn from(a: Asset) -> Self {
        Self {
            id: AssetId::from_uuid(a.id),
            organization_id: OrganizationId::from_uuid(a.organization_id),
            name: a.name,
            kind: a.kind,
            hostname: a.hostname,
            os: a.os,
            serial: a.serial,
            remote_access_id: a.remote_access_id,
            notes: a.notes,
            created_at: rfc3339(a.created_at),
            updated_at: rfc3339(a.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssetBody {
    #[garde(skip)]
    pub organization_id: Option<OrganizationId>,
    #[garde(length(chars, min = 1, max = 200))]
    pub name: Option<String>,
    /// What the device is: `laptop`, `server`, `printer` …
    #[garde(length(chars, min = 1, max = 50))]
    pub kind: Option<String>,
    #[garde(inner(inner(length(max = 253))))]
    #[serde(default, deserialize_with = "double_option")]
    pub hostname: Option<Option<String>>,
    #[garde(inner(inner(length(max = 200))))]
    #[serde(default, deserialize_with = "double_option")]
    pub os: Option<Option<String>>,
    #[garde(inner(inner(length(max = 200))))]
    #[serde(default, deserialize_with = "double_option")]
    pub serial: Option<Option<String>>,
    /// The remote-control tool's id for the device (AnyDesk, TeamViewer, RMM agent …).
    #[garde(inner(inner(length(max = 200))))]
    #[serde(default, deserialize_with = "double_option")]
    pub remote_access_id: Option<Option<String>>,
    #[garde(inner(inner(length(max = 10000))))]
    #[serde(default, deserialize_with = "double_option")]
    pub notes: Option<Option<String>>,
}

impl From<AssetBody> for AssetInput {
    fn from(b: AssetBody) -> Self {
        Self {
            organization_id: b.organization_id,
            name: b.name,
            kind: b.kind,
            hostname: b.hostname,
            os: b.os,
            serial: b.serial,
            remote_access_id: b.remote_access_id,
            notes: b.notes,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    pub organization_id: Option<OrganizationId>,
    /// Substring of name, hostname or serial, case-insensitive.
    pub q: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/assets", tag = "assets", params(ListParams),
    responses((status = 200, body = Paginated<AssetOut>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_assets(
    State(state): State<AppState>,
    Staff(authed): Staff,
    StrictQuery(p): StrictQuery<ListParams>,
) -> ApiResult<Json<Paginated<AssetOut>>> {
    let filter = AssetFilter {
        organization_id: p.organization_id,
        q: p.q,
    };
    let page = PageRequest {
        limit: p.limit,
        cursor: p.cursor,
    };
    let list = state
        .service
        .assets(&Actor::request(authed.ctx), filter, page)
        .await?;
    Ok(Json(list.map(AssetOut::from)))
}

#[utoipa::path(post, path = "/assets", tag = "assets", request_body = AssetBody,
    responses((status = 201, body = AssetOut), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_asset(
    State(state): State<AppState>,
    Staff(authed): Staff,
    ValidatedJson(body): ValidatedJson<AssetBody>,
) -> ApiResult<(StatusCode, Json<AssetOut>)> {
    let asset = state
        .service
        .create_asset(&Actor::request(authed.ctx), body.into())
        .await?;
    Ok((StatusCode::CREATED, Json(asset.into())))
}

#[utoipa::path(get, path = "/assets/{id}", tag = "assets",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = AssetOut), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_asset(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<AssetId>,
) -> ApiResult<Json<AssetOut>> {
    let asset = state.service.asset(&Actor::request(authed.ctx), id).await?;
    Ok(Json(asset.into()))
}

#[utoipa::path(patch, path = "/assets/{id}", tag = "assets",
    params(("id" = String, Path, format = Uuid)), request_body = AssetBody,
    responses((status = 200, body = AssetOut), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_asset(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<AssetId>,
    ValidatedJson(body): ValidatedJson<AssetBody>,
) -> ApiResult<Json<AssetOut>> {
    let asset = state
        .service
        .update_asset(&Actor::request(authed.ctx), id, body.into())
        .await?;
    Ok(Json(asset.into()))
}

#[utoipa::path(delete, path = "/assets/{id}", tag = "assets",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_asset(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<AssetId>,
) -> ApiResult<StatusCode> {
    state
        .service
        .delete_asset(&Actor::request(authed.ctx), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
