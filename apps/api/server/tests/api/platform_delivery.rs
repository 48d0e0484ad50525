//! Email to a real SMTP server, signed webhooks with retries and a delivery log, and the
//! API carrying on with Redis down.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode as AxumStatus};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::both;
use crate::harness::TestApp;
use crate::smtp_sink::SmtpServer;

async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..400 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn email_reaches_a_real_smtp_server(app: TestApp) {
    // The server's SMTP settings come from the running app; see the tweak below.
    let smtp = SMTP
        .lock()
        .unwrap()
        .take()
        .expect("the SMTP server of this test");
    let team = app.team("Acme").await;
    let t = app
        .ticket(
            &team.alice,
            json!({"subject":"Printer error","description":"PC Load Letter"}),
        )
        .await;
    let id = t["id"].as_str().unwrap();
    app.post(
        &format!("/tickets/{id}/messages"),
        Some(&team.agent),
        json!({"body":"Please restart the printer."}),
    )
    .await;
    eventually("the reply notification", || {
        let found = smtp
            .messages()
            .iter()
            .any(|m| m.contains("Please restart the printer."));
        async move { found }
    })
    .await;
    let mail = smtp
        .messages()
        .into_iter()
        .find(|m| m.contains("Please restart the printer."))
        .unwrap();
    assert!(mail.contains("Subject: [Acme #1] Printer error"), "{mail}");
    assert!(mail.contains("To: alice@acme-client.test"), "{mail}");
    // The thread's root is the ticket's signed reference; the message's own id carries it.
    let thread = format!("hd-{}-", id.replace('-', ""));
    assert!(mail.contains(&format!("In-Reply-To: <{thread}")), "{mail}");
    assert!(mail.contains("Message-ID: <"), "{mail}");
    assert!(
        mail.lines()
            .any(|l| l.starts_with("Message-ID: <") && l.contains(&thread)),
        "{mail}"
    );
    assert!(mail.contains("Auto-Submitted: auto-generated"), "{mail}");
    // Sent once, and recorded as sent: once the queue has drained, no second send of it
    // can still be on its way.
    app.jobs_drained().await;
    assert_eq!(
        smtp.messages()
            .iter()
            .filter(|m| m.contains("Please restart the printer."))
            .count(),
        1
    );
    let ws = app.workspace_id(&team.admin).await;
    let outbox = helpdesk_storage::repo::outbox::for_recipient(
        app.store.read(),
        ws,
        "alice@acme-client.test",
    )
    .await
    .unwrap();
    let replies = outbox
        .iter()
        .filter(|m| m.body.contains("Please restart the printer."))
        .count();
    assert_eq!(replies, 1, "the reply is one outbox message");
    let unsent: Vec<&str> = outbox
        .iter()
        .filter(|m| m.sent_at.is_none())
        .map(|m| m.kind.as_str())
        .collect();
    assert!(unsent.is_empty(), "unsent: {unsent:?}");
    // Invitations are really mailed too.
    app.post(
        "/users",
        Some(&team.admin),
        json!({"email":"new@acme.test","name":"New","role":"AGENT"}),
    )
    .await;
    eventually("the invitation", || {
        let found = smtp
            .messages()
            .iter()
            .any(|m| m.contains("To: new@acme.test"));
        async move { found }
    })
    .await;
}

static SMTP: Mutex<Option<SmtpServer>> = Mutex::new(None);

fn with_smtp(c: &mut helpdesk::Config) {
    let server = SmtpServer::start();
    c.smtp_url = Some(helpdesk::config::Secret(format!(
        "smtp://127.0.0.1:{}",
        server.port
    )));
    c.jobs_in_process = Some(true);
    c.job_poll_ms = 20;
    *SMTP.lock().unwrap() = Some(server);
}

mod email {
    // One SMTP server per test run, handed over through a static: run these one at a time.
    #[tokio::test]
    async fn sqlite() {
        let _serial = super::SERIAL.lock().await;
        crate::harness::run(
            crate::harness::Backend::Sqlite,
            super::with_smtp,
            super::email_reaches_a_real_smtp_server,
        )
        .await;
    }
    #[tokio::test]
    #[cfg_attr(
        no_test_postgres,
        ignore = "set TEST_DATABASE_URL to run on PostgreSQL"
    )]
    async fn postgres() {
        let _serial = super::SERIAL.lock().await;
        crate::harness::run(
            crate::harness::Backend::Postgres,
            super::with_smtp,
            super::email_reaches_a_real_smtp_server,
        )
        .await;
    }
}

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A request the receiver got: headers and raw body.
pub(crate) type Seen = (HeaderMap, Vec<u8>);

