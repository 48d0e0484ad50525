//! Reporting: the status-change log (reopenings, and time in status for rules), business
//! minutes to first response and resolution kept on the ticket, and the indexes the
//! reports read by.

use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_reports"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "ticket_status_changes",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("ticket_id"),
                text("from_status"),
                text("to_status"),
                instant("at"),
            ],
            vec![
                fk("ticket_status_changes", "workspace_id", "workspaces"),
                fk("ticket_status_changes", "ticket_id", "tickets"),
            ],
        ))
        .await?;
        m.create_index(index(
            "ticket_status_changes",
            "ix_status_changes_ws_from_at",
            &["workspace_id", "from_status", "at"],
            false,
        ))
        .await?;
        m.create_index(index(
            "ticket_status_changes",
            "ix_status_changes_ticket",
            &["ticket_id", "at"],
            false,
        ))
        .await?;
        for c in [
            "first_response_business_minutes",
            "resolution_business_minutes",
        ] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("tickets"))
                    .add_column(instant_null(c))
                    .to_owned(),
            )
            .await?;
        }
        // Partial: open tickets (no resolution) cost the index nothing.
        m.create_index(
            index(
                "tickets",
                "ix_tickets_ws_resolved",
                &["workspace_id", "resolved_at"],
                false,
            )
            .and_where(Expr::col(Alias::new("resolved_at")).is_not_null())
            .to_owned(),
        )
        .await?;
        m.create_index(index(
            "sla_events",
            "ix_sla_events_ws_at",
            &["workspace_id", "at"],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for ix in ["ix_sla_events_ws_at", "ix_tickets_ws_resolved"] {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {ix}"))
                .await?;
        }
        for c in [
            "resolution_business_minutes",
            "first_response_business_minutes",
        ] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("tickets"))
                    .drop_column(Alias::new(c))
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(
            Table::drop()
                .table(Alias::new("ticket_status_changes"))
                .to_owned(),
        )
        .await
    }
}
