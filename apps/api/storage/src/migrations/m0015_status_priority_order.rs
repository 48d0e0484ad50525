//! One index that serves a list filtered on one status and one priority in creation order,
//! so a filter on statuses (and priorities) is merged from one page per pair
//! (`repo::tickets::merge`) whatever the statistics say. It replaces m0002's
//! `(workspace, status, created_at, id)` and m0009's `(workspace, status, priority)`, whose
//! prefixes it keeps for counts and reports: with both gone, no other index starts with the
//! workspace and status, so SQLite's planner cannot pick one that would sort every match
//! (it did, once `ANALYZE` had run before this index existed), and a ticket write maintains
//! one index fewer.

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
        for name in [
            "ix_tickets_ws_status_priority",
            "ix_tickets_ws_status_created",
        ] {
            m.drop_index(
                Index::drop()
                    .name(name)
                    .table(Alias::new("tickets"))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
