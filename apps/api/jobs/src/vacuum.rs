//! The worker keeps its queue table vacuumed on PostgreSQL: every `vacuum_every` it looks
//! at the table's dead rows and vacuums past `vacuum_dead_rows` (see
//! [`jobs::vacuum_if_dead`] for why autovacuum is not enough). With several workers,
//! whoever looks first vacuums; one that looks while that vacuum runs skips.

use std::time::Duration;

use helpdesk_storage::Store;
use helpdesk_storage::repo::jobs;

use crate::WorkerConfig;

/// Runs for as long as it is polled (the worker's whole life).
pub(crate) async fn keep_vacuumed(store: &Store, worker: &str, config: &WorkerConfig) {
    let mut every = tokio::time::interval(config.vacuum_every.max(Duration::from_millis(1)));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match jobs::vacuum_if_dead(store.write(), config.vacuum_dead_rows).await {
            Ok(Some(dead)) => {
                tracing::debug!(worker, dead, "queue table vacuumed");
                metrics::counter!("job_queue_vacuums_total").increment(1);
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(worker, error = %e, "vacuuming the queue table failed"),
        }
    }
}
