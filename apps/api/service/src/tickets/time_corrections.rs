//! Correcting logged time (staff): changing or deleting an entry. Contract usage is
//! computed from the entries, so it follows at once; the alerts are checked again.

use helpdesk_domain::{Permission, TicketId, TimeEntryId};
use helpdesk_storage::repo::tickets::{self, TicketRef};
use helpdesk_storage::repo::time_entries::{self, NewTimeEntry};
use serde_json::json;

use super::time_entries::{EditTime, TimeEntryOut};
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;
use crate::time::rfc3339;

impl Service {
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
        let changes = json!({
                "time_entry_id": row.id,
                "minutes": [old.minutes, row.minutes],
                "billable": [old.billable, row.billable],
                "started_at": [rfc3339(old.started_at), rfc3339(row.started_at)],
        });
        let billable_at = row.billable.then_some(row.started_at);
        self.record_time_event(
            tx,
            actor,
            &t,
            "time_entry.updated",
            changes,
            billable_at,
            now,
        )
        .await?;
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
        let changes =
            json!({ "time_entry_id": old.id, "minutes": old.minutes, "billable": old.billable });
        self.record_time_event(tx, actor, &t, "time_entry.deleted", changes, None, now)
            .await
    }
}
