//! The status-only list right after a burst: a new workspace gets `n` tickets through the
//! API as fast as it takes them, then its admin lists `?status=NEW,OPEN` at once, before
//! autovacuum has analysed anything (on a large table 20,000 new rows are far below its
//! threshold), so the planner knows nothing of the new workspace.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::load::{self, Fixture, Scenario};
use crate::report::Scenario as Outcome;

async fn register(f: &Fixture) -> anyhow::Result<String> {
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let email = format!("burst-{}@bench.test", &tag[..12]);
    let password = "burst-password-1";
    f.client
        .post(format!("{}/api/v1/auth/register", f.base))
        .json(&json!({"workspace_name": format!("Burst {}", &tag[..8]), "admin_email": email, "admin_password": password}))
        .send()
        .await?
        .error_for_status()?;
    crate::fixture::token(
        &f.client,
        &f.base,
        &json!({"email": email, "password": password}),
    )
    .await
}

/// Creates `n` tickets in a new workspace with `concurrency` clients, then measures
/// `list_status` there for `duration`.
pub async fn list_after_burst(
    f: &Fixture,
    n: usize,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<Outcome> {
    let token = Arc::new(register(f).await?);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = std::time::Instant::now();
    let clients = (0..concurrency).map(|_| {
        let (client, base, token, next) = (
            f.client.clone(),
            f.base.clone(),
            token.clone(),
            next.clone(),
        );
        tokio::spawn(async move {
            while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < n {
                client
                    .post(format!("{base}/api/v1/tickets"))
                    .bearer_auth(token.as_str())
                    .json(&json!({"subject": "Printer error", "description": "PC Load Letter"}))
                    .send()
                    .await?
                    .error_for_status()?;
            }
            Ok::<_, anyhow::Error>(())
        })
    });
    for c in futures::future::join_all(clients).await {
        c??;
    }
    eprintln!(
        "bench: burst of {n} tickets in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let burst = Arc::new(Fixture {
        base: f.base.clone(),
        client: f.client.clone(),
        agents: vec![token.to_string()],
        customers: f.customers.clone(),
        spread_customers: f.spread_customers.clone(),
        open_tickets: f.open_tickets.clone(),
        max_number: f.max_number,
        slug: f.slug.clone(),
        web_sessions: f.web_sessions.clone(),
    });
    let mut o = load::run(burst, Scenario::ListStatus, concurrency, duration).await?;
    o.scenario = format!("list_status_after_{n}_burst");
    Ok(o)
}
