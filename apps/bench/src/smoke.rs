//! `helpdesk-bench smoke`: the whole tool on a tiny SQLite data set for a few seconds, so
//! CI notices when it rots. Fails when any request of any scenario fails.

use std::sync::Arc;
use std::time::Duration;

use helpdesk::Config;
use helpdesk::config::Secret;
use helpdesk_storage::Store;

use crate::load::{self, Scenario};
use crate::{anchors, fixture, seed, sustained};

pub async fn smoke() -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!(
        "helpdesk-bench-smoke-{}",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::create_dir_all(&dir)?;
    let mut config = Config::defaults();
    config.data_dir = dir.clone();
    config.jwt_secret = Some(Secret("smoke-secret-smoke-secret-smoke-secret-01".into()));
    config.rate_limit_per_ip = 1_000_000;
    config.rate_limit_per_account = 1_000_000;
    // As bench/run.sh: the load posts messages far faster than a person would.
    config.rate_limit_messages_per_author = 1_000_000;
    config.rate_limit_messages_per_ticket = 1_000_000;
    let store: Store = helpdesk::connect(&config).await?;
    store.migrate().await?;
    let mut shape = crate::shape(300, 3, 0.6, 2);
    shape.large_agents = 16;
    shape.large_customers = 20;
    shape.large_organizations = 3;
    seed::seed(&store, shape, 7).await?;
    let seeded = shape.tickets_in(1);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(helpdesk::serve(config.clone(), listener, async {
        let _ = stopped.await;
    }));
    let fixture = Arc::new(fixture::prepare(&base, 4, seeded, 3).await?);
    let mut failed = Vec::new();
    for s in Scenario::ALL {
        let o = load::run(fixture.clone(), s, 4, Duration::from_millis(700)).await?;
        eprintln!(
            "smoke {:<16} {:>6} requests, {} errors, p99 {:.1} ms",
            o.scenario, o.requests, o.errors, o.p99_ms
        );
        if o.errors > 0 || o.requests == 0 {
            failed.push(o.scenario);
        }
    }
    let burst =
        crate::burst::list_after_burst(&fixture, 200, 4, Duration::from_millis(700)).await?;
    eprintln!(
        "smoke {:<16} {:>6} requests, {} errors",
        burst.scenario, burst.requests, burst.errors
    );
    if burst.errors > 0 || burst.requests == 0 {
        failed.push(burst.scenario);
    }
    // The in-process worker runs the flood's jobs; the history is prefilled as in the bench.
    let url = config.database_url();
    sustained::prepare(&url, 1000).await?;
    let flood = sustained::run(fixture.clone(), &url, 4, 2, None).await?;
    sustained::print(&flood);
    if flood.api_errors > 0 || flood.events_done == 0 || flood.history_before < 1000 {
        failed.push(format!("sustained ({flood:?})"));
    }
    // Mail through a real IMAP server into tickets, once each.
    match crate::mail_intake::run(20, None).await {
        Ok(m) => crate::mail_intake::print("sqlite", &m),
        Err(e) => failed.push(format!("mail-intake ({e:#})")),
    }
    let a = anchors::argon2_verifies(Duration::from_millis(500))?;
    let s = anchors::sqlite(&store, Duration::from_millis(500), 2).await?;
    eprintln!(
        "smoke anchors: {} {:.0}/s, {} {:.0}/s, {} {:.0}/s",
        a.name, a.per_second, s[0].name, s[0].per_second, s[1].name, s[1].per_second
    );
    let _ = stop.send(());
    server.await??;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    if !failed.is_empty() {
        anyhow::bail!(
            "smoke: scenarios with failed requests: {}",
            failed.join(", ")
        );
    }
    eprintln!("smoke: every scenario ran without errors");
    Ok(())
}
