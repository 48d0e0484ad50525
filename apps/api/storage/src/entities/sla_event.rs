//! Append-only SLA steps of tickets (`helpdesk_domain::sla::Step`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sla_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub ticket_id: Uuid,
    pub metric: String,
    pub kind: String,
    pub cycle: i64,
    pub at: i64,
    pub data: Json,
    /// For `fulfilled`: whether the cycle was met (it never breached); else null.
    pub met: Option<bool>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
