//! Ticket lists: filters, keyset pagination over each sort, full-text search (the one
//! per-backend query), and the incremental export.

use helpdesk_domain::{OrganizationId, Priority, Role, TenantCtx, TicketStatus, UserId};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, QueryFilter, QueryOrder, QuerySelect, Value,
};
use uuid::Uuid;

use super::{Ticket, visible};
use crate::entities::ticket::{self, Column as C};
use crate::entities::ticket_tag;
use crate::error::StoreResult;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssigneeFilter {
    /// Assigned to one of these.
    Any(Vec<UserId>),
    /// Unassigned.
    Nobody,
}

#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub statuses: Vec<TicketStatus>,
    pub priorities: Vec<Priority>,
    pub assignee: Option<AssigneeFilter>,
    pub requesters: Vec<UserId>,
    pub organizations: Vec<OrganizationId>,
    /// Tickets carrying any of these tags.
    pub tags: Vec<String>,
    /// Words that must all appear in the subject, the description or one message.
    pub words: Vec<String>,
    pub created_after: Option<i64>,
    pub created_before: Option<i64>,
    pub sla: Option<SlaFilter>,
}

/// Tickets by SLA standing at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaFilter {
    /// A current cycle breached, or a running deadline is past.
    Breached { now: i64 },
    /// A running clock passed its warning point, none has breached.
    AtRisk { now: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    CreatedAsc,
    #[default]
    CreatedDesc,
    UpdatedDesc,
    PriorityDesc,
    /// The earliest running SLA deadline first; tickets without one last.
    Due,
}

/// Where the previous page ended: the sort keys of its last row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub keys: [i64; 2],
    pub id: Uuid,
}

impl Cursor {
    pub fn after(t: &Ticket, sort: Sort) -> Self {
        let keys = match sort {
            Sort::CreatedAsc | Sort::CreatedDesc => [t.created_at, 0],
            Sort::UpdatedDesc => [t.updated_at, 0],
            Sort::PriorityDesc => [i64::from(t.priority), t.created_at],
            Sort::Due => [t.sla_due_at.unwrap_or(i64::MAX), 0],
        };
        Cursor { keys, id: t.id }
    }
}

/// How SQLite should evaluate a search: fetch the (few) matches and sort them, or walk the
/// tickets in sort order and test each against the (many) matches. PostgreSQL's planner
/// makes this choice itself from its statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchPlan {
    #[default]
    FewMatches,
    ManyMatches,
}

/// Above this many matches SQLite walks tickets in order instead of sorting the matches.
const FEW_MATCHES: u64 = 5000;

/// The FTS5 query for `words` in `workspace`'s tickets (m0014: one token per workspace).
pub(super) fn fts5_query(workspace: Uuid, words: &[String], staff: bool) -> String {
    // Each word quoted: FTS5 syntax in user input is never interpreted.
    let quoted = words
        .iter()
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ");
    let columns = if staff {
        "subject description messages notes"
    } else {
        "subject description messages"
    };
    format!(
        "workspace : \"w{}\" AND {{{columns}}} : ({quoted})",
        workspace.simple()
    )
}

/// All `words` in the ticket: subject, description, public messages, and for staff the
/// internal notes too.
fn full_text(
    backend: DbBackend,
    workspace: Uuid,
    words: &[String],
    staff: bool,
    plan: SearchPlan,
) -> Expr {
    match backend {
        DbBackend::Postgres => {
            let column = if staff {
                "tickets.search_all"
            } else {
                "tickets.search_public"
            };
            Expr::cust_with_values(
                format!("{column} @@ plainto_tsquery('simple', $1)"),
                [Value::from(words.join(" "))],
            )
        }
        _ => {
            let query = Value::from(fts5_query(workspace, words, staff));
            match plan {
                SearchPlan::FewMatches => Expr::cust_with_values(
                    "tickets.id IN (SELECT ticket_id FROM tickets_fts WHERE tickets_fts MATCH ?)",
                    [query],
                ),
                // Tickets are walked in the list's order and each is looked up in the
                // index by its rowid: a page costs a few seeks per ticket read, never the
                // whole (huge) set of matches. An `IN (…MATCH…)` would produce every
                // match before the first row.
                SearchPlan::ManyMatches => Expr::cust_with_values(
                    "EXISTS (SELECT 1 FROM tickets_fts WHERE tickets_fts MATCH ? AND \
                     tickets_fts.rowid = (SELECT rowid FROM ticket_search WHERE ticket_id = tickets.id))",
                    [query],
                ),
            }
        }
    }
}

/// Picks the SQLite search plan by counting matches, up to the threshold.
async fn search_plan(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    words: &[String],
) -> StoreResult<SearchPlan> {
    let staff = ctx.role != Role::Customer;
    if words.is_empty() || db.get_database_backend() != DbBackend::Sqlite {
        return Ok(SearchPlan::FewMatches);
    }
    let stmt = sea_orm::Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "SELECT count(*) FROM (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ? LIMIT ?)",
        [
            Value::from(fts5_query(ctx.workspace_id.as_uuid(), words, staff)),
            Value::from(FEW_MATCHES as i64),
        ],
    );
    let n: i64 = match db.query_one_raw(stmt).await? {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    Ok(if n as u64 >= FEW_MATCHES {
        SearchPlan::ManyMatches
    } else {
        SearchPlan::FewMatches
    })
}

