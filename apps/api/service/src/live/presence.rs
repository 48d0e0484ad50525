//! Who has a ticket open, and who is typing a reply there: heartbeats that expire after
//! [`PRESENCE_TTL_SECS`], kept in Redis when the bus has it (every replica sees the same)
//! or in this process. Staff only; a ticket of another workspace is not found.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use helpdesk_domain::{Permission, UserId};
use helpdesk_storage::repo::tickets::{self, TicketRef};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::LiveEvent;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;
use crate::time::rfc3339;

/// A heartbeat counts this long; pages send one every 15 s.
pub const PRESENCE_TTL_SECS: i64 = 30;

/// The live event that tells a ticket's viewers to look again (never stored, never
/// replayed; the API's stream leaves it out).
pub const PRESENCE_EVENT: &str = "presence.changed";

/// Someone on a ticket's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Present {
    pub user_id: UserId,
    pub name: String,
    /// Writing in the composer in the last few seconds.
    pub typing: bool,
    /// Until when (stored micros) the heartbeat counts.
    pub until: i64,
}

type Board = HashMap<String, HashMap<Uuid, Present>>;

/// Where heartbeats are kept.
#[derive(Clone)]
pub enum PresenceStore {
    Local(Arc<Mutex<Board>>),
    Redis(redis::aio::ConnectionManager, String),
}

impl std::fmt::Debug for PresenceStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PresenceStore::Local(_) => "PresenceStore::Local",
            PresenceStore::Redis(..) => "PresenceStore::Redis",
        })
    }
}

fn internal(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(format!("presence: {e}").into())
}

impl PresenceStore {
    pub fn new(redis: Option<(redis::aio::ConnectionManager, String)>) -> Self {
        match redis {
            Some((conn, prefix)) => PresenceStore::Redis(conn, prefix),
            None => PresenceStore::Local(Arc::default()),
        }
    }

    /// Everyone whose heartbeat on `key` still counts at `now`.
    async fn all(&self, key: &str, now: i64) -> ServiceResult<Vec<Present>> {
        let mut out: Vec<Present> = match self {
            PresenceStore::Local(board) => {
                let mut board = board.lock().map_err(internal)?;
                let here = board.entry(key.to_owned()).or_default();
                here.retain(|_, p| p.until > now);
                here.values().cloned().collect()
            }
            PresenceStore::Redis(conn, prefix) => {
                let mut conn = conn.clone();
                let raw: HashMap<String, String> = redis::cmd("HGETALL")
                    .arg(format!("{prefix}:presence:{key}"))
                    .query_async(&mut conn)
                    .await
                    .map_err(internal)?;
                raw.values()
                    .filter_map(|v| serde_json::from_str::<Present>(v).ok())
                    .filter(|p| p.until > now)
                    .collect()
            }
        };
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    async fn put(&self, key: &str, p: &Present) -> ServiceResult<()> {
        match self {
            PresenceStore::Local(board) => {
                let mut board = board.lock().map_err(internal)?;
                board
                    .entry(key.to_owned())
                    .or_default()
                    .insert(p.user_id.as_uuid(), p.clone());
            }
            PresenceStore::Redis(conn, prefix) => {
                let mut conn = conn.clone();
                let k = format!("{prefix}:presence:{key}");
                let v = serde_json::to_string(p).map_err(internal)?;
                // The hash outlives its last heartbeat by one TTL, then goes.
                redis::pipe()
                    .cmd("HSET")
                    .arg(&k)
                    .arg(p.user_id.to_string())
                    .arg(v)
                    .ignore()
                    .cmd("EXPIRE")
                    .arg(&k)
                    .arg(PRESENCE_TTL_SECS * 2)
                    .ignore()
                    .query_async::<()>(&mut conn)
                    .await
                    .map_err(internal)?;
            }
        }
        Ok(())
    }

    async fn remove(&self, key: &str, user: UserId) -> ServiceResult<()> {
        match self {
            PresenceStore::Local(board) => {
                let mut board = board.lock().map_err(internal)?;
                if let Some(here) = board.get_mut(key) {
                    here.remove(&user.as_uuid());
                    if here.is_empty() {
                        board.remove(key);
                    }
                }
            }
            PresenceStore::Redis(conn, prefix) => {
                let mut conn = conn.clone();
                redis::cmd("HDEL")
                    .arg(format!("{prefix}:presence:{key}"))
                    .arg(user.to_string())
                    .query_async::<()>(&mut conn)
                    .await
                    .map_err(internal)?;
            }
        }
        Ok(())
    }
}

impl Service {
    /// Records that `actor` has ticket `r` open (and whether they are typing), and answers
    /// who else has; when this changes what others see, they are told through the bus.
    pub async fn touch_presence(
        &self,
        actor: &Actor,
        r: TicketRef,
        typing: bool,
    ) -> ServiceResult<Vec<Present>> {
        require(actor, Permission::WorkTickets)?;
        let me = actor.ctx.user_id().ok_or(ServiceError::Forbidden)?;
        let db = self.store.read();
        let t = tickets::get(db, &actor.ctx, r).await?;
        let user = helpdesk_storage::repo::users::get(db, &actor.ctx, me).await?;
        let key = format!("{}:{}", t.workspace_id, t.id);
        let now = self.now();
        let all = self.presence.all(&key, now).await?;
        let before = all.iter().find(|p| p.user_id == me).map(|p| p.typing);
        let mine = Present {
            user_id: me,
            name: user.name,
            typing,
            until: now + PRESENCE_TTL_SECS * 1_000_000,
        };
        self.presence.put(&key, &mine).await?;
        if before != Some(typing) {
            self.announce_presence(&t).await;
        }
        Ok(all.into_iter().filter(|p| p.user_id != me).collect())
    }

    /// `actor` left ticket `r`'s page.
    pub async fn leave_presence(&self, actor: &Actor, r: TicketRef) -> ServiceResult<()> {
        require(actor, Permission::WorkTickets)?;
        let me = actor.ctx.user_id().ok_or(ServiceError::Forbidden)?;
        let t = tickets::get(self.store.read(), &actor.ctx, r).await?;
        let key = format!("{}:{}", t.workspace_id, t.id);
        self.presence.remove(&key, me).await?;
        self.announce_presence(&t).await;
        Ok(())
    }

    async fn announce_presence(&self, t: &tickets::Ticket) {
        let e = LiveEvent {
            id: Uuid::now_v7(),
            kind: PRESENCE_EVENT.to_owned(),
            workspace_id: t.workspace_id,
            ticket_id: t.id,
            ticket_number: t.number,
            requester_id: t.requester_id,
            // Staff only.
            internal: true,
            changes: serde_json::json!({}),
            created_at: rfc3339(self.now()),
        };
        self.live.announce(e).await;
    }
}
