//! Mailboxes: the addresses a workspace receives mail at, with the IMAP account each may
//! be fetched from (its password or OAuth2 client secret and refresh token encrypted by
//! the service before they get here) and the fetcher's position and health.

use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0019_mailboxes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let blob = |name: &str| ColumnDef::new(Alias::new(name)).binary().null().take();
        let int_null = |name: &str| ColumnDef::new(Alias::new(name)).big_integer().null().take();
        m.create_table(table(
            "mailboxes",
            vec![
                id(),
                uuid("workspace_id"),
                text("address"),
                text("name"),
                boolean("active"),
                text("default_priority"),
                text("unknown_senders"),
                // IMAP: all null when mail arrives only by the listener or the HTTP intake.
                text_null("imap_host"),
                int_null("imap_port"),
                text_null("imap_security"),
                text_null("imap_username"),
                // PASSWORD or OAUTH2.
                text_null("imap_auth"),
                // Encrypted: the password, or the OAuth2 client secret and refresh token.
                blob("imap_secret"),
                text_null("oauth_token_url"),
                text_null("oauth_client_id"),
                text("imap_folder"),
                text("after_import"),
                text_null("move_to"),
                instant_null("last_fetch_at"),
                text_null("last_error"),
                int_null("uidvalidity"),
                int_null("last_uid"),
                integer("imported"),
            ],
            vec![fk("mailboxes", "workspace_id", "workspaces")],
        ))
        .await?;
        // An address belongs to one workspace.
        m.create_index(index(
            "mailboxes",
            "ux_mailboxes_address",
            &["address"],
            true,
        ))
        .await?;
        m.create_index(index(
            "mailboxes",
            "ix_mailboxes_ws",
            &["workspace_id", "id"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("mailboxes")).to_owned())
            .await
    }
}
