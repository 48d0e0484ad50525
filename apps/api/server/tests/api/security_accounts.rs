//! Security review (#18), accounts and credentials: no enumeration or lock-out through
//! registration (finding 4), the trusted forwarded-for hop (finding 5), API keys bound to
//! their creator (finding 7), sessions with an absolute lifetime, a protected `/metrics`.

use std::net::TcpListener;

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;

async fn login(app: &TestApp, email: &str, password: &str) -> crate::harness::Resp {
    app.post(
        "/auth/login",
        None,
        json!({"email": email, "password": password}),
    )
    .await
}

/// Finding 4: a second workspace registered with someone's email neither reveals their
/// account (no 409 before the password) nor locks them out of a slug-less login.
async fn registration_cannot_probe_or_block_accounts(app: TestApp) {
    app.register("Acme", "pat@acme.test", "victim-pass").await;
    let before = login(&app, "pat@acme.test", "attacker-pass").await;
    assert_eq!(before.status, StatusCode::UNAUTHORIZED);
    app.register("Evil", "pat@acme.test", "attacker-pass").await;
    // The attacker's wrong guess at the victim's password is a plain 401, as before.
    let probe = login(&app, "pat@acme.test", "guess-123").await;
    assert_eq!(probe.status, StatusCode::UNAUTHORIZED, "{}", probe.body);
    assert_eq!(probe.code(), before.code());
    // Each password still signs in to its own workspace without a slug.
    let victim = login(&app, "pat@acme.test", "victim-pass").await;
    assert_eq!(victim.status, StatusCode::OK, "{}", victim.body);
    let me = app.get("/auth/me", &victim.str("access_token")).await;
    assert_eq!(me.body["workspace"]["slug"], "acme", "{}", me.body);
    let attacker = login(&app, "pat@acme.test", "attacker-pass").await;
    assert_eq!(attacker.status, StatusCode::OK);
    let me = app.get("/auth/me", &attacker.str("access_token")).await;
    assert_eq!(me.body["workspace"]["slug"], "evil");
    // Only the same password in two workspaces needs the slug.
    let third = app.register("Third", "pat@acme.test", "victim-pass").await;
    let both = login(&app, "pat@acme.test", "victim-pass").await;
    assert_eq!(both.status, StatusCode::CONFLICT);
    assert_eq!(both.code(), "workspace_required");
    // Unless only one of them confirmed its admin email: an unconfirmed workspace cannot
    // make a confirmed one's account ambiguous.
    app.verify_workspace(third["access_token"].as_str().unwrap())
        .await;
    let picked = login(&app, "pat@acme.test", "victim-pass").await;
    assert_eq!(picked.status, StatusCode::OK, "{}", picked.body);
    let me = app.get("/auth/me", &picked.str("access_token")).await;
    assert_eq!(me.body["workspace"]["slug"], "third");
}
both!(registration_cannot_probe_or_block_accounts);

