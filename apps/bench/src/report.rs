//! Results of one backend's run, and the Markdown page that puts both side by side with
//! the ratios to their anchors and the targets.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scenario {
    pub scenario: String,
    pub concurrency: usize,
    pub seconds: f64,
    pub requests: u64,
    pub errors: u64,
    pub rps: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    /// The web pages' budget is set at p95 (older result files have none).
    #[serde(default)]
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Anchor {
    pub name: String,
    pub per_second: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    pub backend: String,
    pub tickets: u64,
    pub cores: usize,
    pub concurrency: usize,
    pub seconds_per_scenario: u64,
    pub idle_rss_mb: Option<f64>,
    pub peak_rss_mb: Option<f64>,
    pub cold_start_ms: Option<f64>,
    pub scenarios: Vec<Scenario>,
    pub anchors: Vec<Anchor>,
    /// The API and a worker under a write flood (older result files have none).
    #[serde(default)]
    pub sustained: Option<crate::sustained::Sustained>,
}

impl Results {
    fn scenario(&self, name: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.scenario == name)
    }
    fn anchor(&self, name: &str) -> Option<f64> {
        self.anchors
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.per_second)
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}

/// One row per target: what was measured against what it must reach.
fn targets(r: &Results, small: Option<&Results>, out: &mut String) {
    let rps = |s: &str| r.scenario(s).map_or(0.0, |x| x.rps);
    let p99 = |s: &str| r.scenario(s).map_or(f64::INFINITY, |x| x.p99_ms);
    let mut row = |what: String, measured: String, target: &str, ok: bool| {
        let _ = writeln!(out, "| {what} | {measured} | {target} | {} |", verdict(ok));
    };
    let pg = r.backend == "postgres";
    let (create_anchor, list_anchor) = if pg {
        ("pgbench_create_tx", "pgbench_list_query")
    } else {
        ("sqlite_create_tx", "sqlite_list_query")
    };
    if let Some(a) = r.anchor(create_anchor) {
        let ratio = rps("create_ticket") / a;
        let need = if pg { 0.85 } else { 0.6 };
        row(
            format!("create_ticket vs {create_anchor}"),
            format!("{ratio:.2}× ({:.0} / {a:.0} per s)", rps("create_ticket")),
            &format!("≥ {need}×"),
            ratio >= need,
        );
    }
    if pg {
        row(
            "create_ticket p99".into(),
            format!("{:.1} ms", p99("create_ticket")),
            "≤ 30 ms",
            p99("create_ticket") <= 30.0,
        );
        if let Some(a) = r.anchor(list_anchor) {
            let ratio = rps("list_filtered") / a;
            row(
                format!("list_filtered vs {list_anchor}"),
                format!("{ratio:.2}× ({:.0} / {a:.0} per s)", rps("list_filtered")),
                "≥ 0.6×",
                ratio >= 0.6,
            );
        }
        row(
            "list_filtered p99".into(),
            format!("{:.1} ms", p99("list_filtered")),
            "≤ 30 ms",
            p99("list_filtered") <= 30.0,
        );
        if let Some(s) = small.and_then(|s| s.scenario("list_filtered")) {
            let ratio = p99("list_filtered") / s.p99_ms;
            row(
                format!(
                    "list_filtered p99 at {} vs {} tickets",
                    r.tickets,
                    small.map_or(0, |s| s.tickets)
                ),
                format!(
                    "{ratio:.2}× ({:.1} / {:.1} ms)",
                    p99("list_filtered"),
                    s.p99_ms
                ),
                "≤ 1.5×",
                ratio <= 1.5,
            );
        }
    } else {
        row(
            "list_filtered p99".into(),
            format!("{:.1} ms", p99("list_filtered")),
            "≤ 35 ms",
            p99("list_filtered") <= 35.0,
        );
    }
    if let Some(a) = r.anchor("argon2id_verify") {
        let ratio = rps("login") / a;
        row(
            "login vs argon2id verifies on all cores".into(),
            format!("{ratio:.2}× ({:.0} / {a:.0} per s)", rps("login")),
            "≥ 0.8×",
            ratio >= 0.8,
        );
    }
    if let Some(flood) = r.scenario("list_filtered_during_login_flood") {
        let ratio = flood.p99_ms / p99("list_filtered");
        row(
            "list_filtered p99 during a login flood".into(),
            format!(
                "{ratio:.2}× ({:.1} / {:.1} ms)",
                flood.p99_ms,
                p99("list_filtered")
            ),
            "≤ 2×",
            ratio <= 2.0,
        );
    }
    if let Some(o) = r.scenario("report_overview") {
        row(
            "report_overview, last 30 days, one at a time: p99".into(),
            format!("{:.0} ms (p50 {:.0} ms)", o.p99_ms, o.p50_ms),
            "≤ 500 ms",
            o.p99_ms <= 500.0,
        );
    }
    let me = rps("me") / rps("health");
    row(
        "me vs /health".into(),
        format!("{me:.2}× ({:.0} / {:.0} per s)", rps("me"), rps("health")),
        "≥ 0.5×",
        me >= 0.5,
    );
    if let Some(idle) = r.idle_rss_mb {
        row(
            "idle RSS".into(),
            format!("{idle:.1} MB"),
            "≤ 30 MB",
            idle <= 30.0,
        );
    }
    if let Some(cold) = r.cold_start_ms {
        row(
            "cold start to /health".into(),
            format!("{cold:.0} ms"),
            "≤ 1000 ms",
            cold <= 1000.0,
        );
    }
}

