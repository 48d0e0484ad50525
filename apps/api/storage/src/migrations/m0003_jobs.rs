//! Phase 3 schema: the job queue, the scheduler's lease and fire log, the record of
//! dispatched events, email threading, and webhooks with their delivery log.

use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_jobs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "jobs",
            vec![
                id(),
                // The owning workspace; the nil id for system jobs, which no tenant sees.
                uuid("scope_id"),
                text("kind"),
                json("payload"),
                text("state"),
                instant("run_at"),
                ColumnDef::new(Alias::new("attempts"))
                    .integer()
                    .not_null()
                    .take(),
                ColumnDef::new(Alias::new("max_attempts"))
                    .integer()
                    .not_null()
                    .take(),
                text_null("last_error"),
                text_null("locked_by"),
                instant_null("locked_until"),
                text_null("dedup_key"),
                instant_null("finished_at"),
            ],
            vec![],
        ))
        .await?;
        m.create_index(index("jobs", "ix_jobs_due", &["state", "run_at"], false))
            .await?;
        m.create_index(index(
            "jobs",
            "ix_jobs_scope_state",
            &["scope_id", "state", "id"],
            false,
        ))
        .await?;
        m.create_index(index(
            "jobs",
            "ux_jobs_dedup",
            &["scope_id", "kind", "dedup_key"],
            true,
        ))
        .await?;

        let mut fires = Table::create();
        fires
            .table(Alias::new("schedule_fires"))
            .col(ColumnDef::new(Alias::new("schedule")).text().not_null())
            .col(
                ColumnDef::new(Alias::new("fire_at"))
                    .big_integer()
                    .not_null(),
            )
            .col(ColumnDef::new(Alias::new("fired_by")).text().not_null())
            .col(
                ColumnDef::new(Alias::new("created_at"))
                    .big_integer()
                    .not_null(),
            )
            .primary_key(
                Index::create()
                    .col(Alias::new("schedule"))
                    .col(Alias::new("fire_at")),
            );
        m.create_table(fires).await?;

        let mut lease = Table::create();
        lease
            .table(Alias::new("scheduler_lease"))
            .col(
                ColumnDef::new(Alias::new("name"))
                    .text()
                    .not_null()
                    .primary_key(),
            )
            .col(ColumnDef::new(Alias::new("holder")).text().not_null())
            .col(
                ColumnDef::new(Alias::new("expires_at"))
                    .big_integer()
                    .not_null(),
            );
        m.create_table(lease).await?;

        let mut dispatches = Table::create();
        dispatches
            .table(Alias::new("event_dispatches"))
            .col(
                ColumnDef::new(Alias::new("event_id"))
                    .uuid()
                    .not_null()
                    .primary_key(),
            )
            .col(
                ColumnDef::new(Alias::new("created_at"))
                    .big_integer()
                    .not_null(),
            );
        m.create_table(dispatches).await?;

        m.alter_table(
            Table::alter()
                .table(Alias::new("outbox"))
                .add_column(ColumnDef::new(Alias::new("in_reply_to")).text().null())
                .to_owned(),
        )
        .await?;

        m.create_table(table(
            "webhooks",
            vec![
                id(),
                uuid("workspace_id"),
                text("url"),
                json("events"),
                text("secret"),
                boolean("active"),
                ColumnDef::new(Alias::new("consecutive_failures"))
                    .integer()
                    .not_null()
                    .take(),
                instant_null("disabled_at"),
            ],
            vec![fk("webhooks", "workspace_id", "workspaces")],
        ))
        .await?;
        m.create_index(index(
            "webhooks",
            "ix_webhooks_ws",
            &["workspace_id"],
            false,
        ))
        .await?;

        m.create_table(table(
            "webhook_deliveries",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("webhook_id"),
                uuid("event_id"),
                text("event_type"),
                ColumnDef::new(Alias::new("attempt"))
                    .integer()
                    .not_null()
                    .take(),
                boolean("success"),
                ColumnDef::new(Alias::new("response_code"))
                    .integer()
                    .null()
                    .take(),
                ColumnDef::new(Alias::new("duration_ms"))
                    .big_integer()
                    .not_null()
                    .take(),
                text_null("error"),
            ],
            vec![
                fk("webhook_deliveries", "workspace_id", "workspaces"),
                fk("webhook_deliveries", "webhook_id", "webhooks"),
            ],
        ))
        .await?;
        m.create_index(index(
            "webhook_deliveries",
            "ix_deliveries_webhook",
            &["webhook_id", "id"],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("outbox"))
                .drop_column(Alias::new("in_reply_to"))
                .to_owned(),
        )
        .await?;
        for t in [
            "webhook_deliveries",
            "webhooks",
            "event_dispatches",
            "scheduler_lease",
            "schedule_fires",
            "jobs",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
