//! Waking workers in other processes through PostgreSQL when there is no Redis: `NOTIFY`
//! after jobs were committed, `LISTEN` in the worker. SQLite has no other processes to
//! wake (its worker runs in the server), so both are no-ops there. A lost wake-up only
//! costs the worker's poll interval.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::ConnectionTrait;
use sea_orm::sqlx::postgres::PgListener;
use tokio::sync::Notify;

use crate::{Backend, Store};

/// The channel workers listen on.
pub const CHANNEL: &str = "helpdesk_jobs";

impl Store {
    /// Tells listening workers that jobs were committed.
    pub async fn notify_workers(&self) -> Result<(), sea_orm::DbErr> {
        if self.backend() != Backend::Postgres {
            return Ok(());
        }
        self.write()
            .execute_unprepared(&format!("NOTIFY {CHANNEL}"))
            .await
            .map(|_| ())
    }

    /// Wakes `wake` on every notification, reconnecting after errors, until `stop`
    /// resolves; returns at once on SQLite.
    pub async fn listen_for_jobs(&self, wake: Arc<Notify>, stop: impl Future<Output = ()>) {
        if self.backend() != Backend::Postgres {
            return;
        }
        let pool = self.write().get_postgres_connection_pool().clone();
        tokio::pin!(stop);
        loop {
            tokio::select! {
                () = &mut stop => return,
                e = listen_once(&pool, &wake) => {
                    tracing::warn!(error = %e, "job wake-ups: listening failed; polling until it reconnects");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }
}

/// Listens until the connection fails; returns why.
async fn listen_once(pool: &sea_orm::sqlx::PgPool, wake: &Notify) -> sea_orm::sqlx::Error {
    let mut listener = match PgListener::connect_with(pool).await {
        Ok(l) => l,
        Err(e) => return e,
    };
    if let Err(e) = listener.listen(CHANNEL).await {
        return e;
    }
    // Jobs committed while nobody listened: look now.
    wake.notify_one();
    loop {
        if let Err(e) = listener.recv().await {
            return e;
        }
        wake.notify_one();
    }
}
