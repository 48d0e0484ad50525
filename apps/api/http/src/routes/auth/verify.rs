//! `POST /auth/verify-email`: follows a confirmation link (a new workspace's admin email,
//! or an outside address rules may mail).

use axum::Json;
use axum::extract::State;
use helpdesk_service::auth::verify::Confirmed;
use serde::{Deserialize, Serialize};

use crate::error::ApiResult;
use crate::extract::{ClientAddr, ValidatedJson};
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyEmailRequest {
    /// The `token` of the link in the email.
    #[garde(length(min = 1, max = 256))]
    pub token: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VerifiedEmail {
    /// `workspace`: the admin email, so the workspace may now mail outside addresses;
    /// `notify_address`: an outside address rules may now mail.
    pub confirmed: &'static str,
    /// The confirmed outside address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[utoipa::path(post, path = "/auth/verify-email", tag = "auth", request_body = VerifyEmailRequest,
    responses((status = 200, body = VerifiedEmail),
        (status = 422, description = "unknown, used or expired link", body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)))]
pub async fn verify_email(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    ValidatedJson(req): ValidatedJson<VerifyEmailRequest>,
) -> ApiResult<Json<VerifiedEmail>> {
    state.service.limiter.guard(ip, None).await?;
    let out = match state.service.confirm_email(&req.token).await? {
        Confirmed::Workspace(_) => VerifiedEmail {
            confirmed: "workspace",
            email: None,
        },
        Confirmed::NotifyAddress(email) => VerifiedEmail {
            confirmed: "notify_address",
            email: Some(email),
        },
    };
    Ok(Json(out))
}
