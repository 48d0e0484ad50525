//! The mailbox a message came to, and what it says about mail like it: the priority of
//! the tickets it opens and what becomes of mail from unknown senders. The mailbox is the
//! one the channel named, or else the first of the workspace's mailboxes that a recipient
//! (plus-addressed variants included) reaches; without one, the workspace's defaults.

use helpdesk_domain::mailbox::{UnknownSenders, receives};
use helpdesk_domain::{Priority, TenantCtx};
use helpdesk_storage::repo::inbound::InboundMessage;
use helpdesk_storage::repo::mailboxes;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::parse::ParsedMail;
use crate::error::{ServiceError, ServiceResult};

#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub mailbox_id: Option<Uuid>,
    pub priority: Priority,
    pub unknown_senders: UnknownSenders,
}

pub async fn policy(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    row: &InboundMessage,
    mail: &ParsedMail,
) -> ServiceResult<Policy> {
    let named = match row.mailbox_id {
        Some(id) => match mailboxes::get(db, ctx, id)
            .await
            .map_err(ServiceError::from)
        {
            Ok(m) => Some(m),
            // Deleted since: the recipients decide, as for mail that named none.
            Err(ServiceError::NotFound) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let mailbox = match named {
        Some(m) => Some(m),
        None => mailboxes::list(db, ctx)
            .await?
            .into_iter()
            .find(|m| mail.recipients.iter().any(|r| receives(&m.address, r))),
    };
    Ok(match mailbox {
        Some(m) => Policy {
            mailbox_id: Some(m.id),
            priority: m.default_priority.parse().unwrap_or_default(),
            unknown_senders: UnknownSenders::parse(&m.unknown_senders).unwrap_or_default(),
        },
        None => Policy::default(),
    })
}
