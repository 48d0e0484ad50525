//! Security review (#18), live streams: a stream ends with its caller's access (finding 1),
//! customers never receive an internal frame, live or replayed, and connection bursts are
//! capped without draining the pool (finding 3).

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;
use crate::tickets_extras::next_event_with;

async fn open_stream(app: &TestApp, token: &str, last: Option<&str>) -> reqwest::Response {
    let mut req = app
        .client
        .get(format!("{}/api/v1/stream", app.base))
        .bearer_auth(token);
    if let Some(id) = last {
        req = req.header("last-event-id", id);
    }
    req.send().await.unwrap()
}

/// Every frame until one contains `needle` (that one included); panics after `wait`.
pub(crate) async fn frames_until(
    res: &mut reqwest::Response,
    needle: &str,
    wait: Duration,
) -> Vec<String> {
    let mut frames = Vec::new();
    loop {
        let frame = next_event_with(res, "", wait)
            .await
            .unwrap_or_else(|| panic!("no frame with {needle} after {frames:?}"));
        let done = frame.contains(needle);
        frames.push(frame);
        if done {
            return frames;
        }
    }
}

/// Reads the stream to its end: the frames it sent, and whether it ended within `wait`.
async fn frames_to_end(res: &mut reqwest::Response, wait: Duration) -> (String, bool) {
    let deadline = tokio::time::Instant::now() + wait;
    let mut seen = String::new();
    loop {
        match tokio::time::timeout_at(deadline, res.chunk()).await {
            Err(_) => return (seen, false),
            Ok(Ok(Some(chunk))) => seen.push_str(&String::from_utf8_lossy(&chunk)),
            Ok(Ok(None) | Err(_)) => return (seen, true),
        }
    }
}

/// Opens a ticket as `token` and waits until each stream in `streams` has its
/// `ticket.created`: the positive signal that they are subscribed.
async fn warm_up(app: &TestApp, token: &str, streams: &mut [&mut reqwest::Response]) {
    let t = app
        .ticket(token, json!({"subject": "Warm-up", "description": "d"}))
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    for s in streams.iter_mut() {
        assert!(
            next_event_with(s, &id, Duration::from_secs(10))
                .await
                .is_some(),
            "subscribed stream sees the warm-up ticket"
        );
    }
}

