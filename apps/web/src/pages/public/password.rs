//! Forgotten passwords: ask for a link (the answer is the same whether or not the account
//! exists), and set a new password from the link.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_service::ServiceError;
use helpdesk_service::auth::reset::ConfirmReset;
use serde::Deserialize;

use super::{ClientIp, TokenQuery, wait_message};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::{Chrome, html, html_status, see_other, too_many};
use crate::session::Visitor;
use crate::state::WebState;

#[derive(Template)]
#[template(path = "public/forgot.html")]
struct ForgotPage {
    chrome: Chrome,
    errors: Errors,
    email: String,
    sent: bool,
}

pub async fn forgot(Visitor(visit): Visitor) -> Result<Response, WebError> {
    html(&ForgotPage {
        chrome: Chrome::new(&visit, "forgot"),
        errors: Errors::default(),
        email: String::new(),
        sent: false,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForgotForm {
    email: String,
}

pub async fn forgot_submit(
    State(state): State<WebState>,
    Visitor(visit): Visitor,
    ClientIp(ip): ClientIp,
    Posted(form): Posted<ForgotForm>,
) -> Result<Response, WebError> {
    let mut page = ForgotPage {
        chrome: Chrome::new(&visit, "forgot"),
        errors: Errors::default(),
        email: form.email.clone(),
        sent: false,
    };
    let attempt = async {
        state.service.limiter.guard_email(ip, &form.email).await?;
        state
            .service
            .request_password_reset(&form.email, None)
            .await
    };
    match attempt.await {
        Ok(()) => {
            page.sent = true;
            html(&page)
        }
        Err(ServiceError::RateLimited { retry_after_secs }) => {
            page.errors = Errors::general(wait_message(retry_after_secs));
            too_many(&page, retry_after_secs)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "public/reset.html")]
struct ResetPage {
    chrome: Chrome,
    errors: Errors,
    token: String,
}

pub async fn reset(
    Visitor(visit): Visitor,
    Query(q): Query<TokenQuery>,
) -> Result<Response, WebError> {
    html(&ResetPage {
        chrome: Chrome::new(&visit, "reset"),
        errors: Errors::default(),
        token: q.token,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetForm {
    token: String,
    password: String,
}

pub async fn reset_submit(
    State(state): State<WebState>,
    Visitor(visit): Visitor,
    ClientIp(ip): ClientIp,
    Posted(form): Posted<ResetForm>,
) -> Result<Response, WebError> {
    let mut page = ResetPage {
        chrome: Chrome::new(&visit, "reset"),
        errors: Errors::default(),
        token: form.token.clone(),
    };
    let attempt = async {
        state.service.limiter.guard(ip, None).await?;
        let input = ConfirmReset {
            token: form.token,
            password: form.password,
        };
        state.service.confirm_password_reset(input).await
    };
    match attempt.await {
        Ok(()) => Ok(see_other("/login?done=reset")),
        Err(ServiceError::Validation(list)) => {
            page.errors = Errors::fields(list, &[("password", "New password")]);
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(ServiceError::Unauthorized) => {
            page.errors = Errors::general(
                "This link is no longer valid: it was used already or has expired. Ask for a new one.",
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
