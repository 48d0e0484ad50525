//! `/csat/{token}`: the satisfaction survey a "resolved" email links to, answered without
//! signing in (the token is the credential). The email's links carry `?rating=GOOD` or
//! `BAD`, which records the answer in one click; the page then offers a comment, once.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::csat::Rating;
use helpdesk_service::ServiceError;
use helpdesk_service::csat::answer::SurveyPage;
use helpdesk_service::csat::{CsatOut, SurveyState};
use serde::Deserialize;

use super::ClientIp;
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::{Chrome, html_status};
use crate::session::Visitor;
use crate::state::WebState;

#[derive(Template)]
#[template(path = "public/csat.html")]
struct CsatPage {
    chrome: Chrome,
    errors: Errors,
    token: String,
    workspace: String,
    number: i64,
    subject: String,
    /// `pending`, `rated` or `closed`.
    state: &'static str,
    good: bool,
    /// A comment can still be added.
    can_comment: bool,
    comment: String,
}

fn page(visit: &crate::session::Visit, token: &str, p: &SurveyPage, errors: Errors) -> CsatPage {
    let s: &CsatOut = &p.survey;
    CsatPage {
        chrome: Chrome::new(visit, "csat"),
        errors,
        token: token.to_owned(),
        workspace: p.workspace.clone(),
        number: p.number,
        subject: p.subject.clone(),
        state: match s.state {
            SurveyState::Pending => "pending",
            SurveyState::Rated => "rated",
            SurveyState::Expired => "closed",
        },
        good: s.rating == Some(Rating::Good),
        can_comment: s.state != SurveyState::Expired && s.comment.is_none(),
        comment: s.comment.clone().unwrap_or_default(),
    }
}

/// A refusal the page explains; anything else is an error page.
fn refusal(e: ServiceError) -> Result<Errors, WebError> {
    match e {
        ServiceError::Conflict(m) => Ok(Errors::general(m)),
        ServiceError::Validation(list) => Ok(Errors::fields(
            list,
            &[("rating", "Your rating"), ("comment", "Comment")],
        )),
        other => Err(other.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneClick {
    rating: Option<String>,
}

pub async fn show(
    State(state): State<WebState>,
    Visitor(visit): Visitor,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    Query(q): Query<OneClick>,
) -> Result<Response, WebError> {
    state.service.limiter.guard(ip, None).await?;
    let mut errors = Errors::default();
    let mut status = StatusCode::OK;
    if let Some(raw) = q.rating {
        let rating = Rating::parse(&raw).ok_or(WebError::NotFound)?;
        if let Err(e) = state
            .service
            .answer_csat_link(&token, Some(rating), None)
            .await
        {
            errors = refusal(e)?;
            status = StatusCode::CONFLICT;
        }
    }
    let p = state.service.csat_survey(&token).await?;
    html_status(status, &page(&visit, &token, &p, errors))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerForm {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

pub async fn answer(
    State(state): State<WebState>,
    Visitor(visit): Visitor,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    Posted(form): Posted<AnswerForm>,
) -> Result<Response, WebError> {
    state.service.limiter.guard(ip, None).await?;
    let rating = match form.rating.as_str() {
        "" => None,
        r => Some(Rating::parse(r).ok_or_else(|| WebError::BadForm("unknown rating".into()))?),
    };
    let comment = Some(form.comment.clone()).filter(|c| !c.trim().is_empty());
    let (errors, status) = match state
        .service
        .answer_csat_link(&token, rating, comment)
        .await
    {
        Ok(_) => (Errors::default(), StatusCode::OK),
        Err(e) => (refusal(e)?, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let p = state.service.csat_survey(&token).await?;
    let mut out = page(&visit, &token, &p, errors);
    if status != StatusCode::OK && out.can_comment {
        out.comment = form.comment;
    }
    html_status(status, &out)
}
