//! Which policy applies and when its terms change: priority changes re-apply from the
//! original start, an organization's policy wins over the default; the sweep records each
//! warning and breach once, notifies, and the list filters and sorts by SLA.

use jiff::{Timestamp, ToSpan};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

const T0: &str = "2027-06-07T08:00:00Z";

fn at(minutes: i64) -> Timestamp {
    T0.parse::<Timestamp>().unwrap() + minutes.minutes()
}

fn iso(minutes: i64) -> String {
    at(minutes).to_string()
}

async fn policy(app: &TestApp, admin: &str, body: Value) -> String {
    let r = app.post("/sla-policies", Some(admin), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.str("id")
}

async fn patch(app: &TestApp, token: &str, id: &str, body: Value) -> Value {
    let r = app.patch(&format!("/tickets/{id}"), token, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

async fn steps(app: &TestApp, token: &str, id: &str) -> Vec<String> {
    let r = app.get(&format!("/tickets/{id}/sla"), token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["metric"].as_str().unwrap(),
                e["kind"].as_str().unwrap()
            )
        })
        .collect()
}

async fn priority_and_organization_changes_reapply(app: TestApp) {
    let team = app.team("Acme").await;
    let default = policy(
        &app,
        &team.admin,
        json!({"name": "Default", "is_default": true, "targets": {
            "MEDIUM": {"resolution_minutes": 600}, "URGENT": {"resolution_minutes": 60}}}),
    )
    .await;
    let gold = policy(
        &app,
        &team.admin,
        json!({"name": "Gold", "targets": {
            "MEDIUM": {"resolution_minutes": 120}, "URGENT": {"resolution_minutes": 30}}}),
    )
    .await;
    let org = app
        .post(
            "/organizations",
            Some(&team.agent),
            json!({"name": "Gold client", "sla_policy_id": gold}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED, "{}", org.body);
    let org = org.str("id");
    app.clock.set(at(0));

    // The organization's policy wins over the default.
    let golden = app
        .ticket(
            &team.agent,
            json!({"subject": "Printer", "description": "jam", "requester_id": team.alice_id,
                "organization_id": org}),
        )
        .await;
    assert_eq!(golden["sla"]["policy_id"], gold.as_str());
    assert_eq!(golden["sla"]["resolution_due_at"], iso(120));

    let t = app
        .ticket(
            &team.alice,
            json!({"subject": "Mail", "description": "bounces"}),
        )
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    assert_eq!(t["sla"]["policy_id"], default.as_str());
    assert_eq!(t["sla"]["resolution_due_at"], iso(600));

    // 30 minutes in, URGENT: 60 minutes from the original start, not from now.
    app.clock.set(at(30));
    let urgent = patch(&app, &team.agent, &id, json!({"priority": "URGENT"})).await;
    assert_eq!(urgent["sla"]["resolution_due_at"], iso(60));
    assert_eq!(urgent["sla"]["resolution_remaining_minutes"], 30);
    // 40 minutes in, the ticket moves to the gold client: 30 minutes, already past.
    app.clock.set(at(40));
    let moved = patch(&app, &team.agent, &id, json!({"organization_id": org})).await;
    assert_eq!(moved["sla"]["policy_id"], gold.as_str());
    assert_eq!(moved["sla"]["resolution_breached"], true);
    assert_eq!(moved["sla"]["resolution_remaining_minutes"], -10);
    // Back to no organization and MEDIUM: the default again, 600 minutes from creation;
    // the breach already recorded stands.
    let back = patch(
        &app,
        &team.agent,
        &id,
        json!({"organization_id": null, "priority": "MEDIUM"}),
    )
    .await;
    assert_eq!(back["sla"]["resolution_due_at"], iso(600));
    assert_eq!(back["sla"]["resolution_breached"], true);
    assert_eq!(
        steps(&app, &team.agent, &id).await,
        [
            "resolution:applied",
            "resolution:reapplied",
            "resolution:reapplied",
            "resolution:warned",
            "resolution:breached",
            "resolution:reapplied",
        ]
    );
    // A priority without targets leaves the ticket without an SLA.
    let low = patch(&app, &team.agent, &id, json!({"priority": "LOW"})).await;
    assert_eq!(low["sla"], Value::Null);
}
both!(priority_and_organization_changes_reapply);

async fn the_sweep_records_once_and_notifies(app: TestApp) {
    let team = app.team("Acme").await;
    policy(
        &app,
        &team.admin,
        json!({"name": "Default", "is_default": true, "warn_at_percent": 50,
            "targets": {"MEDIUM": {"first_response_minutes": 10}}}),
    )
    .await;
    let (url, hook) = crate::platform_delivery::receiver(0).await;
    let w = app
        .post(
            "/webhooks",
            Some(&team.admin),
            json!({"url": url, "events": ["sla.warning", "sla.breached"]}),
        )
        .await;
    assert_eq!(w.status, StatusCode::CREATED, "{}", w.body);
    app.clock.set(at(0));
    let t = app
        .ticket(
            &team.alice,
            json!({"subject": "Disk", "description": "full"}),
        )
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    assert_eq!(app.sla_sweep().await, 0, "nothing due yet");
    app.clock.set(at(5));
    assert_eq!(app.sla_sweep().await, 1, "the warning");
    assert_eq!(app.sla_sweep().await, 0, "once");
    // Each delivery has arrived before the clock moves on.
    hook.wait_for(1).await;
    app.clock.set(at(12));
    assert_eq!(app.sla_sweep().await, 1, "the breach");
    assert_eq!(app.sla_sweep().await, 0, "once");
    hook.wait_for(2).await;
    app.clock.set(at(60));
    assert_eq!(app.sla_sweep().await, 0, "and never again");
    assert_eq!(
        steps(&app, &team.agent, &id).await,
        [
            "first_response:applied",
            "first_response:warned",
            "first_response:breached"
        ]
    );
    let events = app.get(&format!("/tickets/{id}/events"), &team.agent).await;
    let kinds: Vec<&str> = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .filter(|k| *k != "automation.applied")
        .collect();
    assert_eq!(kinds, ["ticket.created", "sla.warning", "sla.breached"]);
    let breach = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "sla.breached")
        .unwrap();
    assert_eq!(breach["changes"]["metric"], "first_response");
    assert_eq!(breach["changes"]["at"], iso(10));

    // Unassigned: the admins hear of it, through the outbox, once the worker is done.
    app.jobs_drained().await;
    let ws = app.workspace_id(&team.admin).await;
    let mut told =
        helpdesk_storage::repo::outbox::for_recipient(app.store.read(), ws, "admin@acme.test")
            .await
            .unwrap();
    told.retain(|m| m.kind != "email_verification");
    let bodies: Vec<&str> = told.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(told.len(), 2, "{bodies:?}");
    assert!(
        bodies
            .iter()
            .any(|b| b.contains("breached its first response SLA"))
    );
    // And the subscribed webhook hears of each exactly once, with the ticket's SLA reading:
    // the queue has drained, so no repeat can still be on its way.
    let seen = hook.seen.lock().unwrap().clone();
    let mut types: Vec<String> = seen
        .iter()
        .map(|(_, body)| {
            let v: Value = serde_json::from_slice(body).unwrap();
            assert_eq!(v["ticket"]["id"], id.as_str());
            assert!(v["ticket"]["sla"].is_object());
            v["type"].as_str().unwrap().to_owned()
        })
        .collect();
    types.sort();
    assert_eq!(types, ["sla.breached", "sla.warning"]);
    let ids: Vec<&str> = seen
        .iter()
        .map(|(headers, _)| headers["x-helpdesk-delivery"].to_str().unwrap())
        .collect();
    let distinct: std::collections::HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        ids.len(),
        "a delivery id sent twice: {ids:?}"
    );
    // The admins heard of it through the workspace's default rules, which the timeline names.
    let events = app.get(&format!("/tickets/{id}/events"), &team.agent).await;
    let mut rules: Vec<&str> = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "automation.applied")
        .map(|e| e["changes"]["automation"]["name"].as_str().unwrap())
        .collect();
    rules.sort_unstable();
    assert_eq!(
        rules,
        [
            "Tell admins about SLA breaches on unassigned tickets",
            "Tell admins about SLA warnings on unassigned tickets"
        ]
    );
}
both!(the_sweep_records_once_and_notifies, |c| {
    c.jobs_in_process = Some(true);
    // The test runs the sweep itself; the scheduled one would race it when the clock jumps.
    c.schedule_sla_sweep = String::new();
    c.job_poll_ms = 20;
    c.webhook_allow_private = true;
});

