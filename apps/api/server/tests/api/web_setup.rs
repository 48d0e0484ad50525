//! The set-up editors without JavaScript: business hours, SLA policies and automations,
//! their errors on the fields concerned, rules reordered and switched in place; agents
//! read calendars and policies and change nothing, and see no automations.

use reqwest::StatusCode;
use serde_json::Value;

use crate::both;
use crate::harness::TestApp;
use crate::web_client::Browser;

fn week(open: &str, close: &str) -> Vec<(String, String)> {
    let mut out = vec![
        ("name".to_owned(), "Office".to_owned()),
        ("timezone".to_owned(), "Europe/Madrid".to_owned()),
        ("holidays".to_owned(), "2026-12-25".to_owned()),
    ];
    for d in ["mon", "tue", "wed", "thu", "fri"] {
        out.push((format!("{d}_0_from"), open.to_owned()));
        out.push((format!("{d}_0_to"), close.to_owned()));
        out.push((format!("{d}_1_from"), String::new()));
        out.push((format!("{d}_1_to"), String::new()));
    }
    out
}

async fn post(b: &mut Browser, path: &str, fields: &[(String, String)]) -> crate::web_client::Page {
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    b.post(path, &refs).await
}

async fn set_up_through_the_pages(app: TestApp) {
    let t = app.team("Acme").await;
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@acme.test", "secure").await;
    admin.get("/admin/business-hours").await;
    // An interval ending before it starts is the engine's error, on its day.
    let r = post(&mut admin, "/admin/business-hours", &week("17:00", "09:00")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-weekly.mon""#), "{}", r.body);
    let mut half = week("09:00", "17:00");
    half.push(("sat_0_from".into(), "10:00".into()));
    let r = post(&mut admin, "/admin/business-hours", &half).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("give both times"), "{}", r.body);
    let r = post(&mut admin, "/admin/business-hours", &week("09:00", "17:00")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let cals: Value = app.get("/business-hours", &t.admin).await.body;
    let cal = cals.as_array().unwrap()[0].clone();
    assert_eq!(
        cal["weekly"]["mon"],
        serde_json::json!([["09:00", "17:00"]])
    );
    assert_eq!(cal["holidays"], serde_json::json!(["2026-12-25"]));
    let cal_id = cal["id"].as_str().unwrap().to_owned();

    // A policy: a warning point out of range is refused on its field.
    let mut policy = vec![
        ("name".to_owned(), "Gold".to_owned()),
        ("calendar".to_owned(), cal_id.clone()),
        ("warn".to_owned(), "0".to_owned()),
        ("t_HIGH_first_response".to_owned(), "30".to_owned()),
        ("pause_resolution".to_owned(), "PENDING".to_owned()),
    ];
    let r = post(&mut admin, "/admin/sla-policies", &policy).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-warn_at_percent""#), "{}", r.body);
    policy[2].1 = "75".into();
    let r = post(&mut admin, "/admin/sla-policies", &policy).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = admin.get(r.location()).await;
    assert!(page.body.contains("A ticket opened now would be due"));
    let p = &app
        .get("/sla-policies", &t.admin)
        .await
        .body
        .as_array()
        .unwrap()[0]
        .clone();
    assert_eq!(p["targets"]["HIGH"]["first_response_minutes"], 30);
    assert_eq!(p["warn_at_percent"], 75);
    assert_eq!(p["pause_on"]["resolution"], serde_json::json!(["PENDING"]));
    assert_eq!(p["business_hours_id"], cal_id.as_str());

    // Rules: JSON that does not parse, then two rules reordered and one switched off.
    let rule = |name: &str, actions: &str| {
        vec![
            ("name".to_owned(), name.to_owned()),
            ("trigger".to_owned(), "ticket.created".to_owned()),
            ("conditions".to_owned(), "[]".to_owned()),
            ("actions".to_owned(), actions.to_owned()),
            ("active".to_owned(), "on".to_owned()),
        ]
    };
    admin.get("/admin/automations").await;
    let r = post(&mut admin, "/admin/automations", &rule("Broken", "[{")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("is not JSON"), "{}", r.body);
    for name in ["First", "Second"] {
        let r = post(
            &mut admin,
            "/admin/automations",
            &rule(name, r#"[{"type": "add_tag", "tag": "x"}]"#),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let names = |rules: &Value| -> Vec<String> {
        let mut list = rules.as_array().unwrap().clone();
        list.sort_by_key(|r| r["position"].as_i64());
        list.iter()
            .map(|r| r["name"].as_str().unwrap().to_owned())
            .filter(|n| n == "First" || n == "Second")
            .collect()
    };
    assert_eq!(
        names(&app.get("/automations", &t.admin).await.body),
        ["First", "Second"]
    );
    let rules = app.get("/automations", &t.admin).await.body;
    let second = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Second")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = admin
        .post(
            &format!("/admin/automations/{second}/change"),
            &[("to", "up")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        names(&app.get("/automations", &t.admin).await.body),
        ["Second", "First"]
    );
    let r = admin
        .post(
            &format!("/admin/automations/{second}/change"),
            &[("to", "off")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/automations/{second}"), &t.admin)
            .await
            .body["active"],
        false
    );

    // Agents read calendars and policies, without forms; no automations.
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    let cal_page = agent.get("/admin/business-hours").await;
    assert_eq!(cal_page.status, StatusCode::OK);
    assert!(cal_page.body.contains("Office") && !cal_page.body.contains("Add calendar"));
    let r = post(&mut agent, "/admin/business-hours", &week("09:00", "17:00")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        !agent
            .get("/admin/sla-policies")
            .await
            .body
            .contains("Add policy")
    );
    assert_eq!(
        agent.get("/admin/automations").await.status,
        StatusCode::NOT_FOUND
    );
}
both!(set_up_through_the_pages);

async fn macros_through_the_pages(app: TestApp) {
    let t = app.team("Acme").await;
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    agent.get("/admin/macros").await;
    let form = |actions: &'static str| {
        [
            ("name", "Printer reset"),
            ("reply", "Please switch the printer off and on."),
            ("actions", actions),
        ]
    };
    let r = agent.post("/admin/macros", &form("[{")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("is not JSON"), "{}", r.body);
    let r = agent
        .post(
            "/admin/macros",
            &form(r#"[{"type": "set_priority", "value": "SIDEWAYS"}]"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = agent
        .post(
            "/admin/macros",
            &form(r#"[{"type": "add_tag", "tag": "printer"}]"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = app.get("/macros", &t.agent).await.body;
    assert_eq!(list[0]["name"], "Printer reset");
    assert_eq!(
        list[0]["actions"],
        serde_json::json!([{"type": "add_tag", "tag": "printer"}])
    );
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let r = agent.post(&format!("/admin/macros/{id}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/macros", &t.agent).await.body,
        serde_json::json!([])
    );
}
both!(macros_through_the_pages);

async fn rules_from_the_builder(app: TestApp) {
    let t = app.team("Acme").await;
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@acme.test", "secure").await;
    admin.get("/admin/automations").await;
    let rule = |action: &'static str, value: &'static str| {
        [
            ("name", "Hot ones to the agent"),
            ("trigger", "ticket.created"),
            ("mode", "build"),
            ("c0_field", "priority"),
            ("c0_op", "in"),
            ("c0_value", "high, urgent"),
            ("c1_field", ""),
            ("c1_op", "is"),
            ("c1_value", ""),
            ("a0_type", action),
            ("a0_value", value),
            ("active", "on"),
        ]
    };
    // A refused row says so on that row.
    let r = admin
        .post("/admin/automations", &rule("set_status", "NEW"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="ae0""#), "{}", r.body);
    // Agents by name, as the team page shows them.
    let r = admin
        .post(
            "/admin/automations",
            &rule("round_robin", "agent@acme.test"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location().to_owned();
    let id = page.trim_start_matches("/admin/automations/").to_owned();
    let stored = app.get(&format!("/automations/{id}"), &t.admin).await.body;
    assert_eq!(
        stored["conditions"],
        serde_json::json!([{"field": "priority", "op": "in", "value": ["HIGH", "URGENT"]}])
    );
    assert_eq!(
        stored["actions"],
        serde_json::json!([{"type": "assign", "strategy": "round_robin", "agents": [t.agent_id]}])
    );
    // Opened again, the builder shows the rule by name, and the JSON beside it.
    let shown = admin.get(&page).await.body;
    assert!(shown.contains(r#"value="agent@acme.test""#), "{shown}");
    assert!(shown.contains(r#"value="HIGH, URGENT""#), "{shown}");
    assert!(shown.contains("round_robin"));
}
both!(rules_from_the_builder);

async fn macros_from_the_builder(app: TestApp) {
    let t = app.team("Acme").await;
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    agent.get("/admin/macros").await;
    let r = agent
        .post(
            "/admin/macros",
            &[
                ("name", "Escalate"),
                ("reply", ""),
                ("mode", "build"),
                ("a0_type", "set_priority"),
                ("a0_value", "urgent"),
                ("a1_type", "assign"),
                ("a1_value", "agent@acme.test"),
                ("a2_type", ""),
                ("a2_value", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = app.get("/macros", &t.agent).await.body;
    assert_eq!(
        list[0]["actions"],
        serde_json::json!([
            {"type": "set_priority", "priority": "URGENT"},
            {"type": "assign", "agent_id": t.agent_id}
        ])
    );
    // Shown again in the builder, the agent by name.
    let shown = agent.get(r.location()).await.body;
    assert!(
        shown.contains(r#"value="agent@acme.test""#) && shown.contains(r#"value="URGENT""#),
        "{shown}"
    );
}
both!(macros_from_the_builder);
