//! `/health`, `/ready`, `/metrics`, the OpenAPI document and `/docs`.

use reqwest::StatusCode;

use crate::both;
use crate::harness::TestApp;

async fn service_endpoints(app: TestApp) {
    let health = app
        .request(reqwest::Method::GET, "/health", None, None)
        .await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.body, serde_json::json!({"status":"ok"}));
    let ready = app
        .request(reqwest::Method::GET, "/ready", None, None)
        .await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert_eq!(ready.body["checks"]["database"], "ok");
    if std::env::var("TEST_REDIS_URL").is_ok() && app.backend == crate::harness::Backend::Postgres {
        assert_eq!(ready.body["checks"]["redis"], "ok");
    }
    app.admin_token("Acme").await;
    let metrics = text(&app, "/metrics").await;
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(
        metrics.contains(r#"route="/api/v1/auth/register""#),
        "{metrics}"
    );
    assert!(metrics.contains("http_request_duration_seconds_bucket"));
    let docs = app
        .client
        .get(format!("{}/docs/", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    let html = docs.text().await.unwrap();
    assert!(html.contains("swagger"), "docs page is Swagger UI");
    assert!(
        !html.contains("https://"),
        "no CDN: every asset is served from the binary"
    );
    // The UI loads the document from where the API serves it.
    let init = text(&app, "/docs/swagger-initializer.js").await;
    assert!(init.contains(r#""url": "/api/v1/openapi.json""#), "{init}");
}
both!(service_endpoints);

/// The body of `GET path`, which must answer 200.
async fn text(app: &TestApp, path: &str) -> String {
    let res = app
        .client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

async fn openapi_documents_every_route(app: TestApp) {
    let spec = app
        .request(reqwest::Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(spec.status, StatusCode::OK);
    assert_eq!(spec.body["openapi"], "3.1.0");
    let paths = spec.body["paths"].as_object().unwrap();
    // The Phase 1 contract of API.md: each must be served and documented.
    let expected = [
        ("post", "/api/v1/auth/register"),
        ("post", "/api/v1/auth/login"),
        ("post", "/api/v1/auth/refresh"),
        ("post", "/api/v1/auth/logout"),
        ("get", "/api/v1/auth/me"),
        ("post", "/api/v1/auth/accept-invite"),
        ("post", "/api/v1/auth/password-reset"),
        ("post", "/api/v1/auth/password-reset/confirm"),
        ("get", "/api/v1/api-keys"),
        ("post", "/api/v1/api-keys"),
        ("delete", "/api/v1/api-keys/{id}"),
        ("get", "/api/v1/users"),
        ("post", "/api/v1/users"),
        ("get", "/api/v1/users/{id}"),
        ("patch", "/api/v1/users/{id}"),
        ("delete", "/api/v1/users/{id}"),
        ("get", "/api/v1/organizations"),
        ("post", "/api/v1/organizations"),
        ("get", "/api/v1/organizations/{id}"),
        ("patch", "/api/v1/organizations/{id}"),
        ("delete", "/api/v1/organizations/{id}"),
        ("get", "/api/v1/assets"),
        ("post", "/api/v1/assets"),
        ("get", "/api/v1/assets/{id}"),
        ("patch", "/api/v1/assets/{id}"),
        ("delete", "/api/v1/assets/{id}"),
        ("get", "/api/v1/tickets"),
        ("post", "/api/v1/tickets"),
        ("get", "/api/v1/tickets/{id}"),
        ("patch", "/api/v1/tickets/{id}"),
        ("get", "/api/v1/tickets/{id}/events"),
        ("get", "/api/v1/tickets/{id}/messages"),
        ("post", "/api/v1/tickets/{id}/messages"),
        ("get", "/api/v1/tickets/{id}/time-entries"),
        ("post", "/api/v1/tickets/{id}/time-entries"),
        ("get", "/api/v1/tickets/{id}/attachments"),
        ("post", "/api/v1/tickets/{id}/attachments"),
        ("get", "/api/v1/attachments/{id}"),
        ("get", "/api/v1/export/tickets"),
        ("get", "/api/v1/stream"),
        ("get", "/health"),
        ("get", "/ready"),
        ("get", "/metrics"),
    ];
    for (method, path) in expected {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing from the OpenAPI document"
        );
    }
    // And every documented operation is really routed: no 404 from the fallback, no 405.
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            let url = format!(
                "{}{}",
                app.base,
                path.replace("{id}", &uuid::Uuid::now_v7().to_string())
            );
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = app.client.request(m, url).send().await.unwrap();
            assert_ne!(
                r.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
            if !path.contains("{id}") {
                assert_ne!(
                    r.status(),
                    StatusCode::NOT_FOUND,
                    "{method} {path} is documented but not routed"
                );
            }
        }
    }
}
both!(openapi_documents_every_route);
