//! Fetching mail over IMAP, as use cases: which mailboxes there are to fetch, the lease
//! that gives each one fetcher across replicas, storing a fetched message together with
//! the fetcher's new position (so a UID is imported once, whatever crashes), the error
//! state admins are told about once, and `check`.

mod account;
mod failure;
mod probe;

use std::time::Duration;

use helpdesk_domain::{Permission, TenantCtx, WorkspaceId};
use helpdesk_storage::repo::inbound::{self, Received, Source};
use helpdesk_storage::repo::{mail_fetch, mailboxes};
use uuid::Uuid;

pub use account::{FetchAccount, ImapAuth};
pub use probe::{CheckReport, MailboxProbe};

use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::inbound::parse::dedup_key;
use crate::inbound::receive::MAX_RAW_BYTES;
use crate::permissions::require;

/// A fetched message, as the fetcher found it on the server.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub uidvalidity: u32,
    pub uid: u32,
    /// The whole message; only its header when it is larger than the intake takes.
    pub raw: Vec<u8>,
    /// The server's size of a message too large to import (`raw` is then its header).
    pub too_large: Option<u64>,
}

impl Service {
    /// Now, and when a lease taken now for `ttl` runs out.
    fn lease_window(&self, ttl: Duration) -> (i64, i64) {
        let now = self.now();
        let ttl = i64::try_from(ttl.as_micros()).unwrap_or(i64::MAX);
        (now, now.saturating_add(ttl))
    }

    /// Every active mailbox with an IMAP account: `(id, version)`.
    pub async fn fetchable_mailboxes(&self) -> ServiceResult<Vec<(Uuid, i64)>> {
        let rows = mail_fetch::fetchable(self.store.read()).await?;
        Ok(rows.into_iter().map(|m| (m.id, m.updated_at)).collect())
    }

    /// Takes or renews the lease of mailbox `id` for `owner` for `ttl`; `None` when
    /// another process holds it, or the mailbox is gone, inactive, or has no account.
    pub async fn lease_mailbox(
        &self,
        id: Uuid,
        owner: &str,
        ttl: Duration,
    ) -> ServiceResult<Option<FetchAccount>> {
        let (now, until) = self.lease_window(ttl);
        let row = mail_fetch::lease(self.store.write(), id, owner, now, until).await?;
        match row {
            Some(row) => FetchAccount::from_row(&self.settings.secret_key, &row),
            None => Ok(None),
        }
    }

    /// Renews the lease a running fetcher holds, without opening the secret again:
    /// the mailbox's version (a change means the fetcher must start over), or `None` when
    /// the lease is lost.
    pub async fn renew_mailbox_lease(
        &self,
        id: Uuid,
        owner: &str,
        ttl: Duration,
    ) -> ServiceResult<Option<i64>> {
        let (now, until) = self.lease_window(ttl);
        let row = mail_fetch::lease(self.store.write(), id, owner, now, until).await?;
        Ok(row.map(|m| m.updated_at))
    }

    /// Gives the lease of mailbox `id` up.
    pub async fn release_mailbox(&self, id: Uuid, owner: &str) -> ServiceResult<()> {
        Ok(mail_fetch::release(self.store.write(), id, owner).await?)
    }

    /// Stores a fetched message and moves the mailbox's position past it, in one
    /// transaction, while `owner` holds the lease. `Ok(false)`: the lease was lost and
    /// nothing was stored; the fetcher must stop without acknowledging the message.
    pub async fn store_fetched(
        &self,
        account: &FetchAccount,
        owner: &str,
        msg: Fetched,
    ) -> ServiceResult<bool> {
        let now = self.now();
        let ctx = TenantCtx::system(WorkspaceId::from_uuid(account.workspace_id));
        let failed = msg.too_large.map(|size| {
            format!("too_large: {size} bytes, more than {MAX_RAW_BYTES}; left on the server")
        });
        let received = Received {
            mailbox_id: Some(account.mailbox_id),
            channel: "IMAP",
            dedup_key: dedup_key(&msg.raw),
            raw: msg.raw,
            source: Source {
                imap: Some((i64::from(msg.uidvalidity), i64::from(msg.uid))),
                ..Source::default()
            },
            failed,
        };
        let tx = self.begin().await?;
        let (_, created) = inbound::receive(&tx, &ctx, received, now).await?;
        let held = mail_fetch::advance(
            &tx,
            account.mailbox_id,
            owner,
            i64::from(msg.uidvalidity),
            i64::from(msg.uid),
            i64::from(created),
            now,
        )
        .await?;
        if !held {
            return Ok(false);
        }
        tx.commit().await?;
        if created {
            self.live.wake_workers().await;
        }
        Ok(true)
    }

    /// Moves the mailbox's position without a message: the first fetch starts after what
    /// was already there, and a changed UIDVALIDITY is taken on. False: lease lost.
    pub async fn mailbox_synced(
        &self,
        account: &FetchAccount,
        owner: &str,
        uidvalidity: u32,
        last_uid: u32,
    ) -> ServiceResult<bool> {
        let now = self.now();
        Ok(mail_fetch::advance(
            self.store.write(),
            account.mailbox_id,
            owner,
            i64::from(uidvalidity),
            i64::from(last_uid),
            0,
            now,
        )
        .await?)
    }

    /// `POST /mailboxes/{id}/check`: connects, signs in and opens the folder now.
    pub async fn check_mailbox(&self, actor: &Actor, id: Uuid) -> ServiceResult<CheckReport> {
        require(actor, Permission::ManageEmail)?;
        let row = mailboxes::get(self.store.read(), &actor.ctx, id).await?;
        let Some(account) = FetchAccount::from_row(&self.settings.secret_key, &row)? else {
            return Err(ServiceError::invalid(
                "imap",
                "this mailbox has no IMAP account to check",
            ));
        };
        let Some(probe) = self.mail_probe.get() else {
            return Err(ServiceError::Unavailable);
        };
        Ok(probe.check(self, account).await)
    }
}
