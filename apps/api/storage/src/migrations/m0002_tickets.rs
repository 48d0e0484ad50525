//! Phase 2 schema: tickets with per-workspace numbers and tags, messages, the event
//! timeline (also the outbox of later deliveries), time entries, attachments, idempotency
//! keys, and full-text search (tsvector + GIN on PostgreSQL, FTS5 on SQLite).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_tickets"
    }
}

fn small(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .small_integer()
        .not_null()
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut counters = Table::create();
        counters
            .table(Alias::new("ticket_counters"))
            .col(
                ColumnDef::new(Alias::new("workspace_id"))
                    .uuid()
                    .not_null()
                    .primary_key(),
            )
            .col(
                ColumnDef::new(Alias::new("last_number"))
                    .big_integer()
                    .not_null(),
            )
            .foreign_key(&mut fk("ticket_counters", "workspace_id", "workspaces"));
        m.create_table(counters).await?;

        m.create_table(table(
            "tickets",
            vec![
                id(),
                uuid("workspace_id"),
                ColumnDef::new(Alias::new("number"))
                    .big_integer()
                    .not_null()
                    .take(),
                text("subject"),
                text("description"),
                text("status"),
                small("priority"),
                uuid("requester_id"),
                uuid_null("assignee_id"),
                uuid_null("organization_id"),
                uuid_null("asset_id"),
                json("tags"),
                ColumnDef::new(Alias::new("version"))
                    .big_integer()
                    .not_null()
                    .take(),
                instant("status_changed_at"),
                instant_null("first_response_at"),
                instant_null("resolved_at"),
                instant_null("closed_at"),
            ],
            vec![
                fk("tickets", "workspace_id", "workspaces"),
                fk("tickets", "requester_id", "users"),
                fk_set_null("tickets", "assignee_id", "users"),
                fk_set_null("tickets", "organization_id", "organizations"),
                fk_set_null("tickets", "asset_id", "assets"),
            ],
        ))
        .await?;
        for (name, cols, unique) in [
            (
                "ux_tickets_ws_number",
                &["workspace_id", "number"][..],
                true,
            ),
            (
                "ix_tickets_ws_created",
                &["workspace_id", "created_at", "id"][..],
                false,
            ),
            (
                "ix_tickets_ws_updated",
                &["workspace_id", "updated_at", "id"][..],
                false,
            ),
            (
                "ix_tickets_ws_status_created",
                &["workspace_id", "status", "created_at", "id"][..],
                false,
            ),
            (
                "ix_tickets_ws_priority_created",
                &["workspace_id", "priority", "created_at", "id"][..],
                false,
            ),
            (
                "ix_tickets_ws_assignee",
                &["workspace_id", "assignee_id", "status"][..],
                false,
            ),
            (
                "ix_tickets_ws_requester",
                &["workspace_id", "requester_id", "created_at"][..],
                false,
            ),
            (
                "ix_tickets_ws_org",
                &["workspace_id", "organization_id", "created_at"][..],
                false,
            ),
        ] {
            m.create_index(index("tickets", name, cols, unique)).await?;
        }

        m.create_table(table(
            "ticket_tags",
            vec![id(), uuid("workspace_id"), uuid("ticket_id"), text("tag")],
            vec![
                fk("ticket_tags", "workspace_id", "workspaces"),
                fk("ticket_tags", "ticket_id", "tickets"),
            ],
        ))
        .await?;
        m.create_index(index(
            "ticket_tags",
            "ux_ticket_tags",
            &["ticket_id", "tag"],
            true,
        ))
        .await?;
        m.create_index(index(
            "ticket_tags",
            "ix_ticket_tags_ws_tag",
            &["workspace_id", "tag", "ticket_id"],
            false,
        ))
        .await?;

        m.create_table(table(
            "ticket_messages",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("ticket_id"),
                uuid_null("author_id"),
                uuid_null("author_api_key_id"),
                text("body"),
                boolean("internal"),
            ],
            vec![
                fk("ticket_messages", "workspace_id", "workspaces"),
                fk("ticket_messages", "ticket_id", "tickets"),
                fk_set_null("ticket_messages", "author_id", "users"),
            ],
        ))
        .await?;
        m.create_index(index(
            "ticket_messages",
            "ix_messages_ticket",
            &["ticket_id", "id"],
            false,
        ))
        .await?;
        m.create_index(index(
            "ticket_messages",
            "ix_messages_ws",
            &["workspace_id"],
            false,
        ))
        .await?;

        m.create_table(table(
            "ticket_events",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("ticket_id"),
                uuid_null("actor_id"),
                uuid_null("actor_api_key_id"),
                text("kind"),
                json("changes"),
                uuid_null("message_id"),
                boolean("internal"),
            ],
            vec![
                fk("ticket_events", "workspace_id", "workspaces"),
                fk("ticket_events", "ticket_id", "tickets"),
            ],
        ))
        .await?;
        m.create_index(index(
            "ticket_events",
            "ix_events_ticket",
            &["ticket_id", "id"],
            false,
        ))
        .await?;
        m.create_index(index(
            "ticket_events",
            "ix_events_ws",
            &["workspace_id", "id"],
            false,
        ))
        .await?;

        m.create_table(table(
            "time_entries",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("ticket_id"),
                uuid_null("author_id"),
                integer("minutes"),
                boolean("billable"),
                text_null("note"),
                instant("started_at"),
            ],
            vec![
                fk("time_entries", "workspace_id", "workspaces"),
                fk("time_entries", "ticket_id", "tickets"),
                fk_set_null("time_entries", "author_id", "users"),
            ],
        ))
        .await?;
        m.create_index(index(
            "time_entries",
            "ix_time_entries_ticket",
            &["ticket_id", "id"],
            false,
        ))
        .await?;
        m.create_index(index(
            "time_entries",
            "ix_time_entries_ws",
            &["workspace_id", "started_at"],
            false,
        ))
        .await?;

        m.create_table(table(
            "attachments",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("ticket_id"),
                uuid_null("message_id"),
                uuid_null("uploader_id"),
                text("filename"),
                text("content_type"),
                integer("size"),
                text("sha256"),
            ],
            vec![
                fk("attachments", "workspace_id", "workspaces"),
                fk("attachments", "ticket_id", "tickets"),
                fk_set_null("attachments", "message_id", "ticket_messages"),
            ],
        ))
        .await?;
        m.create_index(index(
            "attachments",
            "ix_attachments_ticket",
            &["ticket_id"],
            false,
        ))
        .await?;
        m.create_index(index(
            "attachments",
            "ix_attachments_ws",
            &["workspace_id"],
            false,
        ))
        .await?;

        m.create_table(table(
            "idempotency_keys",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("principal_id"),
                text("key"),
                text("request_hash"),
                ColumnDef::new(Alias::new("response_status"))
                    .integer()
                    .not_null()
                    .take(),
                text("response_body"),
                instant("expires_at"),
            ],
            vec![fk("idempotency_keys", "workspace_id", "workspaces")],
        ))
        .await?;
        m.create_index(index(
            "idempotency_keys",
            "ux_idempotency",
            &["workspace_id", "principal_id", "key"],
            true,
        ))
        .await?;
        m.create_index(index(
            "idempotency_keys",
            "ix_idempotency_expiry",
            &["expires_at"],
            false,
        ))
        .await?;

        full_text(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DbBackend::Sqlite {
            for t in [
                "tickets_fts",
                "ticket_search",
                "messages_fts",
                "message_search",
            ] {
                db.execute_unprepared(&format!("DROP TABLE IF EXISTS {t}"))
                    .await?;
            }
        }
        for t in [
            "idempotency_keys",
            "attachments",
            "time_entries",
            "ticket_events",
            "ticket_messages",
            "ticket_tags",
            "tickets",
            "ticket_counters",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// The one place the schema differs per backend: full-text search over a ticket as a
/// whole (subject, description and messages), with internal notes searchable by staff only.
async fn full_text(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let statements: &[&str] = match db.get_database_backend() {
        // Messages are folded into the ticket's row (stripped vectors, maintained by the
        // same UPDATE that bumps the ticket's version), so one GIN index answers a search.
        DbBackend::Postgres => &[
            "ALTER TABLE tickets ADD COLUMN messages_public tsvector NOT NULL DEFAULT ''::tsvector",
            "ALTER TABLE tickets ADD COLUMN messages_notes tsvector NOT NULL DEFAULT ''::tsvector",
            "ALTER TABLE tickets ADD COLUMN search_public tsvector GENERATED ALWAYS AS \
             (to_tsvector('simple', subject || ' ' || description) || messages_public) STORED",
            "ALTER TABLE tickets ADD COLUMN search_all tsvector GENERATED ALWAYS AS \
             (to_tsvector('simple', subject || ' ' || description) || messages_public || messages_notes) STORED",
            "CREATE INDEX ix_tickets_search_public ON tickets USING GIN (search_public)",
            "CREATE INDEX ix_tickets_search_all ON tickets USING GIN (search_all)",
        ],
        // One FTS5 row per ticket, keyed by the INTEGER PRIMARY KEY of a mapping table
        // (the implicit rowid of a UUID-keyed table may change on VACUUM), kept by triggers.
        _ => &[
            "CREATE TABLE ticket_search (rowid INTEGER PRIMARY KEY, ticket_id BLOB NOT NULL UNIQUE)",
            "CREATE VIRTUAL TABLE tickets_fts USING fts5(ticket_id UNINDEXED, subject, description, \
               messages, notes, tokenize = 'unicode61 remove_diacritics 2')",
            "CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN \
               INSERT INTO ticket_search (ticket_id) VALUES (new.id); \
               INSERT INTO tickets_fts (rowid, ticket_id, subject, description, messages, notes) \
                 VALUES (last_insert_rowid(), new.id, new.subject, new.description, '', ''); \
             END",
            "CREATE TRIGGER tickets_fts_update AFTER UPDATE OF subject, description ON tickets BEGIN \
               UPDATE tickets_fts SET subject = new.subject, description = new.description \
                 WHERE rowid = (SELECT rowid FROM ticket_search WHERE ticket_id = new.id); \
             END",
            "CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN \
               DELETE FROM tickets_fts WHERE rowid = (SELECT rowid FROM ticket_search WHERE ticket_id = old.id); \
               DELETE FROM ticket_search WHERE ticket_id = old.id; \
             END",
            "CREATE TRIGGER messages_fts_public AFTER INSERT ON ticket_messages WHEN NOT new.internal BEGIN \
               UPDATE tickets_fts SET messages = messages || ' ' || new.body \
                 WHERE rowid = (SELECT rowid FROM ticket_search WHERE ticket_id = new.ticket_id); \
             END",
            "CREATE TRIGGER messages_fts_notes AFTER INSERT ON ticket_messages WHEN new.internal BEGIN \
               UPDATE tickets_fts SET notes = notes || ' ' || new.body \
                 WHERE rowid = (SELECT rowid FROM ticket_search WHERE ticket_id = new.ticket_id); \
             END",
        ],
    };
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}
