//! What the SMTP/LMTP listener asks: whose address a recipient is, and storing a message
//! for that mailbox (the listener answers `250` only after this returns).

use helpdesk_domain::{TenantCtx, WorkspaceId};
use helpdesk_storage::repo::inbound::{Received, Source};
use helpdesk_storage::repo::mail_fetch;
use uuid::Uuid;

use super::parse::dedup_key;
use super::receive::{MAX_RAW_BYTES, Receipt};
use crate::Service;
use crate::error::{ServiceError, ServiceResult};

/// The mailbox a recipient address reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipient {
    pub mailbox_id: Uuid,
    pub workspace_id: Uuid,
}

impl Service {
    /// The active mailbox `address` (or the address it plus-addresses) belongs to, in any
    /// workspace; `None`: the listener refuses the recipient (`550`).
    pub async fn inbound_recipient(&self, address: &str) -> ServiceResult<Option<Recipient>> {
        let found = mail_fetch::by_address(self.store.read(), address.trim()).await?;
        Ok(found.filter(|m| m.active).map(|m| Recipient {
            mailbox_id: m.id,
            workspace_id: m.workspace_id,
        }))
    }

    /// Stores `raw`, received over SMTP/LMTP from `envelope_from` for `rcpt`, in `to`'s
    /// workspace with its processing job, once.
    pub async fn receive_smtp(
        &self,
        to: Recipient,
        envelope_from: &str,
        rcpt: &str,
        raw: Vec<u8>,
    ) -> ServiceResult<Receipt> {
        if raw.len() > MAX_RAW_BYTES {
            return Err(ServiceError::invalid(
                "body",
                format!("must be at most {MAX_RAW_BYTES} bytes"),
            ));
        }
        let now = self.now();
        let ctx = TenantCtx::system(WorkspaceId::from_uuid(to.workspace_id));
        let msg = Received {
            mailbox_id: Some(to.mailbox_id),
            channel: "SMTP",
            dedup_key: dedup_key(&raw),
            raw,
            source: Source {
                imap: None,
                envelope_from: Some(envelope_from.chars().take(320).collect()),
                envelope_to: Some(rcpt.chars().take(320).collect()),
            },
            failed: None,
        };
        self.store_received(&ctx, msg, now).await
    }
}
