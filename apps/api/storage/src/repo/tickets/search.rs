//! Rebuilding the message part of tickets' search vectors from their messages, for rows
//! written by the bulk path (PostgreSQL; SQLite's triggers need no help).

use helpdesk_domain::WorkspaceId;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::error::StoreResult;

/// Recomputes `messages_public` / `messages_notes` of tickets `numbers` of a workspace.
pub async fn rebuild_message_search(
    db: &impl ConnectionTrait,
    workspace: WorkspaceId,
    numbers: std::ops::RangeInclusive<i64>,
) -> StoreResult<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let sql = "UPDATE tickets t SET \
        messages_public = coalesce((SELECT strip(to_tsvector('simple', string_agg(m.body, ' '))) \
            FROM ticket_messages m WHERE m.ticket_id = t.id AND NOT m.internal), ''::tsvector), \
        messages_notes = coalesce((SELECT strip(to_tsvector('simple', string_agg(m.body, ' '))) \
            FROM ticket_messages m WHERE m.ticket_id = t.id AND m.internal), ''::tsvector) \
        WHERE t.workspace_id = $1 AND t.number BETWEEN $2 AND $3";
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        [
            Value::from(workspace.as_uuid()),
            Value::from(*numbers.start()),
            Value::from(*numbers.end()),
        ],
    ))
    .await?;
    Ok(())
}
