//! Ticket numbers: the per-workspace counter, bumped in the creating transaction so that
//! numbers never repeat or skip, and the insert that takes its number in the same round
//! trip.

use helpdesk_domain::TenantCtx;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, InsertStatement, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, FromQueryResult, IntoActiveModel,
    Iterable,
};

use super::Ticket;
use crate::Store;
use crate::batch::Batch;
use crate::entities::ticket;
use crate::error::{StoreError, StoreResult};

/// Bumps the workspace's counter: an upsert on the counter row, which also serialises
/// concurrent creations on PostgreSQL through its row lock.
fn bump_counter(ctx: &TenantCtx) -> InsertStatement {
    let counters = Alias::new("ticket_counters");
    let last = Alias::new("last_number");
    let ws = Alias::new("workspace_id");
    Query::insert()
        .into_table(counters.clone())
        .columns([ws.clone(), last.clone()])
        .values_panic([ctx.workspace_id.as_uuid().into(), 1i64.into()])
        .on_conflict(
            OnConflict::column(ws)
                .value(last.clone(), Expr::col((counters, last)).add(1))
                .to_owned(),
        )
        .to_owned()
}

/// [`bump_counter`], returning the new `last_number`.
fn bump_returning(ctx: &TenantCtx) -> InsertStatement {
    bump_counter(ctx)
        .returning_col(Alias::new("last_number"))
        .to_owned()
}

fn bug(what: String) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(what))
}

/// The insert of `draft` with `number` for its number, returning the row.
fn insert_with_number(draft: Ticket, number: Expr) -> StoreResult<InsertStatement> {
    let model = draft.into_active_model();
    let mut number = Some(number);
    let mut values = Vec::new();
    for column in ticket::Column::iter() {
        values.push(match column {
            ticket::Column::Number => number.take().ok_or_else(|| bug("number twice".into()))?,
            c => {
                let v = model
                    .get(c)
                    .into_value()
                    .ok_or_else(|| bug(format!("{c:?} not set")))?;
                c.save_as(Expr::val(v))
            }
        });
    }
    Ok(Query::insert()
        .into_table(ticket::Entity)
        .columns(ticket::Column::iter())
        .values(values)
        .map_err(|e| bug(e.to_string()))?
        .returning(Query::returning().columns(ticket::Column::iter()))
        .to_owned())
}

/// Inserts `draft` numbered by the counter, with the writes in `with`, in one round trip
/// ([`Batch`]) in the caller's transaction.
pub(super) async fn insert_numbered(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    draft: Ticket,
    with: Batch,
) -> StoreResult<Ticket> {
    let batch = numbered(db.get_database_backend(), ctx, draft, with)?;
    created(batch.query_all(db).await?)
}

/// [`insert_numbered`] as a transaction of its own ([`Batch::commit_alone`]).
pub(super) async fn insert_numbered_alone(
    store: &Store,
    ctx: &TenantCtx,
    draft: Ticket,
    with: Batch,
) -> StoreResult<Ticket> {
    let batch = numbered(store.write().get_database_backend(), ctx, draft, with)?;
    created(batch.commit_alone(store).await?)
}

/// The numbered insert of `draft` with `with`. PostgreSQL: the counter's upsert is a
/// `WITH` part that the insert reads, after `with`'s parts, so the lock it takes is held
/// over this one statement and the commit. SQLite, which runs no data-changing `WITH`: the
/// upsert, then the insert that reads the bumped number, then `with` (whose rows refer to
/// the ticket).
fn numbered(backend: DbBackend, ctx: &TenantCtx, draft: Ticket, with: Batch) -> StoreResult<Batch> {
    const NEXT: &str = "next_number";
    Ok(if backend == DbBackend::Postgres {
        let insert = insert_with_number(
            draft,
            Expr::cust(format!("(SELECT last_number FROM {NEXT})")),
        )?;
        let mut batch = with;
        batch
            .push_named(NEXT, backend.build(&bump_returning(ctx)))
            .push(backend.build(&insert));
        batch
    } else {
        let number = Expr::cust_with_values(
            "(SELECT last_number FROM ticket_counters WHERE workspace_id = ?)",
            [ctx.workspace_id.as_uuid()],
        );
        let mut batch = Batch::new(backend);
        batch
            .push(backend.build(&bump_counter(ctx)))
            .push(backend.build(&insert_with_number(draft, number)?))
            .append(with);
        batch
    })
}

/// The inserted ticket, from the numbered insert's `RETURNING` row.
fn created(rows: Vec<sea_orm::QueryResult>) -> StoreResult<Ticket> {
    let row = rows.first().ok_or(StoreError::NotFound)?;
    Ok(ticket::Model::from_query_result(row, "")?)
}
