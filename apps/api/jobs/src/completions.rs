//! Successful jobs recorded in batches: a finished job's id waits here until the flusher
//! moves it, with every other one that finished meanwhile, to the history in one statement.
//! Under load that is one write for many jobs; when idle, a job is recorded at once.

use std::sync::Mutex;

use helpdesk_storage::Store;
use helpdesk_storage::repo::jobs;
use tokio::sync::Notify;
use uuid::Uuid;

/// The most ids one statement names.
const BATCH: usize = 500;

#[derive(Debug, Default)]
pub struct Completions {
    pending: Mutex<Vec<Uuid>>,
    ready: Notify,
    /// Held for a whole flush, so the last flush at shutdown waits for one in flight
    /// (else the release that follows could hand back a job that is being recorded).
    flushing: tokio::sync::Mutex<()>,
}

impl Completions {
    pub fn push(&self, id: Uuid) {
        if let Ok(mut p) = self.pending.lock() {
            p.push(id);
        }
        self.ready.notify_one();
    }

    fn take(&self) -> Vec<Uuid> {
        self.pending
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }

    /// Records every pending completion; on an error they stay pending for the next try
    /// and this returns `false`.
    pub async fn flush(&self, store: &Store, worker: &str, now: i64) -> bool {
        let _flushing = self.flushing.lock().await;
        let ids = self.take();
        for (i, chunk) in ids.chunks(BATCH).enumerate() {
            if let Err(e) = jobs::complete_many(store.write(), chunk, worker, now).await {
                tracing::warn!(error = %e, jobs = ids.len() - i * BATCH, "recording finished jobs failed; retrying");
                if let Ok(mut p) = self.pending.lock() {
                    p.extend_from_slice(&ids[i * BATCH..]);
                }
                return false;
            }
        }
        true
    }

    /// Flushes whenever completions are pending, for as long as it is polled.
    pub async fn run(&self, store: &Store, worker: &str, now: impl Fn() -> i64) {
        loop {
            self.ready.notified().await;
            if !self.flush(store, worker, now()).await {
                // Try again after a pause rather than in a tight loop.
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                self.ready.notify_one();
            }
        }
    }
}
