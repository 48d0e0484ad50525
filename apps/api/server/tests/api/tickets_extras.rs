//! Time entries, attachments, idempotency keys, export and the live stream.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;

async fn time_entries_with_totals(app: TestApp) {
    let team = app.team("Acme").await;
    let t = app
        .ticket(&team.alice, json!({"subject":"s","description":"d"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/tickets/{t}/time-entries");
    let a = app
        .post(
            &path,
            Some(&team.agent),
            json!({"minutes": 30, "note": "remote session"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["billable"], true);
    app.post(
        &path,
        Some(&team.agent),
        json!({"minutes": 15, "billable": false, "started_at": "2026-11-26T09:00:00Z"}),
    )
    .await;
    for bad in [
        json!({"minutes": 0}),
        json!({"minutes": 1441}),
        json!({"minutes": 5, "started_at": "today"}),
        json!({"minutes": 5, "extra": 1}),
    ] {
        assert_eq!(
            app.post(&path, Some(&team.agent), bad).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        app.post(&path, Some(&team.alice), json!({"minutes": 5}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let list = app.get(&path, &team.agent).await;
    assert_eq!(list.body["total_minutes"], 45);
    assert_eq!(list.body["billable_minutes"], 30);
    assert_eq!(list.body["items"][0]["started_at"], "2026-11-26T09:00:00Z");
    assert_eq!(
        app.get(&path, &team.alice).await.status,
        StatusCode::FORBIDDEN
    );
}
both!(time_entries_with_totals);

async fn attachments_follow_ticket_visibility(app: TestApp) {
    let team = app.team("Acme").await;
    let t = app
        .ticket(&team.alice, json!({"subject":"s","description":"d"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let up = format!("/tickets/{t}/attachments");
    let png = [
        &[0x89u8, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..],
        &[0u8; 32][..],
    ]
    .concat();
    let a = app
        .upload(
            &up,
            &team.alice,
            "../../screen shot.png",
            "image/png",
            png.clone(),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["filename"], "screen shot.png");
    assert_eq!(a.body["size"], png.len());
    let url = a.body["url"].as_str().unwrap().to_owned();
    let dl = app.download(&url, &team.agent).await;
    assert_eq!(dl.status(), StatusCode::OK);
    assert_eq!(dl.headers()["content-type"], "image/png");
    assert!(
        dl.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(dl.headers()["x-content-type-options"], "nosniff");
    assert_eq!(dl.bytes().await.unwrap().to_vec(), png);
    let denied = app.download(&url, &team.bob).await;
    assert_eq!(denied.status(), StatusCode::NOT_FOUND);
    // A PDF claiming to be a PNG is refused; HTML is stored but never served as HTML.
    let fake = app
        .upload(
            &up,
            &team.alice,
            "x.png",
            "image/png",
            b"%PDF-1.7 fake".to_vec(),
            None,
        )
        .await;
    assert_eq!(fake.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = app
        .upload(
            &up,
            &team.agent,
            "x.html",
            "text/html",
            b"<script>alert(1)</script>".to_vec(),
            None,
        )
        .await;
    let dl = app
        .download(html.body["url"].as_str().unwrap(), &team.alice)
        .await;
    assert_eq!(dl.headers()["content-type"], "application/octet-stream");
    // Files on internal notes stay internal.
    let note = app
        .post(
            &format!("/tickets/{t}/messages"),
            Some(&team.agent),
            json!({"body":"log","internal":true}),
        )
        .await
        .str("id");
    let on_note = app
        .upload(
            &up,
            &team.agent,
            "log.txt",
            "text/plain",
            b"secret".to_vec(),
            Some(&note),
        )
        .await;
    assert_eq!(on_note.status, StatusCode::CREATED);
    let hidden = app
        .download(on_note.body["url"].as_str().unwrap(), &team.alice)
        .await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&up, &team.alice)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        app.get(&up, &team.agent)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let on_hidden = app
        .upload(
            &up,
            &team.alice,
            "y.txt",
            "text/plain",
            b"x".to_vec(),
            Some(&note),
        )
        .await;
    assert_eq!(on_hidden.status, StatusCode::UNPROCESSABLE_ENTITY);
}
both!(attachments_follow_ticket_visibility);

async fn attachments_have_a_size_limit(app: TestApp) {
    let team = app.team("Acme").await;
    let t = app
        .ticket(&team.alice, json!({"subject":"s","description":"d"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let big = app
        .upload(
            &format!("/tickets/{t}/attachments"),
            &team.alice,
            "big.bin",
            "application/octet-stream",
            vec![7u8; 300 * 1024],
            None,
        )
        .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", big.body);
    assert_eq!(big.code(), "payload_too_large");
    assert_eq!(
        app.get(&format!("/tickets/{t}/attachments"), &team.agent)
            .await
            .body,
        json!([])
    );
    let ok = app
        .upload(
            &format!("/tickets/{t}/attachments"),
            &team.alice,
            "ok.bin",
            "application/octet-stream",
            vec![7u8; 100 * 1024],
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
}
both!(attachments_have_a_size_limit, |c| c.attachment_limit =
    200 * 1024);

async fn idempotent_retries_write_once(app: TestApp) {
    let team = app.team("Acme").await;
    let send = |key: &str, body: serde_json::Value| {
        app.client
            .post(format!("{}/api/v1/tickets", app.base))
            .bearer_auth(&team.alice)
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };
    let body = json!({"subject":"Printer error","description":"PC Load Letter"});
    let first = send("k-1", body.clone()).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: serde_json::Value = first.json().await.unwrap();
    let again = send("k-1", body.clone()).await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<serde_json::Value>().await.unwrap(), first);
    let different = send("k-1", json!({"subject":"Other","description":"x"}))
        .await
        .unwrap();
    assert_eq!(different.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Concurrent retries of one key still create one ticket.
    let racing = futures::future::join_all((0..8).map(|_| send("k-2", body.clone()))).await;
    let ids: std::collections::HashSet<String> =
        futures::future::join_all(racing.into_iter().map(|r| async move {
            let r = r.unwrap();
            assert_eq!(r.status(), StatusCode::CREATED);
            r.json::<serde_json::Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }))
        .await
        .into_iter()
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(
        app.get("/tickets", &team.agent).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Messages too; the key is per caller.
    let t = first["id"].as_str().unwrap();
    let reply = |token: &str| {
        app.client
            .post(format!("{}/api/v1/tickets/{t}/messages", app.base))
            .bearer_auth(token)
            .header("idempotency-key", "m-1")
            .json(&json!({"body":"hello"}))
            .send()
    };
    assert_eq!(
        reply(&team.agent).await.unwrap().status(),
        StatusCode::CREATED
    );
    assert_eq!(
        reply(&team.agent).await.unwrap().status(),
        StatusCode::CREATED
    );
    assert_eq!(
        reply(&team.alice).await.unwrap().status(),
        StatusCode::CREATED
    );
    assert_eq!(
        app.get(&format!("/tickets/{t}/messages"), &team.agent)
            .await
            .body["items"]
            .clone()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let bad = app
        .client
        .post(format!("{}/api/v1/tickets", app.base))
        .bearer_auth(&team.alice)
        .header("idempotency-key", "")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
both!(idempotent_retries_write_once);

async fn export_walks_changes_oldest_first(app: TestApp) {
    let team = app.team("Acme").await;
    for i in 0..5 {
        app.ticket(
            &team.alice,
            json!({"subject": format!("t{i}"), "description": "d"}),
        )
        .await;
    }
    let page = app.get("/export/tickets?limit=3", &team.agent).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let nums: Vec<i64> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_i64().unwrap())
        .collect();
    assert_eq!(nums, [1, 2, 3]);
    assert_eq!(page.body["end_of_stream"], false);
    let cursor = page.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = app
        .get(
            &format!("/export/tickets?limit=3&cursor={cursor}"),
            &team.agent,
        )
        .await;
    let nums: Vec<i64> = rest.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_i64().unwrap())
        .collect();
    assert_eq!(nums, [4, 5]);
    assert_eq!(rest.body["end_of_stream"], true);
    // A later change to ticket 2 shows up after the saved cursor.
    app.patch("/tickets/2", &team.agent, json!({"priority":"HIGH"}))
        .await;
    let cursor = rest.body["next_cursor"].as_str().unwrap().to_owned();
    let changed = app
        .get(&format!("/export/tickets?cursor={cursor}"), &team.agent)
        .await;
    let nums: Vec<i64> = changed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_i64().unwrap())
        .collect();
    assert_eq!(nums, [2]);
    assert_eq!(
        app.get("/export/tickets", &team.alice).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/export/tickets?cursor=zzz", &team.agent)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
both!(export_walks_changes_oldest_first);

/// Reads SSE frames until one whose data contains `needle`, or the timeout.
pub(crate) async fn next_event_with(
    res: &mut reqwest::Response,
    needle: &str,
    wait: Duration,
) -> Option<String> {
    frames_until(res, needle, wait).await?.pop()
}

/// Reads SSE frames up to and including the first whose data contains `needle`; `None`
/// when none came before the timeout.
pub(crate) async fn frames_until(
    res: &mut reqwest::Response,
    needle: &str,
    wait: Duration,
) -> Option<Vec<String>> {
    let deadline = tokio::time::Instant::now() + wait;
    let mut buf = String::new();
    let mut frames = Vec::new();
    loop {
        let chunk = tokio::time::timeout_at(deadline, res.chunk())
            .await
            .ok()?
            .ok()??;
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let frame: String = buf.drain(..end + 2).collect();
            let found = frame.contains(needle);
            frames.push(frame);
            if found {
                return Some(frames);
            }
        }
    }
}

async fn live_stream_respects_visibility(app: TestApp) {
    let team = app.team("Acme").await;
    let open = |token: &str| {
        app.client
            .get(format!("{}/api/v1/stream", app.base))
            .bearer_auth(token)
            .send()
    };
    let mut agent = open(&team.agent).await.unwrap();
    assert_eq!(agent.status(), StatusCode::OK);
    assert!(
        agent.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut bob = open(&team.bob).await.unwrap();
    let mut alice = open(&team.alice).await.unwrap();
    // Let the subscriptions settle (Redis SUBSCRIBE is asynchronous).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let t = app
        .ticket(&team.alice, json!({"subject":"Live one","description":"d"}))
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    let frame = next_event_with(&mut agent, &id, Duration::from_secs(5))
        .await
        .expect("agent gets the event");
    assert!(frame.contains("event: ticket.created"), "{frame}");
    assert!(
        next_event_with(&mut alice, &id, Duration::from_secs(5))
            .await
            .is_some(),
        "the requester sees its ticket"
    );
    app.post(
        &format!("/tickets/{id}/messages"),
        Some(&team.agent),
        json!({"body":"private","internal":true}),
    )
    .await;
    app.post(
        &format!("/tickets/{id}/messages"),
        Some(&team.agent),
        json!({"body":"public"}),
    )
    .await;
    // Every frame up to the public reply, not just the reply: the note came before it.
    let frames = frames_until(&mut alice, "message.created", Duration::from_secs(5))
        .await
        .expect("public reply reaches the requester");
    for f in &frames {
        assert!(
            !f.contains("note.created") && !f.contains("\"internal\":true"),
            "{f}"
        );
    }
    assert!(
        next_event_with(&mut agent, "note.created", Duration::from_secs(5))
            .await
            .is_some()
    );
    // Bob opens a ticket of his own: once its event reaches him, whatever of Alice's he
    // could see would have come before it.
    let his = app
        .ticket(&team.bob, json!({"subject":"Bob's own","description":"d"}))
        .await;
    let bobs = frames_until(
        &mut bob,
        his["id"].as_str().unwrap(),
        Duration::from_secs(5),
    )
    .await
    .expect("Bob gets his own ticket's event");
    assert!(
        bobs.iter().all(|f| !f.contains(&id)),
        "an unrelated customer sees nothing: {bobs:?}"
    );
    // Resuming with Last-Event-ID replays what was missed, from the database.
    let events = app
        .get(&format!("/tickets/{id}/events"), &team.agent)
        .await
        .body;
    let first = events[0]["id"].as_str().unwrap().to_owned();
    let mut resumed = app
        .client
        .get(format!("{}/api/v1/stream", app.base))
        .bearer_auth(&team.alice)
        .header("last-event-id", &first)
        .send()
        .await
        .unwrap();
    let frames = frames_until(&mut resumed, "message.created", Duration::from_secs(5))
        .await
        .expect("missed event replayed");
    for f in &frames {
        assert!(
            !f.contains("note.created") && !f.contains("\"internal\":true"),
            "{f}"
        );
    }
    assert_eq!(
        app.request(reqwest::Method::GET, "/stream", None, None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}
both!(live_stream_respects_visibility);

async fn live_events_cross_replicas(app: TestApp) {
    assert!(
        app.config.redis_url.is_some(),
        "set TEST_REDIS_URL with TEST_DATABASE_URL"
    );
    let other = app.replica().await;
    let team = app.team("Acme").await;
    let mut on_b = other
        .client
        .get(format!("{}/api/v1/stream", other.base))
        .bearer_auth(&team.agent)
        .send()
        .await
        .unwrap();
    assert_eq!(on_b.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let t = app
        .ticket(
            &team.alice,
            json!({"subject":"Made on replica A","description":"d"}),
        )
        .await;
    let id = t["id"].as_str().unwrap();
    assert!(
        next_event_with(&mut on_b, id, Duration::from_secs(5))
            .await
            .is_some(),
        "event from A reached B through Redis"
    );
}
crate::postgres_only!(live_events_cross_replicas);