/// Finding 5: behind one trusted proxy, the client is the right-most hop; what a client
/// writes on the left does not give it fresh limits.
async fn forwarded_for_uses_the_trusted_hop(app: TestApp) {
    app.register("Acme", "admin@acme.test", "secure").await;
    let attempt = |left: String, right: &'static str| {
        app.client
            .post(format!("{}/api/v1/auth/login", app.base))
            .header("x-forwarded-for", format!("{left}, {right}"))
            .json(&json!({"email": "admin@acme.test", "password": "wrong-one"}))
            .send()
    };
    let mut statuses = Vec::new();
    for n in 0..4 {
        statuses.push(
            attempt(format!("198.51.100.{n}"), "203.0.113.7")
                .await
                .unwrap()
                .status(),
        );
    }
    assert_eq!(
        statuses,
        [
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    let elsewhere = attempt("198.51.100.9".into(), "203.0.113.8").await.unwrap();
    assert_eq!(elsewhere.status(), StatusCode::UNAUTHORIZED);
}
both!(forwarded_for_uses_the_trusted_hop, |c| {
    c.trusted_proxies = 1;
    c.rate_limit_per_ip = 3;
});

async fn admin_key(app: &TestApp, token: &str) -> (String, String) {
    let r = app
        .post(
            "/api-keys",
            Some(token),
            json!({"name": "sync", "role": "ADMIN"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    (r.str("id"), r.str("key"))
}

/// Finding 7: a key records its creator and stops with them: deactivated or demoted.
async fn api_keys_stop_with_their_creator(app: TestApp) {
    let admin = app.admin_token("Acme").await;
    let (boss_id, boss) = app.user_token(&admin, "boss@acme.test", "ADMIN").await;
    let (lead_id, lead) = app.user_token(&admin, "lead@acme.test", "ADMIN").await;
    let (boss_key_id, boss_key) = admin_key(&app, &boss).await;
    let (_, lead_key) = admin_key(&app, &lead).await;
    let keys = app.get("/api-keys", &admin).await;
    let listed = keys.body.as_array().unwrap();
    let mine = listed
        .iter()
        .find(|k| k["id"] == boss_key_id.as_str())
        .unwrap();
    assert_eq!(mine["created_by"], boss_id.as_str());
    let made = app
        .post(
            "/users",
            Some(&boss_key),
            json!({"email": "x@acme.test", "name": "X", "role": "ADMIN", "password": "password1"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);

    let r = app.delete(&format!("/users/{boss_id}"), &admin).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/users", &boss_key).await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = app
        .patch(
            &format!("/users/{lead_id}"),
            &admin,
            json!({"role": "AGENT"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.get("/users", &lead_key).await.status,
        StatusCode::UNAUTHORIZED
    );
    let keys = app.get("/api-keys", &admin).await;
    for k in keys.body.as_array().unwrap() {
        assert!(!k["revoked_at"].is_null(), "still active: {k}");
    }
}
both!(api_keys_stop_with_their_creator);

/// Hardening: refreshing keeps a session going only up to its absolute lifetime.
async fn sessions_have_an_absolute_lifetime(app: TestApp) {
    let start = jiff::Timestamp::now();
    app.clock.set(start);
    let reg = app.register("Acme", "admin@acme.test", "secure").await;
    let mut refresh = reg["refresh_token"].as_str().unwrap().to_owned();
    for hours in [1, 2] {
        app.clock.set(
            start + jiff::SignedDuration::from_hours(hours) - jiff::SignedDuration::from_mins(1),
        );
        let r = app
            .post("/auth/refresh", None, json!({"refresh_token": refresh}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        refresh = r.str("refresh_token");
    }
    app.clock.set(start + jiff::SignedDuration::from_hours(3));
    let r = app
        .post("/auth/refresh", None, json!({"refresh_token": refresh}))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
}
both!(sessions_have_an_absolute_lifetime, |c| c.session_max_age =
    3 * 3600);

/// Hardening: `/metrics` behind a bearer token, or only on its own address.
async fn metrics_can_be_protected(app: TestApp) {
    let url = format!("{}/metrics", app.base);
    let open = app.client.get(&url).send().await.unwrap();
    assert_eq!(open.status(), StatusCode::UNAUTHORIZED);
    let wrong = app
        .client
        .get(&url)
        .bearer_auth("nope")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let right = app
        .client
        .get(&url)
        .bearer_auth("scrape-me")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::OK);
    assert!(right.text().await.unwrap().contains("http_requests"));

    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config = app.config.clone();
    config.metrics_token = None;
    config.metrics_bind = Some(format!("127.0.0.1:{port}").parse().unwrap());
    let apart = TestApp::spawn_config(app.backend, config).await;
    let on_main = apart
        .client
        .get(format!("{}/metrics", apart.base))
        .send()
        .await
        .unwrap();
    assert_eq!(on_main.status(), StatusCode::NOT_FOUND);
    let own = apart
        .client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::OK);
}
both!(metrics_can_be_protected, |c| c.metrics_token =
    Some(helpdesk::config::Secret("scrape-me".into())));
