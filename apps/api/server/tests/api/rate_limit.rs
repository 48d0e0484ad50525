//! Login, register, refresh and reset are limited per client address and per account.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;

async fn per_address_limit(app: TestApp) {
    app.register("Acme", "admin@acme.com", "secure").await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = app
            .post(
                "/auth/login",
                None,
                json!({"email":"admin@acme.com","password":"secure"}),
            )
            .await;
        statuses.push(r.status);
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(r.code(), "rate_limited");
            let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
            assert!((1..=60).contains(&retry), "{retry}");
        }
    }
    // The registration used one of the five; four logins pass and the fifth is refused.
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    let r = app
        .post("/auth/refresh", None, json!({"refresh_token":"x"}))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let reset = app
        .post(
            "/auth/password-reset",
            None,
            json!({"email":"admin@acme.com"}),
        )
        .await;
    assert_eq!(reset.status, StatusCode::TOO_MANY_REQUESTS);
}
both!(per_address_limit, |c| c.rate_limit_per_ip = 5);

async fn per_account_limit(app: TestApp) {
    app.register("Acme", "admin@acme.com", "secure").await;
    let mut last = None;
    for _ in 0..3 {
        let r = app
            .post(
                "/auth/login",
                None,
                json!({"email":"admin@acme.com","password":"guess!"}),
            )
            .await;
        last = Some(r.status);
    }
    assert_eq!(last, Some(StatusCode::TOO_MANY_REQUESTS));
    // Even the right password waits; another account does not.
    let right = app
        .post(
            "/auth/login",
            None,
            json!({"email":"ADMIN@acme.com","password":"secure"}),
        )
        .await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    app.register("Other", "other@acme.com", "secure").await;
    let other = app
        .post(
            "/auth/login",
            None,
            json!({"email":"other@acme.com","password":"secure"}),
        )
        .await;
    assert_eq!(other.status, StatusCode::OK);
    assert_eq!(other.headers["ratelimit-limit"], "2");
}
both!(per_account_limit, |c| c.rate_limit_per_account = 2);
