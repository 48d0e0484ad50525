//! The security review's schema: a workspace's verified admin email and the addresses it
//! may mail, held outgoing mail, and a bound on how much of a conversation SQLite's
//! search re-indexes per message.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0010_security"
    }
}

/// SQLite's conversation columns stop growing past this many characters (PostgreSQL's
/// vectors stop at 100,000 lexemes): appending a message re-indexes the whole column, so
/// an unbounded one made every message on a long ticket slower, and SQLite's single
/// writer made every tenant wait for it.
pub(crate) const SQLITE_CONVERSATION_LIMIT: usize = 256 * 1024;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        m.alter_table(
            Table::alter()
                .table(Alias::new("workspaces"))
                .add_column(instant_null("email_verified_at"))
                .to_owned(),
        )
        .await?;
        // Workspaces from before verification existed keep working as they did.
        db.execute_unprepared("UPDATE workspaces SET email_verified_at = updated_at")
            .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("outbox"))
                .add_column(text_null("held"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "outbox",
            "ix_outbox_ws_created",
            &["workspace_id", "created_at"],
            false,
        ))
        .await?;
        m.create_table(table(
            "notify_addresses",
            vec![
                id(),
                uuid("workspace_id"),
                text("email"),
                text("token_hash"),
                instant("expires_at"),
                instant_null("verified_at"),
            ],
            vec![fk("notify_addresses", "workspace_id", "workspaces")],
        ))
        .await?;
        m.create_index(index(
            "notify_addresses",
            "ux_notify_addresses_ws_email",
            &["workspace_id", "email"],
            true,
        ))
        .await?;
        m.create_index(index(
            "notify_addresses",
            "ux_notify_addresses_token",
            &["token_hash"],
            true,
        ))
        .await?;
        if db.get_database_backend() == DbBackend::Sqlite {
            for (name, column, when) in [
                ("messages_fts_public", "messages", "NOT new.internal"),
                ("messages_fts_notes", "notes", "new.internal"),
            ] {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}"))
                    .await?;
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {name} AFTER INSERT ON ticket_messages WHEN {when} BEGIN \
                       UPDATE tickets_fts SET {column} = {column} || ' ' || new.body \
                         WHERE rowid = (SELECT rowid FROM ticket_search WHERE ticket_id = new.ticket_id) \
                           AND length({column}) < {SQLITE_CONVERSATION_LIMIT}; \
                     END"
                ))
                .await?;
            }
        }
        Ok(())
    }
}
