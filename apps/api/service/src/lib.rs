//! The application layer of Helpdesk: every use case, once. The JSON API, the web app, the
//! worker and email intake are adapters that parse their input, call one function here and
//! render what it returns. A use case takes an [`Actor`], decides permissions, validates,
//! runs in its own transaction, and publishes the events it wrote after the commit.

pub mod actor;
pub mod assets;
pub mod attachments;
pub mod auth;
pub mod auth_cache;
pub mod automations;
pub mod blob;
pub mod contracts;
pub mod csat;
pub mod dispatch;
pub mod dispatch_config;
pub mod error;
pub mod held_mail;
pub mod idempotency;
pub mod inbound;
pub mod job_kinds;
pub mod jobs_admin;
pub mod live;
pub mod mail;
pub mod mail_fetch;
pub mod mailboxes;
pub mod organizations;
pub mod paging;
pub mod people;
pub mod permissions;
pub mod ratelimit;
pub mod reports;
pub mod secret_box;
pub mod sla_setup;
pub mod sla_sweep;
pub mod tickets;
pub mod time;
pub mod users;
pub mod webhook_delivery;
pub mod webhook_payload;
pub mod webhook_redeliver;
pub mod webhooks;
pub mod workspace;

use std::sync::Arc;
use std::time::Duration;

use helpdesk_domain::PasswordPolicy;
use helpdesk_domain::time::{Clock, to_micros};
use helpdesk_storage::Store;
use helpdesk_storage::repo::events::Event;
use helpdesk_storage::repo::tickets::Ticket;

pub use actor::{Actor, Cause, Via};
pub use error::{FieldError, ServiceError, ServiceResult};
pub use idempotency::{IdemKey, Once, Replay};
pub use live::{EventBus, LiveEvent};

/// Settings the use cases need from the configuration.
#[derive(Debug, Clone)]
pub struct ServiceSettings {
    /// Base URL of links in emails and templates.
    pub public_url: String,
    /// How far the ticket export stays behind the clock, so late commits are not skipped.
    pub export_lag: std::time::Duration,
    /// Let webhooks target private and loopback addresses.
    pub webhook_allow_private: bool,
    /// Consecutive failed deliveries after which a webhook is disabled.
    pub webhook_failure_limit: i32,
    /// Length bounds of new passwords.
    pub password_policy: PasswordPolicy,
    /// How long a refresh token stays valid.
    pub refresh_ttl: Duration,
    /// How long an invitation link stays valid.
    pub invitation_ttl: Duration,
    /// How long a password-reset link stays valid.
    pub reset_ttl: Duration,
    /// How long a sign-in session lasts however often it is refreshed.
    pub session_max_age: Duration,
    /// Rate limits (per minute) of sign-in attempts and of message posting.
    pub limits: ratelimit::Limits,
    /// Emails one workspace may queue per hour; the excess is held.
    pub mail_per_hour: u32,
    /// Signs the ticket references our mail carries, so replies find their ticket.
    pub thread_key: helpdesk_domain::inbound::ThreadKey,
    /// Messages one sender may send a workspace per hour before the rest is quarantined
    /// (0: no limit).
    pub inbound_per_sender_hour: u32,
    /// Encrypts stored credentials (mailbox passwords, OAuth2 secrets).
    pub secret_key: secret_box::SecretKey,
}

impl Default for ServiceSettings {
    fn default() -> Self {
        Self {
            public_url: "http://localhost:18000".into(),
            export_lag: std::time::Duration::from_secs(2),
            webhook_allow_private: false,
            webhook_failure_limit: 10,
            password_policy: PasswordPolicy::default(),
            refresh_ttl: Duration::from_secs(30 * 24 * 3600),
            invitation_ttl: Duration::from_secs(7 * 24 * 3600),
            reset_ttl: Duration::from_secs(3600),
            session_max_age: Duration::from_secs(30 * 24 * 3600),
            limits: ratelimit::Limits::default(),
            mail_per_hour: 200,
            // Tests and tools get a key of their own; `serve` derives one from its secret.
            thread_key: helpdesk_domain::inbound::ThreadKey::from_bytes(rand::random()),
            inbound_per_sender_hour: 30,
            secret_key: secret_box::SecretKey::from_bytes(rand::random()),
        }
    }
}

