//! Phase 2 SLA schema: business-hours calendars and SLA policies (ticket SLA state comes next).

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

        m.create_table(table(
            "sla_policies",
            vec![
                id(),
                uuid("workspace_id"),
                text("name"),
                uuid_null("business_hours_id"),
                boolean("is_default"),
                json("targets"),
                json("pause_on"),
                ColumnDef::new(Alias::new("warn_at_percent"))
                    .integer()
                    .not_null()
                    .take(),
            ],
            vec![
                fk("sla_policies", "workspace_id", "workspaces"),
                ForeignKey::create()
                    .from(Alias::new("sla_policies"), Alias::new("business_hours_id"))
                    .to(Alias::new("business_hours"), Alias::new("id"))
                    .on_delete(ForeignKeyAction::Restrict)
                    .take(),
            ],
        ))
        .await?;
        m.create_index(index(
            "sla_policies",
            "ix_sla_policies_ws",
            &["workspace_id", "is_default"],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("sla_policies")).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Alias::new("business_hours")).to_owned())
            .await
    }
}
