//! Indexes for the SLA views ("SLA at risk", "SLA breached"): without them a count or a
//! page of either walks every open ticket of the workspace, since most tickets match
//! neither. Each is partial, so it holds only tickets with a running or broken clock.

use sea_orm_migration::prelude::*;

use super::cols::*;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0012_sla_filters"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let col = |c: &str| Expr::col(Alias::new(c));
        // The same literal the list query compares with, so SQLite sees the index applies.
        m.create_index(
            index(
                "tickets",
                "ix_tickets_sla_breached",
                &["workspace_id"],
                false,
            )
            .and_where(col("sla_breached").eq(Expr::cust("TRUE")))
            .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "tickets",
                "ix_tickets_sla_due_at",
                &["workspace_id", "sla_due_at"],
                false,
            )
            .and_where(col("sla_due_at").is_not_null())
            .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "tickets",
                "ix_tickets_sla_warn_at",
                &["workspace_id", "sla_warn_at"],
                false,
            )
            .and_where(col("sla_warn_at").is_not_null())
            .to_owned(),
        )
        .await
    }
}
