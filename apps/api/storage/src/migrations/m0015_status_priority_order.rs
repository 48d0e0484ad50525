//! An index that serves a list filtered on one status and one priority in creation order,
//! so a filter on several of each is merged from one page per pair (`repo::tickets::merge`)
//! whatever the statistics say. It replaces m0009's `(workspace, status, priority)`, whose
//! prefix it keeps for the reports' backlog counts: the number of indexes a ticket write
//! maintains does not change.

use sea_orm_migration::prelude::*;

use super::cols::*;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0015_status_priority_order"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index(
            "tickets",
            "ix_tickets_ws_status_priority_created",
            &["workspace_id", "status", "priority", "created_at", "id"],
            false,
        ))
        .await?;
        m.drop_index(
            Index::drop()
                .name("ix_tickets_ws_status_priority")
                .table(Alias::new("tickets"))
                .to_owned(),
        )
        .await
    }
}
