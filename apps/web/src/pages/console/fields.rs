//! The context panel's posts on the console's ticket page: the fields (status, priority,
//! assignee, tags, guarded by the version the page showed) and logging time.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::{Priority, TicketStatus, UserId};
use helpdesk_service::ServiceError;
use helpdesk_service::tickets::Edit;
use helpdesk_service::tickets::time_entries::LogTime;
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;

use super::ticket::render_with;
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::pages::tickets::ticket_number;
use crate::render::see_other;
use crate::session::Staff;
use crate::state::WebState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldsForm {
    status: String,
    priority: String,
    assignee_id: String,
    #[serde(default)]
    tags: String,
    version: i64,
    /// Present when "also resolve its open child tickets" is ticked.
    #[serde(default)]
    resolve_children: Option<String>,
}

pub async fn update(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(number): Path<String>,
    Posted(form): Posted<FieldsForm>,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    let bad = |what: &str| WebError::BadForm(format!("unknown {what}"));
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
    let current = state
        .service
        .ticket(&me.actor, TicketRef::Number(number))
        .await?;
    // Only what the form changed is sent, so an untouched field never overwrites.
    let status = form
        .status
        .parse::<TicketStatus>()
        .map_err(|_| bad("status"))?;
    let priority = form
        .priority
        .parse::<Priority>()
        .map_err(|_| bad("priority"))?;
    let edit = Edit {
        status: (status != current.status).then_some(status),
        priority: (priority != current.priority).then_some(priority),
        assignee_id: (assignee != current.assignee_id).then_some(assignee),
        tags: (tags != current.tags).then_some(tags),
        resolve_children: form.resolve_children.is_some(),
        ..Edit::default()
    };
    if edit.is_empty() {
        return Ok(see_other(&format!("/tickets/{number}")));
    }
    let r = TicketRef::Number(number);
    match state
        .service
        .update_ticket(&me.actor, r, edit, Some(form.version))
        .await
    {
        Ok(_) => Ok(see_other(&format!("/tickets/{number}"))),
        Err(ServiceError::Conflict(_)) => {
            let errors = Errors::general(
                "Someone changed this ticket while you were looking at it. Here it is as it stands now; make your change again.",
            );
            render_with(
                &state,
                &visit,
                &me,
                number,
                StatusCode::CONFLICT,
                errors,
                None,
            )
            .await
        }
        Err(ServiceError::Validation(list)) => {
            let errors = Errors::fields(list, &[("tags", "Tags"), ("status", "Status")]);
            render_with(
                &state,
                &visit,
                &me,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                None,
            )
            .await
        }
        Err(ServiceError::ChildrenOpen(open)) => {
            let list: Vec<String> = open
                .iter()
                .map(|c| format!("#{} {}", c.number, c.subject))
                .collect();
            let errors = Errors::fields(
                vec![helpdesk_service::FieldError::new(
                    "status",
                    format!(
                        "its child tickets are still open ({}): resolve them first, or tick \"Also resolve its open child tickets\"",
                        list.join(", ")
                    ),
                )],
                &[("status", "Status")],
            );
            render_with(
                &state,
                &visit,
                &me,
                number,
                StatusCode::CONFLICT,
                errors,
                None,
            )
            .await
        }
        Err(ServiceError::InvalidTransition(m)) => {
            render_with(
                &state,
                &visit,
                &me,
                number,
                StatusCode::CONFLICT,
                Errors::general(m),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeForm {
    minutes: String,
    #[serde(default)]
    billable: Option<String>,
    #[serde(default)]
    note: String,
}

pub async fn log_time(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(number): Path<String>,
    Posted(form): Posted<TimeForm>,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    let Ok(minutes) = form.minutes.trim().parse::<i64>() else {
        let errors = Errors::fields(
            vec![helpdesk_service::FieldError::new(
                "minutes",
                "must be a whole number of minutes",
            )],
            &[("minutes", "Minutes")],
        );
        return render_with(
            &state,
            &visit,
            &me,
            number,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            None,
        )
        .await;
    };
    let entry = LogTime {
        minutes,
        billable: Some(form.billable.is_some()),
        note: Some(form.note).filter(|n| !n.trim().is_empty()),
        started_at: None,
    };
    match state
        .service
        .log_time(&me.actor, TicketRef::Number(number), entry)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/tickets/{number}#time"))),
        Err(ServiceError::Validation(list)) => {
            let errors = Errors::fields(list, &[("minutes", "Minutes"), ("note", "Note")]);
            render_with(
                &state,
                &visit,
                &me,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
