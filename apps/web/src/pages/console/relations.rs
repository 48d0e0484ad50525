//! The console's ticket page, relations: merge it into another ticket, link it to
//! others, split a message off into a ticket, and the people copied on it. Each post calls
//! one use case and comes back to a ticket page (the refused ones with the reason on it).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::{Email, LinkKind, MessageId, UserId};
use helpdesk_service::ServiceError;
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;
use uuid::Uuid;

use super::ticket::render_with;
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::pages::tickets::ticket_number;
use crate::render::see_other;
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

/// A refusal shown on the ticket page: field errors on `field` (labelled `label`), the
/// rest as the page's message; anything else is an error page.
async fn refused(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    number: i64,
    e: ServiceError,
    field: (&str, &str),
) -> Result<Response, WebError> {
    let status = match &e {
        ServiceError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::CONFLICT,
    };
    let errors = match e {
        ServiceError::Validation(list) => Errors::fields(list, &[field]),
        e @ (ServiceError::Conflict(_)
        | ServiceError::InvalidTransition(_)
        | ServiceError::Merged(_)
        | ServiceError::ChildrenOpen(_)) => Errors::general(e.to_string()),
        other => return Err(other.into()),
    };
    render_with(state, visit, me, number, status, errors, None).await
}

/// A ticket number as typed: `12` or `#12`.
fn named(raw: &str) -> Option<TicketRef> {
    raw.trim().trim_start_matches('#').parse().ok()
}

fn unnamed(field: &str) -> ServiceError {
    ServiceError::invalid(field, "enter a ticket number, such as 12")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeForm {
    into: String,
}

pub async fn merge(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(number): Path<String>,
    Posted(form): Posted<MergeForm>,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    let field = ("into", "Merge into");
    let Some(into) = named(&form.into) else {
        return refused(&state, &visit, &me, number, unnamed("into"), field).await;
    };
    let r = TicketRef::Number(number);
    match state.service.merge_ticket(&me.actor, r, into).await {
        Ok(t) => Ok(see_other(&format!("/tickets/{}", t.number))),
        Err(e) => refused(&state, &visit, &me, number, e, field).await,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkForm {
    ticket: String,
    kind: String,
}

pub async fn link(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(number): Path<String>,
    Posted(form): Posted<LinkForm>,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    let field = ("ticket_id", "Link ticket");
    let kind = match form.kind.as_str() {
        "RELATED" => LinkKind::Related,
        "PARENT" => LinkKind::Parent,
        "CHILD" => LinkKind::Child,
        _ => return Err(WebError::BadForm("unknown link kind".into())),
    };
    let Some(other) = named(&form.ticket) else {
        return refused(&state, &visit, &me, number, unnamed("ticket_id"), field).await;
    };
    let r = TicketRef::Number(number);
    match state.service.add_link(&me.actor, r, other, kind).await {
        Ok(_) => Ok(see_other(&format!("/tickets/{number}#links"))),
        Err(e) => refused(&state, &visit, &me, number, e, field).await,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

pub async fn unlink(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path((number, id)): Path<(String, String)>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    let id: Uuid = id.parse().map_err(|_| WebError::NotFound)?;
    state
        .service
        .remove_link(&me.actor, TicketRef::Number(number), id)
        .await?;
    Ok(see_other(&format!("/tickets/{number}#links")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitForm {
    #[serde(default)]
    subject: String,
}

pub async fn split(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path((number, message)): Path<(String, String)>,
    Posted(form): Posted<SplitForm>,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    let message: MessageId = message.parse().map_err(|_| WebError::NotFound)?;
    let subject = Some(form.subject.trim().to_owned()).filter(|s| !s.is_empty());
    let r = TicketRef::Number(number);
    match state
        .service
        .split_message(&me.actor, r, message, subject)
        .await
    {
        Ok(t) => Ok(see_other(&format!("/tickets/{}", t.number))),
        Err(e) => refused(&state, &visit, &me, number, e, ("subject", "Subject")).await,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CopyForm {
    email: String,
}

pub async fn copy(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(number): Path<String>,
    Posted(form): Posted<CopyForm>,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    let field = ("email", "Copy someone");
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(e) => {
            let e = ServiceError::invalid("email", e.to_string());
            return refused(&state, &visit, &me, number, e, field).await;
        }
    };
    let r = TicketRef::Number(number);
    match state.service.add_participant(&me.actor, r, email).await {
        Ok(_) => Ok(see_other(&format!("/tickets/{number}#people"))),
        Err(e) => refused(&state, &visit, &me, number, e, field).await,
    }
}

pub async fn uncopy(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path((number, user)): Path<(String, String)>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    let user: UserId = user.parse().map_err(|_| WebError::NotFound)?;
    state
        .service
        .remove_participant(&me.actor, TicketRef::Number(number), user)
        .await?;
    Ok(see_other(&format!("/tickets/{number}#people")))
}
