//! Accepting an invitation: choose a password (and a name), and be signed in.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_service::ServiceError;
use helpdesk_service::auth::invite::AcceptInvitation;
use serde::Deserialize;

use super::{ClientIp, TokenQuery, wait_message};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::{Chrome, html, html_status, see_other_with_cookie, too_many};
use crate::session::{Visitor, session_cookie, set_cookie};
use crate::state::WebState;

#[derive(Template)]
#[template(path = "public/invite.html")]
struct InvitePage {
    chrome: Chrome,
    errors: Errors,
    token: String,
    name: String,
}

pub async fn show(
    Visitor(visit): Visitor,
    Query(q): Query<TokenQuery>,
) -> Result<Response, WebError> {
    html(&InvitePage {
        chrome: Chrome::new(&visit, "invite"),
        errors: Errors::default(),
        token: q.token,
        name: String::new(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteForm {
    token: String,
    #[serde(default)]
    name: String,
    password: String,
}

pub async fn submit(
    State(state): State<WebState>,
    Visitor(visit): Visitor,
    ClientIp(ip): ClientIp,
    Posted(form): Posted<InviteForm>,
) -> Result<Response, WebError> {
    let mut page = InvitePage {
        chrome: Chrome::new(&visit, "invite"),
        errors: Errors::default(),
        token: form.token.clone(),
        name: form.name.clone(),
    };
    let attempt = async {
        state.service.limiter.guard(ip, None).await?;
        let input = AcceptInvitation {
            token: form.token,
            password: form.password,
            name: Some(form.name).filter(|n| !n.trim().is_empty()),
        };
        let signed = state.service.accept_invitation(input).await?;
        state.service.adopt_session(signed.grant).await
    };
    match attempt.await {
        Ok(web) => {
            let secure = state.settings.secure_cookies;
            let cookie = set_cookie(session_cookie(secure), &web.secret, secure, None);
            Ok(see_other_with_cookie("/tickets", cookie))
        }
        Err(ServiceError::Validation(list)) => {
            page.errors = Errors::fields(list, &[("password", "Password"), ("name", "Your name")]);
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(ServiceError::Unauthorized) => {
            page.errors = Errors::general(
                "This invitation is no longer valid: it was used already or has expired. Ask your administrator for a new one.",
            );
            html_status(StatusCode::UNAUTHORIZED, &page)
        }
        Err(ServiceError::RateLimited { retry_after_secs }) => {
            page.errors = Errors::general(wait_message(retry_after_secs));
            too_many(&page, retry_after_secs)
        }
        Err(e) => Err(e.into()),
    }
}
