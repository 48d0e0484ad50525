//! Contracts with client organizations (prepaid hours, retainers, time and materials) and
//! the alerts sent once per contract period.

use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0024_contracts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Dates are civil dates (`YYYY-MM-DD`) in the workspace's time zone: text sorts
        // them and both databases store it the same way.
        m.create_table(table(
            "contracts",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("organization_id"),
                text("name"),
                text("kind"),
                ColumnDef::new(Alias::new("included_minutes"))
                    .big_integer()
                    .null()
                    .take(),
                text("period"),
                text("starts_on"),
                text_null("ends_on"),
                ColumnDef::new(Alias::new("hourly_rate_minor"))
                    .big_integer()
                    .null()
                    .take(),
                text("currency"),
                uuid_null("sla_policy_id"),
                integer("alert_at_percent"),
            ],
            vec![
                fk("contracts", "workspace_id", "workspaces"),
                fk("contracts", "organization_id", "organizations"),
                fk_set_null("contracts", "sla_policy_id", "sla_policies"),
            ],
        ))
        .await?;
        m.create_index(index(
            "contracts",
            "ix_contracts_ws_org",
            &["workspace_id", "organization_id"],
            false,
        ))
        .await?;
        m.create_table(table(
            "contract_alerts",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("contract_id"),
                text("period_start"),
                text("kind"),
            ],
            vec![
                fk("contract_alerts", "workspace_id", "workspaces"),
                fk("contract_alerts", "contract_id", "contracts"),
            ],
        ))
        .await?;
        m.create_index(index(
            "contract_alerts",
            "ux_contract_alerts_once",
            &["contract_id", "period_start", "kind"],
            true,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(Alias::new("contract_alerts"))
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(Alias::new("contracts")).to_owned())
            .await
    }
}
