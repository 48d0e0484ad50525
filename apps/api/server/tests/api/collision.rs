//! Two agents on one ticket: each sees the other on the page (and who is writing), across
//! replicas through Redis; heartbeats expire; and a reply written against an older version
//! of the ticket is held until its author has seen what changed (web and API).

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::TestApp;
use crate::web_client::{Browser, Page};
use crate::{both, postgres_only};

fn seen_version(page: &Page) -> String {
    let at = page
        .body
        .find(r#"name="seen_version" value=""#)
        .expect("the composer carries the version");
    let rest = &page.body[at + r#"name="seen_version" value=""#.len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

async fn presence_between_two(ann_app: &TestApp, raj_app: &TestApp) {
    let t = ann_app.team("Acme").await;
    ann_app.user_token(&t.admin, "raj@acme.test", "AGENT").await;
    let ticket = ann_app
        .ticket(&t.alice, json!({"subject": "Printer", "description": "d"}))
        .await;
    let n = ticket["number"].to_string();
    let page = format!("/tickets/{n}");
    let beat = format!("/tickets/{n}/presence");
    let mut ann = Browser::new(ann_app);
    ann.sign_in("agent@acme.test", "password1").await;
    let mut raj = Browser::new(raj_app);
    raj.sign_in("raj@acme.test", "password1").await;

    let first = ann.get(&page).await;
    assert!(first.body.contains(r#"id="presence""#) && !first.body.contains("Also here"));
    let second = raj.get(&page).await;
    assert!(
        second
            .body
            .contains("Also here: <strong>agent@acme.test</strong>"),
        "{}",
        second.body
    );
    // Raj starts writing; Ann's next heartbeat says so.
    let r = raj.post(&beat, &[("typing", "1")]).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = ann.post(&beat, &[("typing", "0")]).await;
    assert!(
        r.body
            .contains("<strong>raj@acme.test</strong> <em>(writing a reply…)</em>"),
        "{}",
        r.body
    );
    // Raj leaves: gone at once.
    let r = raj.post(&format!("{beat}/leave"), &[]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = ann.post(&beat, &[]).await;
    assert!(!r.body.contains("raj@acme.test"), "{}", r.body);
    // A heartbeat lapses after 30 s without another.
    raj.post(&beat, &[]).await;
    assert!(ann.post(&beat, &[]).await.body.contains("raj@acme.test"));
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(31);
    ann_app.clock.set(later);
    raj_app.clock.set(later);
    let r = ann.post(&beat, &[]).await;
    assert!(!r.body.contains("raj@acme.test"), "{}", r.body);

    // Customers have no presence, and no other workspace's ticket exists.
    let mut alice = Browser::new(ann_app);
    alice.sign_in("alice@acme-client.test", "password1").await;
    alice.get("/tickets").await;
    assert_eq!(alice.post(&beat, &[]).await.status, StatusCode::NOT_FOUND);
    ann_app.team("Other").await;
    let mut stranger = Browser::new(ann_app);
    stranger.sign_in("agent@other.test", "password1").await;
    stranger.get("/tickets").await;
    assert_eq!(
        stranger.post(&beat, &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn presence_on_one_server(app: TestApp) {
    presence_between_two(&app, &app).await;
}
both!(presence_on_one_server);

async fn presence_across_replicas(app: TestApp) {
    let replica = app.replica().await;
    presence_between_two(&app, &replica).await;
}
postgres_only!(presence_across_replicas);

/// Ann writes while Raj replies: her send is held, with Raj's reply shown and her text
/// kept; sent again, it goes.
async fn replies_wait_for_a_look_at_changes(app: TestApp) {
    let t = app.team("Acme").await;
    let (_, raj) = app.user_token(&t.admin, "raj@acme.test", "AGENT").await;
    let ticket = app
        .ticket(&t.alice, json!({"subject": "Printer", "description": "d"}))
        .await;
    let n = ticket["number"].to_string();
    let mut ann = Browser::new(&app);
    ann.sign_in("agent@acme.test", "password1").await;
    let page = ann.get(&format!("/tickets/{n}")).await;
    let seen = seen_version(&page);
    let r = app
        .post(
            &format!("/tickets/{n}/messages"),
            Some(&raj),
            json!({"body": "Raj: on my way"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let reply = [
        ("body", "Ann: restart it"),
        ("visibility", "public"),
        ("then_status", ""),
        ("seen_version", seen.as_str()),
    ];
    let held = ann
        .post_multipart(&format!("/tickets/{n}/messages"), &reply, &[])
        .await;
    assert_eq!(held.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        held.body
            .contains("someone else replied to or changed this ticket")
    );
    assert!(
        held.body.contains("Raj: on my way") && held.body.contains("Ann: restart it</textarea>")
    );
    let msgs = app
        .get(&format!("/tickets/{n}/messages"), &t.agent)
        .await
        .body;
    assert_eq!(msgs["items"].as_array().unwrap().len(), 1, "{msgs}");
    // The page shown holds the new version: sending again confirms.
    let now = seen_version(&held);
    assert_ne!(now, seen);
    let reply = [
        ("body", "Ann: restart it"),
        ("visibility", "public"),
        ("then_status", ""),
        ("seen_version", now.as_str()),
    ];
    let sent = ann
        .post_multipart(&format!("/tickets/{n}/messages"), &reply, &[])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

    // The API: `If-Match` with the version the author saw.
    let current = app.get(&format!("/tickets/{n}"), &raj).await.body["version"].clone();
    let stale = app
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/tickets/{n}/messages"),
            Some(&raj),
            Some(json!({"body": "late"})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CREATED);
    let with = |v: String| {
        let app = &app;
        let raj = raj.clone();
        let n = n.clone();
        async move {
            let res = reqwest::Client::new()
                .post(format!("{}/api/v1/tickets/{n}/messages", app.base))
                .bearer_auth(raj)
                .header("If-Match", v)
                .json(&json!({"body": "checked"}))
                .send()
                .await
                .unwrap();
            res.status()
        }
    };
    assert_eq!(with(current.to_string()).await, StatusCode::CONFLICT);
    let fresh = app.get(&format!("/tickets/{n}"), &raj).await.body["version"].to_string();
    assert_eq!(with(fresh).await, StatusCode::CREATED);
}
both!(replies_wait_for_a_look_at_changes);
