//! Tickets. `priority` is the rank of [`helpdesk_domain::Priority`], `tags` a JSON array mirrored in `ticket_tags` for filtering.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tickets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub number: i64,
    pub subject: String,
    pub description: String,
    pub status: String,
    pub priority: i16,
    pub requester_id: Uuid,
    pub assignee_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub asset_id: Option<Uuid>,
    pub tags: Json,
    pub version: i64,
    pub status_changed_at: i64,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The SLA tracker's state (`helpdesk_domain::sla::SlaState`); null while no policy applies.
    pub sla_state: Option<Json>,
    /// The earliest running deadline, for `sort=due` and the `sla` filters.
    pub sla_due_at: Option<i64>,
    pub sla_warn_at: Option<i64>,
    /// When the sweep must next look at the ticket.
    pub sla_check_at: Option<i64>,
    pub sla_breached: bool,
    /// Business minutes (under the ticket's SLA calendar; 24×7 without one) from creation
    /// to the first public agent reply, and to the latest resolution.
    pub first_response_business_minutes: Option<i64>,
    pub resolution_business_minutes: Option<i64>,
    /// How the ticket came in: `web`, `api` or `alert`.
    pub channel: String,
    /// A ticket merged into another: that one (it is `CLOSED`).
    pub merged_into_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
