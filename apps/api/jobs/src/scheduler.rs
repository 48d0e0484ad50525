//! The scheduler: every tick, the holder of the lease fires each schedule's most recent due
//! time, recording `(schedule, fire_at)` in the same transaction as the job it enqueues. The
//! unique row makes a tick fire once even with two schedulers that both believe they lead,
//! and firing only the latest due time means a scheduler that was down fires once on
//! return, not once per missed tick.

use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use croner::Cron;
use helpdesk_domain::time::{Clock, from_micros, to_micros};
use helpdesk_storage::Store;
use helpdesk_storage::repo::{jobs, schedule};
use tokio::sync::Notify;

const LEASE: &str = "scheduler";

/// A named cron schedule that enqueues a system job of `kind`.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub name: String,
    pub cron: Cron,
    pub kind: &'static str,
}

impl Schedule {
    /// `expr` has five fields, or six with seconds first.
    pub fn new(name: &str, expr: &str, kind: &'static str) -> Result<Self, String> {
        let cron = Cron::from_str(expr).map_err(|e| format!("schedule {name}: {e}"))?;
        Ok(Self {
            name: name.to_owned(),
            cron,
            kind,
        })
    }

    /// The latest time at or before `now` (µs) when this schedule was due.
    fn due(&self, now: i64) -> Option<i64> {
        let zoned = from_micros(now).to_zoned(jiff::tz::TimeZone::UTC);
        let prev = self.cron.find_previous_occurrence(&zoned, true).ok()?;
        Some(to_micros(prev.timestamp()))
    }
}

#[derive(Debug, Clone)]
pub struct Scheduler {
    pub id: String,
    store: Store,
    schedules: Arc<Vec<Schedule>>,
    tick: Duration,
    wake_workers: Arc<Notify>,
    clock: Arc<dyn Clock>,
}

impl Scheduler {
    pub fn new(
        store: Store,
        schedules: Vec<Schedule>,
        tick: Duration,
        wake_workers: Arc<Notify>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let id = format!("scheduler-{}", uuid::Uuid::now_v7().simple());
        Self {
            id,
            store,
            schedules: Arc::new(schedules),
            tick,
            wake_workers,
            clock,
        }
    }

    /// One tick: renew the lease, fire what is due. Returns how many schedules fired.
    pub async fn tick(&self) -> Result<usize, TickError> {
        let now = to_micros(self.clock.now());
        let lease_until = now + i64::try_from((self.tick * 5).as_micros()).unwrap_or(i64::MAX / 2);
        if !schedule::lease(self.store.write(), LEASE, &self.id, now, lease_until).await? {
            return Ok(0);
        }
        let mut fired = 0;
        for s in self.schedules.iter() {
            let Some(fire_at) = s.due(now) else { continue };
            let tx = self.store.begin().await?;
            if schedule::record_fire(&tx, &s.name, fire_at, &self.id, now).await? {
                let payload = serde_json::json!({ "schedule": s.name, "fire_at": fire_at });
                let job = jobs::NewJob::new(s.kind, payload).dedup(format!("{}:{fire_at}", s.name));
                jobs::enqueue(&tx, jobs::SYSTEM, job, now).await?;
                fired += 1;
            }
            tx.commit().await?;
        }
        if fired > 0 {
            self.wake_workers.notify_one();
        }
        Ok(fired)
    }

    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tracing::info!(scheduler = %self.id, schedules = self.schedules.len(), "scheduler started");
        tokio::pin!(shutdown);
        let mut every = tokio::time::interval(self.tick);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                _ = every.tick() => {
                    if let Err(e) = self.tick().await {
                        tracing::warn!(error = %e, "scheduler tick failed");
                    }
                }
            }
        }
        tracing::info!(scheduler = %self.id, "scheduler stopped");
    }
}

/// Why a tick failed: storage or database.
#[derive(Debug, thiserror::Error)]
pub enum TickError {
    #[error(transparent)]
    Store(#[from] helpdesk_storage::StoreError),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}
