//! What the reports need to stay fast at a million tickets: the backlog counted from an
//! index alone, messages found by time, and each fulfilled SLA step saying whether its
//! cycle was met (so compliance needs no search for an earlier breach).

use sea_orm_migration::prelude::*;

use super::cols::*;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_report_speed"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            index(
                "tickets",
                "ix_tickets_ws_status_priority",
                &["workspace_id", "status", "priority"],
                false,
            )
            .if_not_exists()
            .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ticket_messages",
            "ix_messages_ws_created",
            &["workspace_id", "created_at"],
            false,
        ))
        .await?;
        m.get_connection()
            .execute_unprepared("DROP INDEX IF EXISTS ix_messages_ws")
            .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("sla_events"))
                .add_column(ColumnDef::new(Alias::new("met")).boolean().null())
                .to_owned(),
        )
        .await?;
        // Steps written before: a fulfilment met its cycle unless the cycle breached.
        m.get_connection()
            .execute_unprepared(
                "UPDATE sla_events SET met = NOT EXISTS (SELECT 1 FROM sla_events b \
                 WHERE b.ticket_id = sla_events.ticket_id AND b.metric = sla_events.metric \
                 AND b.cycle = sla_events.cycle AND b.kind = 'breached') WHERE kind = 'fulfilled'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("sla_events"))
                .drop_column(Alias::new("met"))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE INDEX IF NOT EXISTS ix_messages_ws ON ticket_messages (workspace_id)",
        )
        .await?;
        for ix in ["ix_messages_ws_created", "ix_tickets_ws_status_priority"] {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {ix}"))
                .await?;
        }
        Ok(())
    }
}
