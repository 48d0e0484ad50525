//! The bulk path: many rows per statement, many statements per transaction. For seeding
//! benchmark data sets and imports, where one HTTP call (or one INSERT) per row would take
//! hours. Rows are written as given: callers build complete, consistent models.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, TransactionSession, TransactionTrait,
};

use crate::error::StoreResult;

/// Rows per INSERT statement; keeps the bound parameters under SQLite's limit (32 766)
/// for the widest table.
pub const ROWS_PER_STATEMENT: usize = 500;

/// Inserts `rows` in statements of [`ROWS_PER_STATEMENT`], all in one transaction.
pub async fn insert<A, C>(db: &C, rows: Vec<A>) -> StoreResult<()>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait + TransactionTrait,
{
    if rows.is_empty() {
        return Ok(());
    }
    let tx = db.begin().await?;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(&tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
