//! The shape of one live event and who may see it.

use helpdesk_domain::TenantCtx;
use helpdesk_storage::repo::events::Event;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::time::rfc3339;

/// What a stream client receives, and what visibility is decided on.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LiveEvent {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub kind: String,
    pub workspace_id: Uuid,
    pub ticket_id: Uuid,
    pub ticket_number: i64,
    pub requester_id: Uuid,
    pub internal: bool,
    pub changes: serde_json::Value,
    pub created_at: String,
}

impl LiveEvent {
    pub fn new(e: &Event, ticket_number: i64, requester_id: Uuid) -> Self {
        Self {
            id: e.id,
            kind: e.kind.clone(),
            workspace_id: e.workspace_id,
            ticket_id: e.ticket_id,
            ticket_number,
            requester_id,
            internal: e.internal,
            changes: e.changes.clone(),
            created_at: rfc3339(e.created_at),
        }
    }
}

/// Customers see public events of their own tickets; staff see the whole workspace.
pub fn visible_to(ctx: &TenantCtx, e: &LiveEvent) -> bool {
    e.workspace_id == ctx.workspace_id.as_uuid()
        && (ctx.role.is_staff()
            || (!e.internal && ctx.user_id().map(|u| u.as_uuid()) == Some(e.requester_id)))
}
