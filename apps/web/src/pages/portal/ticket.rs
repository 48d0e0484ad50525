//! A customer's request: the public conversation only (the service never hands internal
//! notes to customers), a reply box, and "this is solved".

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::TicketStatus;
use helpdesk_service::ServiceError;
use helpdesk_service::tickets::Edit;
use helpdesk_service::tickets::reply::Post;
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;

use crate::display::{self, Pill, When, when};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::pages::attachments::{FileView, attach_all};
use crate::pages::console::ticket::{composer_errors, not_attached, sent_id};
use crate::pages::conversation::{MessageView, messages_of};
use crate::pages::tickets::{parse_form, ticket_number};
use crate::render::{Chrome, html_status, see_other};
use crate::session::{Member, SignedIn, Visit};
use crate::state::WebState;
use crate::upload::WithFiles;
use helpdesk_domain::csat::Rating;
use helpdesk_service::csat::{CsatOut, SurveyState};

#[derive(Template)]
#[template(path = "portal/ticket.html")]
struct TicketPage {
    chrome: Chrome,
    errors: Errors,
    number: i64,
    subject: String,
    description: String,
    status: Pill,
    created: When,
    can_resolve: bool,
    closed: bool,
    /// Merged into another request: its number (when the customer may see it).
    merged_into: Option<Option<i64>>,
    messages: Vec<MessageView>,
    files: Vec<FileView>,
    body: String,
    draft_key: String,
    /// The requester's latest satisfaction survey, when one was asked.
    survey: Option<CsatOut>,
}

async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    number: i64,
    status: StatusCode,
    errors: Errors,
    body: String,
) -> Result<Response, WebError> {
    let svc = &state.service;
    let r = TicketRef::Number(number);
    let t = svc.ticket(&me.actor, r).await?;
    let (messages, files) = messages_of(state, me, number).await?;
    let merged_into = match t.merged_into {
        Some(id) => Some(
            svc.ticket(&me.actor, TicketRef::Id(id))
                .await
                .ok()
                .map(|x| x.number),
        ),
        None => None,
    };
    // Only the requester is asked; anyone else copied on the ticket gets 403 here.
    let survey = match svc.ticket_csat(&me.actor, r).await {
        Ok(mut list) => list.pop().filter(|s| s.state != SurveyState::Expired),
        Err(ServiceError::Forbidden) => None,
        Err(e) => return Err(e.into()),
    };
    let tz = crate::display::zone_of(me);
    let now = svc.clock.now();
    html_status(
        status,
        &TicketPage {
            chrome: Chrome::new(visit, "tickets"),
            errors,
            number: t.number,
            subject: t.subject.clone(),
            description: t.description.clone(),
            status: display::customer_status(t.status),
            created: when(&t.created_at, now, &tz),
            can_resolve: !matches!(t.status, TicketStatus::Resolved | TicketStatus::Closed),
            closed: t.status == TicketStatus::Closed,
            merged_into,
            messages,
            files,
            body,
            draft_key: format!("draft:{}:{}", me.workspace.id, t.number),
            survey,
        },
    )
}

pub async fn page(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    number: i64,
    errors: Errors,
) -> Result<Response, WebError> {
    render(
        state,
        visit,
        me,
        number,
        StatusCode::OK,
        errors,
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplyForm {
    body: String,
}

pub async fn reply(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    number: i64,
    posted: WithFiles,
) -> Result<Response, WebError> {
    let form: ReplyForm = parse_form(posted.fields)?;
    let post = Post {
        body: form.body.clone(),
        internal: false,
        status: None,
        signed: false,
        expected_version: None,
    };
    match state
        .service
        .add_message(&me.actor, TicketRef::Number(number), post, None)
        .await
    {
        Ok(sent) => {
            let failed = attach_all(state, me, number, sent_id(&sent), posted.files).await?;
            if failed.is_empty() {
                return Ok(see_other(&format!("/tickets/{number}#conversation-end")));
            }
            let errors = Errors::general(not_attached(&failed));
            render(
                state,
                visit,
                me,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                String::new(),
            )
            .await
        }
        Err(
            e @ (ServiceError::Validation(_)
            | ServiceError::InvalidTransition(_)
            | ServiceError::Merged(_)
            | ServiceError::ChildrenOpen(_)
            | ServiceError::RateLimited { .. }),
        ) => {
            let errors = composer_errors(e);
            render(
                state,
                visit,
                me,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                form.body,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

/// "My problem is solved": the only change a customer makes.
pub async fn resolve(
    State(state): State<WebState>,
    Member(visit, me): Member,
    Path(number): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    let edit = Edit {
        status: Some(TicketStatus::Resolved),
        ..Edit::default()
    };
    match state
        .service
        .update_ticket(&me.actor, TicketRef::Number(number), edit, None)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/tickets/{number}"))),
        Err(ServiceError::InvalidTransition(m)) => {
            render(
                &state,
                &visit,
                &me,
                number,
                StatusCode::CONFLICT,
                Errors::general(m),
                String::new(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsatForm {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

/// "How did we do?" on a resolved request: the requester's rating and comment.
pub async fn rate(
    State(state): State<WebState>,
    Member(visit, me): Member,
    Path(number): Path<String>,
    Posted(form): Posted<CsatForm>,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    let Some(rating) = Rating::parse(&form.rating) else {
        let errors = Errors::fields(
            vec![helpdesk_service::FieldError::new(
                "rating",
                "choose Good or Bad",
            )],
            &[("rating", "Your rating")],
        );
        return render(
            &state,
            &visit,
            &me,
            number,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            String::new(),
        )
        .await;
    };
    let comment = Some(form.comment).filter(|c| !c.trim().is_empty());
    let r = TicketRef::Number(number);
    match state
        .service
        .answer_csat(&me.actor, r, rating, comment)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/tickets/{number}#csat"))),
        Err(e @ (ServiceError::Conflict(_) | ServiceError::Validation(_))) => {
            let errors = match e {
                ServiceError::Validation(list) => Errors::fields(list, &[("comment", "Comment")]),
                other => Errors::general(other.to_string()),
            };
            render(
                &state,
                &visit,
                &me,
                number,
                StatusCode::CONFLICT,
                errors,
                String::new(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
