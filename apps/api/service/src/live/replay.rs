//! What a client that reconnects missed: the events after the last one it saw, from the
//! database, filtered by what it may see.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use helpdesk_domain::TicketId;
use helpdesk_storage::repo::events;
use helpdesk_storage::repo::tickets::{self, TicketRef};
use uuid::Uuid;

use super::{LiveEvent, visible_to};
use crate::Service;
use crate::actor::Actor;
use crate::error::ServiceResult;

/// A reconnect replays at most this many events; older ones are read from the timeline.
const BACKLOG_LIMIT: u64 = 1000;

impl Service {
    /// The events after `last` that `actor` may see, oldest first.
    pub async fn missed_events(&self, actor: &Actor, last: Uuid) -> ServiceResult<Vec<LiveEvent>> {
        let ctx = &actor.ctx;
        let db = self.store.read();
        let rows = events::since(db, ctx, last, BACKLOG_LIMIT).await?;
        let mut tickets_seen: HashMap<Uuid, Option<(i64, Uuid)>> = HashMap::new();
        let mut out = Vec::new();
        for e in rows {
            if let Entry::Vacant(slot) = tickets_seen.entry(e.ticket_id) {
                let r = TicketRef::Id(TicketId::from_uuid(e.ticket_id));
                let t = tickets::get(db, ctx, r).await.ok();
                slot.insert(t.map(|t| (t.number, t.requester_id)));
            }
            if let Some(Some((number, requester))) = tickets_seen.get(&e.ticket_id) {
                let live = LiveEvent::new(&e, *number, *requester);
                if visible_to(ctx, &live) {
                    out.push(live);
                }
            }
        }
        Ok(out)
    }
}
