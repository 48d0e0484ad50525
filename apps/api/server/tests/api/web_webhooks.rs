//! Webhooks from the admin pages: created with the secret shown once, their delivery log
//! with response codes, a delivery sent again (the same event, a new attempt), turned off
//! and on; agents see none of it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;
use crate::platform_delivery::receiver;
use crate::web_client::Browser;

fn fast(c: &mut helpdesk::Config) {
    c.jobs_in_process = Some(true);
    c.job_poll_ms = 20;
    c.job_retry_base_ms = 50;
    c.webhook_allow_private = true;
}

async fn webhooks_from_the_admin_pages(app: TestApp) {
    let t = app.team("Acme").await;
    let (url, rx) = receiver(0).await;
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@acme.test", "secure").await;
    admin.get("/admin/webhooks").await;
    let r = admin
        .post(
            "/admin/webhooks",
            &[("url", "ftp://nope"), ("events", "message.created")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-url""#), "{}", r.body);
    let r = admin
        .post(
            "/admin/webhooks",
            &[("url", &url), ("events", "message.created")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(
        r.body.contains("value=\"whsec_"),
        "the secret is shown once"
    );
    let hooks = app.get("/webhooks", &t.admin).await.body;
    let id = hooks.as_array().unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!admin.get("/admin/webhooks").await.body.contains("whsec_"));

    // An event, delivered and logged.
    let tk = app
        .ticket(&t.alice, json!({"subject": "Printer", "description": "d"}))
        .await;
    app.post(
        &format!("/tickets/{}/messages", tk["id"].as_str().unwrap()),
        Some(&t.agent),
        json!({"body": "On it"}),
    )
    .await;
    rx.wait_for(1).await;
    let log = app
        .eventually(&format!("/webhooks/{id}/deliveries"), &t.admin, |b| {
            b["items"].as_array().is_some_and(|i| !i.is_empty())
        })
        .await;
    let delivery = log["items"][0]["id"].as_str().unwrap().to_owned();
    let page = admin.get(&format!("/admin/webhooks/{id}")).await;
    assert!(
        page.body.contains("Delivered") && page.body.contains("<td>200</td>"),
        "{}",
        page.body
    );

    // Sent again: the same event, once more.
    let again = format!("/admin/webhooks/{id}/deliveries/{delivery}/redeliver");
    let r = admin.post(&again, &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Sent again"));
    rx.wait_for(2).await;
    let seen = rx.seen.lock().unwrap().clone();
    let event = |i: usize| serde_json::from_slice::<Value>(&seen[i].1).unwrap()["id"].clone();
    assert_eq!(event(0), event(1));
    // The API does the same.
    let r = app
        .post(
            &format!("/webhooks/{id}/deliveries/{delivery}/redeliver"),
            Some(&t.admin),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    rx.wait_for(3).await;

    // Off: nothing is sent again until it is on.
    let r = admin
        .post(&format!("/admin/webhooks/{id}/switch"), &[("to", "off")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        admin
            .get(&format!("/admin/webhooks/{id}"))
            .await
            .body
            .contains("Turn on")
    );
    let r = admin.post(&again, &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("turn it on before sending again"));

    // Agents: not found.
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    assert_eq!(
        agent.get("/admin/webhooks").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        agent.get(&format!("/admin/webhooks/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}
both!(webhooks_from_the_admin_pages, super::fast);
