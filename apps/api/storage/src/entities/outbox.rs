//! Messages waiting for the worker to send them (invitations, password resets …).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub sent_at: Option<i64>,
    /// The Message-ID this one answers, for threading (ticket notifications).
    pub in_reply_to: Option<String>,
    /// Why the message is held rather than sent (`unverified_workspace`, `hourly_cap`,
    /// `recipient_not_allowed`); held messages are never sent.
    pub held: Option<String>,
    /// `Reply-To`: a mailbox's address plus-addressed with the ticket's reference.
    pub reply_to: Option<String>,
    /// When a delivery report said it did not arrive.
    pub bounced_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
