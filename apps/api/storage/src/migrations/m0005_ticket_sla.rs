//! Ticket SLA state: the tracker's state as JSON on the ticket, the columns lists and the
//! sweep select by, and the append-only SLA steps.

use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_ticket_sla"
    }
}

/// The sort key of `sort=due`: tickets without a running deadline sort last.
pub const DUE_KEY: &str = "COALESCE(sla_due_at, 9223372036854775807)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        let columns = [
            ColumnDef::new(Alias::new("sla_state")).json().null().take(),
            instant_null("sla_due_at"),
            instant_null("sla_warn_at"),
            instant_null("sla_check_at"),
            ColumnDef::new(Alias::new("sla_breached"))
                .boolean()
                .not_null()
                .default(false)
                .take(),
        ];
        for mut c in columns {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("tickets"))
                    .add_column(&mut c)
                    .to_owned(),
            )
            .await?;
        }
        // The sweep reads the tickets whose next SLA moment has come, across workspaces.
        // Partial: tickets without a running clock (most) cost the index nothing.
        m.create_index(
            index("tickets", "ix_tickets_sla_check", &["sla_check_at"], false)
                .and_where(Expr::col(Alias::new("sla_check_at")).is_not_null())
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(&format!(
                "CREATE INDEX ix_tickets_sla_due ON tickets (workspace_id, ({DUE_KEY}), id)"
            ))
            .await?;

        m.create_table(table(
            "sla_events",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("ticket_id"),
                text("metric"),
                text("kind"),
                integer("cycle"),
                instant("at"),
                json("data"),
            ],
            vec![
                fk("sla_events", "workspace_id", "workspaces"),
                fk("sla_events", "ticket_id", "tickets"),
            ],
        ))
        .await?;
        m.create_index(index(
            "sla_events",
            "ix_sla_events_ticket",
            &["ticket_id", "id"],
            false,
        ))
        .await?;
        // Reports count steps by kind over a period.
        m.create_index(index(
            "sla_events",
            "ix_sla_events_ws_kind",
            &["workspace_id", "kind", "at"],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("sla_events")).to_owned())
            .await?;
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS ix_tickets_sla_due")
            .await?;
        db.execute_unprepared("DROP INDEX IF EXISTS ix_tickets_sla_check")
            .await?;
        for c in [
            "sla_breached",
            "sla_check_at",
            "sla_warn_at",
            "sla_due_at",
            "sla_state",
        ] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("tickets"))
                    .drop_column(Alias::new(c))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
