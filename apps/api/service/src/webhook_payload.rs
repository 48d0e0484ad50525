//! The body of a webhook delivery: the event and the ticket as it is now, in the same
//! shape the API shows it.

use helpdesk_domain::{TenantCtx, TicketId, WorkspaceId};
use helpdesk_storage::repo::events::Event;
use helpdesk_storage::repo::tickets::{self, TicketRef};
use sea_orm::ConnectionTrait;

use crate::error::{ServiceError, ServiceResult};
use crate::tickets::{SlaClock, TicketOut};
use crate::time::rfc3339;

/// `{id, type, created_at, workspace_id, changes, ticket}` as JSON bytes, read at `now`.
pub async fn payload(db: &impl ConnectionTrait, e: &Event, now: i64) -> ServiceResult<Vec<u8>> {
    let ctx = TenantCtx::system(WorkspaceId::from_uuid(e.workspace_id));
    let t = tickets::get(db, &ctx, TicketRef::Id(TicketId::from_uuid(e.ticket_id))).await?;
    let clock = SlaClock::load(db, &ctx, &[&t], now).await?;
    serde_json::to_vec(&serde_json::json!({
        "id": e.id,
        "type": e.kind,
        "created_at": rfc3339(e.created_at),
        "workspace_id": e.workspace_id,
        "changes": e.changes,
        "ticket": TicketOut::from_row(t, &clock)?,
    }))
    .map_err(ServiceError::internal)
}
