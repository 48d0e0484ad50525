//! `/auth/*`: registration, login, token refresh and logout, the current user,
//! the user's preferences, invitations and password resets.

pub mod invite;
pub mod login;
pub mod me;
pub mod preferences;
pub mod refresh;
pub mod register;
pub mod reset;
pub mod session;
pub mod verify;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register::register))
        .routes(routes!(login::login))
        .routes(routes!(refresh::refresh))
        .routes(routes!(refresh::logout))
        .routes(routes!(me::me))
        .routes(routes!(
            preferences::get_preferences,
            preferences::update_preferences
        ))
        .routes(routes!(invite::accept_invite))
        .routes(routes!(reset::request_reset))
        .routes(routes!(reset::confirm_reset))
        .routes(routes!(verify::verify_email))
}
