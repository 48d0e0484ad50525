//! What a client that reconnects missed: the events after the last one it saw, from the
//! database, filtered by what it may see.
//!
//! A burst of reconnects must not take the pool from everyone else: each replay is two
//! bounded queries, and only a few replays run at once (the rest wait their turn).

use std::time::Duration;

use helpdesk_storage::repo::events;
use uuid::Uuid;

use super::{LiveEvent, visible_to};
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};

/// A reconnect replays at most this many events; older ones are read from the timeline.
const BACKLOG_LIMIT: u64 = 1000;

/// Replays running at once, per process; each holds a pool connection only while it reads.
pub(crate) const REPLAYS_AT_ONCE: usize = 4;

/// How long a replay waits for its turn before the client is told to retry.
const REPLAY_WAIT: Duration = Duration::from_secs(10);

impl Service {
    /// The events after `last` that `actor` may see, oldest first.
    pub async fn missed_events(&self, actor: &Actor, last: Uuid) -> ServiceResult<Vec<LiveEvent>> {
        let ctx = &actor.ctx;
        let _turn = tokio::time::timeout(REPLAY_WAIT, self.replays.acquire())
            .await
            .map_err(|_| ServiceError::Unavailable)?
            .map_err(|_| ServiceError::Unavailable)?;
        let customer = (!ctx.role.is_staff()).then(|| ctx.user_id().map(|u| u.as_uuid()));
        let customer = match customer {
            // A customer credential without a user sees nothing.
            Some(None) => return Ok(Vec::new()),
            Some(Some(u)) => Some(u),
            None => None,
        };
        let rows = events::replay(self.store.read(), ctx, last, customer, BACKLOG_LIMIT).await?;
        Ok(rows
            .iter()
            .map(|(e, number, requester)| LiveEvent::new(e, *number, *requester))
            .filter(|live| visible_to(ctx, live))
            .collect())
    }
}
