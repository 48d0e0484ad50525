//! Satisfaction in the web app: the portal asks the requester on a resolved request and
//! takes the answer; the console shows it on the ticket and the dashboard counts it.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;
use crate::web_client::Browser;

async fn rated_in_the_portal(app: TestApp) {
    let t = app.team("Acme").await;
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@acme.test", "secure").await;
    let page = admin.get("/admin/workspace").await;
    assert!(page.body.contains("Ask customers to rate resolved tickets"));
    let settings = app.get("/workspace", &t.admin).await.body;
    let r = admin
        .post(
            "/admin/workspace",
            &[
                ("name", settings["name"].as_str().unwrap()),
                ("timezone", "UTC"),
                ("auto_close_days", "4"),
                ("csat_enabled", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.get("/workspace", &t.admin).await.body["settings"]["csat_enabled"],
        true
    );

    let n = app
        .ticket(&t.alice, json!({"subject": "Mail", "description": "d"}))
        .await["number"]
        .clone();
    let r = app
        .patch(
            &format!("/tickets/{n}"),
            &t.agent,
            json!({"status": "RESOLVED"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let mut alice = Browser::new(&app);
    alice.sign_in("alice@acme-client.test", "password1").await;
    let mut page = alice.get(&format!("/tickets/{n}")).await;
    for _ in 0..200 {
        if page.body.contains("How did we do?") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        page = alice.get(&format!("/tickets/{n}")).await;
    }
    assert!(page.body.contains("How did we do?"), "{}", page.body);
    let r = alice
        .post(&format!("/tickets/{n}/csat"), &[("comment", "no rating")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-rating""#), "{}", r.body);
    let r = alice
        .post(
            &format!("/tickets/{n}/csat"),
            &[("rating", "GOOD"), ("comment", "Quick!")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = alice.get(&format!("/tickets/{n}")).await;
    assert!(
        page.body.contains("Thank you for your rating: good."),
        "{}",
        page.body
    );

    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    let page = agent.get(&format!("/tickets/{n}")).await;
    assert!(
        page.body.contains("Good: \u{201c}Quick!\u{201d}"),
        "{}",
        page.body
    );
    let dash = agent.get("/reports").await;
    assert!(dash.body.contains("Satisfaction"), "{}", dash.body);
    assert!(dash.body.contains("100.0 %"), "{}", dash.body);
    let csv = agent.get("/reports/csat.csv").await;
    assert!(
        csv.body
            .starts_with("scope,id,name,asked,rated,good,bad,good_percent"),
        "{}",
        csv.body
    );
}
both!(rated_in_the_portal, crate::harness::jobs_in_process);
