//! A received email, kept raw, and what became of it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inbound_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub mailbox_id: Option<Uuid>,
    /// `HTTP`, `SMTP` or `IMAP`.
    pub channel: String,
    /// SHA-256 of the Message-ID and the body: one row per message per workspace.
    pub dedup_key: String,
    pub message_id: Option<String>,
    pub from_address: Option<String>,
    /// The `To` and `Cc` addresses, comma-separated.
    pub recipients: Option<String>,
    pub subject: Option<String>,
    pub raw: Vec<u8>,
    pub size: i64,
    /// An `InboundState`.
    pub state: String,
    pub reason: Option<String>,
    pub ticket_id: Option<Uuid>,
    pub ticket_message_id: Option<Uuid>,
    pub received_at: i64,
    pub processed_at: Option<i64>,
    /// IMAP: the folder's UIDVALIDITY and the message's UID when it was fetched.
    pub imap_uidvalidity: Option<i64>,
    pub imap_uid: Option<i64>,
    /// SMTP/LMTP: the envelope sender and the recipient it was accepted for.
    pub envelope_from: Option<String>,
    pub envelope_to: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
