//! Ticket numbers: the per-workspace counter, bumped in the creating transaction so that
//! numbers never repeat or skip, and on PostgreSQL the insert that takes its number in the
//! same statement.

use helpdesk_domain::TenantCtx;
use sea_orm::sea_query::{
    Alias, CommonTableExpression, Expr, ExprTrait, InsertStatement, OnConflict, Query, WithClause,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Iterable,
};

use super::Ticket;
use crate::entities::ticket;
use crate::error::{StoreError, StoreResult};

/// Bumps the workspace's counter and returns the new `last_number`: an upsert on the
/// counter row, which also serialises concurrent creations on PostgreSQL through its row
/// lock.
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
                .value(last.clone(), Expr::col((counters, last.clone())).add(1))
                .to_owned(),
        )
        .returning_col(last)
        .to_owned()
}

/// The next ticket number of the workspace.
pub(super) async fn next_number(db: &impl ConnectionTrait, ctx: &TenantCtx) -> StoreResult<i64> {
    let row = db
        .query_one(&bump_counter(ctx))
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

fn bug(what: String) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(what))
}

/// Inserts `draft` numbered by the counter in one statement (PostgreSQL: the counter's
/// upsert in a `WITH`): the lock it takes is then held over this one statement and the
/// commit, not over a further round trip for the insert.
pub(super) async fn insert_numbered(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    draft: Ticket,
) -> StoreResult<Ticket> {
    const NEXT: &str = "next_number";
    let model = draft.into_active_model();
    let mut values = Vec::new();
    for column in ticket::Column::iter() {
        values.push(match column {
            ticket::Column::Number => Expr::cust(format!("(SELECT last_number FROM {NEXT})")),
            c => {
                let v = model
                    .get(c)
                    .into_value()
                    .ok_or_else(|| bug(format!("{c:?} not set")))?;
                c.save_as(Expr::val(v))
            }
        });
    }
    let insert = Query::insert()
        .into_table(ticket::Entity)
        .columns(ticket::Column::iter())
        .values(values)
        .map_err(|e| bug(e.to_string()))?
        .returning_all()
        .to_owned();
    let stmt = insert.with(
        WithClause::new()
            .cte(
                CommonTableExpression::new()
                    .query(bump_counter(ctx))
                    .table_name(Alias::new(NEXT))
                    .to_owned(),
            )
            .to_owned(),
    );
    ticket::Entity::find()
        .from_raw_sql(db.get_database_backend().build(&stmt))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}
