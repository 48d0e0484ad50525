//! Satisfaction surveys: asked once per resolution in the "resolved" email and the portal,
//! answered by a single-use link without signing in (or by the requester in the API),
//! closed when they expire or the ticket is resolved again; the report exact against
//! figures worked out by hand.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;
use crate::web_client::Browser;

/// The token of the `n`th survey link mailed to `email` (waits for it).
async fn survey_token(app: &TestApp, admin: &str, email: &str, n: usize) -> String {
    let ws = app.workspace_id(admin).await;
    let mut seen: Vec<(String, bool)> = Vec::new();
    for _ in 0..400 {
        let mails = helpdesk_storage::repo::outbox::for_recipient(app.store.read(), ws, email)
            .await
            .unwrap();
        seen = mails
            .iter()
            .map(|m| (m.subject.clone(), m.body.contains("/csat/")))
            .collect();
        let found: Vec<String> = mails
            .iter()
            .filter_map(|m| m.body.split("/csat/").nth(1))
            .map(|rest| rest.split('?').next().unwrap().to_owned())
            .collect();
        if found.len() >= n {
            return found[n - 1].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("no survey link #{n} to {email}: {seen:?}");
}

async fn resolve(app: &TestApp, token: &str, id: &str) {
    let r = app
        .patch(
            &format!("/tickets/{id}"),
            token,
            json!({"status": "RESOLVED"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn csat_surveys(app: TestApp) {
    let t0: jiff::Timestamp = "2027-03-10T10:00:00Z".parse().unwrap();
    app.clock.set(t0);
    let team = app.team("Acme").await;
    let ws_email = "alice@acme-client.test";
    // Off by default: resolving asks nothing.
    let quiet = app
        .ticket(&team.alice, json!({"subject": "Quiet", "description": "d"}))
        .await;
    resolve(&app, &team.agent, quiet["id"].as_str().unwrap()).await;
    app.jobs_drained().await;
    assert_eq!(
        app.get(
            &format!("/tickets/{}/csat", quiet["id"].as_str().unwrap()),
            &team.agent
        )
        .await
        .body,
        json!([])
    );
    let r = app
        .patch("/workspace", &team.admin, json!({"csat_enabled": true}))
        .await;
    assert_eq!(r.body["settings"]["csat_enabled"], true, "{}", r.body);
    let org = app
        .post(
            "/organizations",
            Some(&team.admin),
            json!({"name": "Client Co"}),
        )
        .await
        .str("id");

    let open = |subject: &'static str| {
        let (app, alice) = (&app, team.alice.clone());
        async move {
            app.ticket(&alice, json!({"subject": subject, "description": "d"}))
                .await["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let (t1, t2, t3) = (open("One").await, open("Two").await, open("Three").await);
    for (id, body) in [
        (
            &t1,
            json!({"assignee_id": team.agent_id, "organization_id": org}),
        ),
        (&t2, json!({"assignee_id": team.agent_id})),
    ] {
        assert_eq!(
            app.patch(&format!("/tickets/{id}"), &team.agent, body)
                .await
                .status,
            StatusCode::OK
        );
    }

    // T1: resolved → the email carries the links; one click records GOOD, no sign-in.
    resolve(&app, &team.agent, &t1).await;
    let token = survey_token(&app, &team.admin, ws_email, 1).await;
    let pending = app
        .get(&format!("/tickets/{t1}/csat"), &team.agent)
        .await
        .body;
    assert_eq!(pending[0]["state"], "PENDING", "{pending}");
    let anon = reqwest::Client::new();
    let click = |rating: &str| {
        anon.get(format!("{}/csat/{token}?rating={rating}", app.base))
            .send()
    };
    let page = click("GOOD").await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("you rated this <strong>good</strong>")
    );
    // Clicked again (a second click, a mail scanner): nothing changes; the other answer is refused.
    assert_eq!(click("GOOD").await.unwrap().status(), StatusCode::OK);
    let other = click("BAD").await.unwrap();
    assert_eq!(other.status(), StatusCode::CONFLICT);
    assert!(other.text().await.unwrap().contains("answered already"));
    // A comment may follow once, through the page (with its CSRF token).
    let mut browser = Browser::new(&app);
    let page = browser.get(&format!("/csat/{token}")).await;
    assert!(page.body.contains("Anything to add?"), "{}", page.body);
    let r = browser
        .post(&format!("/csat/{token}"), &[("comment", "Fast and kind")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = browser
        .post(&format!("/csat/{token}"), &[("comment", "Again")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = app
        .get(&format!("/tickets/{t1}/csat"), &team.agent)
        .await
        .body;
    assert_eq!(
        (done[0]["rating"].clone(), done[0]["comment"].clone()),
        (json!("GOOD"), json!("Fast and kind"))
    );
    assert_eq!(done[0]["rated_at"], "2027-03-10T10:00:00Z");
    // An unknown token is no page.
    let nothing = anon
        .get(format!("{}/csat/not-a-token?rating=GOOD", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(nothing.status(), StatusCode::NOT_FOUND);

    // T2: resolved, reopened by the customer, resolved again: asked again, the first link closed.
    resolve(&app, &team.agent, &t2).await;
    let first = survey_token(&app, &team.admin, ws_email, 2).await;
    app.clock.set(t0 + jiff::SignedDuration::from_hours(1));
    let r = app
        .post(
            &format!("/tickets/{t2}/messages"),
            Some(&team.alice),
            json!({"body": "Not fixed"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    resolve(&app, &team.agent, &t2).await;
    let second = survey_token(&app, &team.admin, ws_email, 3).await;
    assert_ne!(first, second);
    let r = anon
        .get(format!("{}/csat/{first}?rating=BAD", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let states: Vec<Value> = app
        .get(&format!("/tickets/{t2}/csat"), &team.agent)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].clone())
        .collect();
    assert_eq!(states, [json!("EXPIRED"), json!("PENDING")]);
    // Fifteen days later the second link has expired too.
    app.clock
        .set(t0 + jiff::SignedDuration::from_hours(15 * 24));
    let r = anon
        .get(format!("{}/csat/{second}?rating=GOOD", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("survey has closed"));
    app.clock.set(t0);

    // T3 (no assignee, no organization): the requester answers in the API; others may not.
    resolve(&app, &team.agent, &t3).await;
    survey_token(&app, &team.admin, ws_email, 4).await;
    let answer = json!({"rating": "BAD", "comment": "Slow"});
    assert_eq!(
        app.post(
            &format!("/tickets/{t3}/csat"),
            Some(&team.agent),
            answer.clone()
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            &format!("/tickets/{t3}/csat"),
            Some(&team.bob),
            answer.clone()
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let r = app
        .post(
            &format!("/tickets/{t3}/csat"),
            Some(&team.alice),
            answer.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["rating"], "BAD");
    assert_eq!(
        app.post(&format!("/tickets/{t3}/csat"), Some(&team.alice), answer)
            .await
            .status,
        StatusCode::CONFLICT
    );

    // The report, by hand: T1 good (agent, Client Co), T2 twice unanswered (agent), T3 bad
    // (unassigned); the quiet ticket was never asked.
    let rows = app
        .get("/reports/csat?from=2027-03-01&to=2027-03-31", &team.agent)
        .await
        .body;
    let got: Vec<(String, String, u64, u64, u64, u64, Value)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_u64().unwrap();
            (
                r["scope"].as_str().unwrap().into(),
                r["name"].as_str().unwrap().into(),
                n("asked"),
                n("rated"),
                n("good"),
                n("bad"),
                r["good_percent"].clone(),
            )
        })
        .collect();
    let agent_name = "agent@acme.test".to_owned();
    assert_eq!(
        got,
        [
            (
                "overall".into(),
                "All tickets".into(),
                4,
                2,
                1,
                1,
                json!(50.0)
            ),
            ("agent".into(), "Unassigned".into(), 1, 1, 0, 1, json!(0.0)),
            ("agent".into(), agent_name, 3, 1, 1, 0, json!(100.0)),
            (
                "organization".into(),
                "Client Co".into(),
                1,
                1,
                1,
                0,
                json!(100.0)
            ),
            (
                "organization".into(),
                "No organization".into(),
                3,
                1,
                0,
                1,
                json!(0.0)
            ),
        ]
    );
    let csv = app
        .client
        .get(format!(
            "{}/api/v1/reports/csat?from=2027-03-01&to=2027-03-31",
            app.base
        ))
        .bearer_auth(&team.agent)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("scope,id,name,asked,rated,good,bad,good_percent")
    );
    assert_eq!(lines.next(), Some("overall,,All tickets,4,2,1,1,50.0"));
    // Customers do not read reports.
    assert_eq!(
        app.get("/reports/csat", &team.alice).await.status,
        StatusCode::FORBIDDEN
    );
}
both!(csat_surveys, crate::harness::jobs_in_process);
