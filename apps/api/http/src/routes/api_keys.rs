//! `/api-keys` (ADMIN): integration keys, shown once at creation and stored hashed.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::{ApiKeyId, Role};
use helpdesk_service::Actor;
use helpdesk_service::auth::api_keys::NewApiKey;
use helpdesk_storage::repo::api_keys::ApiKey;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::common::{rfc3339, rfc3339_opt};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Admin, Id, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_keys, create_key))
        .routes(routes!(revoke_key))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiKeyOut {
    pub id: ApiKeyId,
    pub name: String,
    pub role: Role,
    /// The first characters of the key, to tell keys apart.
    pub prefix: String,
    /// The admin the key acts for; it stops when they are deactivated or demoted, and
    /// never carries a role above theirs.
    pub created_by: Option<helpdesk_domain::UserId>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl ApiKeyOut {
    fn from_row(k: ApiKey) -> ApiResult<Self> {
        Ok(Self {
            id: ApiKeyId::from_uuid(k.id),
            role: k
                .role
                .parse()
                .map_err(|_| ApiError::Internal("bad role".into()))?,
            name: k.name,
            prefix: k.prefix,
            created_by: k.created_by.map(helpdesk_domain::UserId::from_uuid),
            created_at: rfc3339(k.created_at),
            last_used_at: rfc3339_opt(k.last_used_at),
            revoked_at: rfc3339_opt(k.revoked_at),
        })
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key_info: ApiKeyOut,
    /// The secret: use it as `Authorization: Bearer <key>`. It is never shown again.
    pub key: String,
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKey {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: String,
    /// `AGENT` (default) or `ADMIN`; integrations act as staff.
    #[garde(skip)]
    pub role: Option<Role>,
}

#[utoipa::path(get, path = "/api-keys", tag = "api-keys",
    responses((status = 200, body = Vec<ApiKeyOut>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_keys(
    State(state): State<AppState>,
    Admin(authed): Admin,
) -> ApiResult<Json<Vec<ApiKeyOut>>> {
    let rows = state.service.api_keys(&Actor::request(authed.ctx)).await?;
    Ok(Json(
        rows.into_iter()
            .map(ApiKeyOut::from_row)
            .collect::<ApiResult<_>>()?,
    ))
}

#[utoipa::path(post, path = "/api-keys", tag = "api-keys", request_body = CreateApiKey,
    responses((status = 201, body = CreatedApiKey), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_key(
    State(state): State<AppState>,
    Admin(authed): Admin,
    ValidatedJson(req): ValidatedJson<CreateApiKey>,
) -> ApiResult<(StatusCode, Json<CreatedApiKey>)> {
    let input = NewApiKey {
        name: req.name,
        role: req.role,
    };
    let created = state
        .service
        .create_api_key(&Actor::request(authed.ctx), input)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedApiKey {
            key_info: ApiKeyOut::from_row(created.row)?,
            key: created.key,
        }),
    ))
}

#[utoipa::path(delete, path = "/api-keys/{id}", tag = "api-keys",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn revoke_key(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<ApiKeyId>,
) -> ApiResult<StatusCode> {
    state
        .service
        .revoke_api_key(&Actor::request(authed.ctx), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
