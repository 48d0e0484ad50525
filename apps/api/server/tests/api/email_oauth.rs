//! IMAP with OAuth2 (XOAUTH2), against Dovecot and an OAuth2 provider of the test's own:
//! the fetcher exchanges the refresh token for access tokens, renews them before they
//! expire, stores the refresh token the provider rotates, and a revoked grant puts the
//! mailbox in its error state with one email to the admins.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::StatusCode as Http;
use axum::routing::{get, post};
use axum::{Json, Router};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::dovecot::Dovecot;
use crate::harness::TestApp;

const USER: &str = "oauth@acme.test";

/// The provider: the refresh token is rotated at every exchange, and only the newest two
/// are taken (the one before stays valid a moment, as with real providers, so a `check`
/// racing the fetcher is fine); access tokens that Dovecot checks at `/tokeninfo`.
#[derive(Default)]
struct Provider {
    refresh: String,
    previous: String,
    issued: HashSet<String>,
    exchanges: u32,
    revoked: bool,
}

type Shared = Arc<Mutex<Provider>>;

async fn token(
    State(p): State<Shared>,
    Form(f): Form<Vec<(String, String)>>,
) -> (Http, Json<Value>) {
    let field = |k: &str| {
        f.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut p = p.lock().unwrap();
    let ok = !p.revoked
        && field("grant_type") == "refresh_token"
        && field("client_id") == "helpdesk"
        && field("client_secret") == "client-secret"
        && (field("refresh_token") == p.refresh || field("refresh_token") == p.previous);
    if !ok {
        return (Http::BAD_REQUEST, Json(json!({"error": "invalid_grant"})));
    }
    p.exchanges += 1;
    let access = format!("access-{}", p.exchanges);
    p.issued.insert(access.clone());
    let next = format!("refresh-{}", p.exchanges);
    p.previous = std::mem::replace(&mut p.refresh, next);
    // 302 s: the fetcher renews 300 s early, so every 2 s here.
    (
        Http::OK,
        Json(
            json!({"access_token": access, "token_type": "Bearer", "expires_in": 302,
            "refresh_token": p.refresh}),
        ),
    )
}

async fn tokeninfo(
    State(p): State<Shared>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> (Http, Json<Value>) {
    let p = p.lock().unwrap();
    match q.get("access_token") {
        Some(t) if p.issued.contains(t) => (Http::OK, Json(json!({"email": USER}))),
        _ => (Http::UNAUTHORIZED, Json(json!({"error": "invalid_token"}))),
    }
}

async fn provider() -> (Shared, String) {
    let state: Shared = Arc::new(Mutex::new(Provider {
        refresh: "refresh-0".into(),
        ..Provider::default()
    }));
    let app = Router::new()
        .route("/token", post(token))
        .route("/tokeninfo", get(tokeninfo))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (state, base)
}

async fn status(app: &TestApp, admin: &str, id: &str) -> Value {
    app.get(&format!("/mailboxes/{id}"), admin).await.body["status"].clone()
}

async fn tokens_are_renewed_rotated_and_revocation_is_reported(app: TestApp) {
    let (provider, base) = provider().await;
    let imap = Dovecot::start_with_oauth(&format!("{base}/tokeninfo?access_token=")).await;
    let team = app.team("Acme").await;
    imap.append(USER, "INBOX", None, "From: alice@client.test\r\nSubject: Via OAuth\r\nMessage-ID: <o1@client.test>\r\n\r\nHello\r\n").await;
    let r = app
        .post(
            "/mailboxes",
            Some(&team.admin),
            json!({"address": "support@acme.test", "imap": {"host": "127.0.0.1", "port": imap.port,
                "security": "NONE", "username": USER, "oauth2": {"token_url": format!("{base}/token"),
                "client_id": "helpdesk", "client_secret": "client-secret", "refresh_token": "refresh-0"}}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.str("id");
    let checked = app
        .post(
            &format!("/mailboxes/{id}/check"),
            Some(&team.admin),
            json!({}),
        )
        .await;
    assert_eq!(checked.body["ok"], true, "{}", checked.body);

    // Fetched with a token; and tokens keep being renewed (each exchange rotates the
    // refresh token: a fetcher that did not store the new one would fail the next).
    app.eventually(&format!("/mailboxes/{id}"), &team.admin, |m| {
        m["status"]["imported"] == 1
    })
    .await;
    let before = provider.lock().unwrap().exchanges;
    for _ in 0..200 {
        if provider.lock().unwrap().exchanges >= before + 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        provider.lock().unwrap().exchanges >= before + 2,
        "tokens were not renewed"
    );
    let s = status(&app, &team.admin, &id).await;
    assert!(s["last_error"].is_null(), "{s}");
    imap.append(USER, "INBOX", None, "From: bob@client.test\r\nSubject: Still here\r\nMessage-ID: <o2@client.test>\r\n\r\nHi\r\n").await;
    app.eventually(&format!("/mailboxes/{id}"), &team.admin, |m| {
        m["status"]["imported"] == 2
    })
    .await;

    // The grant is revoked: an error state naming the token step, admins told once.
    provider.lock().unwrap().revoked = true;
    let failed = app
        .eventually(&format!("/mailboxes/{id}"), &team.admin, |m| {
            m["status"]["last_error"].is_string()
        })
        .await;
    let error = failed["status"]["last_error"].as_str().unwrap();
    assert!(
        error.starts_with("token:") && error.contains("invalid_grant"),
        "{error}"
    );
    let ws = app.workspace_id(&team.admin).await;
    let told = app
        .wait_mails(ws, "admin@acme.test", "mailbox_error", 1)
        .await;
    assert_eq!(told.len(), 1);
    assert!(!told[0].body.contains("client-secret") && !told[0].body.contains("refresh-"));
}
both!(
    tokens_are_renewed_rotated_and_revocation_is_reported,
    crate::email_imap::fetching
);
