//! Which ticket a message belongs to, in the order API.md gives: a signed reference in
//! the threading headers, in a `+token` recipient address, or in the body (for systems
//! that strip headers); then a `[#number]` in the subject, but only from the ticket's
//! requester, a participant or staff, so a stranger cannot write into someone else's ticket by guessing.

use helpdesk_domain::inbound::{ThreadKey, subject};
use helpdesk_domain::{TenantCtx, TicketId, status_machine};
use helpdesk_storage::repo::tickets::{self, Ticket, TicketRef, TicketRow};
use sea_orm::ConnectionTrait;

use super::parse::ParsedMail;
use super::sender::Sender;
use crate::error::{ServiceError, ServiceResult};
use crate::tickets::participants::is_participant;

/// Where a message goes.
#[derive(Debug)]
pub enum Route {
    /// A reply on an open (or resolved) ticket.
    Reply(Ticket),
    /// A reply to a closed ticket: a new ticket that names it.
    FollowUp(Ticket),
    /// A new ticket.
    New,
}

pub async fn route(
    db: &impl ConnectionTrait,
    key: &ThreadKey,
    ctx: &TenantCtx,
    mail: &ParsedMail,
    sender: &Sender,
) -> ServiceResult<Route> {
    let ws = ctx.workspace_id.as_uuid();
    let signed = key
        .find(ws, &mail.references)
        .or_else(|| key.find(ws, &mail.recipients.join(" ")))
        .or_else(|| key.find(ws, &mail.text));
    let ticket = match signed {
        Some(id) => found(tickets::get(db, ctx, TicketRef::Id(TicketId::from_uuid(id))).await)?,
        None => match subject::ticket_number(&mail.subject) {
            Some(n) => match found(tickets::get(db, ctx, TicketRef::Number(n)).await)? {
                Some(t) if sender.is_staff() || t.requester_id == sender.user.id => Some(t),
                Some(t) if is_participant(db, ctx, t.id, sender.user.id).await? => Some(t),
                _ => None,
            },
            None => None,
        },
    };
    let ticket = match ticket {
        Some(t) => Some(followed(db, ctx, t).await?),
        None => None,
    };
    Ok(match ticket {
        Some(t) if status_machine::accepts_replies(t.status()?) => Route::Reply(t),
        Some(t) => Route::FollowUp(t),
        None => Route::New,
    })
}

/// A merged ticket's mail goes to the ticket it was merged into (and on, should that one
/// have been merged too).
async fn followed(db: &impl ConnectionTrait, ctx: &TenantCtx, t: Ticket) -> ServiceResult<Ticket> {
    let mut t = t;
    for _ in 0..5 {
        let Some(into) = t.merged_into_id else {
            break;
        };
        match tickets::in_workspace(db, ctx, &[into]).await?.pop() {
            Some(next) => t = next,
            None => break,
        }
    }
    Ok(t)
}

/// A ticket that no longer exists is no ticket: the message opens a new one.
fn found(r: Result<Ticket, helpdesk_storage::StoreError>) -> ServiceResult<Option<Ticket>> {
    match r.map_err(ServiceError::from) {
        Ok(t) => Ok(Some(t)),
        Err(ServiceError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}
