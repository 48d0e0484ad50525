//! The error contract: problem+json codes for every 4xx, request ids, body limits.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;

async fn problem_json_for_every_4xx(app: TestApp) {
    let admin = app.admin_token("Acme").await;
    let url = format!("{}/api/v1/organizations", app.base);
    let send = |body: &'static str, ct: Option<&'static str>| {
        let mut req = app.client.post(&url).bearer_auth(&admin).body(body);
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        req.send()
    };
    let malformed = send("{\"name\":", Some("application/json")).await.unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        malformed.headers()["content-type"],
        "application/problem+json"
    );
    let body: serde_json::Value = malformed.json().await.unwrap();
    assert_eq!(body["code"], "malformed_request");
    assert_eq!(body["status"], 400);
    for key in ["type", "title", "detail"] {
        assert!(body[key].is_string(), "{key}");
    }
    let wrong_type = send("{\"name\":\"x\"}", Some("text/plain")).await.unwrap();
    assert_eq!(wrong_type.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let none = send("{\"name\":\"x\"}", None).await.unwrap();
    assert_eq!(none.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let unknown = app
        .post(
            "/organizations",
            Some(&admin),
            json!({"name":"x","colour":"red"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.body["errors"][0]["field"], "colour");
    let wrong_shape = app
        .post("/organizations", Some(&admin), json!({"name": 42}))
        .await;
    assert_eq!(wrong_shape.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_shape.body["errors"][0]["field"], "name");
    let not_object = app
        .post("/organizations", Some(&admin), json!([1, 2]))
        .await;
    assert_eq!(not_object.status, StatusCode::UNPROCESSABLE_ENTITY);
    // None of that created anything.
    let list = app.get("/organizations", &admin).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 0);
    let nowhere = app.get("/no/such/route", &admin).await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    assert_eq!(nowhere.code(), "not_found");
    let method = app
        .client
        .put(format!("{}/health", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(method.status(), StatusCode::METHOD_NOT_ALLOWED);
}
both!(problem_json_for_every_4xx);

async fn oversized_bodies_are_413(app: TestApp) {
    let admin = app.admin_token("Acme").await;
    let big = "x".repeat(2 * 1024 * 1024);
    let r = app
        .post(
            "/organizations",
            Some(&admin),
            json!({"name":"x","notes": big}),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.code(), "payload_too_large");
    let long_notes = app
        .post(
            "/organizations",
            Some(&admin),
            json!({"name":"x","notes": "y".repeat(10_001)}),
        )
        .await;
    assert_eq!(long_notes.status, StatusCode::UNPROCESSABLE_ENTITY);
}
both!(oversized_bodies_are_413);

async fn request_ids_are_set_and_echoed(app: TestApp) {
    let fresh = app
        .client
        .get(format!("{}/health", app.base))
        .send()
        .await
        .unwrap();
    let id = fresh.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok());
    let echoed = app
        .client
        .get(format!("{}/api/v1/auth/me", app.base))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(echoed.headers()["x-request-id"], "abc-123");
}
both!(request_ids_are_set_and_echoed);

/// Every documented error response says `application/problem+json` with the problem
/// schema, and that is what the server really sends: each operation is called without
/// credentials (or with a body it cannot take) and its error's media type compared.
async fn documented_errors_are_problem_json(app: TestApp) {
    let spec = app
        .request(reqwest::Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .body;
    let mut documented = 0;
    let mut called = 0;
    for (path, ops) in spec["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                if !(status.starts_with('4') || status.starts_with('5')) {
                    continue;
                }
                let Some(content) = response["content"].as_object() else {
                    continue;
                };
                if path == "/ready" {
                    continue; // its 503 is the readiness report, as JSON
                }
                let types: Vec<&String> = content.keys().collect();
                assert_eq!(
                    types,
                    ["application/problem+json"],
                    "{method} {path} {status}"
                );
                let schema = content["application/problem+json"]["schema"]["$ref"]
                    .as_str()
                    .unwrap_or_default();
                assert!(
                    schema.ends_with("/Problem"),
                    "{method} {path} {status}: {schema}"
                );
                documented += 1;
            }
            let url = path.replace(['{', '}'], "");
            let url = url
                .split('/')
                .map(|seg| match seg {
                    "id" | "token" => uuid::Uuid::now_v7().to_string(),
                    s => s.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("/");
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let res = app
                .client
                .request(m, format!("{}{url}", app.base))
                .body("not json")
                .send()
                .await
                .unwrap();
            if res.status().as_u16() < 400 || path == "/ready" {
                continue;
            }
            assert_eq!(
                res.headers()["content-type"],
                "application/problem+json",
                "{method} {path} answered {}",
                res.status()
            );
            called += 1;
        }
    }
    assert!(
        documented > 100,
        "only {documented} error responses documented"
    );
    assert!(called > 50, "only {called} operations answered an error");
}
both!(documented_errors_are_problem_json);
