//! A satisfaction survey: one resolution of a ticket, asked of its requester.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "csat_surveys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub ticket_id: Uuid,
    pub requester_id: Uuid,
    /// The assignee, organization and priority when the ticket was resolved.
    pub assignee_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub priority: i64,
    pub resolved_at: i64,
    /// SHA-256 of the link's token.
    pub token_hash: String,
    pub expires_at: i64,
    /// `GOOD` or `BAD`; null until answered.
    pub rating: Option<String>,
    pub comment: Option<String>,
    pub rated_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
