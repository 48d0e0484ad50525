//! SQLite's search index remembers, for each rowid, the newest creation time of any ticket
//! at or below it (`ticket_search.created_max`, a running maximum set by the insert
//! trigger). The newest-first search walk (`repo::tickets::search_walk`) reads it at the
//! bottom of the range it walked: when it is older than the page's last row, no ticket
//! below can rank on the page, and the check for tickets created out of rowid order is
//! skipped instead of scanning every newer ticket. Deleted tickets leave the maximum as
//! it was, which only keeps it an upper bound. PostgreSQL is unchanged.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0016_search_time_bound"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        for sql in [
            "ALTER TABLE ticket_search ADD COLUMN created_max INTEGER",
            "UPDATE ticket_search SET created_max = m.created_max FROM ( \
               SELECT s.rowid AS r, MAX(t.created_at) OVER (ORDER BY s.rowid \
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS created_max \
               FROM ticket_search s JOIN tickets t ON t.id = s.ticket_id) m \
             WHERE ticket_search.rowid = m.r",
            "DROP TRIGGER tickets_fts_insert",
            // A new row's rowid is one above the current last, so the last row's maximum is
            // the running maximum below it.
            "CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN \
               INSERT INTO ticket_search (ticket_id, created_max) VALUES (new.id, \
                 max(new.created_at, coalesce( \
                   (SELECT created_max FROM ticket_search ORDER BY rowid DESC LIMIT 1), \
                   new.created_at))); \
               INSERT INTO tickets_fts (rowid, ticket_id, workspace, subject, description, messages, notes) \
                 VALUES (last_insert_rowid(), new.id, 'w' || lower(hex(new.workspace_id)), \
                   new.subject, new.description, '', ''); \
             END",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
