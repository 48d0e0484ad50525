//! The dashboard, without JavaScript: the report figures for a period and filters, a
//! chart with its table, and CSV downloads byte for byte the API's; staff only.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;
use crate::web_client::Browser;

async fn api_csv(app: &TestApp, token: &str, path: &str) -> String {
    reqwest::Client::new()
        .get(format!("{}/api/v1{path}", app.base))
        .bearer_auth(token)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn the_dashboard(app: TestApp) {
    // One instant for both sides, so "up to now" is the same period.
    app.clock.set(jiff::Timestamp::now());
    let t = app.team("Acme").await;
    // An agent whose name a spreadsheet would run.
    let r = app
        .patch(
            &format!("/users/{}", t.agent_id),
            &t.admin,
            json!({"name": "=HYPERLINK(1)"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    for subject in ["One", "Two", "Three"] {
        let tk = app
            .ticket(&t.alice, json!({"subject": subject, "description": "d"}))
            .await;
        app.patch(
            &format!("/tickets/{}", tk["id"].as_str().unwrap()),
            &t.admin,
            json!({"assignee_id": t.agent_id}),
        )
        .await;
    }
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    let page = agent.get("/reports?period=7d").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(
        body.contains(r#"<p class="label">Created</p><p class="value">3</p>"#),
        "{body}"
    );
    assert!(
        body.contains("<svg")
            && body.contains("role=\"img\"")
            && body.contains("3 created</title>")
    );
    assert!(body.contains("<td>New</td>"), "{body}");
    assert!(body.contains("SLA compliance over time"));
    // The downloads are the API's CSV, byte for byte, neutralised.
    for (web, api) in [
        ("/reports/sla-trend.csv", "/reports/sla-trend"),
        ("/reports/agents.csv", "/reports/agents"),
        ("/reports/organizations.csv", "/reports/organizations"),
        ("/reports/overview.csv", "/reports/overview"),
    ] {
        let mine = agent.get(web).await;
        assert_eq!(mine.status, StatusCode::OK, "{web}");
        assert!(mine.header("content-type").starts_with("text/csv"), "{web}");
        assert_eq!(mine.body, api_csv(&app, &t.agent, api).await, "{web}");
    }
    let agents = agent.get("/reports/agents.csv").await.body;
    assert!(agents.contains("'=HYPERLINK(1)"), "{agents}");
    // Filters: an organization with no tickets shows none.
    let org = app
        .post("/organizations", Some(&t.admin), json!({"name": "Empty"}))
        .await
        .str("id");
    let page = agent.get(&format!("/reports?organization_id={org}")).await;
    assert!(
        page.body
            .contains(r#"<p class="label">Created</p><p class="value">0</p>"#)
    );
    assert_eq!(
        agent.get("/reports?period=fortnight").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        agent.get("/reports/secrets.csv").await.status,
        StatusCode::NOT_FOUND
    );
    // Customers have no dashboard.
    let mut alice = Browser::new(&app);
    alice.sign_in("alice@acme-client.test", "password1").await;
    assert_eq!(alice.get("/reports").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        alice.get("/reports/agents.csv").await.status,
        StatusCode::NOT_FOUND
    );
}
both!(the_dashboard);

/// The trend's buckets add up to the overview's figures for the same period.
async fn the_sla_trend_adds_up(app: TestApp) {
    let t0 = jiff::Timestamp::now();
    app.clock.set(t0);
    let t = app.team("Acme").await;
    let r = app
        .post(
            "/sla-policies",
            Some(&t.admin),
            json!({"name": "Std", "is_default": true,
                   "targets": {"MEDIUM": {"first_response_minutes": 60}}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    for subject in ["One", "Two"] {
        let tk = app
            .ticket(&t.alice, json!({"subject": subject, "description": "d"}))
            .await;
        let r = app
            .post(
                &format!("/tickets/{}/messages", tk["id"].as_str().unwrap()),
                Some(&t.agent),
                json!({"body": "On it"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    // A minute later, so the period (up to now, exclusive) holds the replies.
    app.clock.set(t0 + jiff::SignedDuration::from_secs(60));
    let overview = app.get("/reports/overview", &t.agent).await.body;
    let trend = app.get("/reports/sla-trend", &t.agent).await.body;
    let rows = trend.as_array().unwrap();
    // Thirty days by default: weekly buckets.
    assert!((5..=6).contains(&rows.len()), "{trend}");
    let sum = |k: &str| rows.iter().map(|r| r[k].as_u64().unwrap()).sum::<u64>();
    assert_eq!(
        sum("met"),
        overview["sla"]["overall"]["met"].as_u64().unwrap()
    );
    assert_eq!(
        sum("breached"),
        overview["sla"]["overall"]["breached"].as_u64().unwrap()
    );
    assert_eq!(sum("met"), 2, "{trend}");
    // A week or less: daily buckets.
    let daily = app
        .get("/reports/sla-trend?from=2020-01-01&to=2020-01-07", &t.agent)
        .await
        .body;
    assert_eq!(daily.as_array().unwrap().len(), 7, "{daily}");
    let bad = app.get("/reports/sla-trend?interval=hour", &t.agent).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}
both!(the_sla_trend_adds_up);
