//! The sanitised HTML and quoted-history offset of a mail that became a ticket's
//! description or a message (`id` is that ticket's or message's id).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_bodies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    /// Sanitised; `cid:` images point at the message's attachments.
    pub html: Option<String>,
    /// Byte offset in the text where the quoted history starts.
    pub quoted_from: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
