//! `POST /auth/register`: a new workspace and its first ADMIN.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::{Email, Role, UserId, WorkspaceId, text};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::{users, workspaces};

use serde::{Deserialize, Serialize};

use super::session::{self, TokenPair};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::{ClientAddr, ValidatedJson};
use crate::routes::common::{RateHeaders, UserOut, WorkspaceOut};
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[garde(length(chars, min = 1, max = 100))]
    pub workspace_name: String,
    #[garde(length(max = 254))]
    pub admin_email: String,
    #[garde(skip)]
    pub admin_password: String,
    #[garde(length(chars, min = 1, max = 100))]
    pub admin_name: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Registered {
    pub workspace: WorkspaceOut,
    pub user: UserOut,
    #[serde(flatten)]
    pub tokens: TokenPair,
}

#[utoipa::path(post, path = "/auth/register", tag = "auth",
    request_body = RegisterRequest,
    responses((status = 201, body = Registered), (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn register(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ValidatedJson(req): ValidatedJson<RegisterRequest>,
) -> ApiResult<(StatusCode, RateHeaders, Json<Registered>)> {
    let rate = state.limiter.guard(ip, None).await?;
    let mut errors = Vec::new();
    let name = text::bounded(&req.workspace_name, 1, 100);
    if name.is_none() {
        errors.push(FieldError::new("workspace_name", "must not be blank"));
    }
    let email = Email::parse(&req.admin_email)
        .map_err(|e| errors.push(FieldError::new("admin_email", e.to_string())))
        .ok();
    let password = state
        .check_password("admin_password", req.admin_password)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return Err(ApiError::Validation(errors));
    };
    let admin_name = req
        .admin_name
        .and_then(|n| text::bounded(&n, 1, 100))
        .unwrap_or_else(|| {
            email
                .as_str()
                .split('@')
                .next()
                .unwrap_or("Admin")
                .to_owned()
        });
    let hash = state.hasher.hash(password.expose()).await?;

    // Two registrations racing for the same slug: the loser retries with the next one.
    for _ in 0..5 {
        let tx = state.store.begin().await.map_err(ApiError::db)?;
        let ws = match workspaces::create(&tx, &name).await {
            Ok(ws) => ws,
            Err(StoreError::Conflict(_)) => continue,
            Err(e) => return Err(e.into()),
        };
        let workspace_id = WorkspaceId::from_uuid(ws.id);
        let user = users::insert(
            &tx,
            workspace_id,
            users::NewUser {
                email: email.clone(),
                name: admin_name.clone(),
                role: Role::Admin,
                organization_id: None,
                password_hash: Some(hash.clone()),
            },
        )
        .await?;
        let system = helpdesk_domain::TenantCtx::system(workspace_id);
        helpdesk_storage::repo::automations::install_defaults(&tx, &system, state.now()).await?;
        let tokens = session::start(
            &state,
            &tx,
            workspace_id,
            UserId::from_uuid(user.id),
            Role::Admin,
        )
        .await?;
        tx.commit().await.map_err(ApiError::db)?;
        let body = Registered {
            workspace: ws.into(),
            user: UserOut::from_row(user)?,
            tokens,
        };
        return Ok((StatusCode::CREATED, RateHeaders(rate), Json(body)));
    }
    Err(ApiError::Conflict(
        "could not allocate a workspace slug; retry".into(),
    ))
}
