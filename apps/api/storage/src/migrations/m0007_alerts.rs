//! Monitoring alerts: one row per alert key (`source`, `dedup_key`) and the ticket it
//! currently feeds.

use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_alerts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "alerts",
            vec![
                id(),
                uuid("workspace_id"),
                text("source"),
                text("dedup_key"),
                uuid_null("ticket_id"),
                text("state"),
                text("severity"),
                integer("occurrences"),
                instant("last_seen_at"),
            ],
            vec![
                fk("alerts", "workspace_id", "workspaces"),
                fk_set_null("alerts", "ticket_id", "tickets"),
            ],
        ))
        .await?;
        // The key row is what concurrent repeats of one alert queue on.
        m.create_index(index(
            "alerts",
            "ux_alerts_key",
            &["workspace_id", "source", "dedup_key"],
            true,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("alerts")).to_owned())
            .await
    }
}
