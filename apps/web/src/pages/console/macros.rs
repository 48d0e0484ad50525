//! Macros on the ticket page: pick one, preview what it will do (its reply and each
//! action in words), then apply it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::Permission;
use helpdesk_domain::automation::{Action, AssignTo, Recipient};
use helpdesk_service::ServiceError;
use helpdesk_service::automations::macros::MacroOut;
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;
use uuid::Uuid;

use super::ticket::render_with;
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::pages::tickets::ticket_number;
use crate::render::see_other;
use crate::session::{SignedIn, Staff};
use crate::state::WebState;

/// What a macro will do, shown before it is applied.
#[derive(Debug, Clone)]
pub struct Preview {
    pub id: String,
    pub name: String,
    pub reply: Option<String>,
    pub actions: Vec<String>,
}

/// An action in words.
pub fn describe(a: &Action) -> String {
    match a {
        Action::Assign(AssignTo::Agent(_)) => "assign to an agent".into(),
        Action::Assign(AssignTo::RoundRobin(_)) => "assign round robin".into(),
        Action::Assign(AssignTo::LeastLoaded(_)) => "assign to the least loaded agent".into(),
        Action::SetPriority(p) => format!("set priority to {}", crate::display::priority(*p).label),
        Action::SetStatus(s) => format!("set status to {}", crate::display::status(*s).label),
        Action::AddTag(t) => format!("add tag \u{201c}{t}\u{201d}"),
        Action::RemoveTag(t) => format!("remove tag \u{201c}{t}\u{201d}"),
        Action::AddInternalNote(b) => format!("add an internal note: \u{201c}{b}\u{201d}"),
        Action::Notify { to, .. } => format!(
            "email the {}",
            match to {
                Recipient::Requester => "requester",
                Recipient::Assignee => "assignee",
                Recipient::Admins => "admins",
                Recipient::Address => "address given",
            }
        ),
        Action::Webhook(_) => "call a webhook".into(),
    }
}

/// The workspace's macros (for those who may apply them), and the preview of `chosen`.
pub async fn load(
    state: &WebState,
    me: &SignedIn,
    chosen: Option<Uuid>,
) -> Result<(Vec<(String, String)>, Option<Preview>), WebError> {
    if !me.actor.ctx.can(Permission::ManageMacros) {
        return Ok((Vec::new(), None));
    }
    let all: Vec<MacroOut> = state.service.macros(&me.actor).await?;
    let preview = chosen
        .and_then(|id| all.iter().find(|m| m.id == id))
        .map(|m| Preview {
            id: m.id.to_string(),
            name: m.name.clone(),
            reply: m.reply.clone(),
            actions: Action::parse_list(&m.actions)
                .map(|list| list.iter().map(describe).collect())
                .unwrap_or_default(),
        });
    let names = all
        .into_iter()
        .map(|m| (m.id.to_string(), m.name))
        .collect();
    Ok((names, preview))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplyForm {
    macro_id: String,
}

pub async fn apply(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(number): Path<String>,
    Posted(form): Posted<ApplyForm>,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    let id: Uuid = form
        .macro_id
        .parse()
        .map_err(|_| WebError::BadForm("unknown macro".into()))?;
    match state
        .service
        .apply_macro(&me.actor, TicketRef::Number(number), id)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/tickets/{number}#conversation-end"))),
        Err(ServiceError::Validation(list)) => {
            let errors = Errors::fields(list, &[("macro_id", "Macro")]);
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