const START: &str = "<!-- results:start (bench/run.sh writes between these lines) -->";
const END: &str = "<!-- results:end -->";

/// Puts `results` between the markers of `page`, keeping the hand-written parts.
pub fn splice(page: &str, results: &str) -> String {
    match (page.find(START), page.find(END)) {
        (Some(s), Some(e)) if s < e => format!("{}{START}\n{results}{}", &page[..s], &page[e..]),
        _ => format!("# Performance\n\n{START}\n{results}{END}\n"),
    }
}

pub fn markdown(runs: &[Results], small_pg: Option<&Results>, generated_at: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Generated by `bench/run.sh` on {generated_at}. Every figure on this page comes from one run on one machine; the ratios compare figures measured in that same run.\n"
    );
    for r in runs {
        let _ = writeln!(
            out,
            "### {} — {} tickets, {} cores, concurrency {}, {} s per scenario\n",
            r.backend, r.tickets, r.cores, r.concurrency, r.seconds_per_scenario
        );
        let _ = writeln!(
            out,
            "| scenario | requests/s | p50 ms | p90 ms | p99 ms | max ms | errors |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|");
        for s in &r.scenarios {
            let _ = writeln!(
                out,
                "| {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.1} | {} |",
                s.scenario, s.rps, s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms, s.errors
            );
        }
        let _ = writeln!(out, "\n| anchor | per second |\n|---|---:|");
        for a in &r.anchors {
            let _ = writeln!(out, "| {} | {:.0} |", a.name, a.per_second);
        }
        let _ = writeln!(
            out,
            "\nServer memory: idle {} MB, peak {} MB. Cold start to `/health` on the existing database: {} ms.\n",
            r.idle_rss_mb.map_or("?".into(), |v| format!("{v:.1}")),
            r.peak_rss_mb.map_or("?".into(), |v| format!("{v:.1}")),
            r.cold_start_ms.map_or("?".into(), |v| format!("{v:.0}")),
        );
        let _ = writeln!(
            out,
            "| target | measured | target | verdict |\n|---|---|---|---|"
        );
        targets(
            r,
            if r.backend == "postgres" {
                small_pg
            } else {
                None
            },
            &mut out,
        );
        let _ = writeln!(out);
    }
    out
}
