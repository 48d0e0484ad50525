//! Lists filtered on statuses or on several priorities as one keyset range per value (or
//! pair of values), merged in order: each branch reads about one page of its own index
//! (`ix_tickets_ws_status_priority_created`, `ix_tickets_ws_priority_created`; a status
//! filter without priorities is read as every priority of each status), whatever the
//! planner's statistics say and however the tickets are spread over the values. A single
//! `IN` over the values either sorts every match or walks the creation index past every
//! closed ticket, and which of the two PostgreSQL picks depended on whether autovacuum had
//! run.
//!
//! Branches alone were not enough on PostgreSQL: for a workspace its statistics had not
//! seen yet (20,000 tickets after the last `ANALYZE`), custom plans estimated every path
//! at a row or two and read all the new tickets through whichever index was smallest, then
//! sorted them. So [`list`](super::list) runs merged statements on `Store::lists`, whose
//! sessions use generic plans: planned once per connection for any workspace, with the
//! average workspace's estimates, where the index that answers all three equalities in
//! creation order is the cheapest path by far. (Row ranges instead of equalities, planned
//! with sorting switched off, were tried: PostgreSQL 15 stops a backward scan on a row
//! comparison only at its first column, so an empty `(NEW, HIGH)` branch walked every
//! `(NEW, MEDIUM)` ticket below it.)

use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Order, Query, UnionType};
use sea_orm::{
    DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Statement,
};

use crate::entities::ticket;

use super::TicketFilter;
use super::list::{Cursor, SearchPlan, Sort, list_query};
use helpdesk_domain::{Priority, TenantCtx};

/// Branches beyond this many (every status times every priority is 30) run as one query.
const MAX_BRANCHES: usize = 30;

/// Whether a list is worth merging: sorted by creation and filtered on statuses, or on
/// more than one priority, in at most [`MAX_BRANCHES`] branches. Counts without building
/// them ([`list`](super::list) asks before choosing its connection).
pub(super) fn merges(f: &TicketFilter, sort: Sort) -> bool {
    if !matches!(sort, Sort::CreatedAsc | Sort::CreatedDesc) {
        return false;
    }
    let priorities = match (f.statuses.is_empty(), f.priorities.is_empty()) {
        // The status index has the priority next: every priority, one range each.
        (false, true) => Priority::ALL.len(),
        (true, true) => 1,
        _ => f.priorities.len(),
    };
    (2..=MAX_BRANCHES).contains(&(f.statuses.len().max(1) * priorities))
}

/// One filter per branch when the list is worth merging ([`merges`]). Each branch names one
/// status and one priority, or one priority, which an index serves in creation order.
fn branches(f: &TicketFilter, sort: Sort) -> Option<Vec<TicketFilter>> {
    if !merges(f, sort) {
        return None;
    }
    let statuses: Vec<_> = if f.statuses.is_empty() {
        vec![None]
    } else {
        f.statuses.iter().map(|s| Some(*s)).collect()
    };
    let priorities: Vec<_> = if f.priorities.is_empty() {
        if f.statuses.is_empty() {
            vec![None]
        } else {
            Priority::ALL.iter().map(|p| Some(*p)).collect()
        }
    } else {
        f.priorities.iter().map(|p| Some(*p)).collect()
    };
    let mut out = Vec::with_capacity(statuses.len() * priorities.len());
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
        // Only the sort keys: the branches read their index alone, and the rows of the
        // final page are fetched once, by id.
        let part = list_query(backend, ctx, g, sort, after, limit, plan)
            .select_only()
            .column(ticket::Column::Id)
            .column(ticket::Column::CreatedAt)
            .into_query();
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
    let page = Query::select()
        .column(Alias::new("id"))
        .from_subquery(union, Alias::new("merged"))
        .order_by_expr(Expr::col(Alias::new("created_at")), order.clone())
        .order_by_expr(Expr::col(Alias::new("id")), order.clone())
        .limit(limit + 1)
        .to_owned();
    let rows = ticket::Entity::find()
        .filter(Expr::col((ticket::Entity, ticket::Column::Id)).in_subquery(page))
        .order_by(ticket::Column::CreatedAt, order.clone())
        .order_by(ticket::Column::Id, order);
    rows.build(backend)
}
