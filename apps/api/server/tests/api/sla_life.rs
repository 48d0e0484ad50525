//! Ticket SLAs through a whole ticket life on a business-hours calendar, with the test
//! clock: the numbers of docs/sla.md's worked example, and deadlines recomputed from the
//! recorded steps.

use std::collections::BTreeSet;

use helpdesk_domain::sla::{Calendar, Interval};
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

/// A Madrid wall-clock time in the week of Monday 2027-03-01.
fn madrid(local: &str) -> Timestamp {
    let dt: DateTime = local.parse().unwrap();
    dt.to_zoned(TimeZone::get("Europe/Madrid").unwrap())
        .unwrap()
        .timestamp()
}

fn utc(local: &str) -> String {
    madrid(local).to_string()
}

/// Monday to Friday, 09:00–17:00 in Madrid: the calendar the API is given, for the
/// independent recomputation below.
fn office() -> Calendar {
    let mut weekly: [Vec<Interval>; 7] = std::array::from_fn(|_| Vec::new());
    for d in weekly.iter_mut().take(5) {
        d.push(Interval {
            start: 540,
            end: 1020,
        });
    }
    Calendar::new("Europe/Madrid", weekly, BTreeSet::new()).unwrap()
}

pub async fn office_policy(app: &TestApp, admin: &str) -> String {
    let day = json!([["09:00", "17:00"]]);
    let cal = app
        .post(
            "/business-hours",
            Some(admin),
            json!({"name": "Madrid office", "timezone": "Europe/Madrid",
                "weekly": {"mon": day, "tue": day, "wed": day, "thu": day, "fri": day}}),
        )
        .await;
    assert_eq!(cal.status, StatusCode::CREATED, "{}", cal.body);
    let policy = app
        .post(
            "/sla-policies",
            Some(admin),
            json!({"name": "Standard", "business_hours_id": cal.str("id"), "is_default": true,
                "warn_at_percent": 80,
                "targets": {"HIGH": {"first_response_minutes": 60, "next_response_minutes": 120,
                    "resolution_minutes": 480}}}),
        )
        .await;
    assert_eq!(policy.status, StatusCode::CREATED, "{}", policy.body);
    policy.str("id")
}

fn parse(v: &Value) -> Timestamp {
    v.as_str().unwrap().parse().unwrap()
}

/// Recomputes each metric's deadline from the recorded steps alone, with the calendar's
/// own arithmetic: the last `applied`/`reapplied` gives start and target; every `resumed`
/// whose pause began before the deadline moves it by the pause's business time.
fn recompute(events: &[Value], metric: &str, cal: &Calendar) -> Option<Timestamp> {
    let mine: Vec<&Value> = events.iter().filter(|e| e["metric"] == metric).collect();
    let last_cycle = mine.iter().map(|e| e["cycle"].as_i64().unwrap()).max()?;
    let cycle: Vec<&&Value> = mine
        .iter()
        .filter(|e| e["cycle"].as_i64() == Some(last_cycle))
        .collect();
    let terms = cycle
        .iter()
        .rev()
        .find(|e| e["kind"] == "applied" || e["kind"] == "reapplied")?;
    let start = parse(&terms["data"]["started_at"]);
    let target = terms["data"]["target_minutes"].as_i64()?;
    let mut due = cal.add_minutes(start, target)?;
    for r in cycle.iter().filter(|e| e["kind"] == "resumed") {
        let (from, to) = (parse(&r["data"]["paused_from"]), parse(&r["at"]));
        if from < due {
            due = cal.add_seconds(due, cal.seconds_between(from, to))?;
        }
    }
    Some(due)
}