async fn lists_filter_and_sort_by_sla(app: TestApp) {
    let team = app.team("Acme").await;
    policy(
        &app,
        &team.admin,
        json!({"name": "Default", "is_default": true, "warn_at_percent": 50, "targets": {
            "LOW": {"resolution_minutes": 300}, "MEDIUM": {"resolution_minutes": 100},
            "HIGH": {"resolution_minutes": 20}}}),
    )
    .await;
    app.clock.set(at(0));
    let mut ids = Vec::new();
    for p in ["LOW", "MEDIUM", "HIGH", "URGENT"] {
        let t = app
            .ticket(
                &team.alice,
                json!({"subject": p, "description": "x", "priority": p}),
            )
            .await;
        ids.push(t["id"].as_str().unwrap().to_owned());
    }
    let (low, medium, high, urgent) = (
        ids[0].as_str(),
        ids[1].as_str(),
        ids[2].as_str(),
        ids[3].as_str(),
    );
    let order = |r: &Value| -> Vec<String> {
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_owned())
            .collect()
    };
    // Earliest deadline first, no deadline last; pages follow the same order.
    let all = app.get("/tickets?sort=due", &team.agent).await;
    assert_eq!(order(&all.body), [high, medium, low, urgent]);
    let first = app.get("/tickets?sort=due&limit=2", &team.agent).await;
    let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
    let second = app
        .get(
            &format!("/tickets?sort=due&limit=2&cursor={cursor}"),
            &team.agent,
        )
        .await;
    assert_eq!(
        [order(&first.body), order(&second.body)].concat(),
        [high, medium, low, urgent]
    );

    // 60 minutes in: HIGH breached, MEDIUM past its warning point.
    app.clock.set(at(60));
    let breached = app.get("/tickets?sla=breached", &team.agent).await;
    assert_eq!(order(&breached.body), [high]);
    let at_risk = app.get("/tickets?sla=at_risk&sort=due", &team.agent).await;
    assert_eq!(order(&at_risk.body), [medium]);
    // Pausing takes a ticket out of the running: no deadline, not at risk.
    patch(&app, &team.agent, medium, json!({"status": "ON_HOLD"})).await;
    let at_risk = app.get("/tickets?sla=at_risk", &team.agent).await;
    assert_eq!(order(&at_risk.body), Vec::<String>::new());
    let all = app.get("/tickets?sort=due", &team.agent).await;
    assert_eq!(order(&all.body)[..2], [high, low]);
    // Customers filter their own tickets the same way; bad values are named.
    let mine = app.get("/tickets?sla=breached", &team.alice).await;
    assert_eq!(order(&mine.body), [high]);
    let bad = app.get("/tickets?sla=late", &team.agent).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), ["sla"]);
}
both!(lists_filter_and_sort_by_sla);
