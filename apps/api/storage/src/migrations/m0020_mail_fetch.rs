//! What the IMAP fetcher and the SMTP/LMTP listener need: a lease per mailbox (one fetcher
//! across every replica), whether admins were told of the current error, and where each
//! received message came from (its UID in which UIDVALIDITY, the SMTP envelope), so one
//! UID is never imported twice; the `Reply-To` of our mail about a ticket; and the HTML
//! and quoted history of received mail; bounces of our own; the people copied on a ticket.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0020_mail_fetch"
    }
}

// One statement per column: SQLite's ALTER TABLE adds one at a time.
const UP: [&str; 10] = [
    "ALTER TABLE mailboxes ADD COLUMN lease_owner TEXT NULL",
    "ALTER TABLE mailboxes ADD COLUMN lease_until BIGINT NULL",
    "ALTER TABLE mailboxes ADD COLUMN error_notified BOOLEAN NOT NULL DEFAULT FALSE",
    "ALTER TABLE inbound_messages ADD COLUMN imap_uidvalidity BIGINT NULL",
    "ALTER TABLE inbound_messages ADD COLUMN imap_uid BIGINT NULL",
    "ALTER TABLE inbound_messages ADD COLUMN envelope_from TEXT NULL",
    "ALTER TABLE inbound_messages ADD COLUMN envelope_to TEXT NULL",
    // The `+token` address replies to a ticket's mail should go to.
    "ALTER TABLE outbox ADD COLUMN reply_to TEXT NULL",
    // When a delivery report said the message did not arrive.
    "ALTER TABLE outbox ADD COLUMN bounced_at BIGINT NULL",
    // Null UIDs (the listener, the HTTP intake) never collide.
    "CREATE UNIQUE INDEX ux_inbound_imap_uid \
       ON inbound_messages (mailbox_id, imap_uidvalidity, imap_uid)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for s in UP {
            db.execute_unprepared(s).await?;
        }
        // What a received mail's body was beyond its text: the sanitised HTML and where
        // the quoted history starts, for a ticket's description or a message (keyed by
        // its id; loaded with one ticket or one page of messages, never by lists).
        m.create_table(table(
            "mail_bodies",
            vec![
                id(),
                uuid("workspace_id"),
                text_null("html"),
                ColumnDef::new(Alias::new("quoted_from"))
                    .big_integer()
                    .null()
                    .take(),
            ],
            vec![fk("mail_bodies", "workspace_id", "workspaces")],
        ))
        .await?;
        // Addresses our mail bounced from for good: nothing more is sent to them until
        // they write to us again.
        m.create_table(table(
            "bouncing_addresses",
            vec![
                id(),
                uuid("workspace_id"),
                text("address"),
                uuid("outbox_id"),
            ],
            vec![fk("bouncing_addresses", "workspace_id", "workspaces")],
        ))
        .await?;
        m.create_index(index(
            "bouncing_addresses",
            "ux_bouncing_addresses",
            &["workspace_id", "address"],
            true,
        ))
        .await?;
        // People copied on a ticket's public conversation (a mail's `Cc`, or added by an
        // agent): they get its public replies and may answer by email.
        m.create_table(table(
            "ticket_participants",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("ticket_id"),
                uuid("user_id"),
            ],
            vec![
                fk("ticket_participants", "workspace_id", "workspaces"),
                fk("ticket_participants", "ticket_id", "tickets"),
                fk("ticket_participants", "user_id", "users"),
            ],
        ))
        .await?;
        m.create_index(index(
            "ticket_participants",
            "ux_ticket_participants",
            &["ticket_id", "user_id"],
            true,
        ))
        .await?;
        // A customer's visible tickets: the ones they are copied on.
        m.create_index(index(
            "ticket_participants",
            "ix_ticket_participants_user",
            &["workspace_id", "user_id", "ticket_id"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX ux_inbound_imap_uid")
            .await?;
        for (table, col) in [
            ("outbox", "bounced_at"),
            ("outbox", "reply_to"),
            ("inbound_messages", "envelope_to"),
            ("inbound_messages", "envelope_from"),
            ("inbound_messages", "imap_uid"),
            ("inbound_messages", "imap_uidvalidity"),
            ("mailboxes", "error_notified"),
            ("mailboxes", "lease_until"),
            ("mailboxes", "lease_owner"),
        ] {
            db.execute_unprepared(&format!("ALTER TABLE {table} DROP COLUMN {col}"))
                .await?;
        }
        Ok(())
    }
}
