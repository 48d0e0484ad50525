//! The bulk bar: one action on the selected tickets, then back to the same list with a
//! report of what changed and what could not, and why.

use axum::extract::State;
use axum::response::Response;
use helpdesk_domain::{Priority, TicketStatus};
use helpdesk_service::ServiceError;
use helpdesk_service::tickets::bulk::BulkAction;
use serde::Deserialize;

use crate::error::{WebError, encode};
use crate::form::Posted;
use crate::pages::public::safe_next;
use crate::render::see_other;
use crate::session::Staff;
use crate::state::WebState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkForm {
    #[serde(default)]
    numbers: Vec<i64>,
    action: String,
    #[serde(default)]
    tag: String,
    return_to: String,
}

/// The action a `kind:value` option names.
fn action_of(raw: &str, tag: &str, me: Option<helpdesk_domain::UserId>) -> Option<BulkAction> {
    let (kind, value) = raw.split_once(':')?;
    let tag = tag.trim().to_owned();
    Some(match (kind, value) {
        ("assign", "me") => BulkAction::Assign(Some(me?)),
        ("assign", "none") => BulkAction::Assign(None),
        ("assign", id) => BulkAction::Assign(Some(id.parse().ok()?)),
        ("status", s) => BulkAction::Status(s.parse::<TicketStatus>().ok()?),
        ("priority", p) => BulkAction::Priority(p.parse::<Priority>().ok()?),
        ("tag", "add") if !tag.is_empty() => BulkAction::AddTag(tag),
        ("tag", "remove") if !tag.is_empty() => BulkAction::RemoveTag(tag),
        ("macro", id) => BulkAction::Macro(id.parse().ok()?),
        _ => return None,
    })
}

fn reason(e: &ServiceError) -> String {
    match e {
        ServiceError::NotFound => "not found".into(),
        ServiceError::Validation(list) => list
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        ServiceError::Conflict(_) => "changed by someone else meanwhile; try again".into(),
        ServiceError::InvalidTransition(m) => m.clone(),
        ServiceError::Forbidden => "not allowed".into(),
        _ => "could not be changed".into(),
    }
}

pub async fn apply(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Posted(form): Posted<BulkForm>,
) -> Result<Response, WebError> {
    let back = safe_next(Some(&form.return_to));
    let report = match action_of(&form.action, &form.tag, me.actor.ctx.user_id()) {
        None => "Choose an action (and type a tag for the tag actions).".to_owned(),
        Some(action) => match state
            .service
            .bulk_update(&me.actor, &form.numbers, &action)
            .await
        {
            Ok(outcomes) => {
                let done = outcomes.iter().filter(|o| o.error.is_none()).count();
                let failed: Vec<String> = outcomes
                    .iter()
                    .filter_map(|o| {
                        o.error
                            .as_ref()
                            .map(|e| format!("#{} ({})", o.number, reason(e)))
                    })
                    .collect();
                let mut text = format!("{done} of {} tickets changed.", outcomes.len());
                if !failed.is_empty() {
                    text.push_str(&format!(" Not changed: {}.", failed.join(", ")));
                }
                text
            }
            Err(ServiceError::Validation(list)) => list
                .into_iter()
                .map(|f| f.message)
                .collect::<Vec<_>>()
                .join("; "),
            Err(e) => return Err(e.into()),
        },
    };
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(see_other(&format!("{back}{sep}report={}", encode(&report))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_parse_from_their_options() {
        assert_eq!(
            action_of("assign:none", "", None),
            Some(BulkAction::Assign(None))
        );
        assert_eq!(action_of("assign:me", "", None), None);
        assert_eq!(
            action_of("status:PENDING", "", None),
            Some(BulkAction::Status(TicketStatus::Pending))
        );
        assert_eq!(
            action_of("tag:add", " vip ", None),
            Some(BulkAction::AddTag("vip".into()))
        );
        assert_eq!(action_of("tag:add", "", None), None);
        assert_eq!(action_of("nonsense", "", None), None);
    }
}
