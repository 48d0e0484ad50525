//! SQLite's full-text index learns each ticket's workspace (a `workspace` column holding
//! one token, `w` and the id in hex), so a search reads only its workspace's matches, and
//! can walk them newest first (the index's rowids follow ticket creation) instead of
//! producing every match before the first page. PostgreSQL is unchanged.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

use super::m0010_security::SQLITE_CONVERSATION_LIMIT;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0014_search_by_workspace"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        let mut statements = vec![
            "CREATE VIRTUAL TABLE tickets_fts_next USING fts5(ticket_id UNINDEXED, workspace, \
               subject, description, messages, notes, tokenize = 'unicode61 remove_diacritics 2')"
                .to_owned(),
            "INSERT INTO tickets_fts_next (rowid, ticket_id, workspace, subject, description, messages, notes) \
               SELECT f.rowid, f.ticket_id, 'w' || lower(hex(t.workspace_id)), f.subject, f.description, \
                 f.messages, f.notes \
               FROM tickets_fts f JOIN tickets t ON t.id = f.ticket_id"
                .to_owned(),
        ];
        for t in [
            "tickets_fts_insert",
            "tickets_fts_update",
            "tickets_fts_delete",
            "messages_fts_public",
            "messages_fts_notes",
        ] {
            statements.push(format!("DROP TRIGGER IF EXISTS {t}"));
        }
        statements.extend([
            "DROP TABLE tickets_fts".to_owned(),
            "ALTER TABLE tickets_fts_next RENAME TO tickets_fts".to_owned(),
            "CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN \
               INSERT INTO ticket_search (ticket_id) VALUES (new.id); \
               INSERT INTO tickets_fts (rowid, ticket_id, workspace, subject, description, messages, notes) \
                 VALUES (last_insert_rowid(), new.id, 'w' || lower(hex(new.workspace_id)), \
                   new.subject, new.description, '', ''); \
             END"
            .to_owned(),
            "CREATE TRIGGER tickets_fts_update AFTER UPDATE OF subject, description ON tickets BEGIN \
               UPDATE tickets_fts SET subject = new.subject, description = new.description \
                 WHERE rowid = (SELECT rowid FROM ticket_search WHERE ticket_id = new.id); \
             END"
            .to_owned(),
            "CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN \
               DELETE FROM tickets_fts WHERE rowid = (SELECT rowid FROM ticket_search WHERE ticket_id = old.id); \
               DELETE FROM ticket_search WHERE ticket_id = old.id; \
             END"
            .to_owned(),
        ]);
        for (name, column, when) in [
            ("messages_fts_public", "messages", "NOT new.internal"),
            ("messages_fts_notes", "notes", "new.internal"),
        ] {
            statements.push(format!(
                "CREATE TRIGGER {name} AFTER INSERT ON ticket_messages WHEN {when} BEGIN \
                   UPDATE tickets_fts SET {column} = {column} || ' ' || new.body \
                     WHERE rowid = (SELECT rowid FROM ticket_search WHERE ticket_id = new.ticket_id) \
                       AND length({column}) < {SQLITE_CONVERSATION_LIMIT}; \
                 END"
            ));
        }
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