/// Finding 1: deactivation and demotion end an open stream before it delivers anything
/// more; a colleague's stream goes on.
async fn streams_end_with_access(app: TestApp) {
    let team = app.team("Acme").await;
    let (demoted_id, demoted) = app
        .user_token(&team.admin, "second@acme.test", "AGENT")
        .await;
    let mut gone = open_stream(&app, &team.agent, None).await;
    let mut lowered = open_stream(&app, &demoted, None).await;
    let mut left = open_stream(&app, &team.bob, None).await;
    let mut admin = open_stream(&app, &team.admin, None).await;
    assert_eq!(gone.status(), StatusCode::OK);
    warm_up(
        &app,
        &team.bob,
        &mut [&mut gone, &mut lowered, &mut left, &mut admin],
    )
    .await;

    let r = app
        .delete(&format!("/users/{}", team.agent_id), &team.admin)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = app
        .patch(
            &format!("/users/{demoted_id}"),
            &team.admin,
            json!({"role": "CUSTOMER"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.post("/auth/logout", Some(&team.bob), json!({})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    // Staff open it for Bob: every stream that is still entitled would show it.
    let t = app
        .ticket(
            &team.admin,
            json!({"subject": "After the change", "description": "secret details",
                "requester_id": team.bob_id}),
        )
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    assert!(
        next_event_with(&mut admin, &id, Duration::from_secs(10))
            .await
            .is_some(),
        "the admin's stream still delivers"
    );
    for (who, stream) in [
        ("deactivated", &mut gone),
        ("demoted", &mut lowered),
        ("signed-out", &mut left),
    ] {
        let (seen, ended) = frames_to_end(stream, Duration::from_secs(20)).await;
        assert!(ended, "the {who} user's stream is still open");
        assert!(!seen.contains(&id), "the {who} user got {seen}");
    }
}
both!(streams_end_with_access);

/// Finding 1: a stream ends when its access token expires, even with nothing to send.
async fn streams_end_when_the_token_expires(app: TestApp) {
    let admin = app.admin_token("Acme").await;
    let mut s = open_stream(&app, &admin, None).await;
    assert_eq!(s.status(), StatusCode::OK);
    let (_, ended) = frames_to_end(&mut s, Duration::from_secs(45)).await;
    assert!(ended, "the stream outlived its 30 s token");
}
both!(streams_end_when_the_token_expires, |c| c.access_token_ttl =
    30);

/// Finding 1, on another replica: the deactivation happens on A, the stream is on B.
async fn streams_end_across_replicas(app: TestApp) {
    let other = app.replica().await;
    let team = app.team("Acme").await;
    let mut on_b = open_stream(&other, &team.agent, None).await;
    let mut admin_b = open_stream(&other, &team.admin, None).await;
    warm_up(&app, &team.alice, &mut [&mut on_b, &mut admin_b]).await;
    let r = app
        .delete(&format!("/users/{}", team.agent_id), &team.admin)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let t = app
        .ticket(&team.alice, json!({"subject": "Later", "description": "d"}))
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    assert!(
        next_event_with(&mut admin_b, &id, Duration::from_secs(10))
            .await
            .is_some()
    );
    let (seen, ended) = frames_to_end(&mut on_b, Duration::from_secs(20)).await;
    assert!(ended && !seen.contains(&id), "{seen}");
}
crate::postgres_only!(streams_end_across_replicas);

/// Teeth for the visibility filter: every frame a customer receives, up to a later public
/// reply, is public and about their own ticket, live and replayed.
async fn customers_never_receive_internal_frames(app: TestApp) {
    let team = app.team("Acme").await;
    let mut alice = open_stream(&app, &team.alice, None).await;
    warm_up(&app, &team.alice, &mut [&mut alice]).await;
    let t = app
        .ticket(&team.alice, json!({"subject": "Mine", "description": "d"}))
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    let other = app
        .ticket(&team.bob, json!({"subject": "Bob's", "description": "d"}))
        .await;
    let path = format!("/tickets/{id}/messages");
    for body in ["internal one", "internal two"] {
        let r = app
            .post(
                &path,
                Some(&team.agent),
                json!({"body": body, "internal": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let r = app
        .post(&path, Some(&team.agent), json!({"body": "sentinel reply"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    // Frames carry the message's id, not its text: the sentinel is found by id.
    let sentinel = r.str("id");
    let check = |frames: &[String]| {
        assert!(frames.iter().any(|f| f.contains(&id)), "{frames:?}");
        for f in frames {
            assert!(!f.contains("\"internal\":true"), "internal frame: {f}");
            assert!(!f.contains("note.created"), "note frame: {f}");
            assert!(!f.contains("internal one"), "{f}");
            assert!(!f.contains(other["id"].as_str().unwrap()), "{f}");
        }
    };
    check(&frames_until(&mut alice, &sentinel, Duration::from_secs(10)).await);
    let events = app.get(&format!("/tickets/{id}/events"), &team.agent).await;
    let first = events.body[0]["id"].as_str().unwrap().to_owned();
    let mut replay = open_stream(&app, &team.alice, Some(&first)).await;
    let replayed = frames_until(&mut replay, &sentinel, Duration::from_secs(10)).await;
    check(&replayed);
}
both!(customers_never_receive_internal_frames);

/// Finding 3: streams beyond the per-caller cap are refused with 429, and a burst of
/// reconnects replaying history leaves the pool to everyone else.
async fn stream_bursts_are_capped(app: TestApp) {
    let team = app.team("Acme").await;
    for n in 0..30 {
        app.ticket(
            &team.alice,
            json!({"subject": format!("T{n}"), "description": "d"}),
        )
        .await;
    }
    let t = app
        .ticket(&team.alice, json!({"subject": "First", "description": "d"}))
        .await;
    let events = app
        .get(
            &format!("/tickets/{}/events", t["id"].as_str().unwrap()),
            &team.agent,
        )
        .await;
    let old = events.body[0]["id"].as_str().unwrap().to_owned();
    let mut kept = Vec::new();
    for _ in 0..3 {
        let s = open_stream(&app, &team.alice, Some(&old)).await;
        assert_eq!(s.status(), StatusCode::OK);
        kept.push(s);
    }
    let refused = open_stream(&app, &team.alice, None).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key("retry-after"));
    // Many agents' tokens at once, each replaying: no 5xx, and the API stays usable.
    let mut agents = Vec::new();
    for n in 0..12 {
        let (_, token) = app
            .user_token(&team.admin, &format!("a{n}@acme.test"), "AGENT")
            .await;
        agents.push(token);
    }
    let burst = agents
        .iter()
        .flat_map(|t| [t.clone(), t.clone(), t.clone()])
        .map(|token| {
            let app = &app;
            let old = old.clone();
            async move { open_stream(app, &token, Some(&old)).await }
        });
    let (opened, list) = tokio::join!(
        futures::future::join_all(burst),
        app.get("/tickets?limit=5", &team.agent)
    );
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    for s in &opened {
        assert_eq!(s.status(), StatusCode::OK);
    }
    drop(kept);
}
both!(stream_bursts_are_capped, |c| c.streams_per_user = 3);
