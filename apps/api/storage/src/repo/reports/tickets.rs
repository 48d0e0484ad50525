//! Tickets created, resolved and reopened in a window, and the backlog now.

use helpdesk_domain::{TenantCtx, TicketStatus};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult, StreamTrait};
use uuid::Uuid;

use super::{ReportFilter, Window, each_row, scope, t, tcol};
use crate::error::StoreResult;

/// What the reports need of one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTicket {
    pub id: Uuid,
    pub created_at: i64,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub first_response_business_minutes: Option<i64>,
    pub resolution_business_minutes: Option<i64>,
    pub status: String,
    pub priority: i16,
    pub assignee_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
}

const COLUMNS: [&str; 10] = [
    "id",
    "created_at",
    "first_response_at",
    "resolved_at",
    "first_response_business_minutes",
    "resolution_business_minutes",
    "status",
    "priority",
    "assignee_id",
    "organization_id",
];

fn select(ctx: &TenantCtx, f: &ReportFilter) -> SelectStatement {
    let mut q = Query::select();
    for c in COLUMNS {
        q.column((t(), Alias::new(c)));
    }
    q.from_as(Alias::new("tickets"), t());
    scope(&mut q, ctx.workspace_id.as_uuid(), f);
    q.to_owned()
}

fn row(r: &QueryResult) -> StoreResult<ReportTicket> {
    Ok(ReportTicket {
        id: r.try_get("", "id")?,
        created_at: r.try_get("", "created_at")?,
        first_response_at: r.try_get("", "first_response_at")?,
        resolved_at: r.try_get("", "resolved_at")?,
        first_response_business_minutes: r.try_get("", "first_response_business_minutes")?,
        resolution_business_minutes: r.try_get("", "resolution_business_minutes")?,
        status: r.try_get("", "status")?,
        priority: r.try_get("", "priority")?,
        assignee_id: r.try_get("", "assignee_id")?,
        organization_id: r.try_get("", "organization_id")?,
    })
}

/// Tickets created in `w`, each handed to `visit`.
pub async fn created_in(
    db: &impl StreamTrait,
    ctx: &TenantCtx,
    f: &ReportFilter,
    w: Window,
    visit: impl FnMut(ReportTicket),
) -> StoreResult<()> {
    let mut q = select(ctx, f);
    q.and_where(tcol("created_at").gte(w.from))
        .and_where(tcol("created_at").lt(w.to));
    each_row(db, &q, row, visit).await
}

/// Tickets whose latest resolution falls in `w`, each handed to `visit`.
pub async fn resolved_in(
    db: &impl StreamTrait,
    ctx: &TenantCtx,
    f: &ReportFilter,
    w: Window,
    visit: impl FnMut(ReportTicket),
) -> StoreResult<()> {
    let mut q = select(ctx, f);
    q.and_where(tcol("resolved_at").gte(w.from))
        .and_where(tcol("resolved_at").lt(w.to));
    each_row(db, &q, row, visit).await
}

/// Tickets reopened (moved from `RESOLVED` back to work) in `w`, each handed to `visit`
/// once.
pub async fn reopened_in(
    db: &impl StreamTrait,
    ctx: &TenantCtx,
    f: &ReportFilter,
    w: Window,
    visit: impl FnMut(ReportTicket),
) -> StoreResult<()> {
    let c = Alias::new("c");
    let changes = Query::select()
        .column((c.clone(), Alias::new("ticket_id")))
        .from_as(Alias::new("ticket_status_changes"), c.clone())
        .and_where(
            Expr::col((c.clone(), Alias::new("workspace_id"))).eq(ctx.workspace_id.as_uuid()),
        )
        .and_where(
            Expr::col((c.clone(), Alias::new("from_status"))).eq(TicketStatus::Resolved.as_str()),
        )
        .and_where(
            Expr::col((c.clone(), Alias::new("to_status"))).ne(TicketStatus::Closed.as_str()),
        )
        .and_where(Expr::col((c.clone(), Alias::new("at"))).gte(w.from))
        .and_where(Expr::col((c, Alias::new("at"))).lt(w.to))
        .to_owned();
    let mut q = select(ctx, f);
    q.and_where(tcol("id").in_subquery(changes));
    each_row(db, &q, row, visit).await
}

/// Open tickets now (not `RESOLVED` or `CLOSED`): `(status, priority rank, count)`.
pub async fn backlog(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    f: &ReportFilter,
) -> StoreResult<Vec<(String, i16, i64)>> {
    let mut q = Query::select();
    q.column((t(), Alias::new("status")))
        .column((t(), Alias::new("priority")))
        .expr_as(Expr::cust("count(*)"), Alias::new("n"))
        .from_as(Alias::new("tickets"), t());
    scope(&mut q, ctx.workspace_id.as_uuid(), f);
    q.and_where(tcol("status").is_not_in([
        TicketStatus::Resolved.as_str(),
        TicketStatus::Closed.as_str(),
    ]))
    .group_by_col((t(), Alias::new("status")))
    .group_by_col((t(), Alias::new("priority")))
    .order_by((t(), Alias::new("status")), Order::Asc);
    db.query_all(&q)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("", "status")?,
                r.try_get("", "priority")?,
                r.try_get("", "n")?,
            ))
        })
        .collect()
}

/// `(created_at, instant, stored business minutes)` of the tickets created in `w` that
/// have a first response, or (with `resolved`) of those whose latest resolution falls in
/// `w`: the three columns the overview's durations need, and no more. Each row is handed
/// to `visit`.
pub async fn durations(
    db: &impl StreamTrait,
    ctx: &TenantCtx,
    f: &ReportFilter,
    w: Window,
    resolved: bool,
    visit: impl FnMut((i64, i64, Option<i64>)),
) -> StoreResult<()> {
    let (at, minutes, window_col) = if resolved {
        ("resolved_at", "resolution_business_minutes", "resolved_at")
    } else {
        (
            "first_response_at",
            "first_response_business_minutes",
            "created_at",
        )
    };
    let mut q = Query::select();
    q.column((t(), Alias::new("created_at")))
        .column((t(), Alias::new(at)))
        .column((t(), Alias::new(minutes)))
        .from_as(Alias::new("tickets"), t());
    scope(&mut q, ctx.workspace_id.as_uuid(), f);
    q.and_where(tcol(window_col).gte(w.from))
        .and_where(tcol(window_col).lt(w.to))
        .and_where(tcol(at).is_not_null());
    let row = |r: &QueryResult| {
        Ok((
            r.try_get_by_index(0)?,
            r.try_get_by_index(1)?,
            r.try_get_by_index(2)?,
        ))
    };
    each_row(db, &q, row, visit).await
}

/// How many tickets were created in `w`.
pub async fn created_count(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    f: &ReportFilter,
    w: Window,
) -> StoreResult<i64> {
    let mut q = Query::select();
    q.expr(Expr::cust("count(*)"))
        .from_as(Alias::new("tickets"), t());
    scope(&mut q, ctx.workspace_id.as_uuid(), f);
    q.and_where(tcol("created_at").gte(w.from))
        .and_where(tcol("created_at").lt(w.to));
    Ok(match db.query_one(&q).await? {
        Some(r) => r.try_get_by_index(0)?,
        None => 0,
    })
}
