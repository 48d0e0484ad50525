//! Security review (#18), input: message floods are limited and conversations paged and
//! cheaply indexed (finding 2), single-line fields refuse control characters (finding
//! 10), and webhook addresses are checked in every IPv6 form.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::{Backend, TestApp};

/// Finding 2: one author, and one ticket, get a per-minute allowance of messages.
async fn message_floods_are_limited(app: TestApp) {
    let team = app.team("Acme").await;
    let t = app
        .ticket(&team.alice, json!({"subject": "Flood", "description": "d"}))
        .await;
    let path = format!("/tickets/{}/messages", t["id"].as_str().unwrap());
    let post = |token: &String| {
        let token = token.clone();
        let (app, path) = (&app, path.clone());
        async move {
            app.post(&path, Some(&token), json!({"body": "again"}))
                .await
        }
    };
    for n in 0..4 {
        assert_eq!(
            post(&team.alice).await.status,
            StatusCode::CREATED,
            "message {n}"
        );
    }
    let refused = post(&team.alice).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert_eq!(refused.code(), "rate_limited");
    assert!(refused.headers.contains_key("retry-after"));
    // The ticket's own allowance (6) is shared by everyone writing on it.
    assert_eq!(post(&team.agent).await.status, StatusCode::CREATED);
    assert_eq!(post(&team.admin).await.status, StatusCode::CREATED);
    assert_eq!(
        post(&team.agent).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another customer's ticket is not slowed down.
    let other = app
        .ticket(&team.bob, json!({"subject": "Mine", "description": "d"}))
        .await;
    let r = app
        .post(
            &format!("/tickets/{}/messages", other["id"].as_str().unwrap()),
            Some(&team.bob),
            json!({"body": "hello"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    // Refused messages changed nothing.
    let msgs = app.get(&format!("{path}?limit=100"), &team.agent).await;
    assert_eq!(
        msgs.body["items"].as_array().unwrap().len(),
        6,
        "{}",
        msgs.body
    );
}
both!(message_floods_are_limited, |c| {
    c.rate_limit_messages_per_author = 4;
    c.rate_limit_messages_per_ticket = 6;
});

/// Finding 2: the conversation is paged with a cursor, oldest first, notes hidden from
/// customers on every page.
async fn conversations_are_paged(app: TestApp) {
    let team = app.team("Acme").await;
    let t = app
        .ticket(&team.alice, json!({"subject": "Long", "description": "d"}))
        .await;
    let path = format!("/tickets/{}/messages", t["id"].as_str().unwrap());
    for n in 0..7 {
        let r = app
            .post(
                &path,
                Some(&team.agent),
                json!({"body": format!("m{n}"), "internal": n % 3 == 0}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let walk = |token: String| {
        let app = &app;
        let path = path.clone();
        async move {
            let mut bodies = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let url = match &cursor {
                    Some(c) => format!("{path}?limit=2&cursor={c}"),
                    None => format!("{path}?limit=2"),
                };
                let page = app.get(&url, &token).await;
                assert_eq!(page.status, StatusCode::OK, "{}", page.body);
                let items = page.body["items"].as_array().unwrap();
                assert!(items.len() <= 2);
                bodies.extend(items.iter().map(|m| m["body"].as_str().unwrap().to_owned()));
                match page.body["next_cursor"].as_str() {
                    Some(c) => cursor = Some(c.to_owned()),
                    None => return bodies,
                }
            }
        }
    };
    assert_eq!(
        walk(team.agent.clone()).await,
        ["m0", "m1", "m2", "m3", "m4", "m5", "m6"]
    );
    assert_eq!(walk(team.alice.clone()).await, ["m1", "m2", "m4", "m5"]);
    let big = "x".repeat(64 * 1024 + 1);
    let r = app
        .post(&path, Some(&team.agent), json!({"body": big}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}
both!(conversations_are_paged);

/// Finding 2: on SQLite a message no longer re-indexes an unbounded conversation: the
/// indexed text stops growing at its bound, and what was indexed stays searchable.
async fn sqlite_search_index_is_bounded(app: TestApp) {
    if app.backend != Backend::Sqlite {
        return;
    }
    let team = app.team("Acme").await;
    let t = app
        .ticket(&team.alice, json!({"subject": "Logs", "description": "d"}))
        .await;
    let path = format!("/tickets/{}/messages", t["id"].as_str().unwrap());
    let chunk = format!("firstword {}", "lorem ipsum ".repeat(5000));
    for _ in 0..8 {
        let r = app
            .post(&path, Some(&team.alice), json!({"body": chunk}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let row = sea_orm::ConnectionTrait::query_one_raw(
        app.store.read(),
        sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT max(length(messages)) FROM tickets_fts",
        ),
    )
    .await
    .unwrap()
    .unwrap();
    let indexed: i64 = row.try_get_by_index(0).unwrap();
    assert!(indexed > 200_000, "{indexed}");
    assert!(indexed < 256 * 1024 + 70_000, "{indexed}");
    let found = app.get("/tickets?q=firstword", &team.agent).await;
    assert_eq!(
        found.body["items"].as_array().unwrap().len(),
        1,
        "{}",
        found.body
    );
}
crate::both!(sqlite_search_index_is_bounded);

/// Finding 10: a subject or name with a line break (a forged log line) is refused.
async fn single_line_fields_refuse_control_characters(app: TestApp) {
    let team = app.team("Acme").await;
    let forged = "Printer\r\n2026-12-02T10:00:00Z  INFO helpdesk: admin signed in";
    let r = app
        .post(
            "/tickets",
            Some(&team.alice),
            json!({"subject": forged, "description": "multi\nline is fine here"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_fields(), ["subject"]);
    let r = app
        .patch(
            &format!("/users/{}", team.alice_id),
            &team.admin,
            json!({"name": "Alice\u{1b}[31m"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .post(
            "/organizations",
            Some(&team.admin),
            json!({"name": "Acme\nLtd"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let tickets = app.get("/tickets", &team.agent).await;
    assert_eq!(tickets.body["items"].as_array().unwrap().len(), 0);
}
both!(single_line_fields_refuse_control_characters);

/// Hardening: IPv6 literals reach the check (they used to fail to resolve), and the
/// IPv6 forms of private addresses are refused.
#[tokio::test]
async fn webhook_addresses_in_every_ipv6_form() {
    use helpdesk_jobs::handlers::webhook::resolve;
    let check = |url: &str, allow: bool| {
        let url: reqwest::Url = url.parse().unwrap();
        async move { resolve(&url, allow).await }
    };
    let private = check("http://[::1]:9/x", false).await.unwrap_err();
    assert!(private.contains("private"), "{private}");
    let allowed = check("http://[::1]:9/x", true).await.unwrap();
    assert_eq!(allowed, "[::1]:9".parse().unwrap());
    for url in [
        "http://[64:ff9b::a00:1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[2002:a00:1::1]/",
        "http://[fec0::1]/",
        "http://[::a00:1]/",
    ] {
        let e = check(url, false).await.unwrap_err();
        assert!(e.contains("private"), "{url}: {e}");
    }
    let public = check("http://[2606:4700:4700::1111]:443/", false)
        .await
        .unwrap();
    assert_eq!(public.port(), 443);
}
