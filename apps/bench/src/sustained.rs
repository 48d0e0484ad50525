//! `helpdesk-bench sustained`: the API and a worker on the same machine under a write
//! flood (tickets and replies, half each) for a while; then how long the queue takes to
//! drain, how long jobs waited (from `jobs_done`: claimed minus due), and how many ticket
//! events went all the way through (dispatched, rules and emails queued and run).
//! `queue-prep` readies the queue first: the earlier scenarios' backlog (they ran without
//! a worker) is dropped, and the history filled to a given size.

use std::sync::Arc;
use std::time::{Duration, Instant};

use helpdesk_storage::Store;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde::{Deserialize, Serialize};

use crate::load::{self, Scenario};
use crate::report::Results;
use crate::run::rss_mb;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sustained {
    pub seconds: f64,
    pub concurrency: usize,
    /// Finished jobs in the history before the load started.
    pub history_before: i64,
    /// API requests per second during the load.
    pub api_rps: f64,
    pub api_errors: u64,
    /// `event.dispatch` jobs finished, per second from the load's start to the drain.
    pub end_to_end_per_s: f64,
    pub events_done: i64,
    pub jobs_done: i64,
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
    /// The queue latency's p99 per 10 s of the load (flat is the target).
    pub latency_p99_by_window_ms: Vec<f64>,
    /// Jobs waiting or running, once a second from the start until drained.
    pub depth: Vec<i64>,
    pub drain_s: f64,
    pub worker_peak_rss_mb: Option<f64>,
}

fn micros_now() -> i64 {
    helpdesk_domain::time::to_micros(jiff::Timestamp::now())
}

async fn scalar(store: &Store, sql: &str) -> anyhow::Result<i64> {
    let db = store.read();
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no row: {sql}"))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

async fn depth(store: &Store) -> anyhow::Result<i64> {
    scalar(
        store,
        "SELECT count(*) FROM jobs WHERE state IN ('queued', 'running', 'failed')",
    )
    .await
}

/// Drops waiting jobs and fills `jobs_done` up to `history` rows (old, finished jobs).
pub async fn prepare(database_url: &str, history: i64) -> anyhow::Result<()> {
    let store = Store::connect(database_url, &Default::default()).await?;
    let db = store.write();
    let backend = db.get_database_backend();
    db.execute_unprepared("DELETE FROM jobs WHERE state IN ('queued', 'running', 'failed')")
        .await?;
    let have = scalar(&store, "SELECT count(*) FROM jobs_done").await?;
    let missing = history - have;
    if missing > 0 {
        eprintln!("bench: adding {missing} finished jobs to the history");
        // A week old, so the sweep of old history would take them; ids are random v4.
        let old = micros_now() - 6 * 86_400_000_000;
        let sql = match backend {
            DbBackend::Postgres => format!(
                "INSERT INTO jobs_done (id, scope_id, kind, payload, run_at, attempts, max_attempts, \
                 dedup_key, started_at, finished_at, created_at, updated_at) \
                 SELECT gen_random_uuid(), '00000000-0000-0000-0000-000000000000', 'event.dispatch', \
                 '{{}}', {old} + g, 1, 8, 'h' || g, {old} + g, {old} + g, {old} + g, {old} + g \
                 FROM generate_series(1, {missing}) g"
            ),
            _ => format!(
                "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {missing}) \
                 INSERT INTO jobs_done (id, scope_id, kind, payload, run_at, attempts, max_attempts, \
                 dedup_key, started_at, finished_at, created_at, updated_at) \
                 SELECT randomblob(16), zeroblob(16), 'event.dispatch', '{{}}', {old} + n, 1, 8, \
                 'h' || n, {old} + n, {old} + n, {old} + n, {old} + n FROM g"
            ),
        };
        db.execute_unprepared(&sql).await?;
    }
    if backend == DbBackend::Postgres {
        db.execute_unprepared("VACUUM ANALYZE jobs").await?;
    }
    store.close().await;
    Ok(())
}

fn percentile(sorted: &[i64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1000.0
}

/// Runs the flood for `seconds`, waits for the drain, and adds the figures to `results`.
pub async fn run(
    fixture: Arc<load::Fixture>,
    database_url: &str,
    concurrency: usize,
    seconds: u64,
    worker_pid: Option<u32>,
) -> anyhow::Result<Sustained> {
    let store = Store::connect(database_url, &Default::default()).await?;
    let history_before = scalar(&store, "SELECT count(*) FROM jobs_done").await?;
    let start = micros_now();
    let started = Instant::now();
    let sampler = {
        let store = store.clone();
        tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                samples.push(depth(&store).await.unwrap_or(-1));
                if samples.len() > 1
                    && samples.last() == Some(&0)
                    && started.elapsed() > Duration::from_secs(seconds)
                {
                    return samples;
                }
            }
        })
    };
    let load = load::run(
        fixture,
        Scenario::Writes,
        concurrency,
        Duration::from_secs(seconds),
    )
    .await?;
    let load_end = Instant::now();
    let deadline = load_end + Duration::from_secs(600);
    while depth(&store).await? > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let drain_s = load_end.elapsed().as_secs_f64();
    let total_s = started.elapsed().as_secs_f64();
    let depth_samples = sampler.await?;
    let rows = store
        .read()
        .query_all_raw(Statement::from_string(
            store.read().get_database_backend(),
            format!("SELECT kind, run_at, started_at FROM jobs_done WHERE created_at >= {start}"),
        ))
        .await?;
    let mut waits = Vec::with_capacity(rows.len());
    let mut events_done = 0;
    let window = 10_000_000i64;
    let mut by_window: Vec<Vec<i64>> = vec![Vec::new(); (seconds as usize).div_ceil(10).max(1)];
    for r in &rows {
        let kind: String = r.try_get_by_index(0)?;
        let run_at: i64 = r.try_get_by_index(1)?;
        let started_at: i64 = r.try_get_by_index(2)?;
        let wait = (started_at - run_at).max(0);
        waits.push(wait);
        if let Some(w) = by_window.get_mut(usize::try_from((run_at - start) / window).unwrap_or(0))
        {
            w.push(wait);
        }
        if kind == "event.dispatch" {
            events_done += 1;
        }
    }
    waits.sort_unstable();
    let by_window = by_window
        .into_iter()
        .map(|mut w| {
            w.sort_unstable();
            percentile(&w, 0.99)
        })
        .collect();
    store.close().await;
    Ok(Sustained {
        seconds: load.seconds,
        concurrency,
        history_before,
        api_rps: load.rps,
        api_errors: load.errors,
        end_to_end_per_s: events_done as f64 / total_s,
        events_done,
        jobs_done: rows.len() as i64,
        latency_p50_ms: percentile(&waits, 0.5),
        latency_p99_ms: percentile(&waits, 0.99),
        latency_p99_by_window_ms: by_window,
        depth: depth_samples,
        drain_s,
        worker_peak_rss_mb: worker_pid.and_then(|p| rss_mb(p, "VmHWM:")),
    })
}

