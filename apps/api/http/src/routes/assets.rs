//! `/assets`: client devices the team supports (ADMIN and AGENT).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::{AssetId, OrganizationId, TenantCtx, text};
use helpdesk_storage::repo::assets::{self, Asset, AssetFields};
use helpdesk_storage::repo::organizations;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::common::{Paginated, double_option, page, paginate, rfc3339};
use crate::error::{ApiError, ApiResult, FieldError};
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

fn blank_is_none(v: Option<Option<String>>) -> Option<Option<String>> {
    v.map(|o| o.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()))
}

async fn parse(db: &impl ConnectionTrait, ctx: &TenantCtx, b: AssetBody) -> ApiResult<AssetFields> {
    let mut errors = Vec::new();
    let mut required = |field: &str, v: Option<String>, max| {
        v.map(|s| {
            text::bounded(&s, 1, max).unwrap_or_else(|| {
                errors.push(FieldError::new(field, "must not be blank"));
                String::new()
            })
        })
    };
    let name = required("name", b.name, 200);
    let kind = required("kind", b.kind, 50).map(|k| k.to_lowercase());
    if let Some(org) = b.organization_id {
        match organizations::get(db, ctx, org).await {
            Ok(_) => {}
            Err(helpdesk_storage::StoreError::NotFound) => {
                errors.push(FieldError::new("organization_id", "no such organization"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(AssetFields {
        organization_id: b.organization_id,
        name,
        kind,
        hostname: blank_is_none(b.hostname),
        os: blank_is_none(b.os),
        serial: blank_is_none(b.serial),
        remote_access_id: blank_is_none(b.remote_access_id),
        notes: blank_is_none(b.notes),
    })
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
    let page = page(p.limit, p.cursor.as_deref())?;
    let q = p.q.as_deref().filter(|q| !q.trim().is_empty());
    let rows = assets::list(state.store.read(), &authed.ctx, p.organization_id, q, page).await?;
    Ok(Json(paginate(rows, page, |a| a.id, |a| Ok(a.into()))?))
}

#[utoipa::path(post, path = "/assets", tag = "assets", request_body = AssetBody,
    responses((status = 201, body = AssetOut), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_asset(
    State(state): State<AppState>,
    Staff(authed): Staff,
    ValidatedJson(body): ValidatedJson<AssetBody>,
) -> ApiResult<(StatusCode, Json<AssetOut>)> {
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let mut f = parse(&tx, &authed.ctx, body).await?;
    let mut missing = Vec::new();
    for (field, present) in [
        ("organization_id", f.organization_id.is_some()),
        ("name", f.name.is_some()),
        ("kind", f.kind.is_some()),
    ] {
        if !present {
            missing.push(FieldError::new(field, "is required"));
        }
    }
    let (Some(org), Some(name), Some(kind)) =
        (f.organization_id.take(), f.name.take(), f.kind.take())
    else {
        return Err(ApiError::Validation(missing));
    };
    let asset = assets::create(&tx, &authed.ctx, org, name, kind, f).await?;
    tx.commit().await.map_err(ApiError::db)?;
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
    Ok(Json(
        assets::get(state.store.read(), &authed.ctx, id)
            .await?
            .into(),
    ))
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
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let f = parse(&tx, &authed.ctx, body).await?;
    let asset = assets::update(&tx, &authed.ctx, id, f).await?;
    tx.commit().await.map_err(ApiError::db)?;
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
    assets::delete(state.store.write(), &authed.ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
