//! Links between tickets: `RELATED`, or parent and child (one outage, many reports). A
//! pair of tickets has at most one link, a ticket at most one parent, and no ticket is its
//! own ancestor. What a parent's open children forbid is in `children`.

use helpdesk_domain::{LinkKind, Permission, TicketId};
use helpdesk_storage::repo::events::{self, Event, NewEvent};
use helpdesk_storage::repo::links::{self, Link, PARENT, RELATED};
use helpdesk_storage::repo::tickets::{self, Ticket, TicketRef};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::brief::TicketBrief;
use super::change::attribute;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;
use crate::time::rfc3339;

/// A parent chain longer than this is refused: outages are one or two levels deep.
const MAX_DEPTH: usize = 10;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LinkOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    /// What `ticket` is to this ticket.
    pub kind: LinkKind,
    pub ticket: TicketBrief,
    pub created_at: String,
}

/// What the other end of `l` is to `me`.
fn kind_for(l: &Link, me: Uuid) -> LinkKind {
    match (l.kind.as_str(), l.from_ticket_id == me) {
        (PARENT, true) => LinkKind::Child,
        (PARENT, false) => LinkKind::Parent,
        _ => LinkKind::Related,
    }
}

fn other_end(l: &Link, me: Uuid) -> Uuid {
    if l.from_ticket_id == me {
        l.to_ticket_id
    } else {
        l.from_ticket_id
    }
}

/// The ancestors of `t`, nearest first.
async fn ancestors(db: &impl ConnectionTrait, actor: &Actor, t: Uuid) -> ServiceResult<Vec<Uuid>> {
    let mut out = Vec::new();
    let mut at = t;
    while let Some(p) = links::parent_of(db, &actor.ctx, at).await? {
        if out.contains(&p) || out.len() > MAX_DEPTH {
            break;
        }
        out.push(p);
        at = p;
    }
    Ok(out)
}

/// Why `parent` may not become the parent of `child`, if it may not.
async fn parent_refusal(
    db: &impl ConnectionTrait,
    actor: &Actor,
    parent: &Ticket,
    child: &Ticket,
) -> ServiceResult<Option<ServiceError>> {
    if let Some(p) = links::parent_of(db, &actor.ctx, child.id).await? {
        let has = tickets::in_workspace(db, &actor.ctx, &[p]).await?;
        let n = has.first().map(|t| t.number).unwrap_or_default();
        return Ok(Some(ServiceError::Conflict(format!(
            "#{} has a parent already (#{n}); a ticket has one parent",
            child.number
        ))));
    }
    let up = ancestors(db, actor, parent.id).await?;
    if up.contains(&child.id) {
        return Ok(Some(ServiceError::invalid(
            "ticket_id",
            format!(
                "#{} is an ancestor of #{}: the link would make a cycle",
                child.number, parent.number
            ),
        )));
    }
    if up.len() >= MAX_DEPTH {
        return Ok(Some(ServiceError::invalid(
            "ticket_id",
            format!("parent chains are at most {MAX_DEPTH} tickets deep"),
        )));
    }
    Ok(None)
}

async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    kind: &'static str,
    on: &Ticket,
    link: &Link,
    other: &Ticket,
    now: i64,
) -> ServiceResult<Event> {
    let mut m = Map::new();
    m.insert("link_id".into(), json!(link.id));
    m.insert("kind".into(), json!(kind_for(link, on.id)));
    m.insert("ticket".into(), TicketBrief::json(other));
    attribute(&mut m, actor);
    let e = NewEvent {
        ticket_id: TicketId::from_uuid(on.id),
        kind,
        changes: Value::Object(m),
        message_id: None,
        internal: true,
    };
    Ok(events::record(db, &actor.ctx, e, now).await?)
}

