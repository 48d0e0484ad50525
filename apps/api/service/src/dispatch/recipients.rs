//! Who hears of a ticket event, and the words of what they are told.

use helpdesk_domain::{Role, TenantCtx, TicketStatus};
use helpdesk_storage::repo::events::Event;
use helpdesk_storage::repo::participants;
use helpdesk_storage::repo::tickets::Ticket;
use helpdesk_storage::repo::users::UserRow;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::memo::Memo;
use crate::error::ServiceResult;

/// The role of whoever caused `e`: an API key acts as an agent; none for the system.
async fn actor_role(
    db: &impl ConnectionTrait,
    memo: &mut Memo,
    ctx: &TenantCtx,
    e: &Event,
) -> ServiceResult<Option<Role>> {
    Ok(match e.actor_id {
        Some(a) => memo.user(db, ctx, a).await?.and_then(|u| u.role().ok()),
        None if e.actor_api_key_id.is_some() => Some(Role::Agent),
        None => None,
    })
}

/// Who should hear of `event`, and why (for the email's wording).
pub(super) async fn recipients(
    db: &impl ConnectionTrait,
    memo: &mut Memo,
    ctx: &TenantCtx,
    e: &Event,
    t: &Ticket,
) -> ServiceResult<Vec<(Uuid, &'static str)>> {
    let mut out = Vec::new();
    match e.kind.as_str() {
        "message.created" => match actor_role(db, memo, ctx, e).await? {
            // The requester and everyone copied on the ticket.
            Some(r) if r.is_staff() => {
                out.push((t.requester_id, "reply"));
                let copied = participants::of_ticket(db, ctx, t.id).await?;
                out.extend(copied.into_iter().map(|p| (p, "reply")));
            }
            // The assignee, and the other customers on the ticket (the requester, the
            // people copied): the author is left out below.
            Some(Role::Customer) => {
                out.extend(t.assignee_id.map(|a| (a, "customer_reply")));
                out.push((t.requester_id, "reply"));
                let copied = participants::of_ticket(db, ctx, t.id).await?;
                out.extend(copied.into_iter().map(|p| (p, "reply")));
            }
            _ => {}
        },
        // An internal note reaches the assignee (staff only; never the requester).
        "note.created" => out.extend(t.assignee_id.map(|a| (a, "note"))),
        "ticket.updated" => {
            if e.changes["status"][1] == TicketStatus::Resolved.as_str() {
                out.push((t.requester_id, "resolved"));
            }
            if let Some(a) = e.changes["assignee_id"][1]
                .as_str()
                .and_then(|s| s.parse::<Uuid>().ok())
            {
                out.push((a, "assigned"));
            }
        }
        // Unassigned tickets' SLA events reach admins through the default rules, which a
        // workspace can edit.
        "sla.warning" | "sla.breached" => {
            let why = if e.kind == "sla.warning" {
                "sla_warning"
            } else {
                "sla_breached"
            };
            out.extend(t.assignee_id.map(|a| (a, why)));
        }
        _ => {}
    }
    // Nobody is told about their own action.
    out.retain(|(u, _)| Some(*u) != e.actor_id);
    Ok(out)
}

pub(super) fn sla_lead(e: &Event) -> String {
    let metric = e.changes["metric"]
        .as_str()
        .unwrap_or("sla")
        .replace('_', " ");
    let at = e.changes["at"].as_str().unwrap_or_default();
    if e.kind == "sla.warning" {
        format!("The {metric} deadline of this ticket is near (warning point passed at {at}).")
    } else {
        format!("This ticket breached its {metric} SLA at {at}.")
    }
}

pub(super) fn body(why: &str, t: &Ticket, message: Option<&str>, link: &str) -> String {
    let lead = match why {
        "reply" => "There is a new reply on your ticket:",
        "customer_reply" => "The customer replied:",
        "note" => "An internal note was added (reply to this email to add another note):",
        "resolved" => "Your ticket was resolved. Reply to reopen it.",
        "sla_warning" | "sla_breached" => "SLA alert:",
        _ => "This ticket was assigned to you.",
    };
    let quoted = message.map(|m| format!("\n\n{m}\n")).unwrap_or_default();
    format!("{lead}{quoted}\n\n#{} {}\n{link}\n", t.number, t.subject)
}