/// A webhook receiver that answers 500 to the first `fail_first` requests.
#[derive(Clone, Default)]
pub(crate) struct Receiver {
    pub(crate) seen: Arc<Mutex<Vec<Seen>>>,
    fail_first: usize,
}

impl Receiver {
    /// Waits until at least `n` requests arrived; fails after 20 s.
    pub(crate) async fn wait_for(&self, n: usize) {
        for _ in 0..400 {
            if self.seen.lock().unwrap().len() >= n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "{n} webhook requests expected, {} arrived",
            self.seen.lock().unwrap().len()
        );
    }
}

pub(crate) async fn receiver(fail_first: usize) -> (String, Receiver) {
    let r = Receiver {
        fail_first,
        ..Receiver::default()
    };
    let state = r.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let state = state.clone();
            async move {
                let mut seen = state.seen.lock().unwrap();
                seen.push((headers, body.to_vec()));
                if seen.len() <= state.fail_first {
                    AxumStatus::INTERNAL_SERVER_ERROR
                } else {
                    AxumStatus::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, r)
}

fn fast_jobs(c: &mut helpdesk::Config) {
    c.jobs_in_process = Some(true);
    c.job_poll_ms = 20;
    c.job_retry_base_ms = 50;
    c.webhook_allow_private = true;
    c.webhook_failure_limit = 3;
}

async fn webhooks_are_signed_retried_and_logged(app: TestApp) {
    let team = app.team("Acme").await;
    let (url, rx) = receiver(1).await;
    let secret = "s3cret-s3cret-s3cret";
    let hook = app
        .post(
            "/webhooks",
            Some(&team.admin),
            json!({"url": url, "events": ["message.created"], "secret": secret}),
        )
        .await;
    assert_eq!(hook.status, StatusCode::CREATED, "{}", hook.body);
    assert_eq!(hook.body["secret"], secret);
    let hook_id = hook.str("id");
    assert!(
        app.get(&format!("/webhooks/{hook_id}"), &team.admin)
            .await
            .body
            .get("secret")
            .is_none(),
        "the secret is shown once"
    );
    let t = app
        .ticket(
            &team.alice,
            json!({"subject":"Printer error","description":"d"}),
        )
        .await;
    app.post(
        &format!("/tickets/{}/messages", t["id"].as_str().unwrap()),
        Some(&team.agent),
        json!({"body":"hello"}),
    )
    .await;
    eventually("two delivery attempts", || {
        let n = rx.seen.lock().unwrap().len();
        async move { n >= 2 }
    })
    .await;
    let seen = rx.seen.lock().unwrap().clone();
    assert_eq!(
        seen.len(),
        2,
        "only message.created, delivered until it succeeded"
    );
    for (headers, body) in &seen {
        // The documented recipe: HMAC-SHA256 over "<t>.<body>" with the secret.
        let sig = headers["x-helpdesk-signature"].to_str().unwrap();
        let (t, v1) = sig.split_once(',').unwrap();
        let t = t.strip_prefix("t=").unwrap();
        let v1 = v1.strip_prefix("v1=").unwrap();
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{t}.").as_bytes());
        mac.update(body);
        assert_eq!(hex::encode(mac.finalize().into_bytes()), v1);
        let json: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(json["type"], "message.created");
        assert_eq!(json["ticket"]["number"], 1);
        assert_eq!(headers["x-helpdesk-event"], "message.created");
    }
    // The worker logs an attempt after the receiver answered it: wait for the second
    // attempt's row to commit, then require exactly two.
    let log = app
        .eventually(
            &format!("/webhooks/{hook_id}/deliveries"),
            &team.admin,
            |b| b["items"].as_array().is_some_and(|i| i.len() >= 2),
        )
        .await;
    let items = log["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2, "{log}");
    assert_eq!(
        (
            items[1]["attempt"].clone(),
            items[1]["success"].clone(),
            items[1]["response_code"].clone()
        ),
        (json!(1), json!(false), json!(500))
    );
    assert_eq!(
        (
            items[0]["attempt"].clone(),
            items[0]["success"].clone(),
            items[0]["response_code"].clone()
        ),
        (json!(2), json!(true), json!(200))
    );
}
both!(webhooks_are_signed_retried_and_logged, super::fast_jobs);

async fn failing_webhooks_are_disabled(app: TestApp) {
    let team = app.team("Acme").await;
    let (url, rx) = receiver(usize::MAX).await;
    let hook = app
        .post(
            "/webhooks",
            Some(&team.admin),
            json!({"url": url, "events": ["*"]}),
        )
        .await
        .str("id");
    app.ticket(&team.alice, json!({"subject":"s","description":"d"}))
        .await;
    eventually("the webhook to be disabled", || {
        let app = &app;
        let (hook, admin) = (hook.clone(), team.admin.clone());
        async move { app.get(&format!("/webhooks/{hook}"), &admin).await.body["active"] == false }
    })
    .await;
    assert_eq!(rx.seen.lock().unwrap().len(), 3, "three failures in a row");
    let w = app
        .get(&format!("/webhooks/{hook}"), &team.admin)
        .await
        .body;
    assert!(w["disabled_at"].is_string());
    let ws = app.workspace_id(&team.admin).await;
    let notices =
        helpdesk_storage::repo::outbox::for_recipient(app.store.read(), ws, "admin@acme.test")
            .await
            .unwrap();
    assert!(notices.iter().any(|m| m.kind == "webhook_disabled"));
    let again = app
        .patch(
            &format!("/webhooks/{hook}"),
            &team.admin,
            json!({"active": true}),
        )
        .await;
    assert_eq!(
        (
            again.body["active"].clone(),
            again.body["consecutive_failures"].clone()
        ),
        (json!(true), json!(0))
    );
}
both!(failing_webhooks_are_disabled, super::fast_jobs);

async fn webhooks_refuse_private_targets(app: TestApp) {
    let admin = app.admin_token("Acme").await;
    for url in [
        "http://127.0.0.1:9/x",
        "http://localhost/x",
        "http://10.0.0.1/x",
        "http://[::1]/x",
        "ftp://example.com/x",
        "nope",
    ] {
        let r = app
            .post(
                "/webhooks",
                Some(&admin),
                json!({"url": url, "events": ["*"]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
    }
    let r = app
        .post(
            "/webhooks",
            Some(&admin),
            json!({"url": "https://example.com/x", "events": ["ticket.exploded"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = app
        .post(
            "/webhooks",
            Some(&admin),
            json!({"url": "https://example.com/x", "events": ["ticket.created"]}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    // A name that resolves to loopback is refused at delivery time.
    let addr =
        helpdesk_jobs::handlers::webhook::resolve(&"http://localhost:9/x".parse().unwrap(), false)
            .await;
    assert!(addr.is_err());
}
both!(webhooks_refuse_private_targets);

async fn the_api_carries_on_without_redis(app: TestApp) {
    let team = app.team("Acme").await;
    let t = app
        .ticket(
            &team.alice,
            json!({"subject":"Redis is down","description":"d"}),
        )
        .await;
    let ready = app
        .request(reqwest::Method::GET, "/ready", None, None)
        .await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.body["checks"]["redis"], "unavailable");
    assert_eq!(ready.body["checks"]["database"], "ok");
    // The event's dispatch job still runs (woken in-process, or by polling).
    let ws: uuid::Uuid = app.get("/auth/me", &team.admin).await.body["workspace"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    eventually("the dispatch job", || {
        let store = app.store.clone();
        async move {
            let page = helpdesk_storage::repo::Page {
                limit: 10,
                after: None,
            };
            let jobs = helpdesk_storage::repo::jobs::list(store.read(), ws, &["done"], page)
                .await
                .unwrap();
            jobs.iter().any(|j| j.kind == "event.dispatch")
        }
    })
    .await;
    assert!(t["id"].is_string());
}
both!(the_api_carries_on_without_redis, |c| {
    c.redis_url = Some(helpdesk::config::Secret("redis://127.0.0.1:1".into()));
    c.jobs_in_process = Some(true);
    c.job_poll_ms = 20;
});
