//! Mailboxes (admins): the addresses mail comes in at, each with its IMAP account (a
//! password or OAuth2, write-only), its status (last fetch, the current error) and a
//! "Check now" that connects, signs in and opens the folder on the spot.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_service::ServiceError;
use helpdesk_service::mail_fetch::CheckReport;
use uuid::Uuid;

use super::Tab;
use super::mailbox_form::MailboxForm;
use crate::error::WebError;
use crate::form::{Empty, Errors, Posted};
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

#[derive(Debug, Clone)]
pub struct BoxRow {
    pub id: String,
    pub address: String,
    pub fetch: String,
    pub error: Option<String>,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "admin/mailboxes.html")]
struct Page {
    chrome: Chrome,
    tabs: Vec<Tab>,
    errors: Errors,
    boxes: Vec<BoxRow>,
    editing: Option<String>,
    form: MailboxForm,
    check: Option<CheckReport>,
}

const LABELS: &[(&str, &str)] = &[
    ("address", "Address"),
    ("name", "Name"),
    ("imap.host", "IMAP server"),
    ("imap.port", "Port"),
    ("imap.username", "User name"),
    ("imap.password", "Password"),
    ("imap.folder", "Folder"),
    ("imap.move_to", "Move to folder"),
    ("imap.oauth2", "OAuth2"),
];

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    editing: Option<Uuid>,
    form: Option<MailboxForm>,
    errors: Errors,
    check: Option<CheckReport>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let svc = &state.service;
    let list = svc.mailboxes(&me.actor).await?;
    let form = match (form, editing) {
        (Some(f), _) => f,
        (None, Some(id)) => MailboxForm::of(&svc.mailbox(&me.actor, id).await?),
        (None, None) => MailboxForm::blank(),
    };
    let boxes = list
        .into_iter()
        .map(|m| BoxRow {
            id: m.id.to_string(),
            fetch: match &m.imap {
                Some(i) => format!(
                    "IMAP {}@{}, {} imported{}",
                    i.username,
                    i.host,
                    m.status.imported,
                    m.status
                        .last_fetch_at
                        .as_ref()
                        .map(|t| format!(", last fetch {t}"))
                        .unwrap_or_default()
                ),
                None => "Forwarded or posted (no IMAP)".into(),
            },
            error: m.status.last_error.clone(),
            active: m.active,
            address: m.address,
        })
        .collect();
    html_status(
        status,
        &Page {
            chrome: Chrome::new(visit, "admin"),
            tabs: super::tabs(me, "/admin/mailboxes"),
            errors,
            boxes,
            editing: editing.map(|i| i.to_string()),
            form,
            check,
        },
    )
}

pub async fn list(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
) -> Result<Response, WebError> {
    let ok = StatusCode::OK;
    render(&state, &visit, &me, None, None, Errors::default(), None, ok).await
}

pub async fn show(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let ok = StatusCode::OK;
    render(
        &state,
        &visit,
        &me,
        Some(id),
        None,
        Errors::default(),
        None,
        ok,
    )
    .await
}

async fn save(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    id: Option<Uuid>,
    form: MailboxForm,
) -> Result<Response, WebError> {
    let input = form.input()?;
    let done = match id {
        Some(id) => state.service.update_mailbox(&me.actor, id, input).await,
        None => state.service.create_mailbox(&me.actor, input).await,
    };
    let errors = match done {
        Ok(m) => return Ok(see_other(&format!("/admin/mailboxes/{}", m.id))),
        Err(ServiceError::Validation(list)) => Errors::fields(list, LABELS),
        Err(ServiceError::Conflict(m)) => Errors::fields(
            vec![helpdesk_service::FieldError::new("address", m)],
            LABELS,
        ),
        Err(e) => return Err(e.into()),
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render(state, visit, me, id, Some(form), errors, None, status).await
}

pub async fn create(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Posted(form): Posted<MailboxForm>,
) -> Result<Response, WebError> {
    save(&state, &visit, &me, None, form).await
}

pub async fn update(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<Uuid>,
    Posted(form): Posted<MailboxForm>,
) -> Result<Response, WebError> {
    save(&state, &visit, &me, Some(id), form).await
}

/// Connects now and shows what happened, stage by stage.
pub async fn check(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<Uuid>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    let (report, errors) = match state.service.check_mailbox(&me.actor, id).await {
        Ok(r) => (Some(r), Errors::default()),
        Err(ServiceError::Validation(list)) => (None, Errors::fields(list, LABELS)),
        Err(e) => return Err(e.into()),
    };
    let ok = StatusCode::OK;
    render(&state, &visit, &me, Some(id), None, errors, report, ok).await
}

pub async fn delete(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path(id): Path<Uuid>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    state.service.delete_mailbox(&me.actor, id).await?;
    Ok(see_other("/admin/mailboxes"))
}
