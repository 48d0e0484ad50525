//! Access tokens: expiry, tampering, `alg: none`, foreign secrets, deactivation, API keys.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::{JWT_SECRET, TestApp};

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn bad_tokens_are_401(app: TestApp) {
    let token = app.admin_token("Acme").await;
    assert_eq!(app.get("/auth/me", &token).await.status, StatusCode::OK);
    let claims = claims_of(&token);
    let now = jiff::Timestamp::now().as_second();

    let mut expired = claims.clone();
    expired["iat"] = json!(now - 3600);
    expired["exp"] = json!(now - 60);
    let mut elevated = claims.clone();
    elevated["role"] = json!("ADMIN");
    elevated["sub"] = json!(uuid::Uuid::now_v7());
    let mut wrong_aud = claims.clone();
    wrong_aud["aud"] = json!("someone-else");

    // Same claims, but the signature does not match the altered payload.
    let parts: Vec<&str> = token.split('.').collect();
    let mut tampered_claims = claims.clone();
    tampered_claims["exp"] = json!(now + 999_999);
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(tampered_claims.to_string()),
        parts[2]
    );
    let alg_none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let cases = [
        ("expired", sign(&expired, JWT_SECRET)),
        ("unknown user", sign(&elevated, JWT_SECRET)),
        ("wrong audience", sign(&wrong_aud, JWT_SECRET)),
        (
            "other secret",
            sign(&claims, "another-secret-another-secret-another-1"),
        ),
        ("tampered", tampered),
        ("alg none", alg_none),
        ("garbage", "not.a.jwt".to_owned()),
        ("empty", String::new()),
    ];
    for (what, bad) in cases {
        let r = app.get("/auth/me", &bad).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(r.code(), "unauthorized", "{what}");
    }
    let no_header = app
        .request(reqwest::Method::GET, "/auth/me", None, None)
        .await;
    assert_eq!(no_header.status, StatusCode::UNAUTHORIZED);
    let basic = app
        .client
        .get(format!("{}/api/v1/auth/me", app.base))
        .basic_auth("a", Some("b"))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
}
both!(bad_tokens_are_401);

async fn deactivation_stops_tokens_at_once(app: TestApp) {
    let admin = app.admin_token("Acme").await;
    let (id, agent) = app.user_token(&admin, "agent@acme.test", "AGENT").await;
    let login = app
        .post(
            "/auth/login",
            None,
            json!({"email":"agent@acme.test","password":"password1"}),
        )
        .await;
    assert_eq!(app.get("/auth/me", &agent).await.status, StatusCode::OK);
    assert_eq!(
        app.delete(&format!("/users/{id}"), &admin).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/auth/me", &agent).await.status,
        StatusCode::UNAUTHORIZED
    );
    let refresh = app
        .post(
            "/auth/refresh",
            None,
            json!({"refresh_token": login.str("refresh_token")}),
        )
        .await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
    let again = app
        .post(
            "/auth/login",
            None,
            json!({"email":"agent@acme.test","password":"password1"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    // History is kept: the admin still sees the user, inactive.
    let user = app.get(&format!("/users/{id}"), &admin).await;
    assert_eq!(user.body["active"], false);
}
both!(deactivation_stops_tokens_at_once);

async fn role_changes_apply_to_live_tokens(app: TestApp) {
    let admin = app.admin_token("Acme").await;
    let (id, agent) = app.user_token(&admin, "agent@acme.test", "AGENT").await;
    assert_eq!(app.get("/users", &agent).await.status, StatusCode::OK);
    let r = app
        .patch(&format!("/users/{id}"), &admin, json!({"role":"CUSTOMER"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.get("/users", &agent).await.status,
        StatusCode::FORBIDDEN
    );
}
both!(role_changes_apply_to_live_tokens);

async fn deactivation_reaches_every_replica(app: TestApp) {
    assert!(
        app.config.redis_url.is_some(),
        "set TEST_REDIS_URL with TEST_DATABASE_URL"
    );
    let other = app.replica().await;
    let admin = app.admin_token("Acme").await;
    let (id, agent) = app.user_token(&admin, "agent@acme.test", "AGENT").await;
    // Both replicas have resolved (and cached) the agent's session.
    assert_eq!(app.get("/auth/me", &agent).await.status, StatusCode::OK);
    assert_eq!(other.get("/auth/me", &agent).await.status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        app.delete(&format!("/users/{id}"), &admin).await.status,
        StatusCode::NO_CONTENT
    );
    // The eviction travels through Redis; allow it a moment, far below the cache's ttl.
    let mut status = StatusCode::OK;
    for _ in 0..40 {
        status = other.get("/auth/me", &agent).await.status;
        if status == StatusCode::UNAUTHORIZED {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "replica B still accepts the token"
    );
    assert_eq!(
        app.get("/auth/me", &agent).await.status,
        StatusCode::UNAUTHORIZED
    );
}
crate::postgres_only!(deactivation_reaches_every_replica);
