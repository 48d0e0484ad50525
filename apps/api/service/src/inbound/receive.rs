//! Receiving a raw message: stored with its processing job in one transaction, once.

use helpdesk_domain::{Permission, TenantCtx};
use helpdesk_storage::repo::inbound::{self, Received, Source};
use helpdesk_storage::repo::mailboxes;
use serde::Serialize;
use uuid::Uuid;

use super::parse::dedup_key;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;

/// The largest raw message accepted (attachments included), as the big providers allow.
pub const MAX_RAW_BYTES: usize = 25 * 1024 * 1024;

/// What a channel answers once the message is stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Receipt {
    pub id: Uuid,
    /// The same message had been received before; nothing new was stored.
    pub duplicate: bool,
}

impl Service {
    /// `POST /inbound/email`: stores `raw` for the caller's workspace, for `mailbox_id`
    /// when given (else the recipients choose the mailbox when the job runs).
    pub async fn receive_email(
        &self,
        actor: &Actor,
        raw: Vec<u8>,
        mailbox_id: Option<Uuid>,
    ) -> ServiceResult<Receipt> {
        require(actor, Permission::ManageEmail)?;
        if let Some(id) = mailbox_id
            && mailboxes::get(self.store.read(), &actor.ctx, id)
                .await
                .is_err()
        {
            return Err(ServiceError::invalid(
                "mailbox_id",
                "is not a mailbox of this workspace",
            ));
        }
        if raw.iter().all(u8::is_ascii_whitespace) {
            return Err(ServiceError::invalid(
                "body",
                "must be a raw RFC 5322 message",
            ));
        }
        if raw.len() > MAX_RAW_BYTES {
            return Err(ServiceError::invalid(
                "body",
                format!("must be at most {MAX_RAW_BYTES} bytes"),
            ));
        }
        let now = self.now();
        let msg = Received {
            mailbox_id,
            channel: "HTTP",
            dedup_key: dedup_key(&raw),
            raw,
            source: Source::default(),
            failed: None,
        };
        self.store_received(&actor.ctx, msg, now).await
    }

    /// Stores `msg` with its job in one transaction (once), then wakes a worker.
    pub(crate) async fn store_received(
        &self,
        ctx: &TenantCtx,
        msg: Received,
        now: i64,
    ) -> ServiceResult<Receipt> {
        let tx = self.begin().await?;
        let (id, created) = inbound::receive(&tx, ctx, msg, now).await?;
        tx.commit().await?;
        if created {
            self.live.wake_workers().await;
        }
        Ok(Receipt {
            id,
            duplicate: !created,
        })
    }
}
