//! The references to a ticket that its creating transaction writes before the ticket itself
//! (its `ticket.created` event and SLA steps) may be checked at commit: creation takes the
//! workspace's ticket number last, so the counter's lock is held only over the ticket's
//! insert and the commit (`repo::tickets::defer_references`). PostgreSQL needs the
//! constraints declared deferrable (they stay checked at once unless a transaction defers
//! them); SQLite defers per transaction with a pragma and needs nothing here. (Both are
//! now written in the ticket's own statement, which checks them at its end.)

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0025_deferrable_ticket_refs"
    }
}

const CONSTRAINTS: [(&str, &str); 2] = [
    ("ticket_events", "ticket_events_ticket_id_fkey"),
    ("sla_events", "sla_events_ticket_id_fkey"),
];

async fn set(m: &SchemaManager<'_>, how: &str) -> Result<(), DbErr> {
    let db = m.get_connection();
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for (table, constraint) in CONSTRAINTS {
        db.execute_unprepared(&format!(
            "ALTER TABLE {table} ALTER CONSTRAINT {constraint} {how}"
        ))
        .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        set(m, "DEFERRABLE INITIALLY IMMEDIATE").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        set(m, "NOT DEFERRABLE").await
    }
}
