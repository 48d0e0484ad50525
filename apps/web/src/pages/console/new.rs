//! Creating a ticket on a customer's behalf: the requester is picked from the workspace's
//! customers (searchable without JavaScript through the form's own search box).

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::{Priority, Role, UserId};
use helpdesk_service::tickets::create::OpenTicket;
use helpdesk_service::{Once, ServiceError};
use helpdesk_storage::repo::Page;
use helpdesk_storage::repo::users::UserFilter;
use serde::Deserialize;

use super::options::{self, Choice};
use crate::error::WebError;
use crate::form::Errors;
use crate::pages::attachments::attach_all;
use crate::pages::tickets::parse_form;
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Visit};
use crate::state::WebState;
use crate::upload::WithFiles;

const LABELS: &[(&str, &str)] = &[
    ("subject", "Subject"),
    ("description", "Description"),
    ("requester_id", "Requester"),
    ("tags", "Tags"),
];

#[derive(Template)]
#[template(path = "console/new.html")]
struct NewPage {
    chrome: Chrome,
    errors: Errors,
    requester_q: String,
    requesters: Vec<Choice>,
    assignees: Vec<Choice>,
    priorities: Vec<Choice>,
    subject: String,
    description: String,
    tags: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewQuery {
    #[serde(default)]
    requester_q: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewForm {
    subject: String,
    description: String,
    #[serde(default)]
    requester_id: String,
    #[serde(default)]
    assignee_id: String,
    priority: String,
    #[serde(default)]
    tags: String,
}

async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    requester_q: &str,
    form: NewForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let svc = &state.service;
    let filter = UserFilter {
        role: Some(Role::Customer),
        organization_id: None,
        q: Some(requester_q.trim().to_owned()).filter(|q| !q.is_empty()),
    };
    let page = Page {
        limit: 50,
        after: None,
    };
    let customers: Vec<(String, String)> = svc
        .users(&me.actor, &filter, page)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| (u.id.to_string(), format!("{} <{}>", u.name, u.email)))
        .collect();
    let staff = options::staff(svc, &me.actor).await?;
    let me_id = me.user.id.to_string();
    let requesters = options::named(
        &[("", "Choose the customer…")],
        &customers,
        &form.requester_id,
    );
    let assignee = if form.assignee_id.is_empty() && form.subject.is_empty() {
        me_id
    } else {
        form.assignee_id.clone()
    };
    let priority = if form.priority.is_empty() {
        "MEDIUM".to_owned()
    } else {
        form.priority.clone()
    };
    html_status(
        status,
        &NewPage {
            chrome: Chrome::new(visit, "new"),
            errors,
            requester_q: requester_q.to_owned(),
            requesters,
            assignees: options::named(&[("", "Unassigned")], &staff, &assignee),
            priorities: options::choices(options::PRIORITIES, &priority),
            subject: form.subject,
            description: form.description,
            tags: form.tags,
        },
    )
}

pub async fn form(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    raw: &str,
) -> Result<Response, WebError> {
    let q: NewQuery =
        serde_html_form::from_str(raw).map_err(|e| WebError::BadForm(e.to_string()))?;
    render(
        state,
        visit,
        me,
        &q.requester_q,
        NewForm::default(),
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn create(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    posted: WithFiles,
) -> Result<Response, WebError> {
    let form: NewForm = parse_form(posted.fields)?;
    let bad = |what: &str| WebError::BadForm(format!("unknown {what}"));
    let requester = match form.requester_id.as_str() {
        "" => {
            let errors = Errors::fields(
                vec![helpdesk_service::FieldError::new(
                    "requester_id",
                    "choose whom the ticket is for",
                )],
                LABELS,
            );
            return render(
                state,
                visit,
                me,
                "",
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        id => id.parse::<UserId>().map_err(|_| bad("requester"))?,
    };
    let assignee = match form.assignee_id.as_str() {
        "" => None,
        id => Some(id.parse::<UserId>().map_err(|_| bad("assignee"))?),
    };
    let tags: Vec<String> = form
        .tags
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let req = OpenTicket {
        subject: form.subject.clone(),
        description: form.description.clone(),
        priority: Some(
            form.priority
                .parse::<Priority>()
                .map_err(|_| bad("priority"))?,
        ),
        requester_id: Some(requester),
        assignee_id: assignee,
        tags: (!tags.is_empty()).then_some(tags),
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
            let errors = Errors::fields(list, LABELS);
            render(
                state,
                visit,
                me,
                "",
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
