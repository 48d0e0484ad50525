//! Connecting to SQLite or PostgreSQL, and the [`Store`] handle the rest of the system holds.
//!
//! The only per-backend code here is how pools are built: SQLite gets WAL, foreign keys,
//! a busy timeout, a single-connection writer pool so writes queue in-process instead
//! of failing with `SQLITE_BUSY`, and readers in proportion to the cores with small page
//! caches; PostgreSQL uses one pool for everything but merged ticket
//! lists, which get a small pool of their own that plans them generically (see
//! [`Store::lists`]).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sea_orm::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode,
    SqlxPostgresConnector, SqlxSqliteConnector, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use crate::migrations::Migrator;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Handle to the database: a read pool and a write pool (the same pool on PostgreSQL).
#[derive(Debug, Clone)]
pub struct Store {
    read: DatabaseConnection,
    write: DatabaseConnection,
    lists: DatabaseConnection,
    /// SQLite's writer pool itself, for a transaction sent in one round trip
    /// ([`Batch::commit_alone`](crate::batch::Batch::commit_alone)).
    sqlite_writer: Option<SqlitePool>,
    backend: Backend,
}

#[derive(Debug, Clone)]
pub struct PoolSize {
    pub max_connections: u32,
    /// Longest wait for a PostgreSQL connection before a request gives up (503).
    pub acquire_timeout: Duration,
}

impl Default for PoolSize {
    fn default() -> Self {
        Self {
            max_connections: 16,
            acquire_timeout: Duration::from_secs(3),
        }
    }
}

impl Store {
    /// Connects to `url` (`sqlite://path` or `postgres://…`).
    pub async fn connect(url: &str, pool: &PoolSize) -> Result<Self, DbErr> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::connect_postgres(url, pool).await
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            Self::connect_sqlite(Path::new(path.split('?').next().unwrap_or(path)), pool).await
        } else {
            Err(DbErr::Custom(
                "database url must start with sqlite:// or postgres://".into(),
            ))
        }
    }

    async fn connect_postgres(url: &str, pool: &PoolSize) -> Result<Self, DbErr> {
        let opts = PgConnectOptions::from_str(url).map_err(conn_err)?;
        let pg = PgPoolOptions::new()
            .max_connections(pool.max_connections)
            // While the database is unreachable, requests fail fast (503) instead of
            // queueing behind connection attempts.
            .acquire_timeout(pool.acquire_timeout)
            .connect_with(opts.clone())
            .await
            .map_err(conn_err)?;
        let conn = SqlxPostgresConnector::from_sqlx_postgres_pool(pg);
        // Generic plans are the same whatever the values, so they cannot go wrong for one
        // workspace the statistics have not seen yet (which custom plans did); and each
        // connection plans a statement once instead of on every request.
        let lists = PgPoolOptions::new()
            .max_connections((pool.max_connections / 2).max(2))
            .acquire_timeout(pool.acquire_timeout)
            .connect_lazy_with(opts.options([("plan_cache_mode", "force_generic_plan")]));
        Ok(Self {
            read: conn.clone(),
            write: conn,
            lists: SqlxPostgresConnector::from_sqlx_postgres_pool(lists),
            sqlite_writer: None,
            backend: Backend::Postgres,
        })
    }

    async fn connect_sqlite(path: &Path, pool: &PoolSize) -> Result<Self, DbErr> {
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts.clone())
            .await
            .map_err(conn_err)?;
        let reader = SqlitePoolOptions::new()
            .max_connections(sqlite_readers(pool.max_connections))
            .acquire_timeout(Duration::from_secs(10))
            // 512 KiB of pages per reader instead of SQLite's 2 MB: the operating system
            // caches the file anyway, and a report's scan filled every reader's cache,
            // 21 MB of the server's peak at 8 readers, with no measurable gain in speed
            // (docs/performance.md). The writer keeps the default.
            .connect_with(opts.pragma("cache_size", "-512"))
            .await
            .map_err(conn_err)?;
        let read = SqlxSqliteConnector::from_sqlx_sqlite_pool(reader);
        Ok(Self {
            lists: read.clone(),
            read,
            sqlite_writer: Some(writer.clone()),
            write: SqlxSqliteConnector::from_sqlx_sqlite_pool(writer),
            backend: Backend::Sqlite,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Connection for reads outside a transaction.
    pub fn read(&self) -> &DatabaseConnection {
        &self.read
    }

    /// Connection for the merged ticket lists (`repo::tickets::list_statement`): on
    /// PostgreSQL a pool whose sessions always use generic plans, on SQLite the read pool.
    pub fn lists(&self) -> &DatabaseConnection {
        &self.lists
    }

    /// SQLite's one writer connection, as a pool of one; `None` on PostgreSQL.
    pub(crate) fn sqlite_writer(&self) -> Option<&SqlitePool> {
        self.sqlite_writer.as_ref()
    }

    /// Connection for single-statement writes outside a transaction.
    pub fn write(&self) -> &DatabaseConnection {
        &self.write
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE` on SQLite, so it never fails half-way
    /// on a lock upgrade).
    pub async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        self.write
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await
    }

    pub async fn migrate(&self) -> Result<(), DbErr> {
        Migrator::up(&self.write, None).await
    }

    /// Migrations this binary knows that the database has not applied (all of them on an
    /// empty database).
    pub async fn pending_migrations(&self) -> Result<usize, DbErr> {
        Ok(Migrator::get_pending_migrations(&self.write).await?.len())
    }

    /// A trivial round trip, for `/ready`.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.read.execute_unprepared("SELECT 1").await.map(|_| ())
    }

    pub async fn close(self) {
        let _ = self.read.close().await;
        let _ = self.write.close().await;
        let _ = self.lists.close().await;
    }
}

/// SQLite's readers run on this machine's cores, not on a database server's: more of them
/// than four per core only queue inside SQLite and the kernel instead of in the pool, and
/// each keeps a page cache of its own. On 2 cores, 8 readers instead of 16 served the list,
/// search and ticket scenarios as fast or up to 11 % faster, with p99s up to a quarter
/// lower, and lowered the server's peak memory by 35 MB (docs/performance.md).
fn sqlite_readers(max_connections: u32) -> u32 {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_cores = u32::try_from(cores.saturating_mul(4)).unwrap_or(u32::MAX);
    max_connections.min(per_cores).max(2)
}

fn conn_err(e: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Conn(sea_orm::RuntimeErr::SqlxError(std::sync::Arc::new(e)))
}
