//! Contracts in the web app: an admin adds one to an organization (hours and rates typed
//! as people say them; refusals on their fields), changes it and sees its usage on the
//! organization's page; agents read it there but may not open its form; the dashboard's
//! billing table and CSV.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;
use crate::web_client::Browser;

async fn contracts_in_the_web_app(app: TestApp) {
    let t = app.team("Acme").await;
    let org = app
        .post(
            "/organizations",
            Some(&t.admin),
            json!({"name": "Client Co"}),
        )
        .await
        .str("id");
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@acme.test", "secure").await;
    let page = admin.get(&format!("/admin/organizations/{org}")).await;
    assert!(page.body.contains("Add a contract"), "{}", page.body);
    let new = format!("/admin/organizations/{org}/contracts/new");
    let form = admin.get(&new).await;
    assert_eq!(form.status, StatusCode::OK);
    let fields =
        |name: &'static str, hours: &'static str, rate: &'static str, starts: &'static str| {
            vec![
                ("name", name),
                ("kind", "PREPAID_HOURS"),
                ("included_hours", hours),
                ("period", "NONE"),
                ("starts_on", starts),
                ("ends_on", ""),
                ("hourly_rate", rate),
                ("currency", "eur"),
                ("sla_policy_id", ""),
                ("alert_at_percent", "80"),
            ]
        };
    let r = admin
        .post(&new, &fields("", "ten", "90", "2026-01-01"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-included""#), "{}", r.body);
    let r = admin
        .post(&new, &fields("", "10", "90", "2026-01-01"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-name""#), "{}", r.body);
    let r = admin
        .post(&new, &fields("Block", "7.5", "90.50", "2026-01-01"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = app
        .get(&format!("/organizations/{org}/contracts"), &t.admin)
        .await
        .body;
    let c = &list[0];
    assert_eq!(
        (
            c["included_minutes"].clone(),
            c["hourly_rate_cents"].clone(),
            c["currency"].clone()
        ),
        (json!(450), json!(9050), json!("EUR"))
    );
    let id = c["id"].as_str().unwrap().to_owned();
    // A second, overlapping contract is refused with the reason.
    let r = admin
        .post(&new, &fields("Again", "5", "90", "2026-06-01"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("overlaps"), "{}", r.body);

    // Time on the organization's ticket shows on its page; the contract can be changed.
    let ticket = app
        .ticket(&t.agent, json!({"subject": "s", "description": "d", "requester_id": t.alice_id, "organization_id": org}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .post(
            &format!("/tickets/{ticket}/time-entries"),
            Some(&t.agent),
            json!({"minutes": 120}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let page = admin.get(&format!("/admin/organizations/{org}")).await;
    assert!(
        page.body.contains("120 of 450 min used (330 left, 0 over)"),
        "{}",
        page.body
    );
    let edit = admin.get(&format!("/admin/contracts/{id}")).await;
    assert!(edit.body.contains(r#"value="7.5""#), "{}", edit.body);
    let r = admin
        .post(
            &format!("/admin/contracts/{id}"),
            &fields("Block", "1", "90.50", "2026-01-01"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = admin.get(&format!("/admin/organizations/{org}")).await;
    assert!(
        page.body
            .contains("120 of 60 min used (0 left, 60 over); 90.50 EUR to invoice"),
        "{}",
        page.body
    );

    // Agents read contracts on the page, not their form; the dashboard bills the period.
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    let page = agent.get(&format!("/admin/organizations/{org}")).await;
    assert!(page.body.contains("Block") && !page.body.contains("Add a contract"));
    assert_eq!(
        agent.get(&format!("/admin/contracts/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let dash = agent.get("/reports").await;
    assert!(dash.body.contains("90.50 EUR"), "{}", dash.body);
    let csv = agent.get("/reports/billing.csv").await;
    assert!(
        csv.body
            .starts_with("organization_id,organization,contract_id"),
        "{}",
        csv.body
    );

    // Deleting keeps the time: it shows as time outside contracts.
    let r = admin
        .post(&format!("/admin/contracts/{id}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let dash = agent.get("/reports").await;
    assert!(dash.body.contains("No contract"), "{}", dash.body);
}
both!(contracts_in_the_web_app);
