//! The targets of docs/performance.md, one row each: what was measured against what it
//! must reach, per backend.

use std::fmt::Write as _;

use crate::report::Results;

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}

/// One row per target: what was measured against what it must reach.
pub fn targets(r: &Results, small: Option<&Results>, out: &mut String) {
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
    if let (true, Some(a)) = (pg, r.anchor(create_anchor)) {
        // The same creations spread over 16 workspaces: what creation costs without
        // queueing behind one workspace's counter row (the gapless numbers' lock).
        let (per_s, p99_ms) = (rps("create_ticket_spread"), p99("create_ticket_spread"));
        let ratio = per_s / a;
        row(
            format!("create_ticket_spread (16 workspaces) vs {create_anchor}"),
            format!("{ratio:.2}× ({per_s:.0} / {a:.0} per s), p99 {p99_ms:.1} ms"),
            "≥ 0.85×, p99 ≤ 30 ms",
            ratio >= 0.85 && p99_ms <= 30.0,
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
            "≤ 30 ms",
            p99("list_filtered") <= 30.0,
        );
        row(
            "list_search (a word in 40 % of tickets)".into(),
            format!("{:.0} req/s", rps("list_search")),
            "≥ 200 req/s",
            rps("list_search") >= 200.0,
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
    if let Some(peak) = r.peak_rss_mb {
        row(
            "peak RSS after the scenarios".into(),
            format!("{peak:.1} MB"),
            "≤ 120 MB",
            peak <= 120.0,
        );
    }
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
    lists(r, out);
    sustained(r, out);
}

fn row(out: &mut String, what: &str, measured: String, target: &str, ok: bool) {
    let _ = writeln!(out, "| {what} | {measured} | {target} | {} |", verdict(ok));
}

/// The status-only list, also right after a burst of inserts into a new workspace.
fn lists(r: &Results, out: &mut String) {
    let Some(status) = r.scenario("list_status") else {
        return;
    };
    row(
        out,
        "list_status p99",
        format!("{:.1} ms", status.p99_ms),
        "≤ 30 ms",
        status.p99_ms <= 30.0,
    );
    if let Some(a) = r.anchor("pgbench_status_list") {
        let ratio = status.rps / a;
        row(
            out,
            "list_status vs pgbench_status_list",
            format!("{ratio:.2}× ({:.0} / {a:.0} per s)", status.rps),
            "≥ 0.6×",
            ratio >= 0.6,
        );
    }
    if let Some(b) = r
        .scenarios
        .iter()
        .find(|s| s.scenario.starts_with("list_status_after_"))
    {
        row(
            out,
            &format!("{} p99 (no ANALYZE since)", b.scenario),
            format!("{:.1} ms", b.p99_ms),
            "≤ 30 ms",
            b.p99_ms <= 30.0,
        );
    }
}

/// The write flood with a worker: end to end against the creation anchor, queue latency,
/// drain.
fn sustained(r: &Results, out: &mut String) {
    let Some(s) = &r.sustained else {
        return;
    };
    let anchor = if r.backend == "postgres" {
        "pgbench_create_tx"
    } else {
        "sqlite_create_tx"
    };
    if let Some(a) = r.anchor(anchor) {
        let ratio = s.end_to_end_per_s / a;
        row(
            out,
            &format!("sustained: events through dispatch vs {anchor}"),
            format!("{ratio:.2}× ({:.0} / {a:.0} per s)", s.end_to_end_per_s),
            "≥ 0.5×",
            ratio >= 0.5,
        );
    }
    row(
        out,
        "sustained: queue latency p99",
        format!(
            "{:.0} ms (p50 {:.0} ms)",
            s.latency_p99_ms, s.latency_p50_ms
        ),
        "≤ 2000 ms",
        s.latency_p99_ms <= 2000.0,
    );
    row(
        out,
        "sustained: drained after the load",
        format!("{:.1} s", s.drain_s),
        "≤ 10 s",
        s.drain_s <= 10.0,
    );
}

/// Across backends: SQLite's `mixed` against PostgreSQL's.
pub fn across(runs: &[Results], out: &mut String) {
    let mixed = |b: &str| {
        runs.iter()
            .find(|r| r.backend == b)
            .and_then(|r| r.scenario("mixed"))
            .map(|s| s.rps)
    };
    if let (Some(lite), Some(pg)) = (mixed("sqlite"), mixed("postgres")) {
        let _ = writeln!(
            out,
            "### Across backends\n\n| target | measured | target | verdict |\n|---|---|---|---|"
        );
        let ratio = lite / pg;
        row(
            out,
            "SQLite mixed vs PostgreSQL mixed",
            format!("{ratio:.2}× ({lite:.0} / {pg:.0} req/s)"),
            "≥ 0.8×",
            ratio >= 0.8,
        );
        let _ = writeln!(out);
    }
}
