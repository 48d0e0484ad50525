//! Satisfaction surveys: one per resolution of a ticket, answered `GOOD` or `BAD` (with an
//! optional comment) through a single-use link or the portal.

use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0023_csat"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Who and what the rating is about is kept as it was at the resolution (assignee,
        // organization, priority), so reports do not move when a ticket is reassigned.
        m.create_table(table(
            "csat_surveys",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("ticket_id"),
                uuid("requester_id"),
                uuid_null("assignee_id"),
                uuid_null("organization_id"),
                integer("priority"),
                instant("resolved_at"),
                text("token_hash"),
                instant("expires_at"),
                text_null("rating"),
                text_null("comment"),
                instant_null("rated_at"),
            ],
            vec![
                fk("csat_surveys", "workspace_id", "workspaces"),
                fk("csat_surveys", "ticket_id", "tickets"),
            ],
        ))
        .await?;
        m.create_index(index(
            "csat_surveys",
            "ux_csat_surveys_token",
            &["token_hash"],
            true,
        ))
        .await?;
        m.create_index(index(
            "csat_surveys",
            "ux_csat_surveys_resolution",
            &["ticket_id", "resolved_at"],
            true,
        ))
        .await?;
        m.create_index(index(
            "csat_surveys",
            "ix_csat_surveys_ws_resolved",
            &["workspace_id", "resolved_at"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("csat_surveys")).to_owned())
            .await
    }
}
