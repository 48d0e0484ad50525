//! Phase 2 SLA schema: business-hours calendars (more to come: policies, ticket SLA state).

use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_sla"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "business_hours",
            vec![
                id(),
                uuid("workspace_id"),
                text("name"),
                text("timezone"),
                json("weekly"),
                json("holidays"),
            ],
            vec![fk("business_hours", "workspace_id", "workspaces")],
        ))
        .await?;
        m.create_index(index(
            "business_hours",
            "ix_business_hours_ws",
            &["workspace_id"],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("business_hours")).to_owned())
            .await
    }
}
