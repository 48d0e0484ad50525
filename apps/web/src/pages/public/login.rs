//! Sign in and sign out. When the password matches accounts in several workspaces the
//! form asks which one; a wrong password and an unknown email read the same.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_service::ServiceError;
use helpdesk_service::auth::login::Credentials;
use serde::Deserialize;

use super::{ClientIp, safe_next, wait_message};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::{Chrome, html, html_status, see_other, see_other_with_cookie, too_many};
use crate::session::{Member, Visit, Visitor, session_cookie, set_cookie};
use crate::state::WebState;

#[derive(Template)]
#[template(path = "public/login.html")]
struct LoginPage {
    chrome: Chrome,
    errors: Errors,
    notice: Option<&'static str>,
    email: String,
    workspace: String,
    ask_workspace: bool,
    next: String,
}

impl LoginPage {
    fn new(visit: &Visit, next: String) -> Self {
        Self {
            chrome: Chrome::new(visit, "login"),
            errors: Errors::default(),
            notice: None,
            email: String::new(),
            workspace: String::new(),
            ask_workspace: false,
            next,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    /// Why the visitor is here: `reset` (password changed), `signed-out`.
    done: Option<String>,
}

pub async fn show(
    Visitor(visit): Visitor,
    Query(q): Query<LoginQuery>,
) -> Result<Response, WebError> {
    let next = safe_next(q.next.as_deref());
    if visit.member.is_some() {
        return Ok(see_other(&next));
    }
    let mut page = LoginPage::new(&visit, next);
    page.notice = match q.done.as_deref() {
        Some("reset") => Some("Your password was changed. Sign in with the new one."),
        Some("signed-out") => Some("You are signed out."),
        _ => None,
    };
    html(&page)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    workspace: Option<String>,
    #[serde(default)]
    next: Option<String>,
}

pub async fn submit(
    State(state): State<WebState>,
    Visitor(visit): Visitor,
    ClientIp(ip): ClientIp,
    Posted(form): Posted<LoginForm>,
) -> Result<Response, WebError> {
    let next = safe_next(form.next.as_deref());
    let workspace = form.workspace.filter(|w| !w.trim().is_empty());
    let mut page = LoginPage::new(&visit, next.clone());
    page.email = form.email.clone();
    page.workspace = workspace.clone().unwrap_or_default();
    page.ask_workspace = workspace.is_some();
    let attempt = async {
        state.service.limiter.guard_email(ip, &form.email).await?;
        let creds = Credentials {
            email: form.email,
            password: form.password,
            workspace,
        };
        let signed = state.service.start_session(creds).await?;
        state.service.adopt_session(signed.grant).await
    };
    match attempt.await {
        Ok(web) => {
            let secure = state.settings.secure_cookies;
            let cookie = set_cookie(session_cookie(secure), &web.secret, secure, None);
            Ok(see_other_with_cookie(&next, cookie))
        }
        Err(ServiceError::Unauthorized) => {
            page.errors = Errors::general("The email or password is not right.");
            html_status(StatusCode::UNAUTHORIZED, &page)
        }
        Err(ServiceError::WorkspaceRequired) => {
            page.ask_workspace = true;
            page.errors = Errors::general("Choose the workspace to sign in to.");
            html_status(StatusCode::CONFLICT, &page)
        }
        Err(ServiceError::RateLimited { retry_after_secs }) => {
            page.errors = Errors::general(wait_message(retry_after_secs));
            too_many(&page, retry_after_secs)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

pub async fn logout(
    State(state): State<WebState>,
    Member(_, me): Member,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    state.service.end_session(me.session).await?;
    let secure = state.settings.secure_cookies;
    let cookie = set_cookie(session_cookie(secure), "", secure, Some(0));
    Ok(see_other_with_cookie("/login?done=signed-out", cookie))
}
