//! The event bus. Without Redis, `publish` feeds the local broadcast. With Redis it
//! PUBLISHes instead and every replica (this one included) feeds its broadcast from its
//! subscription, so each event reaches each replica once. Pub/sub loses messages while a
//! connection is down; clients catch up from the database with `Last-Event-ID`.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;

use super::LiveEvent;
use crate::auth_cache::{AuthCache, Eviction};

#[derive(Debug, Clone)]
pub struct EventBus {
    local: broadcast::Sender<Arc<LiveEvent>>,
    /// Wakes this process's worker; other processes' workers through `<prefix>:jobs`.
    wake: Arc<tokio::sync::Notify>,
    /// The connection and the channel prefix (`<prefix>:events`, `<prefix>:auth`).
    redis: Option<(redis::aio::ConnectionManager, String)>,
    /// Without Redis on PostgreSQL: other processes' workers through `NOTIFY`.
    notify: Option<PgWake>,
}

/// `NOTIFY` for workers in other processes, coalesced: at most one on its way, at most one
/// every [`NOTIFY_SPACING`], and one more after it when a wake-up came meanwhile. A job
/// committed before its wake-up is always covered by a `NOTIFY` sent after it.
#[derive(Debug, Clone)]
struct PgWake {
    store: helpdesk_storage::Store,
    /// A `NOTIFY` is on its way (or about to be).
    sending: Arc<std::sync::atomic::AtomicBool>,
    /// A wake-up came since the last `NOTIFY` started.
    again: Arc<std::sync::atomic::AtomicBool>,
}

/// A worker busy with a backlog claims again without being told; wake-ups matter when it
/// idles, and a few milliseconds' delay there costs nothing.
const NOTIFY_SPACING: Duration = Duration::from_millis(10);

impl PgWake {
    fn wake(&self) {
        use std::sync::atomic::Ordering::SeqCst;
        self.again.store(true, SeqCst);
        if self.sending.swap(true, SeqCst) {
            return;
        }
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                me.again.store(false, SeqCst);
                if let Err(e) = me.store.notify_workers().await {
                    tracing::debug!(error = %e, "job wake-up not sent");
                }
                tokio::time::sleep(NOTIFY_SPACING).await;
                if me.again.load(SeqCst) {
                    continue;
                }
                me.sending.store(false, SeqCst);
                // A wake-up between the check and the reset found `sending` still set.
                if !me.again.load(SeqCst) || me.sending.swap(true, SeqCst) {
                    return;
                }
            }
        });
    }
}

fn events_channel(prefix: &str) -> String {
    format!("{prefix}:events")
}

fn auth_channel(prefix: &str) -> String {
    format!("{prefix}:auth")
}

fn jobs_channel(prefix: &str) -> String {
    format!("{prefix}:jobs")
}

impl EventBus {
    /// In-process only.
    pub fn local(wake: Arc<tokio::sync::Notify>) -> Self {
        let (local, _) = broadcast::channel(1024);
        Self {
            local,
            wake,
            redis: None,
            notify: None,
        }
    }

    /// Also wakes workers in other processes through PostgreSQL (a no-op on SQLite).
    pub fn with_pg_wakeups(mut self, store: helpdesk_storage::Store) -> Self {
        if store.backend() == helpdesk_storage::Backend::Postgres {
            self.notify = Some(PgWake {
                store,
                sending: Arc::default(),
                again: Arc::default(),
            });
        }
        self
    }

    /// Fanned out through Redis on channels under `prefix`; call
    /// [`EventBus::run_subscriber`] too.
    pub fn with_redis(
        conn: redis::aio::ConnectionManager,
        prefix: String,
        wake: Arc<tokio::sync::Notify>,
    ) -> Self {
        let (local, _) = broadcast::channel(1024);
        Self {
            local,
            wake,
            redis: Some((conn, prefix)),
            notify: None,
        }
    }

    /// The Redis connection and key prefix, when the bus goes through Redis (the rate
    /// limits share them).
    pub fn redis_handle(&self) -> Option<(redis::aio::ConnectionManager, String)> {
        self.redis.clone()
    }

