//! SLA outcomes decided in a window: each metric cycle counts once, as breached at its
//! breach instant, or as met at its fulfilment when it never breached (the fulfilled step
//! records that in `met`).

use helpdesk_domain::TenantCtx;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{ConnectionTrait, QueryResult, StreamTrait};
use uuid::Uuid;

use super::{ReportFilter, Window, each_row, scope, t, tcol};
use crate::error::StoreResult;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaOutcome {
    pub ticket_id: Uuid,
    pub metric: String,
    pub met: bool,
    pub assignee_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
}

/// Each SLA cycle decided in `w`, handed to `visit`.
pub async fn sla_outcomes(
    db: &impl StreamTrait,
    ctx: &TenantCtx,
    f: &ReportFilter,
    w: Window,
    visit: impl FnMut(SlaOutcome),
) -> StoreResult<()> {
    let e = Alias::new("e");
    let ecol = |c: &str| Expr::col((Alias::new("e"), Alias::new(c)));
    let mut q = Query::select();
    q.distinct()
        .column((e.clone(), Alias::new("ticket_id")))
        .column((e.clone(), Alias::new("metric")))
        .column((e.clone(), Alias::new("cycle")))
        .column((e.clone(), Alias::new("kind")))
        .column((t(), Alias::new("assignee_id")))
        .column((t(), Alias::new("organization_id")))
        .from_as(Alias::new("sla_events"), e.clone())
        .join_as(
            JoinType::InnerJoin,
            Alias::new("tickets"),
            t(),
            tcol("id").equals((e, Alias::new("ticket_id"))),
        )
        .and_where(ecol("workspace_id").eq(ctx.workspace_id.as_uuid()))
        .and_where(ecol("at").gte(w.from))
        .and_where(ecol("at").lt(w.to))
        .and_where(
            ecol("kind")
                .eq("breached")
                .or(ecol("kind").eq("fulfilled").and(ecol("met").eq(true))),
        );
    scope(&mut q, ctx.workspace_id.as_uuid(), f);
    let row = |r: &QueryResult| {
        let kind: String = r.try_get("", "kind")?;
        Ok(SlaOutcome {
            ticket_id: r.try_get("", "ticket_id")?,
            metric: r.try_get("", "metric")?,
            met: kind == "fulfilled",
            assignee_id: r.try_get("", "assignee_id")?,
            organization_id: r.try_get("", "organization_id")?,
        })
    };
    each_row(db, &q, row, visit).await
}

/// [`sla_outcomes`] counted in the database: `(metric, met, cycles)`. Joins the tickets
/// only when a filter needs them.
pub async fn sla_counts(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    f: &ReportFilter,
    w: Window,
) -> StoreResult<Vec<(String, bool, i64)>> {
    let e = Alias::new("e");
    let ecol = |c: &str| Expr::col((Alias::new("e"), Alias::new(c)));
    let mut decided = Query::select();
    decided
        .distinct()
        .column((e.clone(), Alias::new("ticket_id")))
        .column((e.clone(), Alias::new("metric")))
        .column((e.clone(), Alias::new("cycle")))
        .column((e.clone(), Alias::new("kind")))
        .from_as(Alias::new("sla_events"), e.clone())
        .and_where(ecol("workspace_id").eq(ctx.workspace_id.as_uuid()))
        .and_where(ecol("at").gte(w.from))
        .and_where(ecol("at").lt(w.to))
        .and_where(
            ecol("kind")
                .eq("breached")
                .or(ecol("kind").eq("fulfilled").and(ecol("met").eq(true))),
        );
    if *f != ReportFilter::default() {
        decided.join_as(
            JoinType::InnerJoin,
            Alias::new("tickets"),
            t(),
            tcol("id").equals((e, Alias::new("ticket_id"))),
        );
        scope(&mut decided, ctx.workspace_id.as_uuid(), f);
    }
    let d = Alias::new("d");
    let q = Query::select()
        .column((d.clone(), Alias::new("metric")))
        .column((d.clone(), Alias::new("kind")))
        .expr(Expr::cust("count(*)"))
        .from_subquery(decided, d.clone())
        .group_by_col((d.clone(), Alias::new("metric")))
        .group_by_col((d, Alias::new("kind")))
        .to_owned();
    db.query_all(&q)
        .await?
        .iter()
        .map(|r| {
            let kind: String = r.try_get_by_index(1)?;
            Ok((
                r.try_get_by_index(0)?,
                kind == "fulfilled",
                r.try_get_by_index(2)?,
            ))
        })
        .collect()
}
