//! A tenant: one support team and everything it owns.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workspaces")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub settings: Json,
    /// When the first admin confirmed their email; until then the workspace mails only
    /// its own users.
    pub email_verified_at: Option<i64>,
    /// Bumped by triggers whenever the workspace's rules or webhooks change as an event
    /// dispatch sees them (m0017); the dispatcher's cache key.
    pub config_version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
