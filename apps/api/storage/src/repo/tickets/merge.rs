//! Lists filtered on several statuses or priorities as one keyset range per value (or
//! pair of values), merged in order: each branch reads about one page of its own index
//! (`ix_tickets_ws_status_created`, `ix_tickets_ws_priority_created`,
//! `ix_tickets_ws_status_priority_created`), whatever the
//! planner's statistics say and however the tickets are spread over the values. A single
//! `IN` over the values either sorts every match or walks the creation index past every
//! closed ticket, and which of the two PostgreSQL picks depended on whether autovacuum had
//! run.

use sea_orm::sea_query::{Alias, Asterisk, Expr, Order, Query, UnionType};
use sea_orm::{DbBackend, QueryTrait, Statement};

use super::TicketFilter;
use super::list::{Cursor, SearchPlan, Sort, list_query};
use helpdesk_domain::TenantCtx;

/// Branches beyond this many (every status times every priority is 30) run as one query.
const MAX_BRANCHES: usize = 30;

/// One filter per branch when the list is worth merging: sorted by creation and filtered
/// on more than one status, priority, or pair of both. Each branch names one status, one
/// priority, or one of each, which an index serves in creation order.
fn branches(f: &TicketFilter, sort: Sort) -> Option<Vec<TicketFilter>> {
    if !matches!(sort, Sort::CreatedAsc | Sort::CreatedDesc) {
        return None;
    }
    let statuses: Vec<_> = f.statuses.iter().map(|s| Some(*s)).collect();
    let priorities: Vec<_> = f.priorities.iter().map(|p| Some(*p)).collect();
    let statuses = if statuses.is_empty() {
        vec![None]
    } else {
        statuses
    };
    let priorities = if priorities.is_empty() {
        vec![None]
    } else {
        priorities
    };
    let n = statuses.len() * priorities.len();
    if !(2..=MAX_BRANCHES).contains(&n) {
        return None;
    }
    let mut out = Vec::with_capacity(n);
    for s in &statuses {
        for p in &priorities {
            out.push(TicketFilter {
                statuses: s.iter().copied().collect(),
                priorities: p.iter().copied().collect(),
                ..f.clone()
            });
        }
    }
    Some(out)
}

/// The statement behind a list page: [`list_query`], or its branches merged.
pub fn list_statement(
    backend: DbBackend,
    ctx: &TenantCtx,
    f: &TicketFilter,
    sort: Sort,
    after: Option<Cursor>,
    limit: u64,
    plan: SearchPlan,
) -> Statement {
    let Some(filters) = branches(f, sort) else {
        return list_query(backend, ctx, f, sort, after, limit, plan).build(backend);
    };
    let mut union: Option<sea_orm::sea_query::SelectStatement> = None;
    for (i, g) in filters.iter().enumerate() {
        let part = list_query(backend, ctx, g, sort, after, limit, plan).into_query();
        // Each branch keeps its own ORDER BY and LIMIT inside a derived table.
        let wrapped = Query::select()
            .column(Asterisk)
            .from_subquery(part, Alias::new(format!("b{i}")))
            .to_owned();
        match union.as_mut() {
            None => union = Some(wrapped),
            Some(u) => {
                u.union(UnionType::All, wrapped);
            }
        }
    }
    let Some(union) = union else {
        return list_query(backend, ctx, f, sort, after, limit, plan).build(backend);
    };
    let order = if sort == Sort::CreatedAsc {
        Order::Asc
    } else {
        Order::Desc
    };
    let merged = Query::select()
        .column(Asterisk)
        .from_subquery(union, Alias::new("merged"))
        .order_by_expr(Expr::col(Alias::new("created_at")), order.clone())
        .order_by_expr(Expr::col(Alias::new("id")), order)
        .limit(limit + 1)
        .to_owned();
    backend.build(&merged)
}