/// The handle every adapter holds: the store, the clock, the live-event bus, the password
/// hasher, settings.
#[derive(Debug, Clone)]
pub struct Service(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub live: EventBus,
    /// What requests' credentials resolved to; changes to users and sessions evict here
    /// and, through the bus, on every replica.
    pub auth_cache: Arc<auth_cache::AuthCache>,
    /// Attachment bytes.
    pub blobs: Arc<dyn blob::BlobStore>,
    /// Argon2id on its own threads: sign-in, registration, invitations and resets.
    pub hasher: auth::password::PasswordHasher,
    /// Rate limits, shared by every replica through Redis when the bus has it.
    pub limiter: ratelimit::RateLimiter,
    /// Who has which ticket open (Redis when the bus has it).
    pub presence: live::presence::PresenceStore,
    /// Turns for live-stream replays, so reconnect bursts cannot drain the pool.
    pub replays: tokio::sync::Semaphore,
    pub settings: ServiceSettings,
    /// Each workspace's rule triggers and webhooks as dispatches see them, by version.
    pub dispatch_configs: dispatch_config::DispatchConfigs,
    /// Tries IMAP accounts for `check`; the email-intake adapter plugs it in at start-up.
    pub mail_probe: std::sync::OnceLock<Arc<dyn mail_fetch::MailboxProbe>>,
}

impl std::ops::Deref for Service {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl Service {
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        live: EventBus,
        auth_cache: Arc<auth_cache::AuthCache>,
        blobs: Arc<dyn blob::BlobStore>,
        hasher: auth::password::PasswordHasher,
        settings: ServiceSettings,
    ) -> Self {
        let redis = live
            .redis_handle()
            .map(|(conn, prefix)| ratelimit::RedisLimiter::new(conn, settings.limits, prefix));
        let limiter = ratelimit::RateLimiter::new(settings.limits, redis);
        let presence = live::presence::PresenceStore::new(live.redis_handle());
        Self(Arc::new(Inner {
            store,
            clock,
            live,
            auth_cache,
            blobs,
            hasher,
            limiter,
            presence,
            replays: tokio::sync::Semaphore::new(live::REPLAYS_AT_ONCE),
            settings,
            dispatch_configs: dispatch_config::DispatchConfigs::default(),
            mail_probe: std::sync::OnceLock::new(),
        }))
    }

    /// Forgets cached credentials here and on every replica.
    pub async fn evict(&self, what: auth_cache::Eviction) {
        self.live.publish_eviction(&self.auth_cache, what).await;
    }

    /// The current instant in stored form, from the injected clock.
    /// Plugs in what `check_mailbox` tries IMAP accounts with (once; later calls are
    /// ignored).
    pub fn set_mail_probe(&self, probe: Arc<dyn mail_fetch::MailboxProbe>) {
        let _ = self.mail_probe.set(probe);
    }

    pub fn now(&self) -> i64 {
        to_micros(self.clock.now())
    }

    /// Starts a use case's transaction.
    pub(crate) async fn begin(&self) -> ServiceResult<sea_orm::DatabaseTransaction> {
        Ok(self.store.begin().await?)
    }

    /// Hands committed events of `t` to live subscribers and wakes the workers that
    /// dispatch them. Call only after the transaction that wrote them committed.
    pub async fn publish(&self, t: &Ticket, events: &[Event]) {
        let live = events
            .iter()
            .map(|e| LiveEvent::new(e, t.number, t.requester_id))
            .collect();
        self.live.publish(live).await;
    }
}
