//! A monitoring alert key and the ticket it currently feeds.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alerts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub source: String,
    pub dedup_key: String,
    pub ticket_id: Option<Uuid>,
    /// `FIRING` or `RESOLVED`: the last state reported.
    pub state: String,
    pub severity: String,
    /// Reports received for the current ticket.
    pub occurrences: i64,
    pub last_seen_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