/// The `sort=due` key, exactly as indexed (`ix_tickets_sla_due`).
fn due_key() -> Expr {
    Expr::cust(crate::migrations::m0005_ticket_sla::DUE_KEY)
}

fn sla_condition(f: SlaFilter, ctx: &TenantCtx) -> Condition {
    match f {
        // The flag is compared with a literal, not a parameter, so SQLite can prove the
        // partial indexes of m0012 apply (it never does for a bound value).
        // Breached: flagged, or past a running deadline. As a union of two index lookups
        // (a plain OR made SQLite walk every open ticket instead).
        SlaFilter::Breached { now } => {
            let ws = ctx.workspace_id.as_uuid();
            let mut either = Query::select()
                .column(C::Id)
                .from(ticket::Entity)
                .and_where(Expr::col(C::WorkspaceId).eq(ws))
                .and_where(Expr::col(C::SlaBreached).eq(Expr::cust("TRUE")))
                .to_owned();
            let overdue = Query::select()
                .column(C::Id)
                .from(ticket::Entity)
                .and_where(Expr::col(C::WorkspaceId).eq(ws))
                .and_where(Expr::col(C::SlaDueAt).lte(now))
                .to_owned();
            either.union(sea_orm::sea_query::UnionType::All, overdue);
            Condition::all().add(Expr::col((ticket::Entity, C::Id)).in_subquery(either))
        }
        SlaFilter::AtRisk { now } => Condition::all()
            .add(Expr::col((ticket::Entity, C::SlaBreached)).eq(Expr::cust("FALSE")))
            .add(C::SlaWarnAt.lte(now))
            .add(C::SlaDueAt.gt(now)),
    }
}

fn keyset(sort: Sort, c: Cursor) -> Expr {
    let tuple = |cols: Vec<Expr>| Expr::tuple(cols);
    let id = Expr::col((ticket::Entity, C::Id));
    match sort {
        Sort::CreatedAsc => tuple(vec![Expr::col((ticket::Entity, C::CreatedAt)), id])
            .gt(tuple(vec![Expr::val(c.keys[0]), Expr::val(c.id)])),
        Sort::CreatedDesc => tuple(vec![Expr::col((ticket::Entity, C::CreatedAt)), id])
            .lt(tuple(vec![Expr::val(c.keys[0]), Expr::val(c.id)])),
        Sort::UpdatedDesc => tuple(vec![Expr::col((ticket::Entity, C::UpdatedAt)), id])
            .lt(tuple(vec![Expr::val(c.keys[0]), Expr::val(c.id)])),
        Sort::PriorityDesc => tuple(vec![
            Expr::col((ticket::Entity, C::Priority)),
            Expr::col((ticket::Entity, C::CreatedAt)),
            id,
        ])
        .lt(tuple(vec![
            Expr::val(c.keys[0]),
            Expr::val(c.keys[1]),
            Expr::val(c.id),
        ])),
        Sort::Due => {
            tuple(vec![due_key(), id]).gt(tuple(vec![Expr::val(c.keys[0]), Expr::val(c.id)]))
        }
    }
}

/// One page of the tickets `ctx` may see, `limit + 1` rows to tell whether more follow.
pub async fn list(
    store: &crate::Store,
    ctx: &TenantCtx,
    f: &TicketFilter,
    sort: Sort,
    after: Option<Cursor>,
    limit: u64,
) -> StoreResult<Vec<Ticket>> {
    use sea_orm::EntityTrait;
    let db = store.read();
    // SQLite's newest-first search walks the index (rare words end after one chunk).
    if !f.words.is_empty()
        && sort == Sort::CreatedDesc
        && db.get_database_backend() == DbBackend::Sqlite
    {
        return super::search_walk::newest_matches(db, ctx, f, after, limit).await;
    }
    let plan = search_plan(db, ctx, &f.words).await?;
    let backend = db.get_database_backend();
    let stmt = super::list_statement(backend, ctx, f, sort, after, limit, plan);
    // A search stays with custom plans: how common its words are decides its plan.
    let db = if f.words.is_empty() && super::merge::merges(f, sort) {
        store.lists()
    } else {
        db
    };
    Ok(ticket::Entity::find().from_raw_sql(stmt).all(db).await?)
}

