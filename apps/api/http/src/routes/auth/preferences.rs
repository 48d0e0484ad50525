//! `GET/PATCH /auth/me/preferences`: the signed-in user's own settings (keyboard
//! shortcuts, signature, which ticket emails they receive). API keys have none.

use axum::Json;
use axum::extract::State;
use helpdesk_domain::preferences::Preferences;
use helpdesk_service::Actor;
use helpdesk_service::auth::preferences::{EmailNotificationsInput, PreferencesInput};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{Authed, ValidatedJson};
use crate::routes::common::double_option;
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailNotificationsBody {
    #[garde(skip)]
    pub assigned: Option<bool>,
    #[garde(skip)]
    pub customer_reply: Option<bool>,
    #[garde(skip)]
    pub note: Option<bool>,
    #[garde(skip)]
    pub sla: Option<bool>,
}

/// Absent fields keep their value.
#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesBody {
    #[garde(skip)]
    pub keyboard_shortcuts: Option<bool>,
    /// Up to 2,000 characters and 12 lines; null or blank removes it.
    #[garde(inner(inner(length(max = 8192))))]
    #[serde(default, deserialize_with = "double_option")]
    pub signature: Option<Option<String>>,
    #[garde(dive)]
    pub email_notifications: Option<EmailNotificationsBody>,
}

#[utoipa::path(get, path = "/auth/me/preferences", tag = "auth",
    responses((status = 200, body = Preferences), (status = 403, description = "API keys have no user", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_preferences(
    State(state): State<AppState>,
    authed: Authed,
) -> ApiResult<Json<Preferences>> {
    let p = state
        .service
        .my_preferences(&Actor::request(authed.ctx))
        .await?;
    Ok(Json(p))
}

#[utoipa::path(patch, path = "/auth/me/preferences", tag = "auth", request_body = PreferencesBody,
    responses((status = 200, body = Preferences), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_preferences(
    State(state): State<AppState>,
    authed: Authed,
    ValidatedJson(b): ValidatedJson<PreferencesBody>,
) -> ApiResult<Json<Preferences>> {
    let input = PreferencesInput {
        keyboard_shortcuts: b.keyboard_shortcuts,
        signature: b.signature,
        email_notifications: b.email_notifications.map(|e| EmailNotificationsInput {
            assigned: e.assigned,
            customer_reply: e.customer_reply,
            note: e.note,
            sla: e.sla,
        }),
    };
    let p = state
        .service
        .set_my_preferences(&Actor::request(authed.ctx), input)
        .await?;
    Ok(Json(p))
}