impl Service {
    /// `GET /tickets/{id}/links` (staff): every link of the ticket, either end.
    pub async fn ticket_links(&self, actor: &Actor, r: TicketRef) -> ServiceResult<Vec<LinkOut>> {
        require(actor, Permission::WorkTickets)?;
        let db = self.store.read();
        let t = tickets::get(db, &actor.ctx, r).await?;
        let rows = links::of_ticket(db, &actor.ctx, t.id).await?;
        let ids: Vec<Uuid> = rows.iter().map(|l| other_end(l, t.id)).collect();
        let others = tickets::in_workspace(db, &actor.ctx, &ids).await?;
        let mut out = Vec::new();
        for l in &rows {
            if let Some(o) = others.iter().find(|o| o.id == other_end(l, t.id)) {
                out.push(LinkOut {
                    id: l.id,
                    kind: kind_for(l, t.id),
                    ticket: TicketBrief::of(o)?,
                    created_at: rfc3339(l.created_at),
                });
            }
        }
        Ok(out)
    }

    /// `POST /tickets/{id}/links` (staff): links ticket `other` to `r` as `kind` (what
    /// `other` is to `r`).
    pub async fn add_link(
        &self,
        actor: &Actor,
        r: TicketRef,
        other: TicketRef,
        kind: LinkKind,
    ) -> ServiceResult<LinkOut> {
        require(actor, Permission::WorkTickets)?;
        let ctx = &actor.ctx;
        let now = self.now();
        let tx = self.begin().await?;
        let me = tickets::get_for_update(&tx, ctx, r).await?;
        let them = tickets::get(&tx, ctx, other).await?;
        if me.id == them.id {
            return Err(ServiceError::invalid(
                "ticket_id",
                "is this ticket: link it to another one",
            ));
        }
        if let Some(l) = links::between(&tx, ctx, me.id, them.id).await? {
            return Err(ServiceError::Conflict(format!(
                "#{} and #{} are linked already ({})",
                me.number,
                them.number,
                kind_for(&l, me.id).as_str()
            )));
        }
        let (from, to, stored) = match kind {
            LinkKind::Related => (&me, &them, RELATED),
            LinkKind::Parent => (&them, &me, PARENT),
            LinkKind::Child => (&me, &them, PARENT),
        };
        if stored == PARENT
            && let Some(no) = parent_refusal(&tx, actor, from, to).await?
        {
            return Err(no);
        }
        let link = links::create(&tx, ctx, from.id, to.id, stored, now).await?;
        let mine = record(&tx, actor, "link.created", &me, &link, &them, now).await?;
        let theirs = record(&tx, actor, "link.created", &them, &link, &me, now).await?;
        tx.commit().await?;
        self.publish(&me, std::slice::from_ref(&mine)).await;
        self.publish(&them, std::slice::from_ref(&theirs)).await;
        Ok(LinkOut {
            id: link.id,
            kind,
            ticket: TicketBrief::of(&them)?,
            created_at: rfc3339(link.created_at),
        })
    }

    /// `DELETE /tickets/{id}/links/{link_id}` (staff).
    pub async fn remove_link(&self, actor: &Actor, r: TicketRef, id: Uuid) -> ServiceResult<()> {
        require(actor, Permission::WorkTickets)?;
        let ctx = &actor.ctx;
        let now = self.now();
        let tx = self.begin().await?;
        let me = tickets::get(&tx, ctx, r).await?;
        let link = links::get(&tx, ctx, me.id, id).await?;
        let them = tickets::in_workspace(&tx, ctx, &[other_end(&link, me.id)]).await?;
        let them = them.into_iter().next().ok_or(ServiceError::NotFound)?;
        links::delete(&tx, ctx, link.id).await?;
        let mine = record(&tx, actor, "link.deleted", &me, &link, &them, now).await?;
        let theirs = record(&tx, actor, "link.deleted", &them, &link, &me, now).await?;
        tx.commit().await?;
        self.publish(&me, std::slice::from_ref(&mine)).await;
        self.publish(&them, std::slice::from_ref(&theirs)).await;
        Ok(())
    }
}
