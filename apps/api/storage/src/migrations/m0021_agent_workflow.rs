//! The agent's own workflow: saved views (an agent's named ticket-list queries, and the
//! ones an admin shares with the whole team), and each user's preferences (keyboard
//! shortcuts, signature, which notifications to receive by email).

use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0021_agent_workflow"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // `filters` holds the list language's strings (`status`, `assignee_id` …) as the
        // API's query string takes them, so `me` means whoever opens the view.
        m.create_table(table(
            "saved_views",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("owner_id"),
                boolean("shared"),
                text("name"),
                json("filters"),
                text_null("sort"),
                json("columns"),
                integer("position"),
            ],
            vec![
                fk("saved_views", "workspace_id", "workspaces"),
                fk("saved_views", "owner_id", "users"),
            ],
        ))
        .await?;
        // A sidebar's views: the workspace's shared ones and the caller's own.
        m.create_index(index(
            "saved_views",
            "ix_saved_views_ws_owner",
            &["workspace_id", "owner_id"],
            false,
        ))
        .await?;
        // Read with the user on every request already, so it costs no extra query.
        m.alter_table(
            Table::alter()
                .table(Alias::new("users"))
                .add_column(
                    ColumnDef::new(Alias::new("preferences"))
                        .json()
                        .not_null()
                        .default("{}"),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("users"))
                .drop_column(Alias::new("preferences"))
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(Alias::new("saved_views")).to_owned())
            .await
    }
}
