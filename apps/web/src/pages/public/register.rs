//! Registering a workspace (the seed's register, as a form): the new admin is signed in
//! at once and asked to confirm their email by the link the service mails.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_service::ServiceError;
use helpdesk_service::auth::register::Registration;
use serde::Deserialize;

use super::{ClientIp, wait_message};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::{Chrome, html, html_status, see_other, see_other_with_cookie, too_many};
use crate::session::{Visitor, session_cookie, set_cookie};
use crate::state::WebState;

const LABELS: &[(&str, &str)] = &[
    ("workspace_name", "Team or company name"),
    ("admin_name", "Your name"),
    ("admin_email", "Your work email"),
    ("admin_password", "Password"),
];

pub async fn show(Visitor(visit): Visitor) -> Result<Response, WebError> {
    if visit.member.is_some() {
        return Ok(see_other("/tickets"));
    }
    html(&Page {
        chrome: Chrome::new(&visit, "register"),
        errors: Errors::default(),
        workspace_name: String::new(),
        admin_name: String::new(),
        admin_email: String::new(),
    })
}

#[derive(Template)]
#[template(path = "public/register.html")]
struct Page {
    chrome: Chrome,
    errors: Errors,
    workspace_name: String,
    admin_name: String,
    admin_email: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterForm {
    workspace_name: String,
    admin_name: String,
    admin_email: String,
    admin_password: String,
}

pub async fn submit(
    State(state): State<WebState>,
    Visitor(visit): Visitor,
    ClientIp(ip): ClientIp,
    Posted(form): Posted<RegisterForm>,
) -> Result<Response, WebError> {
    let mut page = Page {
        chrome: Chrome::new(&visit, "register"),
        errors: Errors::default(),
        workspace_name: form.workspace_name.clone(),
        admin_name: form.admin_name.clone(),
        admin_email: form.admin_email.clone(),
    };
    let attempt = async {
        state.service.limiter.guard(ip, None).await?;
        let name = Some(form.admin_name).filter(|n| !n.trim().is_empty());
        let reg = Registration {
            workspace_name: form.workspace_name,
            admin_email: form.admin_email,
            admin_password: form.admin_password,
            admin_name: name,
        };
        let done = state.service.register(reg).await?;
        state.service.adopt_session(done.grant).await
    };
    match attempt.await {
        Ok(web) => {
            let secure = state.settings.secure_cookies;
            let cookie = set_cookie(session_cookie(secure), &web.secret, secure, None);
            Ok(see_other_with_cookie("/tickets?welcome=1", cookie))
        }
        Err(ServiceError::Validation(list)) => {
            page.errors = Errors::fields(list, LABELS);
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(ServiceError::RateLimited { retry_after_secs }) => {
            page.errors = Errors::general(wait_message(retry_after_secs));
            too_many(&page, retry_after_secs)
        }
        Err(e) => Err(e.into()),
    }
}
