//! Confirming an email address from the link the service mailed: the page asks for one
//! click (a POST), so mail scanners that fetch links confirm nothing.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_service::ServiceError;
use serde::Deserialize;

use super::{ClientIp, TokenQuery};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::{Chrome, html, html_status};
use crate::session::Visitor;
use crate::state::WebState;

#[derive(Template)]
#[template(path = "public/verify.html")]
struct VerifyPage {
    chrome: Chrome,
    errors: Errors,
    token: String,
    done: bool,
}

pub async fn show(
    Visitor(visit): Visitor,
    Query(q): Query<TokenQuery>,
) -> Result<Response, WebError> {
    html(&VerifyPage {
        chrome: Chrome::new(&visit, "verify"),
        errors: Errors::default(),
        token: q.token,
        done: false,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyForm {
    token: String,
}

pub async fn submit(
    State(state): State<WebState>,
    Visitor(visit): Visitor,
    ClientIp(ip): ClientIp,
    Posted(form): Posted<VerifyForm>,
) -> Result<Response, WebError> {
    let mut page = VerifyPage {
        chrome: Chrome::new(&visit, "verify"),
        errors: Errors::default(),
        token: form.token.clone(),
        done: false,
    };
    state.service.limiter.guard(ip, None).await?;
    match state.service.confirm_email(&form.token).await {
        Ok(_) => {
            page.done = true;
            html(&page)
        }
        Err(ServiceError::Validation(_)) => {
            page.errors = Errors::general(
                "This link is no longer valid: it was used already or has expired.",
            );
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}
