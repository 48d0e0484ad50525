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
    // The downloads are the API's CSV, byte for byte, neutralised.
    for (web, api) in [
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
