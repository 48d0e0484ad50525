//! Email intake: every message received is kept raw, exactly once per workspace (the
//! dedup key is the Message-ID and the body), and then processed by a job.

use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0018_inbound_email"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "inbound_messages",
            vec![
                id(),
                uuid("workspace_id"),
                uuid_null("mailbox_id"),
                // HTTP, SMTP or IMAP.
                text("channel"),
                text("dedup_key"),
                text_null("message_id"),
                text_null("from_address"),
                text_null("recipients"),
                text_null("subject"),
                ColumnDef::new(Alias::new("raw")).binary().not_null().take(),
                integer("size"),
                text("state"),
                text_null("reason"),
                uuid_null("ticket_id"),
                uuid_null("ticket_message_id"),
                instant("received_at"),
                instant_null("processed_at"),
            ],
            vec![
                fk("inbound_messages", "workspace_id", "workspaces"),
                fk_set_null("inbound_messages", "ticket_id", "tickets"),
            ],
        ))
        .await?;
        // The same message arriving twice (a retried fetch, two channels) is one row.
        m.create_index(index(
            "inbound_messages",
            "ux_inbound_dedup",
            &["workspace_id", "dedup_key"],
            true,
        ))
        .await?;
        // The admin list by state, newest first.
        m.create_index(index(
            "inbound_messages",
            "ix_inbound_state",
            &["workspace_id", "state", "id"],
            false,
        ))
        .await?;
        // The per-sender burst count.
        m.create_index(index(
            "inbound_messages",
            "ix_inbound_sender",
            &["workspace_id", "from_address", "received_at"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(Alias::new("inbound_messages"))
                .to_owned(),
        )
        .await
    }
}