    /// Tells workers that jobs were committed: this process's at once, others through
    /// Redis, or PostgreSQL without it. A lost wake-up only costs a poll interval.
    pub async fn wake_workers(&self) {
        self.wake.notify_one();
        if let Some(pg) = &self.notify {
            pg.wake();
        }
        if let Some((_, prefix)) = &self.redis
            && let Some(Err(e)) = self
                .redis_publish(jobs_channel(prefix), String::new())
                .await
        {
            tracing::debug!(error = %e, "job wake-up not published");
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.local.subscribe()
    }

    async fn redis_publish(
        &self,
        channel: String,
        payload: String,
    ) -> Option<redis::RedisResult<i64>> {
        let (conn, _) = self.redis.as_ref()?;
        let mut conn = conn.clone();
        Some(
            redis::cmd("PUBLISH")
                .arg(channel)
                .arg(payload)
                .query_async(&mut conn)
                .await,
        )
    }

    /// Delivers events after their transaction committed, and wakes the workers that
    /// dispatch them. Never fails the request.
    pub async fn publish(&self, events: Vec<LiveEvent>) {
        if !events.is_empty() {
            self.wake_workers().await;
        }
        for e in events {
            self.announce(e).await;
        }
    }

    /// Delivers one event to every replica's subscribers, waking no worker (presence).
    pub async fn announce(&self, e: LiveEvent) {
        if let Some((_, prefix)) = &self.redis {
            let payload = serde_json::to_string(&e).unwrap_or_default();
            match self.redis_publish(events_channel(prefix), payload).await {
                Some(Ok(_)) => return,
                Some(Err(err)) => {
                    tracing::warn!(error = %err, "live events: redis publish failed; delivering locally");
                }
                None => {}
            }
        }
        let _ = self.local.send(Arc::new(e));
    }

    /// Tells every replica's auth cache to forget something (this one included).
    pub async fn publish_eviction(&self, cache: &AuthCache, what: Eviction) {
        cache.evict(what);
        if let Some((_, prefix)) = &self.redis {
            let payload = serde_json::to_string(&what).unwrap_or_default();
            if let Some(Err(e)) = self.redis_publish(auth_channel(prefix), payload).await {
                tracing::warn!(error = %e, "auth eviction not published; other replicas rely on the cache ttl");
            }
        }
    }

    /// Feeds the local broadcast and the auth cache's evictions from Redis, reconnecting
    /// until `stop` resolves.
    pub async fn run_subscriber(
        self,
        client: redis::Client,
        cache: Arc<AuthCache>,
        stop: impl std::future::Future<Output = ()>,
    ) {
        let Some((_, prefix)) = self.redis.clone() else {
            return;
        };
        tokio::pin!(stop);
        loop {
            tokio::select! {
                () = &mut stop => return,
                res = self.subscribe_once(&client, &prefix, &cache) => {
                    if let Err(e) = res {
                        tracing::warn!(error = %e, "live events: redis subscription lost; reconnecting");
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    async fn subscribe_once(
        &self,
        client: &redis::Client,
        prefix: &str,
        cache: &AuthCache,
    ) -> redis::RedisResult<()> {
        use futures::StreamExt;
        let mut pubsub = client.get_async_pubsub().await?;
        let auth = auth_channel(prefix);
        let jobs = jobs_channel(prefix);
        pubsub
            .subscribe(&[events_channel(prefix), auth.clone(), jobs.clone()])
            .await?;
        // Evictions published while this replica was not listening are lost: start afresh.
        cache.evict(Eviction::All);
        let mut messages = pubsub.on_message();
        while let Some(msg) = messages.next().await {
            let payload: String = msg.get_payload()?;
            if msg.get_channel_name() == jobs {
                self.wake.notify_one();
                continue;
            }
            if msg.get_channel_name() == auth {
                match serde_json::from_str::<Eviction>(&payload) {
                    Ok(what) => cache.evict(what),
                    Err(e) => tracing::warn!(error = %e, "auth eviction: undecodable message"),
                }
                continue;
            }
            match serde_json::from_str::<LiveEvent>(&payload) {
                Ok(e) => {
                    let _ = self.local.send(Arc::new(e));
                }
                Err(e) => tracing::warn!(error = %e, "live events: undecodable message"),
            }
        }
        Ok(())
    }
}
