//! The database going away under write load: `/ready` says so within a second, requests
//! fail fast with `503 unavailable` and `Retry-After` instead of hanging or answering 500,
//! nothing acknowledged is lost, and writes resume as soon as the database is back.
//! The outage is a proxy in front of PostgreSQL that drops every connection and refuses
//! new ones, so other tests sharing the server are not disturbed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::AbortHandle;

use crate::harness::{Backend, JWT_SECRET, TestApp, fresh_postgres_url};

/// A TCP proxy to PostgreSQL that can be switched off and on.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    conns: Arc<Mutex<Vec<AbortHandle>>>,
}

impl Proxy {
    async fn start(target: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let conns = Arc::new(Mutex::new(Vec::new()));
        let (u, c) = (up.clone(), conns.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !u.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let target = target.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                c.lock().await.push(task.abort_handle());
            }
        });
        Proxy { port, up, conns }
    }

    async fn down(&self) {
        self.up.store(false, Ordering::SeqCst);
        for c in self.conns.lock().await.drain(..) {
            c.abort();
        }
    }

    fn up(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test]
#[cfg_attr(
    no_test_postgres,
    ignore = "set TEST_DATABASE_URL to run on PostgreSQL"
)]
async fn postgres_outage_fails_fast_and_recovers() {
    crate::harness::require_postgres();
    let url = fresh_postgres_url().await;
    let target = url
        .split('@')
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let proxy = Proxy::start(target.clone()).await;
    let mut config = helpdesk::Config::defaults();
    config.data_dir =
        std::env::temp_dir().join(format!("helpdesk-test-{}", uuid::Uuid::now_v7().simple()));
    config.database_url = Some(helpdesk::config::Secret(url.replace(
        &format!("@{target}/"),
        &format!("@127.0.0.1:{}/", proxy.port),
    )));
    config.jwt_secret = Some(helpdesk::config::Secret(JWT_SECRET.into()));
    config.rate_limit_per_ip = 10_000;
    config.rate_limit_per_account = 10_000;
    config.db_max_connections = 8;
    let app = TestApp::spawn_config(Backend::Postgres, config).await;
    let team = app.team("Acme").await;

    // Eight writers for the whole test; each remembers what it was told.
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..8 {
        let (client, base, token, stop) = (
            app.client.clone(),
            app.base.clone(),
            team.alice.clone(),
            stop.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut seen = Vec::new();
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) && i < 2000 {
                i += 1;
                let started = Instant::now();
                let res = client
                    .post(format!("{base}/api/v1/tickets"))
                    .bearer_auth(&token)
                    .json(&json!({"subject": format!("w{w} #{i}"), "description": "load"}))
                    .timeout(Duration::from_secs(20))
                    .send()
                    .await
                    .unwrap();
                let status = res.status();
                let retry_after = res.headers().contains_key("retry-after");
                let body: serde_json::Value = res.json().await.unwrap_or_default();
                seen.push((status, retry_after, body, started.elapsed()));
                if status != StatusCode::CREATED {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
            seen
        }));
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    proxy.down().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let asked = Instant::now();
    let ready = app
        .client
        .get(format!("{}/ready", app.base))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .expect("/ready answers while the database is down");
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "{:?}",
        asked.elapsed()
    );
    tokio::time::sleep(Duration::from_millis(2800)).await;
    proxy.up();
    // Writes resume at once.
    let back = Instant::now();
    loop {
        let r = app
            .post(
                "/tickets",
                Some(&team.alice),
                json!({"subject": "after", "description": "d"}),
            )
            .await;
        if r.status == StatusCode::CREATED {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(10),
            "writes did not resume"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    let mut acknowledged = Vec::new();
    let mut unavailable = 0;
    for w in writers {
        for (status, retry_after, body, took) in w.await.unwrap() {
            match status {
                StatusCode::CREATED => acknowledged.push(body["id"].as_str().unwrap().to_owned()),
                StatusCode::SERVICE_UNAVAILABLE => {
                    unavailable += 1;
                    assert_eq!(body["code"], "unavailable", "{body}");
                    assert!(retry_after, "503 without Retry-After");
                    assert!(took < Duration::from_secs(6), "a request hung for {took:?}");
                }
                other => panic!("a writer got {other}: {body}"),
            }
        }
    }
    assert!(unavailable > 0, "the outage was not noticed");
    assert!(
        acknowledged.len() > 8,
        "too few writes: {}",
        acknowledged.len()
    );
    for id in &acknowledged {
        let r = app.get(&format!("/tickets/{id}"), &team.agent).await;
        assert_eq!(r.status, StatusCode::OK, "acknowledged ticket {id} lost");
    }
}
