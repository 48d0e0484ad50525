//! A contract with a client organization; dates are `YYYY-MM-DD` in the workspace's zone.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    /// `helpdesk_domain::contract::ContractKind`.
    pub kind: String,
    pub included_minutes: Option<i64>,
    /// `helpdesk_domain::contract::Period`.
    pub period: String,
    pub starts_on: String,
    /// Inclusive; null: open-ended.
    pub ends_on: Option<String>,
    /// Per hour, in minor units of `currency`.
    pub hourly_rate_minor: Option<i64>,
    pub currency: String,
    pub sla_policy_id: Option<Uuid>,
    pub alert_at_percent: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
