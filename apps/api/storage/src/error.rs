//! The storage error type: what the HTTP layer needs to tell apart, and the database cause.

use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique constraint said no; the string names what was duplicated.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The database cannot be reached now (connection refused, pool timed out); a retry
    /// later may succeed.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] DbErr),
    #[error("database error: {0}")]
    Db(#[source] DbErr),
    /// A stored value that does not parse: a bug or a hand edit, never the client's fault.
    #[error("corrupt data: {0}")]
    Corrupt(String),
}

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict("duplicate"),
            _ if is_unavailable(&e) => StoreError::Unavailable(e),
            _ => StoreError::Db(e),
        }
    }
}

impl StoreError {
    /// Names the duplicated thing when a unique constraint fired; passes other errors on.
    pub fn conflict_as(self, what: &'static str) -> Self {
        match self {
            StoreError::Conflict(_) => StoreError::Conflict(what),
            other => other,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Whether `e` says the database could not be reached, rather than that a statement failed.
pub fn is_unavailable(e: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    use sea_orm::sqlx::Error as Sqlx;
    let sqlx = match e {
        // Opening a connection failed, however it failed (refused, reset, a peer that is
        // not answering as PostgreSQL).
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return true,
        DbErr::Exec(RuntimeErr::SqlxError(s)) | DbErr::Query(RuntimeErr::SqlxError(s)) => s,
        _ => return false,
    };
    matches!(
        **sqlx,
        Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed
    )
}
