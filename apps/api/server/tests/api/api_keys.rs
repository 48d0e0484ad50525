//! API keys: shown once, stored hashed, act with their role, revocable.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;

async fn api_key_lifecycle(app: TestApp) {
    let admin = app.admin_token("MSP").await;
    let created = app
        .post("/api-keys", Some(&admin), json!({"name":"RMM"}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["role"], "AGENT");
    let key = created.str("key");
    assert!(key.starts_with("hdk_"));
    assert!(key.starts_with(&created.str("prefix")));
    let listed = app.get("/api-keys", &admin).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    assert!(
        listed.body[0].get("key").is_none(),
        "the secret is shown once"
    );
    // The key acts as an agent.
    assert_eq!(app.get("/users", &key).await.status, StatusCode::OK);
    assert_eq!(
        app.post("/organizations", Some(&key), json!({"name":"Via key"}))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.get("/api-keys", &key).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/auth/me", &key).await.status,
        StatusCode::FORBIDDEN
    );
    let customer_key = app
        .post(
            "/api-keys",
            Some(&admin),
            json!({"name":"x","role":"CUSTOMER"}),
        )
        .await;
    assert_eq!(customer_key.status, StatusCode::UNPROCESSABLE_ENTITY);
    let id = created.str("id");
    assert_eq!(
        app.delete(&format!("/api-keys/{id}"), &admin).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/users", &key).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.delete(&format!("/api-keys/{id}"), &admin).await.status,
        StatusCode::NOT_FOUND
    );
    let listed = app.get("/api-keys", &admin).await;
    assert!(listed.body[0]["revoked_at"].is_string());
    assert!(listed.body[0]["last_used_at"].is_string());
    assert_eq!(
        app.get("/users", "hdk_made-up").await.status,
        StatusCode::UNAUTHORIZED
    );
}
both!(api_key_lifecycle);
