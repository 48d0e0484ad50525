//! The console's ticket page: the conversation with its composer and macros, the context
//! panel and the timeline, and the replies it sends (the panel's own posts are in `fields`).

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::MessageId;
use helpdesk_domain::TicketStatus;
use helpdesk_service::tickets::MessageOut;
use helpdesk_service::tickets::reply::Post;
use helpdesk_service::{Once, ServiceError};
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;

use super::context::{Context, load};
use super::macros::{self, Preview};
use super::options::{self, Choice};
use super::presence::{self, Other};
use crate::error::WebError;
use crate::form::Errors;
use crate::pages::attachments::attach_all;
use crate::pages::tickets::parse_form;
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Visit};
use crate::state::WebState;
use crate::upload::WithFiles;
use helpdesk_domain::preferences::Preferences;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "console/ticket.html")]
struct TicketPage {
    chrome: Chrome,
    c: Context,
    errors: Errors,
    body: String,
    internal: bool,
    macros: Vec<Choice>,
    preview: Option<Preview>,
    /// The agent's signature, offered under public replies.
    signature: Option<String>,
    /// Who else has the ticket open.
    others: Vec<Other>,
}

/// The ticket page with `errors` shown and, after a refused message, its text kept.
pub async fn render_with(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    number: i64,
    status: StatusCode,
    errors: Errors,
    draft: Option<(String, bool)>,
) -> Result<Response, WebError> {
    render_full(state, visit, me, number, status, errors, draft, None).await
}

#[allow(clippy::too_many_arguments)]
async fn render_full(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    number: i64,
    status: StatusCode,
    errors: Errors,
    draft: Option<(String, bool)>,
    preview: Option<Uuid>,
) -> Result<Response, WebError> {
    let mut c = load(state, me, number).await?;
    if !c.closed {
        for m in c.messages.iter_mut().filter(|m| !m.internal) {
            let action = format!("/tickets/{}/messages/{}/split", c.number, m.id);
            m.split = Some((action, visit.csrf.clone()));
        }
    }
    let (macro_names, preview) = macros::load(state, me, preview).await?;
    let current = preview.as_ref().map(|p| p.id.clone()).unwrap_or_default();
    let (body, internal) = draft.unwrap_or_default();
    html_status(
        status,
        &TicketPage {
            chrome: Chrome::new(visit, "tickets"),
            c,
            errors,
            body,
            internal,
            macros: options::named(&[], &macro_names, &current),
            preview,
            signature: Preferences::from_json(&me.user.preferences)
                .signature
                .filter(|s| !s.trim().is_empty()),
            others: presence::touch(state, me, number, false).await,
        },
    )
}

pub async fn page(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    number: i64,
    errors: Errors,
    preview: Option<Uuid>,
) -> Result<Response, WebError> {
    render_full(
        state,
        visit,
        me,
        number,
        StatusCode::OK,
        errors,
        None,
        preview,
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplyForm {
    body: String,
    /// `public` or `internal`.
    visibility: String,
    /// A status to set with the message; empty: what the reply itself does.
    #[serde(default)]
    then_status: String,
    /// Present when "Add my signature" is ticked.
    #[serde(default)]
    signature: Option<String>,
    /// The ticket version the page showed: a reply to an older one is held for a look.
    #[serde(default)]
    seen_version: Option<i64>,
}

pub async fn reply(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    number: i64,
    posted: WithFiles,
) -> Result<Response, WebError> {
    let form: ReplyForm = parse_form(posted.fields)?;
    let internal = form.visibility == "internal";
    let status = match form.then_status.as_str() {
        "" => None,
        s => Some(
            s.parse::<TicketStatus>()
                .map_err(|_| WebError::BadForm("unknown status".into()))?,
        ),
    };
    let post = Post {
        body: form.body.clone(),
        internal,
        status,
        signed: form.signature.is_some(),
        expected_version: form.seen_version,
    };
    let r = TicketRef::Number(number);
    match state.service.add_message(&me.actor, r, post, None).await {
        Ok(sent) => {
            let failed = attach_all(state, me, number, sent_id(&sent), posted.files).await?;
            if failed.is_empty() {
                return Ok(see_other(&format!("/tickets/{number}#conversation-end")));
            }
            let errors = Errors::general(not_attached(&failed));
            render_with(
                state,
                visit,
                me,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                None,
            )
            .await
        }
        Err(
            e @ (ServiceError::Validation(_)
            | ServiceError::InvalidTransition(_)
            | ServiceError::Conflict(_)
            | ServiceError::Merged(_)
            | ServiceError::ChildrenOpen(_)
            | ServiceError::RateLimited { .. }),
        ) => {
            let errors = composer_errors(e);
            let draft = Some((form.body, internal));
            render_with(
                state,
                visit,
                me,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                draft,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The id of a message just written.
pub fn sent_id(sent: &Once<MessageOut>) -> Option<MessageId> {
    match sent {
        Once::Done(m) => Some(m.id),
        Once::Replayed(_) => None,
    }
}

/// Files that could not be attached, in a sentence.
pub fn not_attached(failed: &[String]) -> String {
    format!(
        "The message was sent, but these files could not be attached: {}.",
        failed.join(", ")
    )
}

/// A refused message as errors on the composer.
pub fn composer_errors(e: ServiceError) -> Errors {
    match e {
        ServiceError::Validation(list) => Errors::fields(list, &[("body", "Message")]),
        ServiceError::InvalidTransition(m) => Errors::general(m),
        ServiceError::Conflict(_) => Errors::general(
            "While you were writing, someone else replied to or changed this ticket: the \
             conversation below is up to date. Your text is kept; send it again if it still fits.",
        ),
        ServiceError::RateLimited { retry_after_secs } => Errors::general(format!(
            "You are sending messages very fast. Wait {retry_after_secs} seconds; your text is kept."
        )),
        other => Errors::general(other.to_string()),
    }
}
