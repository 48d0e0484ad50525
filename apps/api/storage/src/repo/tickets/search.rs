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

/// Recomputes the message part of one ticket's search entry from its messages as they
/// are now (after a merge copied some in, or a split took one out), on either backend.
pub async fn rebuild_ticket_search(
    db: &impl ConnectionTrait,
    ticket: helpdesk_domain::TicketId,
) -> StoreResult<()> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE tickets t SET \
            messages_public = coalesce((SELECT strip(to_tsvector('simple', string_agg(m.body, ' '))) \
                FROM ticket_messages m WHERE m.ticket_id = t.id AND NOT m.internal), ''::tsvector), \
            messages_notes = coalesce((SELECT strip(to_tsvector('simple', string_agg(m.body, ' '))) \
                FROM ticket_messages m WHERE m.ticket_id = t.id AND m.internal), ''::tsvector) \
            WHERE t.id = $1"
        }
        _ => {
            "UPDATE tickets_fts SET \
            messages = coalesce((SELECT ' ' || group_concat(body, ' ') FROM \
                (SELECT body FROM ticket_messages WHERE ticket_id = ?1 AND NOT internal ORDER BY id)), ''), \
            notes = coalesce((SELECT ' ' || group_concat(body, ' ') FROM \
                (SELECT body FROM ticket_messages WHERE ticket_id = ?1 AND internal ORDER BY id)), '') \
            WHERE rowid = (SELECT rowid FROM ticket_search WHERE ticket_id = ?1)"
        }
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [Value::from(ticket.as_uuid())],
    ))
    .await?;
    Ok(())
}
