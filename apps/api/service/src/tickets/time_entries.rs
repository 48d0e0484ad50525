//! Time logged on a ticket (staff only), with totals; each entry is a ticket event.

use helpdesk_domain::{Permission, TicketId, TimeEntryId, UserId};
use helpdesk_storage::repo::events::{self, NewEvent};
use helpdesk_storage::repo::tickets::{self, TicketRef};
use helpdesk_storage::repo::time_entries::{self, NewTimeEntry, TimeEntry};
use serde::Serialize;
use serde_json::json;

use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;
use crate::time::rfc3339;

/// Time to log: 1 to 1440 minutes, billable unless said otherwise, started now by default.
#[derive(Debug, Clone)]
pub struct LogTime {
    pub minutes: i64,
    pub billable: Option<bool>,
    pub note: Option<String>,
    /// Microseconds since the epoch; `None`: now.
    pub started_at: Option<i64>,
}

/// Changes to an entry; `None` leaves a field alone (`note: Some(None)` clears it).
#[derive(Debug, Clone, Default)]
pub struct EditTime {
    pub minutes: Option<i64>,
    pub billable: Option<bool>,
    pub note: Option<Option<String>>,
    pub started_at: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TimeEntryOut {
    pub id: TimeEntryId,
    pub ticket_id: TicketId,
    pub author_id: Option<UserId>,
    pub minutes: i64,
    pub billable: bool,
    pub note: Option<String>,
    pub started_at: String,
    pub created_at: String,
}

impl From<TimeEntry> for TimeEntryOut {
    fn from(e: TimeEntry) -> Self {
        Self {
            id: TimeEntryId::from_uuid(e.id),
            ticket_id: TicketId::from_uuid(e.ticket_id),
            author_id: e.author_id.map(UserId::from_uuid),
            minutes: e.minutes,
            billable: e.billable,
            note: e.note,
            started_at: rfc3339(e.started_at),
            created_at: rfc3339(e.created_at),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TimeEntries {
    pub items: Vec<TimeEntryOut>,
    pub total_minutes: i64,
    pub billable_minutes: i64,
}

impl Service {
    /// Ends a change to a ticket's time: its event, the contract alerts now due when
    /// billable time on the day of `billable_at` changed, the commit, the live update.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn record_time_event(
        &self,
        tx: sea_orm::DatabaseTransaction,
        actor: &Actor,
        t: &helpdesk_storage::repo::tickets::Ticket,
        kind: &'static str,
        changes: serde_json::Value,
        billable_at: Option<i64>,
        now: i64,
    ) -> ServiceResult<()> {
        let e = NewEvent {
            ticket_id: TicketId::from_uuid(t.id),
            kind,
            changes,
            message_id: None,
            internal: true,
        };
        let mut written = vec![events::record(&tx, &actor.ctx, e, now).await?];
        if let Some(at) = billable_at {
            written.extend(self.contract_alerts(&tx, actor, t, &[at], now).await?);
        }
        tx.commit().await?;
        self.publish(t, &written).await;
        Ok(())
    }

    pub async fn log_time(
        &self,
        actor: &Actor,
        r: TicketRef,
        req: LogTime,
    ) -> ServiceResult<TimeEntryOut> {
        require(actor, Permission::WorkTickets)?;
        if !(1..=1440).contains(&req.minutes) {
            return Err(ServiceError::invalid(
                "minutes",
                "must be between 1 and 1440",
            ));
        }
        let ctx = &actor.ctx;
        let now = self.now();
        let note = req
            .note
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        let tx = self.begin().await?;
        let t = tickets::get(&tx, ctx, r).await?;
        let ticket_id = TicketId::from_uuid(t.id);
        let entry = NewTimeEntry {
            minutes: req.minutes,
            billable: req.billable.unwrap_or(true),
            note,
            started_at: req.started_at.unwrap_or(now),
        };
        let row = time_entries::create(&tx, ctx, ticket_id, entry, now).await?;
        let changes =
            json!({ "time_entry_id": row.id, "minutes": row.minutes, "billable": row.billable });
        let billable_at = row.billable.then_some(row.started_at);
        self.record_time_event(
            tx,
            actor,
            &t,
            "time_entry.created",
            changes,
            billable_at,
            now,
        )
        .await?;
        Ok(row.into())
    }

    pub async fn time_entries(&self, actor: &Actor, r: TicketRef) -> ServiceResult<TimeEntries> {
        require(actor, Permission::WorkTickets)?;
        let db = self.store.read();
        let t = tickets::get(db, &actor.ctx, r).await?;
        let rows = time_entries::for_ticket(db, &actor.ctx, TicketId::from_uuid(t.id)).await?;
        let total_minutes = rows.iter().map(|e| e.minutes).sum();
        let billable_minutes = rows.iter().filter(|e| e.billable).map(|e| e.minutes).sum();
        Ok(TimeEntries {
            items: rows.into_iter().map(TimeEntryOut::from).collect(),
            total_minutes,
            billable_minutes,
        })
    }
}
