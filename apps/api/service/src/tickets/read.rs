//! Reading one ticket: its view with the live SLA reading, and its audit timeline.

use helpdesk_domain::{Permission, TicketId};
use helpdesk_storage::repo::events;
use helpdesk_storage::repo::mail_bodies;
use helpdesk_storage::repo::tickets::{self, TicketRef};

use super::sla_view::SlaClock;
use super::view::{EventOut, TicketOut};
use crate::Service;
use crate::actor::Actor;
use crate::error::ServiceResult;
use crate::permissions::require;

impl Service {
    /// The ticket as `actor` may see it (customers: their own), read at the clock's now.
    pub async fn ticket(&self, actor: &Actor, r: TicketRef) -> ServiceResult<TicketOut> {
        let db = self.store.read();
        let t = tickets::get(db, &actor.ctx, r).await?;
        let clock = SlaClock::load(db, &actor.ctx, &[&t], self.now()).await?;
        let mut body = mail_bodies::for_ids(db, &actor.ctx, &[t.id]).await?;
        let mut out = TicketOut::from_row(t, &clock)?;
        if let Some(b) = body.remove(&out.id.as_uuid()) {
            out.description_html = b.html;
            out.description_quoted_from = b.quoted_from;
        }
        Ok(out)
    }

    /// Who changed what, when, old → new (staff only).
    pub async fn ticket_events(&self, actor: &Actor, r: TicketRef) -> ServiceResult<Vec<EventOut>> {
        require(actor, Permission::WorkTickets)?;
        let db = self.store.read();
        let t = tickets::get(db, &actor.ctx, r).await?;
        let rows = events::for_ticket(db, &actor.ctx, TicketId::from_uuid(t.id), true).await?;
        Ok(rows.into_iter().map(EventOut::from).collect())
    }
}
