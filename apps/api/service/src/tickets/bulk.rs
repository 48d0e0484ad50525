//! One change applied to many tickets (the console's bulk bar): each ticket is its own
//! use case, so one that cannot change (closed, gone, a move the status machine forbids)
//! is reported with its reason and the others still change.

use helpdesk_domain::{Permission, Priority, TicketStatus, UserId};
use helpdesk_storage::repo::tickets::{self, TicketRef};

use super::actions::retag;
use super::change::Edit;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;

/// At most this many tickets per request (a page of the list).
pub const BULK_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    /// `None` unassigns.
    Assign(Option<UserId>),
    Status(TicketStatus),
    Priority(Priority),
    AddTag(String),
    RemoveTag(String),
    /// Applies a macro (its actions and reply) to each ticket.
    Macro(uuid::Uuid),
}

/// What happened to one ticket.
#[derive(Debug)]
pub struct BulkOutcome {
    pub number: i64,
    /// `None`: changed (or already so).
    pub error: Option<ServiceError>,
}

impl Service {
    /// Applies `action` to each ticket in `numbers` (staff), in order.
    pub async fn bulk_update(
        &self,
        actor: &Actor,
        numbers: &[i64],
        action: &BulkAction,
    ) -> ServiceResult<Vec<BulkOutcome>> {
        require(actor, Permission::WorkTickets)?;
        if numbers.is_empty() {
            return Err(ServiceError::invalid(
                "numbers",
                "select at least one ticket",
            ));
        }
        if numbers.len() > BULK_MAX {
            return Err(ServiceError::invalid(
                "numbers",
                format!("at most {BULK_MAX} tickets at once"),
            ));
        }
        let mut out = Vec::with_capacity(numbers.len());
        for &number in numbers {
            let error = self.bulk_one(actor, number, action).await.err();
            out.push(BulkOutcome { number, error });
        }
        Ok(out)
    }

    async fn bulk_one(&self, actor: &Actor, number: i64, action: &BulkAction) -> ServiceResult<()> {
        let r = TicketRef::Number(number);
        if let BulkAction::Macro(id) = action {
            return self.apply_macro(actor, r, *id).await.map(|_| ());
        }
        let t = tickets::get(self.store.read(), &actor.ctx, r).await?;
        let edit = match action {
            BulkAction::Assign(a) => Edit {
                assignee_id: Some(*a),
                ..Edit::default()
            },
            BulkAction::Status(s) => Edit {
                status: Some(*s),
                ..Edit::default()
            },
            BulkAction::Priority(p) => Edit {
                priority: Some(*p),
                ..Edit::default()
            },
            BulkAction::AddTag(tag) => Edit {
                tags: Some(retag(&t, tag, true)),
                ..Edit::default()
            },
            BulkAction::RemoveTag(tag) => Edit {
                tags: Some(retag(&t, tag, false)),
                ..Edit::default()
            },
            BulkAction::Macro(_) => return Ok(()),
        };
        // The version read above guards the tag list against a concurrent change.
        self.update_ticket(actor, r, edit, Some(t.version))
            .await
            .map(|_| ())
    }
}
