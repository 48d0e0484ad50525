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
        let e = NewEvent {
            ticket_id,
            kind: "time_entry.created",
            changes: json!({ "time_entry_id": row.id, "minutes": row.minutes, "billable": row.billable }),
            message_id: None,
            internal: true,
        };
        let mut written = vec![events::record(&tx, ctx, e, now).await?];
        if row.billable {
            written.extend(
                self.contract_alerts(&tx, actor, &t, &[row.started_at], now)
                    .await?,
            );
        }
        tx.commit().await?;
        self.publish(&t, &written).await;
        Ok(row.into())
    }

    /// `PATCH /tickets/{id}/time-entries/{entry_id}` (staff): what `req` names changes;
    /// contract usage follows at once (it is computed from the entries).
    pub async fn edit_time(
        &self,
        actor: &Actor,
        r: TicketRef,
        id: TimeEntryId,
        req: EditTime,
    ) -> ServiceResult<TimeEntryOut> {
        require(actor, Permission::WorkTickets)?;
        if req.minutes.is_some_and(|m| !(1..=1440).contains(&m)) {
            return Err(ServiceError::invalid(
                "minutes",
                "must be between 1 and 1440",
            ));
        }
        let ctx = &actor.ctx;
        let now = self.now();
        let tx = self.begin().await?;
        let t = tickets::get(&tx, ctx, r).await?;
        let ticket_id = TicketId::from_uuid(t.id);
        let old = time_entries::get(&tx, ctx, ticket_id, id).await?;
        let entry = NewTimeEntry {
            minutes: req.minutes.unwrap_or(old.minutes),
            billable: req.billable.unwrap_or(old.billable),
            note: match req.note {
                Some(n) => n.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
                None => old.note.clone(),
            },
            started_at: req.started_at.unwrap_or(old.started_at),
        };
        let row = time_entries::update(&tx, &old, entry, now).await?;
        let e = NewEvent {
            ticket_id,
            kind: "time_entry.updated",
            changes: json!({
                "time_entry_id": row.id,
                "minutes": [old.minutes, row.minutes],
                "billable": [old.billable, row.billable],
                "started_at": [rfc3339(old.started_at), rfc3339(row.started_at)],
            }),
            message_id: None,
            internal: true,
        };
        let mut written = vec![events::record(&tx, ctx, e, now).await?];
        if row.billable {
            written.extend(
                self.contract_alerts(&tx, actor, &t, &[row.started_at], now)
                    .await?,
            );
        }
        tx.commit().await?;
        self.publish(&t, &written).await;
        Ok(row.into())
    }

    /// `DELETE /tickets/{id}/time-entries/{entry_id}` (staff).
    pub async fn delete_time(
        &self,
        actor: &Actor,
        r: TicketRef,
        id: TimeEntryId,
    ) -> ServiceResult<()> {
        require(actor, Permission::WorkTickets)?;
        let ctx = &actor.ctx;
        let now = self.now();
        let tx = self.begin().await?;
        let t = tickets::get(&tx, ctx, r).await?;
        let ticket_id = TicketId::from_uuid(t.id);
        let old = time_entries::get(&tx, ctx, ticket_id, id).await?;
        time_entries::delete(&tx, ctx, id).await?;
        let e = NewEvent {
            ticket_id,
            kind: "time_entry.deleted",
            changes: json!({ "time_entry_id": old.id, "minutes": old.minutes, "billable": old.billable }),
            message_id: None,
            internal: true,
        };
        let event = events::record(&tx, ctx, e, now).await?;
        tx.commit().await?;
        self.publish(&t, &[event]).await;
        Ok(())
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
