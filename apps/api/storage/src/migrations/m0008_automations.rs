//! Automations (rules), their run log (the once-per-event and once-per-cycle guards),
//! macros, and the channel a ticket came in by.

use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_automations"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "automations",
            vec![
                id(),
                uuid("workspace_id"),
                text("name"),
                boolean("active"),
                integer("position"),
                text("trigger"),
                json("conditions"),
                json("actions"),
                // Round robin: how many times this rule has assigned.
                integer("turns"),
            ],
            vec![fk("automations", "workspace_id", "workspaces")],
        ))
        .await?;
        m.create_index(index(
            "automations",
            "ix_automations_ws_trigger",
            &["workspace_id", "trigger", "position"],
            false,
        ))
        .await?;
        m.create_table(table(
            "automation_runs",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("automation_id"),
                uuid("ticket_id"),
                // The event that triggered the run, or `schedule` for a scheduled match.
                text("event_key"),
            ],
            vec![
                fk("automation_runs", "automation_id", "automations"),
                fk("automation_runs", "ticket_id", "tickets"),
            ],
        ))
        .await?;
        m.create_index(index(
            "automation_runs",
            "ux_automation_runs",
            &["automation_id", "ticket_id", "event_key"],
            true,
        ))
        .await?;
        m.create_table(table(
            "macros",
            vec![
                id(),
                uuid("workspace_id"),
                text("name"),
                text_null("reply"),
                json("actions"),
            ],
            vec![fk("macros", "workspace_id", "workspaces")],
        ))
        .await?;
        m.create_index(index("macros", "ix_macros_ws", &["workspace_id"], false))
            .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("tickets"))
                .add_column(
                    ColumnDef::new(Alias::new("channel"))
                        .text()
                        .not_null()
                        .default("web"),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("tickets"))
                .drop_column(Alias::new("channel"))
                .to_owned(),
        )
        .await?;
        for t in ["macros", "automation_runs", "automations"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
