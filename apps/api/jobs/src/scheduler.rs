//! The scheduler loop: ticks once a second (later: fires due schedules) until shutdown.

use std::future::Future;
use std::time::Duration;

use helpdesk_storage::Store;

/// Runs until `shutdown` resolves.
pub async fn run_scheduler(store: Store, shutdown: impl Future<Output = ()>) {
    tracing::info!(backend = ?store.backend(), "scheduler started");
    tokio::pin!(shutdown);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            _ = tick.tick() => {
                // No schedules are defined yet; due ones are fired here once they are.
            }
        }
    }
    tracing::info!("scheduler stopped");
}
