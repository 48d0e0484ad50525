//! A job queue whose cost does not grow with its history: finished jobs move to
//! `jobs_done` in the statement that completes them, so the hot table holds only work that
//! is waiting, running, or dead; the claim reads two partial indexes (due jobs, running
//! leases) that hold nothing else; and on PostgreSQL the table is set up for churn (room
//! on each page for updates, and vacuum after a few hundred dead rows instead of 20 %).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0013_job_history"
    }
}

/// The columns `jobs_done` shares with `jobs`, in order.
pub(crate) const MOVED_COLUMNS: &str =
    "id, scope_id, kind, payload, run_at, attempts, max_attempts, dedup_key, created_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "jobs_done",
            vec![
                id(),
                uuid("scope_id"),
                text("kind"),
                json("payload"),
                instant("run_at"),
                ColumnDef::new(Alias::new("attempts"))
                    .integer()
                    .not_null()
                    .take(),
                ColumnDef::new(Alias::new("max_attempts"))
                    .integer()
                    .not_null()
                    .take(),
                text_null("dedup_key"),
                // When the last attempt was claimed: `started_at - run_at` is its wait.
                instant("started_at"),
                instant("finished_at"),
            ],
            vec![],
        ))
        .await?;
        let db = m.get_connection();
        let postgres = db.get_database_backend() == DbBackend::Postgres;
        let mut statements = vec![
            format!(
                "INSERT INTO jobs_done ({MOVED_COLUMNS}, started_at, finished_at, updated_at) \
                 SELECT {MOVED_COLUMNS}, updated_at, COALESCE(finished_at, updated_at), updated_at \
                 FROM jobs WHERE state = 'done'"
            ),
            "DELETE FROM jobs WHERE state = 'done'".to_owned(),
            "DROP INDEX ix_jobs_due".to_owned(),
            // The claim's two lookups, each an index of exactly the rows it may return.
            "CREATE INDEX ix_jobs_due ON jobs (run_at) WHERE state IN ('queued', 'failed')"
                .to_owned(),
            "CREATE INDEX ix_jobs_lease ON jobs (locked_until) WHERE state = 'running'".to_owned(),
            // A dedup key stays taken after its job finished (until the history is purged).
            "CREATE INDEX ix_jobs_done_dedup ON jobs_done (scope_id, kind, dedup_key) \
             WHERE dedup_key IS NOT NULL"
                .to_owned(),
            "CREATE INDEX ix_jobs_done_scope ON jobs_done (scope_id, id)".to_owned(),
            "CREATE INDEX ix_jobs_done_finished ON jobs_done (finished_at)".to_owned(),
        ];
        if postgres {
            statements.push(
                "ALTER TABLE jobs SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0, \
                 autovacuum_vacuum_threshold = 500, autovacuum_vacuum_insert_threshold = 500, \
                 autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 500, \
                 autovacuum_vacuum_cost_delay = 0)"
                    .to_owned(),
            );
        }
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
