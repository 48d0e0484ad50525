//! The rows reports are computed from, read with the report's filters. Aggregation into
//! figures happens in the caller with `helpdesk_domain::report`, so both databases give
//! the same numbers by the same definitions (docs/reports.md).

mod activity;
mod sla;
mod tickets;

pub use activity::{TimeTotal, organizations, replies_by_author, staff, time_totals};
pub use sla::{SlaOutcome, sla_counts, sla_outcomes};
pub use tickets::{
    ReportTicket, backlog, created_count, created_in, durations, reopened_in, resolved_in,
};

use helpdesk_domain::{OrganizationId, Priority, UserId};
use sea_orm::{ConnectionTrait, QueryResult, StreamTrait};

use crate::error::StoreResult;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, SelectStatement};

/// Runs `q` and hands each row, converted, to `visit` as it arrives. A report can read
/// hundreds of thousands of rows (every ticket of a busy month): collected into a vector
/// of the driver's rows, one 30-day report of 500,000 tickets raised the server's peak
/// memory by hundreds of megabytes, and even converted rows cost ~150 bytes a ticket when
/// the caller keeps a few counters and minutes per agent.
pub(crate) async fn each_row<T>(
    db: &impl StreamTrait,
    q: &SelectStatement,
    convert: impl Fn(&QueryResult) -> StoreResult<T>,
    mut visit: impl FnMut(T),
) -> StoreResult<()> {
    use futures::TryStreamExt;
    let rows = db.stream(q).await?;
    let mut rows = std::pin::pin!(rows);
    while let Some(r) = rows.try_next().await? {
        visit(convert(&r)?);
    }
    Ok(())
}

/// `[from, to)`, stored instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: i64,
    pub to: i64,
}

/// Narrows every figure to some tickets: an organization, an assignee, a priority.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportFilter {
    pub organization: Option<OrganizationId>,
    pub agent: Option<UserId>,
    pub priority: Option<Priority>,
}

/// The ticket table as the reports alias it.
pub(crate) fn t() -> Alias {
    Alias::new("t")
}

pub(crate) fn tcol(c: &str) -> Expr {
    Expr::col((t(), Alias::new(c)))
}

/// Applies the workspace and `f` to a query over tickets aliased `t`.
pub(crate) fn scope(q: &mut SelectStatement, workspace: uuid::Uuid, f: &ReportFilter) {
    q.and_where(tcol("workspace_id").eq(workspace));
    if let Some(o) = f.organization {
        q.and_where(tcol("organization_id").eq(o.as_uuid()));
    }
    if let Some(a) = f.agent {
        q.and_where(tcol("assignee_id").eq(a.as_uuid()));
    }
    if let Some(p) = f.priority {
        q.and_where(tcol("priority").eq(p.rank()));
    }
}

/// A read-only snapshot for one report, so its figures agree with each other. On
/// PostgreSQL it is `REPEATABLE READ` with JIT compilation off: these mid-sized aggregates
/// run in tens of milliseconds, and compiling them cost more than running them.
pub async fn snapshot(store: &crate::Store) -> StoreResult<sea_orm::DatabaseTransaction> {
    use sea_orm::{AccessMode, IsolationLevel, TransactionTrait};
    let db = store.read();
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        let tx = db
            .begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await?;
        tx.execute_unprepared("SET LOCAL jit = off").await?;
        Ok(tx)
    } else {
        Ok(db.begin().await?)
    }
}
