//! `helpdesk-bench run`: every scenario against a running server, then the anchors, and
//! the server's memory from /proc; the results as JSON.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use helpdesk_storage::{Backend, Store};

use crate::load::{self, Scenario};
use crate::report::{Anchor, Results};
use crate::{anchors, fixture, pgbench, sql};

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    #[arg(long, default_value = "http://127.0.0.1:18000")]
    pub base_url: String,
    /// The server's database, for the anchors.
    #[arg(long)]
    pub database_url: String,
    /// Tickets in the data set.
    #[arg(long)]
    pub tickets: u64,
    /// Workspaces in the data set (to know which ticket numbers workspace 1 has).
    #[arg(long, default_value_t = 100)]
    pub workspaces: u64,
    #[arg(long, default_value_t = 32)]
    pub concurrency: usize,
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Comma list of scenarios; default all, plus the login flood.
    #[arg(long)]
    pub scenarios: Option<String>,
    /// The server's process id, to read its memory from /proc.
    #[arg(long)]
    pub server_pid: Option<u32>,
    #[arg(long)]
    pub cold_start_ms: Option<f64>,
    #[arg(long)]
    pub skip_anchors: bool,
    /// Tickets created in a new workspace before `list_status` is measured there.
    #[arg(long, default_value_t = 20_000)]
    pub burst: usize,
    #[arg(long)]
    pub out: PathBuf,
}

/// The anchors of this backend: Argon2 on all cores, and pgbench or the SQLite loops.
/// Run them with the server stopped, so that nothing else competes for the machine.
pub async fn measure_anchors(
    store: &Store,
    database_url: &str,
    duration: Duration,
) -> anyhow::Result<Vec<Anchor>> {
    let mut anchors = vec![anchors::argon2_verifies(duration)?];
    if store.backend() == Backend::Postgres {
        let bare = sql::BareSql::load(store).await?;
        let (create, list, status) = bare.pgbench_scripts();
        anchors.push(pgbench::run(
            database_url,
            "pgbench_create_tx",
            &create,
            duration,
        )?);
        anchors.push(pgbench::run(
            database_url,
            "pgbench_list_query",
            &list,
            duration,
        )?);
        anchors.push(pgbench::run(
            database_url,
            "pgbench_status_list",
            &status,
            duration,
        )?);
        sea_orm::ConnectionTrait::execute_unprepared(store.write(), &bare.cleanup_sql()).await?;
    } else {
        anchors.extend(anchors::sqlite(store, duration, 8).await?);
    }
    for x in &anchors {
        eprintln!("{:<34} {:>9.0} per s", x.name, x.per_second);
    }
    Ok(anchors)
}

/// `helpdesk-bench anchors`: measures the anchors and adds them to a results file.
pub async fn anchors_into(
    database_url: &str,
    results: &std::path::Path,
    seconds: u64,
) -> anyhow::Result<()> {
    let mut r: Results = serde_json::from_slice(&std::fs::read(results)?)?;
    let store = Store::connect(database_url, &Default::default()).await?;
    r.anchors = measure_anchors(&store, database_url, Duration::from_secs(seconds)).await?;
    store.close().await;
    std::fs::write(results, serde_json::to_vec_pretty(&r)?)?;
    Ok(())
}

/// `VmRSS` (now) or `VmHWM` (peak) of a process, in MB.
pub fn rss_mb(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Prints a scenario's figures after noting the server's peak RSS so far on it.
fn record(o: &mut crate::report::Scenario, server_pid: Option<u32>) {
    o.peak_rss_mb = server_pid.and_then(|p| rss_mb(p, "VmHWM:"));
    eprintln!(
        "{:<34} {:>9.0} req/s  p50 {:>7.2}  p90 {:>7.2}  p95 {:>7.2}  p99 {:>7.2}  max {:>8.1} ms  errors {}  peak RSS {} MB",
        o.scenario,
        o.rps,
        o.p50_ms,
        o.p90_ms,
        o.p95_ms,
        o.p99_ms,
        o.max_ms,
        o.errors,
        o.peak_rss_mb.map_or("?".into(), |v| format!("{v:.0}"))
    );
}

pub async fn run(a: RunArgs) -> anyhow::Result<()> {
    let idle_rss_mb = a.server_pid.and_then(|p| rss_mb(p, "VmRSS:"));
    let seeded = crate::shape(a.tickets, a.workspaces, 0.5, 3).tickets_in(1);
    let fixture =
        Arc::new(fixture::prepare(&a.base_url, a.concurrency, seeded, a.workspaces).await?);
    let duration = Duration::from_secs(a.seconds);
    let wanted: Vec<Scenario> = match &a.scenarios {
        Some(list) => list
            .split(',')
            .map(|s| {
                Scenario::parse(s.trim()).ok_or_else(|| anyhow::anyhow!("unknown scenario {s}"))
            })
            .collect::<anyhow::Result<_>>()?,
        None => Scenario::ALL.to_vec(),
    };
    let mut scenarios = Vec::new();
    for s in &wanted {
        let mut o = load::run(fixture.clone(), *s, s.concurrency(a.concurrency), duration).await?;
        record(&mut o, a.server_pid);
        scenarios.push(o);
    }
    if a.scenarios.is_none() {
        let mut o =
            load::list_under_login_flood(fixture.clone(), a.concurrency / 2, duration).await?;
        record(&mut o, a.server_pid);
        scenarios.push(o);
    }
    if a.scenarios.is_none() || wanted.contains(&Scenario::ListStatus) {
        let mut o =
            crate::burst::list_after_burst(&fixture, a.burst, a.concurrency, duration).await?;
        record(&mut o, a.server_pid);
        scenarios.push(o);
    }
    let peak_rss_mb = a.server_pid.and_then(|p| rss_mb(p, "VmHWM:"));
    let store = Store::connect(&a.database_url, &Default::default()).await?;
    let anchors = if a.skip_anchors {
        Vec::new()
    } else {
        measure_anchors(&store, &a.database_url, duration).await?
    };
    let results = Results {
        backend: match store.backend() {
            Backend::Postgres => "postgres".into(),
            Backend::Sqlite => "sqlite".into(),
        },
        tickets: a.tickets,
        cores: std::thread::available_parallelism().map_or(0, usize::from),
        concurrency: a.concurrency,
        seconds_per_scenario: a.seconds,
        idle_rss_mb,
        peak_rss_mb,
        cold_start_ms: a.cold_start_ms,
        scenarios,
        anchors,
        sustained: None,
    };
    std::fs::write(&a.out, serde_json::to_vec_pretty(&results)?)?;
    store.close().await;
    Ok(())
}
