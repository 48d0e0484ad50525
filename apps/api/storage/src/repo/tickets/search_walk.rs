//! SQLite's newest-first search for a common word: walk the workspace's matches in the
//! full-text index from the newest rowid down (rowids are given at creation, so they follow
//! ticket age), a growing chunk at a time, until a page of tickets passing the other
//! filters is found — never every match. Rowid order is only almost creation order (two
//! creations may commit in the other order than their clocks read), so the page is then
//! made exact: tickets that rank above the page's last row but lie below the walked range
//! are looked up one by one — only when the running maximum of creation times below the
//! range (m0016) says there can be any, which is normally not the case.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Statement,
    Value,
};
use uuid::Uuid;

use super::Ticket;
use super::list::{Cursor, SearchPlan, Sort, TicketFilter, fts5_query, matching};
use crate::entities::ticket;
use crate::error::StoreResult;
use helpdesk_domain::{Role, TenantCtx};

/// The first chunk of matches read; each further one is four times larger, up to the cap.
const FIRST_CHUNK: i64 = 64;
const MAX_CHUNK: i64 = 16_384;

/// A ticket's rowid in the full-text index, for a query on `tickets`.
const ROWID: &str = "(SELECT rowid FROM ticket_search WHERE ticket_id = tickets.id)";

/// Rowids of the matches of `query` below `below`, newest first.
async fn matches_below(
    db: &impl ConnectionTrait,
    query: &str,
    below: i64,
    chunk: i64,
) -> StoreResult<Vec<i64>> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ? AND rowid < ? \
             ORDER BY rowid DESC LIMIT ?",
            [Value::from(query), below.into(), chunk.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| Ok(r.try_get_by_index::<i64>(0)?))
        .collect()
}

/// The newest creation time of any ticket whose rowid lies below `below` (an upper bound,
/// kept by the insert trigger; a row without one counts as the newest possible; `None` when
/// there is no ticket below).
async fn newest_below(db: &impl ConnectionTrait, below: i64) -> StoreResult<Option<i64>> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT coalesce(created_max, 9223372036854775807) FROM ticket_search \
             WHERE rowid < ? ORDER BY rowid DESC LIMIT 1",
            [below.into()],
        ))
        .await?;
    Ok(match row {
        Some(r) => Some(r.try_get_by_index::<i64>(0)?),
        None => None,
    })
}

/// Whether the ticket at `rowid` matches `query`.
async fn matches(db: &impl ConnectionTrait, query: &str, rowid: i64) -> StoreResult<bool> {
    Ok(db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT 1 FROM tickets_fts WHERE tickets_fts MATCH ? AND rowid = ?",
            [Value::from(query), rowid.into()],
        ))
        .await?
        .is_some())
}

fn newest_first(a: &Ticket, b: &Ticket) -> std::cmp::Ordering {
    (b.created_at, b.id).cmp(&(a.created_at, a.id))
}

/// One page (`limit + 1` rows) of `f` sorted newest first, for a search with many matches
/// (SQLite; [`list`](super::list) takes it above a few thousand matches, tests call it
/// directly).
pub async fn newest_matches(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    f: &TicketFilter,
    after: Option<Cursor>,
    limit: u64,
) -> StoreResult<Vec<Ticket>> {
    let backend = DbBackend::Sqlite;
    let staff = ctx.role != Role::Customer;
    let query = fts5_query(ctx.workspace_id.as_uuid(), &f.words, staff);
    // Every other filter, the cursor and visibility, as the list applies them; unordered,
    // so that SQLite looks the few tickets up by id instead of walking the workspace.
    let rest = TicketFilter {
        words: Vec::new(),
        ..f.clone()
    };
    let others = || {
        matching(
            backend,
            ctx,
            &rest,
            Sort::CreatedDesc,
            after,
            SearchPlan::FewMatches,
        )
    };
    let want = usize::try_from(limit + 1).unwrap_or(usize::MAX);
    // Sort keys only, newest first; the page's rows are read once at the end.
    let mut found: Vec<(i64, Uuid)> = Vec::new();
    let (mut below, mut chunk) = (i64::MAX, FIRST_CHUNK);
    let exhausted = loop {
        let rowids = matches_below(db, &query, below, chunk).await?;
        let Some(last) = rowids.last() else {
            break true;
        };
        below = *last;
        let list = rowids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let in_chunk = Expr::cust(format!(
            "tickets.id IN (SELECT ticket_id FROM ticket_search WHERE rowid IN ({list}))"
        ));
        let keys: Vec<(i64, Uuid)> = others()
            .filter(in_chunk)
            .select_only()
            .column(ticket::Column::CreatedAt)
            .column(ticket::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        found.extend(keys);
        if rowids.len() < usize::try_from(chunk).unwrap_or(usize::MAX) {
            break true;
        }
        if found.len() >= want {
            break false;
        }
        chunk = Ord::min(chunk * 4, MAX_CHUNK);
    };
    found.sort_unstable_by(|a, b| b.cmp(a));
    found.truncate(want);
    let edge = (!exhausted && found.len() == want).then(|| found[want - 1]);
    // Tickets below the walked range can only rank on the page if one of them was created
    // at or after its last row; normally none was, and the bound says so in one lookup.
    let edge = match edge {
        Some(edge) => newest_below(db, below)
            .await?
            .is_some_and(|newest| newest >= edge.0)
            .then_some(edge),
        None => None,
    };
    if let Some(edge) = edge {
        // Tickets ranking at or above the page's last row whose rowid lies below the
        // walked range: created out of rowid order. Few rows (the newest), one index range.
        let stragglers: Vec<(i64, Uuid, i64)> = others()
            .filter(
                Expr::tuple([
                    Expr::col((ticket::Entity, ticket::Column::CreatedAt)),
                    Expr::col((ticket::Entity, ticket::Column::Id)),
                ])
                .gte(Expr::tuple([Expr::val(edge.0), Expr::val(edge.1)])),
            )
            .filter(Expr::cust(format!("{ROWID} < {below}")))
            .select_only()
            .column(ticket::Column::CreatedAt)
            .column(ticket::Column::Id)
            .column_as(Expr::cust(ROWID), "search_rowid")
            .into_tuple()
            .all(db)
            .await?;
        for (created_at, id, rowid) in stragglers {
            if matches(db, &query, rowid).await? {
                found.push((created_at, id));
            }
        }
        found.sort_unstable_by(|a, b| b.cmp(a));
        found.truncate(want);
    }
    let mut rows = ticket::Entity::find()
        .filter(ticket::Column::Id.is_in(found.iter().map(|k| k.1)))
        .all(db)
        .await?;
    rows.sort_by(newest_first);
    Ok(rows)
}
