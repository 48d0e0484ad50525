//! Phase 1 schema: workspaces, users, sessions and tokens, API keys, organizations, assets,
//! and the outbox of messages the worker sends.

use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "workspaces",
            vec![id(), text("name"), text("slug"), json("settings")],
            vec![],
        ))
        .await?;
        m.create_index(index("workspaces", "ux_workspaces_slug", &["slug"], true))
            .await?;

        m.create_table(table(
            "organizations",
            vec![
                id(),
                uuid("workspace_id"),
                text("name"),
                uuid_null("sla_policy_id"),
                text_null("notes"),
            ],
            vec![fk("organizations", "workspace_id", "workspaces")],
        ))
        .await?;
        m.create_index(index(
            "organizations",
            "ix_organizations_ws_name",
            &["workspace_id", "name"],
            false,
        ))
        .await?;

        m.create_table(table(
            "organization_domains",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("organization_id"),
                text("domain"),
            ],
            vec![
                fk("organization_domains", "workspace_id", "workspaces"),
                fk("organization_domains", "organization_id", "organizations"),
            ],
        ))
        .await?;
        m.create_index(index(
            "organization_domains",
            "ux_org_domains_ws_domain",
            &["workspace_id", "domain"],
            true,
        ))
        .await?;
        m.create_index(index(
            "organization_domains",
            "ix_org_domains_org",
            &["organization_id"],
            false,
        ))
        .await?;

        m.create_table(table(
            "users",
            vec![
                id(),
                uuid("workspace_id"),
                text("email"),
                text("name"),
                text("role"),
                uuid_null("organization_id"),
                text_null("password_hash"),
                boolean("active"),
                instant_null("deactivated_at"),
            ],
            vec![
                fk("users", "workspace_id", "workspaces"),
                fk_set_null("users", "organization_id", "organizations"),
            ],
        ))
        .await?;
        m.create_index(index(
            "users",
            "ux_users_ws_email",
            &["workspace_id", "email"],
            true,
        ))
        .await?;
        m.create_index(index("users", "ix_users_email", &["email"], false))
            .await?;
        m.create_index(index(
            "users",
            "ix_users_ws_role",
            &["workspace_id", "role"],
            false,
        ))
        .await?;
        m.create_index(index("users", "ix_users_org", &["organization_id"], false))
            .await?;

        m.create_table(table(
            "sessions",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("user_id"),
                instant_null("revoked_at"),
            ],
            vec![
                fk("sessions", "workspace_id", "workspaces"),
                fk("sessions", "user_id", "users"),
            ],
        ))
        .await?;
        m.create_index(index("sessions", "ix_sessions_user", &["user_id"], false))
            .await?;
        m.create_index(index(
            "sessions",
            "ix_sessions_ws",
            &["workspace_id"],
            false,
        ))
        .await?;

        m.create_table(table(
            "refresh_tokens",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("session_id"),
                text("token_hash"),
                instant("expires_at"),
                instant_null("used_at"),
            ],
            vec![
                fk("refresh_tokens", "workspace_id", "workspaces"),
                fk("refresh_tokens", "session_id", "sessions"),
            ],
        ))
        .await?;
        m.create_index(index(
            "refresh_tokens",
            "ux_refresh_tokens_hash",
            &["token_hash"],
            true,
        ))
        .await?;
        m.create_index(index(
            "refresh_tokens",
            "ix_refresh_tokens_session",
            &["session_id"],
            false,
        ))
        .await?;
        m.create_index(index(
            "refresh_tokens",
            "ix_refresh_tokens_ws",
            &["workspace_id"],
            false,
        ))
        .await?;

        m.create_table(table(
            "one_time_tokens",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("user_id"),
                text("purpose"),
                text("token_hash"),
                instant("expires_at"),
                instant_null("used_at"),
            ],
            vec![
                fk("one_time_tokens", "workspace_id", "workspaces"),
                fk("one_time_tokens", "user_id", "users"),
            ],
        ))
        .await?;
        m.create_index(index(
            "one_time_tokens",
            "ux_one_time_tokens_hash",
            &["token_hash"],
            true,
        ))
        .await?;
        m.create_index(index(
            "one_time_tokens",
            "ix_one_time_tokens_user",
            &["user_id", "purpose"],
            false,
        ))
        .await?;
        m.create_index(index(
            "one_time_tokens",
            "ix_one_time_tokens_ws",
            &["workspace_id"],
            false,
        ))
        .await?;

        m.create_table(table(
            "api_keys",
            vec![
                id(),
                uuid("workspace_id"),
                text("name"),
                text("role"),
                text("prefix"),
                text("key_hash"),
                uuid_null("created_by"),
                instant_null("last_used_at"),
                instant_null("revoked_at"),
            ],
            vec![
                fk("api_keys", "workspace_id", "workspaces"),
                fk_set_null("api_keys", "created_by", "users"),
            ],
        ))
        .await?;
        m.create_index(index("api_keys", "ux_api_keys_hash", &["key_hash"], true))
            .await?;
        m.create_index(index(
            "api_keys",
            "ix_api_keys_ws",
            &["workspace_id"],
            false,
        ))
        .await?;

        m.create_table(table(
            "assets",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("organization_id"),
                text("name"),
                text("kind"),
                text_null("hostname"),
                text_null("os"),
                text_null("serial"),
                text_null("remote_access_id"),
                text_null("notes"),
            ],
            vec![
                fk("assets", "workspace_id", "workspaces"),
                fk("assets", "organization_id", "organizations"),
            ],
        ))
        .await?;
        m.create_index(index(
            "assets",
            "ix_assets_ws_org",
            &["workspace_id", "organization_id"],
            false,
        ))
        .await?;

        m.create_table(table(
            "outbox",
            vec![
                id(),
                uuid("workspace_id"),
                text("kind"),
                text("recipient"),
                text("subject"),
                text("body"),
                instant_null("sent_at"),
            ],
            vec![fk("outbox", "workspace_id", "workspaces")],
        ))
        .await?;
        m.create_index(index("outbox", "ix_outbox_ws", &["workspace_id"], false))
            .await?;
        m.create_index(index(
            "outbox",
            "ix_outbox_unsent",
            &["sent_at", "created_at"],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "outbox",
            "assets",
            "api_keys",
            "one_time_tokens",
            "refresh_tokens",
            "sessions",
            "users",
            "organization_domains",
            "organizations",
            "workspaces",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
