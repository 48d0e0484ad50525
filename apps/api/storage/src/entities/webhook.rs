//! Webhook subscriptions of a workspace.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub url: String,
    /// Event types, e.g. `["ticket.created", "message.created"]`; `["*"]` for all.
    pub events: Json,
    /// The shared signing secret (needed in clear to sign; never returned after creation).
    pub secret: String,
    pub active: bool,
    pub consecutive_failures: i32,
    pub disabled_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
