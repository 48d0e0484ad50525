//! A parent and its children: a parent is not resolved or closed while a child is open
//! (`children_open`), unless its children are resolved with it, deepest first, each with a
//! note naming the parent.

use helpdesk_domain::{TicketId, TicketStatus};
use helpdesk_storage::repo::events::Event;
use helpdesk_storage::repo::links;
use helpdesk_storage::repo::tickets::{self, Ticket, TicketRef, TicketRow};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::brief::TicketBrief;
use super::reply::note;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};

/// A tree deeper than this is not resolved in one step: outages are one or two levels deep.
const MAX_DEPTH: usize = 10;
/// At most this many tickets resolve with one parent.
const MAX_RESOLVED_WITH: usize = 500;

fn is_open(t: &Ticket) -> ServiceResult<bool> {
    Ok(!matches!(
        t.status()?,
        TicketStatus::Resolved | TicketStatus::Closed
    ))
}

/// The children of `t` that are neither resolved nor closed.
pub async fn open_children(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &Ticket,
) -> ServiceResult<Vec<TicketBrief>> {
    let ids = links::children_of(db, &actor.ctx, t.id).await?;
    let mut out = Vec::new();
    for c in tickets::in_workspace(db, &actor.ctx, &ids).await? {
        if is_open(&c)? {
            out.push(TicketBrief::of(&c)?);
        }
    }
    Ok(out)
}

/// Refuses to move `t` to `to` when that resolves or closes it while a child is open
/// (`children_open`; a customer is not told which).
pub async fn guard_children(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &Ticket,
    to: TicketStatus,
) -> ServiceResult<()> {
    if !matches!(to, TicketStatus::Resolved | TicketStatus::Closed) || !is_open(t)? {
        return Ok(());
    }
    let open = open_children(db, actor, t).await?;
    if open.is_empty() {
        return Ok(());
    }
    Err(ServiceError::ChildrenOpen(if actor.is_staff() {
        open
    } else {
        Vec::new()
    }))
}

/// Resolves the open descendants of `parent`, deepest first, each with an internal note
/// naming the parent; the tickets and events written.
pub async fn resolve_children(
    db: &impl ConnectionTrait,
    actor: &Actor,
    parent: &Ticket,
    now: i64,
) -> ServiceResult<Vec<(Ticket, Vec<Event>)>> {
    let ctx = &actor.ctx;
    let mut levels: Vec<Vec<Uuid>> = vec![vec![parent.id]];
    let mut total = 0;
    while let Some(last) = levels.last() {
        let mut next = Vec::new();
        for id in last {
            next.extend(links::children_of(db, ctx, *id).await?);
        }
        if next.is_empty() {
            break;
        }
        total += next.len();
        if levels.len() > MAX_DEPTH || total > MAX_RESOLVED_WITH {
            return Err(ServiceError::Conflict(format!(
                "too many child tickets to resolve in one step (at most {MAX_RESOLVED_WITH}, {MAX_DEPTH} levels)"
            )));
        }
        levels.push(next);
    }
    let text = format!(
        "Resolved with its parent ticket #{}: {}",
        parent.number, parent.subject
    );
    let mut out = Vec::new();
    for level in levels.iter().skip(1).rev() {
        for id in level {
            let child =
                tickets::get_for_update(db, ctx, TicketRef::Id(TicketId::from_uuid(*id))).await?;
            if !is_open(&child)? {
                continue;
            }
            let (t, e) = note(
                db,
                actor,
                &child,
                text.clone(),
                Some(TicketStatus::Resolved),
                now,
            )
            .await?;
            out.push((t, e));
        }
    }
    Ok(out)
}
