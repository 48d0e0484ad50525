//! A customer's new request: a subject and what is wrong.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_service::tickets::create::OpenTicket;
use helpdesk_service::{Once, ServiceError};
use serde::Deserialize;

use crate::error::WebError;
use crate::form::Errors;
use crate::pages::attachments::attach_all;
use crate::pages::tickets::parse_form;
use crate::render::{Chrome, html, html_status, see_other};
use crate::session::{SignedIn, Visit};
use crate::state::WebState;
use crate::upload::WithFiles;

#[derive(Template)]
#[template(path = "portal/new.html")]
struct NewPage {
    chrome: Chrome,
    errors: Errors,
    subject: String,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewForm {
    subject: String,
    description: String,
}

pub fn form(visit: &Visit) -> Result<Response, WebError> {
    html(&NewPage {
        chrome: Chrome::new(visit, "new"),
        errors: Errors::default(),
        subject: String::new(),
        description: String::new(),
    })
}

pub async fn create(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    posted: WithFiles,
) -> Result<Response, WebError> {
    let form: NewForm = parse_form(posted.fields)?;
    let req = OpenTicket {
        subject: form.subject.clone(),
        description: form.description.clone(),
        ..OpenTicket::default()
    };
    match state.service.open_ticket(&me.actor, req, None).await {
        Ok(Once::Done(t)) => {
            let failed = attach_all(state, me, t.number, None, posted.files).await?;
            let mut to = format!("/tickets/{}", t.number);
            if !failed.is_empty() {
                to.push_str("?not_attached=");
                to.push_str(&crate::error::encode(&failed.join(", ")));
            }
            Ok(see_other(&to))
        }
        Ok(Once::Replayed(_)) => Ok(see_other("/tickets")),
        Err(ServiceError::Validation(list)) => {
            let page = NewPage {
                chrome: Chrome::new(visit, "new"),
                errors: Errors::fields(
                    list,
                    &[("subject", "Subject"), ("description", "What happened")],
                ),
                subject: form.subject,
                description: form.description,
            };
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}