async fn sla_of(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app.get(&format!("/tickets/{id}"), token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["sla"].clone()
}

async fn reply(app: &TestApp, token: &str, id: &str, body: &str) {
    let r = app
        .post(
            &format!("/tickets/{id}/messages"),
            Some(token),
            json!({"body": body}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

async fn set_status(app: &TestApp, token: &str, id: &str, status: &str) {
    let r = app
        .patch(&format!("/tickets/{id}"), token, json!({"status": status}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn every_metric_through_a_ticket_life(app: TestApp) {
    let team = app.team("Acme").await;
    let policy = office_policy(&app, &team.admin).await;
    app.clock.set(madrid("2027-03-01 16:00"));
    let t = app
        .ticket(
            &team.alice,
            json!({"subject": "VPN down", "description": "since noon", "priority": "HIGH"}),
        )
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    let sla = &t["sla"];
    assert_eq!(sla["policy_id"], policy);
    assert_eq!(sla["first_response_due_at"], utc("2027-03-01 17:00"));
    assert_eq!(sla["resolution_due_at"], utc("2027-03-02 16:00"));
    assert_eq!(sla["next_response_due_at"], Value::Null);
    assert_eq!(sla["first_response_remaining_minutes"], 60);
    assert_eq!(sla["resolution_remaining_minutes"], 480);

    // At 16:50 the first response is at risk (80 % = 48 minutes); overnight it breaches.
    app.clock.set(madrid("2027-03-01 16:50"));
    let sla = sla_of(&app, &team.agent, &id).await;
    assert_eq!(sla["at_risk"], true);
    assert_eq!(sla["first_response_remaining_minutes"], 10);
    let at_risk = app.get("/tickets?sla=at_risk", &team.agent).await;
    assert_eq!(at_risk.body["items"].as_array().unwrap().len(), 1);
    app.clock.set(madrid("2027-03-02 09:30"));
    let sla = sla_of(&app, &team.agent, &id).await;
    assert_eq!(sla["first_response_breached"], true);
    assert_eq!(sla["at_risk"], false);
    // 17:00 to 09:30 overnight is 30 business minutes.
    assert_eq!(sla["first_response_remaining_minutes"], -30);
    let breached = app.get("/tickets?sla=breached", &team.agent).await;
    assert_eq!(breached.body["items"][0]["id"], id.as_str());

    reply(&app, &team.agent, &id, "Looking into it").await;
    let sla = sla_of(&app, &team.agent, &id).await;
    assert_eq!(sla["first_response_due_at"], Value::Null, "fulfilled");
    assert_eq!(
        sla["first_response_breached"], true,
        "late, and it stays so"
    );

    // Waiting on the customer stops the resolution clock; its remaining minutes freeze.
    app.clock.set(madrid("2027-03-02 10:00"));
    set_status(&app, &team.agent, &id, "PENDING").await;
    app.clock.set(madrid("2027-03-03 10:30"));
    let sla = sla_of(&app, &team.agent, &id).await;
    assert_eq!(sla["paused"], true);
    assert_eq!(sla["resolution_remaining_minutes"], 360);
    // The customer answers: resolution resumes, 540 paused business minutes later, and a
    // next-response clock starts.
    app.clock.set(madrid("2027-03-03 11:00"));
    reply(&app, &team.alice, &id, "Still down").await;
    let sla = sla_of(&app, &team.agent, &id).await;
    assert_eq!(sla["paused"], false);
    assert_eq!(sla["resolution_due_at"], utc("2027-03-03 17:00"));
    assert_eq!(sla["next_response_due_at"], utc("2027-03-03 13:00"));

    app.clock.set(madrid("2027-03-03 12:00"));
    reply(&app, &team.agent, &id, "Fixed the tunnel").await;
    app.clock.set(madrid("2027-03-03 15:00"));
    set_status(&app, &team.agent, &id, "RESOLVED").await;
    let sla = sla_of(&app, &team.agent, &id).await;
    assert_eq!(sla["resolution_due_at"], Value::Null);
    assert_eq!(sla["resolution_breached"], false);
    assert_eq!(sla["next_response_breached"], false);

    // The customer reopens: the time spent resolved does not count.
    app.clock.set(madrid("2027-03-04 10:00"));
    reply(&app, &team.alice, &id, "It broke again").await;
    let sla = sla_of(&app, &team.agent, &id).await;
    assert_eq!(sla["resolution_due_at"], utc("2027-03-04 12:00"));
    assert_eq!(sla["next_response_due_at"], utc("2027-03-04 12:00"));

    // The explanation: every step, and deadlines that follow from them.
    let explained = app.get(&format!("/tickets/{id}/sla"), &team.agent).await;
    assert_eq!(explained.status, StatusCode::OK, "{}", explained.body);
    let events = explained.body["events"].as_array().unwrap().clone();
    let kinds: Vec<String> = events
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["metric"].as_str().unwrap(),
                e["kind"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "first_response:applied",
            "resolution:applied",
            "first_response:warned",
            "first_response:breached",
            "first_response:fulfilled",
            "resolution:paused",
            "resolution:resumed",
            "next_response:applied",
            "next_response:fulfilled",
            "resolution:fulfilled",
            "resolution:resumed",
            "next_response:applied",
        ]
    );
    let cal = office();
    for cycle in explained.body["cycles"].as_array().unwrap() {
        let metric = cycle["metric"].as_str().unwrap();
        let stored: Timestamp = cycle["due_at"].as_str().unwrap().parse().unwrap();
        assert_eq!(recompute(&events, metric, &cal), Some(stored), "{metric}");
    }
    assert_eq!(explained.body["terms"]["timezone"], "Europe/Madrid");
    let resolution = explained.body["cycles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["metric"] == "resolution")
        .unwrap();
    assert_eq!(resolution["counted_pause_minutes"], 720.0);
    assert_eq!(resolution["pauses"].as_array().unwrap().len(), 2);
    // Customers see the live reading on their ticket, not the explanation.
    assert_eq!(
        app.get(&format!("/tickets/{id}/sla"), &team.alice)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
both!(every_metric_through_a_ticket_life);