pub fn print(s: &Sustained) {
    eprintln!(
        "sustained: api {:.0} req/s, end to end {:.0} events/s ({} events, {} jobs), queue latency p50 {:.1} ms p99 {:.1} ms, drained {:.1} s after the load; p99 per 10 s: {:?}",
        s.api_rps,
        s.end_to_end_per_s,
        s.events_done,
        s.jobs_done,
        s.latency_p50_ms,
        s.latency_p99_ms,
        s.drain_s,
        s.latency_p99_by_window_ms
    );
}

/// Prints the figures and stores them in the results file `out`, which `run --out` wrote:
/// the sustained figures are one part of a backend's results, not a file of their own.
pub fn record(s: &Sustained, out: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context as _;
    print(s);
    let bytes = std::fs::read(out).with_context(|| {
        format!(
            "the figures above were not stored: {} is not a results file of `helpdesk-bench run --out`",
            out.display()
        )
    })?;
    let mut r: Results = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not a results file", out.display()))?;
    r.sustained = Some(s.clone());
    std::fs::write(out, serde_json::to_vec_pretty(&r)?)?;
    Ok(())
}

/// The sustained run's section of docs/performance.md.
pub fn markdown(s: &Sustained, out: &mut String) {
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "\nSustained writes with the worker running ({:.0} s, concurrency {}, {} finished jobs in the history before): \
         API {:.0} req/s ({} errors); {} ticket events dispatched ({:.0} per s from the start to the drain), {} jobs in all; \
         queue latency p50 {:.0} ms, p99 {:.0} ms; p99 per 10 s of load: {} ms; drained {:.1} s after the load. \
         Jobs waiting or running, once a second: {}.{}",
        s.seconds,
        s.concurrency,
        s.history_before,
        s.api_rps,
        s.api_errors,
        s.events_done,
        s.end_to_end_per_s,
        s.jobs_done,
        s.latency_p50_ms,
        s.latency_p99_ms,
        s.latency_p99_by_window_ms
            .iter()
            .map(|v| format!("{v:.0}"))
            .collect::<Vec<_>>()
            .join(", "),
        s.drain_s,
        s.depth
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(" "),
        s.worker_peak_rss_mb
            .map(|m| format!(" Worker peak RSS {m:.1} MB."))
            .unwrap_or_default(),
    );
}
