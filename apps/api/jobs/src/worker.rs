//! The worker loop: wakes periodically (later: on queue notifications) until shutdown.

use std::future::Future;
use std::time::Duration;

use helpdesk_storage::Store;

/// Runs until `shutdown` resolves.
pub async fn run_worker(store: Store, poll_every: Duration, shutdown: impl Future<Output = ()>) {
    tracing::info!(backend = ?store.backend(), "worker started");
    tokio::pin!(shutdown);
    let mut tick = tokio::time::interval(poll_every);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            _ = tick.tick() => {
                // No job kinds exist yet; the queue is polled here once it does.
            }
        }
    }
    tracing::info!("worker stopped");
}
