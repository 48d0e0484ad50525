//! SLA policies: targets per priority, the calendar they count in, pause statuses.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sla_policies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub name: String,
    /// None: 24×7.
    pub business_hours_id: Option<Uuid>,
    /// At most one per workspace.
    pub is_default: bool,
    /// `{"URGENT": {"first_response_minutes": 30, …}, …}` as the API shows it.
    pub targets: Json,
    /// `{"first_response": [], "next_response": [], "resolution": ["PENDING", "ON_HOLD"]}`.
    pub pause_on: Json,
    pub warn_at_percent: i32,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
