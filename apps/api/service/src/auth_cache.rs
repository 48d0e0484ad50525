//! What a request's credentials resolve to, kept in memory so that most requests cost no
//! database round trip for authentication.
//!
//! An entry is the session's user and workspace as last read. Changes that affect them
//! (deactivation, role or profile change, logout, password reset, revoked sessions) evict
//! entries here and, through Redis, on every other replica. Should an eviction message be
//! lost (Redis down), an entry still expires after `ttl`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use helpdesk_storage::repo::users::User;
use helpdesk_storage::repo::workspaces::Workspace;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A resolved session: the user and workspace rows it belongs to.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub user: Arc<User>,
    pub workspace: Arc<Workspace>,
}

#[derive(Debug)]
struct Entry {
    value: Resolved,
    loaded: Instant,
}

/// What to forget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "evict", content = "id", rename_all = "snake_case")]
pub enum Eviction {
    Session(Uuid),
    User(Uuid),
    /// Everything, e.g. when an organization disappears from many users.
    All,
}

#[derive(Debug)]
pub struct AuthCache {
    by_session: RwLock<HashMap<Uuid, Entry>>,
    ttl: Duration,
    capacity: usize,
}

impl AuthCache {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            by_session: RwLock::new(HashMap::new()),
            ttl,
            capacity,
        }
    }

    pub fn get(&self, session: Uuid) -> Option<Resolved> {
        let map = self.by_session.read().ok()?;
        let e = map.get(&session)?;
        (e.loaded.elapsed() < self.ttl).then(|| e.value.clone())
    }

    pub fn put(&self, session: Uuid, value: Resolved) {
        if let Ok(mut map) = self.by_session.write() {
            if map.len() >= self.capacity {
                let ttl = self.ttl;
                map.retain(|_, e| e.loaded.elapsed() < ttl);
                if map.len() >= self.capacity {
                    map.clear();
                }
            }
            map.insert(
                session,
                Entry {
                    value,
                    loaded: Instant::now(),
                },
            );
        }
    }

    pub fn evict(&self, what: Eviction) {
        if let Ok(mut map) = self.by_session.write() {
            match what {
                Eviction::Session(s) => {
                    map.remove(&s);
                }
                Eviction::User(u) => map.retain(|_, e| e.value.user.id != u),
                Eviction::All => map.clear(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(user: Uuid) -> Resolved {
        let now = 0;
        Resolved {
            user: Arc::new(User {
                id: user,
                workspace_id: Uuid::nil(),
                email: "a@b.co".into(),
                name: "A".into(),
                role: "AGENT".into(),
                organization_id: None,
                password_hash: None,
                active: true,
                deactivated_at: None,
                preferences: serde_json::json!({}),
                created_at: now,
                updated_at: now,
            }),
            workspace: Arc::new(Workspace {
                id: Uuid::nil(),
                name: "W".into(),
                slug: "w".into(),
                settings: serde_json::json!({}),
                email_verified_at: None,
                config_version: 0,
                created_at: now,
                updated_at: now,
            }),
        }
    }

    #[test]
    fn evicts_by_session_user_and_age() {
        let cache = AuthCache::new(Duration::from_secs(60), 10);
        let (s1, s2, u) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        cache.put(s1, resolved(u));
        cache.put(s2, resolved(u));
        assert!(cache.get(s1).is_some());
        cache.evict(Eviction::Session(s1));
        assert!(cache.get(s1).is_none() && cache.get(s2).is_some());
        cache.evict(Eviction::User(u));
        assert!(cache.get(s2).is_none());
        let stale = AuthCache::new(Duration::ZERO, 10);
        stale.put(s1, resolved(u));
        assert!(stale.get(s1).is_none());
    }
}