/// The query behind [`list`], for `EXPLAIN` and the benchmark's bare-SQL anchor.
pub fn list_query(
    backend: DbBackend,
    ctx: &TenantCtx,
    f: &TicketFilter,
    sort: Sort,
    after: Option<Cursor>,
    limit: u64,
    plan: SearchPlan,
) -> sea_orm::Select<ticket::Entity> {
    let mut q = matching(backend, ctx, f, sort, after, plan);
    q = match sort {
        Sort::CreatedAsc => q.order_by_asc(C::CreatedAt).order_by_asc(C::Id),
        Sort::CreatedDesc => q.order_by_desc(C::CreatedAt).order_by_desc(C::Id),
        Sort::UpdatedDesc => q.order_by_desc(C::UpdatedAt).order_by_desc(C::Id),
        Sort::PriorityDesc => q
            .order_by_desc(C::Priority)
            .order_by_desc(C::CreatedAt)
            .order_by_desc(C::Id),
        Sort::Due => q
            .order_by(due_key(), sea_orm::Order::Asc)
            .order_by_asc(C::Id),
    };
    q.limit(limit + 1)
}

/// The tickets `ctx` may see that match `f` and come after `after` in `sort`, unordered.
pub(super) fn matching(
    backend: DbBackend,
    ctx: &TenantCtx,
    f: &TicketFilter,
    sort: Sort,
    after: Option<Cursor>,
    plan: SearchPlan,
) -> sea_orm::Select<ticket::Entity> {
    let q = filtered(backend, ctx, f, plan);
    match after {
        Some(c) => q.filter(Condition::all().add(keyset(sort, c))),
        None => q,
    }
}

/// How many tickets `ctx` may see match `f`, counted up to `cap` (a view's badge says
/// "999+" rather than paying for an exact count of a huge backlog).
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    f: &TicketFilter,
    cap: u64,
) -> StoreResult<u64> {
    use sea_orm::QueryTrait;
    let plan = search_plan(db, ctx, &f.words).await?;
    let backend = db.get_database_backend();
    // `SELECT 1`: an index that answers the filter answers the count without the rows.
    let inner = filtered(backend, ctx, f, plan)
        .select_only()
        .expr(Expr::val(1))
        .limit(cap)
        .into_query();
    let outer = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_subquery(inner, sea_orm::sea_query::Alias::new("capped"))
        .to_owned();
    let row = db.query_one(&outer).await?;
    let n: i64 = match row {
        Some(r) => r.try_get_by_index(0)?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The tickets `ctx` may see that match `f`, unordered.
fn filtered(
    backend: DbBackend,
    ctx: &TenantCtx,
    f: &TicketFilter,
    plan: SearchPlan,
) -> sea_orm::Select<ticket::Entity> {
    let mut q = visible(ctx);
    if !f.statuses.is_empty() {
        q = q.filter(C::Status.is_in(f.statuses.iter().map(|s| s.as_str())));
    }
    if !f.priorities.is_empty() {
        q = q.filter(C::Priority.is_in(f.priorities.iter().map(|p| p.rank())));
    }
    match &f.assignee {
        Some(AssigneeFilter::Nobody) => q = q.filter(C::AssigneeId.is_null()),
        Some(AssigneeFilter::Any(ids)) => {
            q = q.filter(C::AssigneeId.is_in(ids.iter().map(|u| u.as_uuid())))
        }
        None => {}
    }
    if !f.requesters.is_empty() {
        q = q.filter(C::RequesterId.is_in(f.requesters.iter().map(|u| u.as_uuid())));
    }
    if !f.organizations.is_empty() {
        q = q.filter(C::OrganizationId.is_in(f.organizations.iter().map(|o| o.as_uuid())));
    }
    if !f.tags.is_empty() {
        let tagged = Query::select()
            .column(ticket_tag::Column::TicketId)
            .from(ticket_tag::Entity)
            .and_where(Expr::col(ticket_tag::Column::WorkspaceId).eq(ctx.workspace_id.as_uuid()))
            .and_where(Expr::col(ticket_tag::Column::Tag).is_in(f.tags.clone()))
            .to_owned();
        q = q.filter(C::Id.in_subquery(tagged));
    }
    if !f.words.is_empty() {
        q = q.filter(full_text(
            backend,
            ctx.workspace_id.as_uuid(),
            &f.words,
            ctx.role != Role::Customer,
            plan,
        ));
    }
    if let Some(t) = f.created_after {
        q = q.filter(C::CreatedAt.gte(t));
    }
    if let Some(t) = f.created_before {
        q = q.filter(C::CreatedAt.lt(t));
    }
    if let Some(s) = f.sla {
        q = q.filter(sla_condition(s, ctx));
    }
    q
}

/// Tickets changed after `(updated_at, id)` and at or before `horizon`, oldest first.
/// The horizon stays a little behind the clock so that a transaction that started
/// earlier but commits later is not skipped.
pub async fn changed_since(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    after: Option<(i64, Uuid)>,
    horizon: i64,
    limit: u64,
) -> StoreResult<Vec<Ticket>> {
    let mut q = visible(ctx).filter(C::UpdatedAt.lte(horizon));
    if let Some((t, id)) = after {
        q = q.filter(
            Expr::tuple([
                Expr::col((ticket::Entity, C::UpdatedAt)),
                Expr::col((ticket::Entity, C::Id)),
            ])
            .gt(Expr::tuple([Expr::val(t), Expr::val(id)])),
        );
    }
    Ok(q.order_by_asc(C::UpdatedAt)
        .order_by_asc(C::Id)
        .limit(limit)
        .all(db)
        .await?)
}
