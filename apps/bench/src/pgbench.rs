//! The PostgreSQL anchors: pgbench running our bare SQL at concurrency 8.

use std::process::Command;
use std::time::Duration;

use crate::report::Anchor;

fn tps(output: &str) -> Option<f64> {
    output
        .lines()
        .find(|l| l.starts_with("tps = "))
        .and_then(|l| l.trim_start_matches("tps = ").split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

pub fn run(
    database_url: &str,
    name: &str,
    script: &str,
    duration: Duration,
) -> anyhow::Result<Anchor> {
    let dir = std::env::temp_dir().join(format!(
        "helpdesk-pgbench-{}",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join(format!("{name}.sql"));
    std::fs::write(&file, script)?;
    let out = Command::new("pgbench")
        .args([
            "-n",
            "-c",
            "8",
            "-j",
            "2",
            "-T",
            &duration.as_secs().max(1).to_string(),
            "-f",
        ])
        .arg(&file)
        .arg(database_url)
        .output()?;
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        anyhow::bail!(
            "pgbench {name} failed: {}{}",
            text,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let per_second =
        tps(&text).ok_or_else(|| anyhow::anyhow!("pgbench {name}: no tps in {text}"))?;
    Ok(Anchor {
        name: name.to_owned(),
        per_second,
    })
}
