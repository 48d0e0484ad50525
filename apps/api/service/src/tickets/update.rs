//! Changing a ticket's fields: staff change any field; a customer may only resolve its own
//! ticket. An expected version guards against lost updates.

use helpdesk_domain::TicketStatus;
use helpdesk_storage::repo::tickets::{self, TicketRef};

use helpdesk_domain::Permission;
use helpdesk_storage::repo::tickets::TicketRow;

use super::change::{Edit, change};
use super::children::resolve_children;
use super::sla_view::SlaClock;
use super::view::TicketOut;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;

/// A customer's edit may only resolve the ticket.
fn customer_may(edit: &Edit) -> bool {
    let resolve_only = Edit {
        status: Some(TicketStatus::Resolved),
        ..Edit::default()
    };
    *edit == resolve_only
}

impl Service {
    /// Applies `edit` to ticket `r`; `expected_version`, when given, must be the ticket's.
    pub async fn update_ticket(
        &self,
        actor: &Actor,
        r: TicketRef,
        edit: Edit,
        expected_version: Option<i64>,
    ) -> ServiceResult<TicketOut> {
        let ctx = &actor.ctx;
        let now = self.now();
        let tx = self.begin().await?;
        let t = tickets::get_for_update(&tx, ctx, r).await?;
        if !actor.is_staff() && !customer_may(&edit) {
            return Err(ServiceError::Forbidden);
        }
        if expected_version.is_some_and(|v| v != t.version) {
            return Err(ServiceError::Conflict(format!(
                "the ticket is at version {}",
                t.version
            )));
        }
        if t.is_closed() {
            return Err(ServiceError::closed_ticket());
        }
        let children = match edit.status {
            Some(TicketStatus::Resolved | TicketStatus::Closed) if edit.resolve_children => {
                require(actor, Permission::WorkTickets)?;
                resolve_children(&tx, actor, &t, now).await?
            }
            _ => Vec::new(),
        };
        let (updated, events) = change(&tx, actor, &t, edit, now).await?;
        let clock = SlaClock::load(&tx, ctx, &[&updated], now).await?;
        tx.commit().await?;
        for (child, written) in &children {
            self.publish(child, written).await;
        }
        self.publish(&updated, &events).await;
        TicketOut::from_row(updated, &clock)
    }
}
