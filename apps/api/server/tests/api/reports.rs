//! Reports over a known history built with the test clock, every figure checked against
//! values worked out by hand (in the comments), on both backends.

use jiff::{Timestamp, ToSpan};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

/// Monday 2027-06-07 15:00 UTC; the office calendar is Mon–Fri 09:00–17:00 UTC.
fn at(minutes: i64) -> Timestamp {
    "2027-06-07T15:00:00Z".parse::<Timestamp>().unwrap() + minutes.minutes()
}

struct History {
    client: String,
    agent_id: String,
    admin_id: String,
}

/// The history runs the SLA sweep itself at chosen instants; the server's scheduled sweep
/// (in-process on SQLite) would race it when the test clock jumps.
fn sweep_by_hand(c: &mut helpdesk::Config) {
    c.schedule_sla_sweep = String::new();
}

async fn ok(r: crate::harness::Resp) -> Value {
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    r.body
}

async fn build(app: &TestApp, team: &crate::harness::Team) -> History {
    let day = json!([["09:00", "17:00"]]);
    let cal = ok(app
        .post(
            "/business-hours",
            Some(&team.admin),
            json!({"name": "Office", "timezone": "UTC",
                "weekly": {"mon": day, "tue": day, "wed": day, "thu": day, "fri": day}}),
        )
        .await)
    .await;
    ok(app
        .post(
            "/sla-policies",
            Some(&team.admin),
            json!({"name": "Standard", "is_default": true, "business_hours_id": cal["id"],
                "targets": {"MEDIUM": {"first_response_minutes": 60, "resolution_minutes": 240}}}),
        )
        .await)
    .await;
    let client = ok(app
        .post(
            "/organizations",
            Some(&team.agent),
            json!({"name": "Client Co"}),
        )
        .await)
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin_id = app.get("/auth/me", &team.admin).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let open = |minute: i64, body: Value| async move {
        app.clock.set(at(minute));
        app.ticket(&team.agent, body).await["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let say = |minute: i64, token: &str, id: &str| {
        let (token, id) = (token.to_owned(), id.to_owned());
        async move {
            app.clock.set(at(minute));
            ok(app
                .post(
                    &format!("/tickets/{id}/messages"),
                    Some(&token),
                    json!({"body": "hi"}),
                )
                .await)
            .await;
        }
    };
    let status = |minute: i64, token: &str, id: &str, s: &str| {
        let (token, id, s) = (token.to_owned(), id.to_owned(), s.to_owned());
        async move {
            app.clock.set(at(minute));
            ok(app
                .patch(&format!("/tickets/{id}"), &token, json!({"status": s}))
                .await)
            .await;
        }
    };
    let log = |token: &str, id: &str, minutes: i64, billable: bool| {
        let (token, id) = (token.to_owned(), id.to_owned());
        async move {
            ok(app
                .post(
                    &format!("/tickets/{id}/time-entries"),
                    Some(&token),
                    json!({"minutes": minutes, "billable": billable}),
                )
                .await)
            .await;
        }
    };
    let agent = team.agent_id.clone();
    // t1 15:00, Client Co, agent: replied 15:30 (30 min), resolved 16:40 (100 min). Met both.
    let t1 = open(
        0,
        json!({"subject": "t1", "description": "x", "requester_id": team.alice_id,
        "organization_id": client, "assignee_id": agent}),
    )
    .await;
    // t2 15:10, Client Co, agent: replied 16:40 (90 min; first response due 16:10: breached),
    // resolved 21:40 (390 wall minutes, 110 business: 15:10–17:00; due Tue 11:10: met).
    let t2 = open(
        10,
        json!({"subject": "t2", "description": "x", "requester_id": team.alice_id,
        "organization_id": client, "assignee_id": agent}),
    )
    .await;
    // t3 15:20, no organization, unassigned, never answered: first response breaches 16:20.
    let _t3 = open(
        20,
        json!({"subject": "t3", "description": "x", "requester_id": team.bob_id}),
    )
    .await;
    // t4 15:30 HIGH (no SLA targets), admin: replied 15:50 (20 min), resolved 16:00,
    // reopened by the customer 16:10.
    let t4 = open(
        30,
        json!({"subject": "t4", "description": "x", "requester_id": team.bob_id,
        "priority": "HIGH", "assignee_id": admin_id}),
    )
    .await;
    say(30, &team.agent, &t1).await;
    say(50, &team.admin, &t4).await;
    status(60, &team.admin, &t4, "RESOLVED").await;
    say(70, &team.bob, &t4).await;
    status(100, &team.agent, &t1, "RESOLVED").await;
    say(100, &team.agent, &t2).await;
    status(400, &team.agent, &t2, "RESOLVED").await;
    log(&team.agent, &t1, 45, true).await;
    log(&team.agent, &t2, 15, false).await;
    log(&team.admin, &t4, 30, true).await;
    app.clock.set(at(500));
    assert_eq!(
        app.sla_sweep().await,
        2,
        "t3's first-response warning and breach"
    );
    History {
        client,
        agent_id: agent,
        admin_id,
    }
}

const DAY: &str = "from=2027-06-07&to=2027-06-07";

async fn reports_match_the_hand_computed_figures(app: TestApp) {
    let team = app.team("Acme").await;
    let h = build(&app, &team).await;

    let o = ok(app
        .get(&format!("/reports/overview?{DAY}"), &team.agent)
        .await)
    .await;
    assert_eq!(o["from"], "2027-06-07T00:00:00Z");
    assert_eq!(o["to"], "2027-06-08T00:00:00Z");
    assert_eq!(
        (
            o["created"].as_i64(),
            o["resolved"].as_i64(),
            o["reopened"].as_i64()
        ),
        (Some(4), Some(2), Some(1))
    );
    assert_eq!(
        o["backlog"],
        json!({"total": 2, "by_status": {"NEW": 1, "OPEN": 1}, "by_priority": {"MEDIUM": 1, "HIGH": 1}})
    );
    // First responses 20, 30, 90: nearest-rank median = 2nd of 3, p90 = 3rd.
    assert_eq!(
        o["first_response"],
        json!({"business_minutes": {"count": 3, "median": 30, "p90": 90},
               "wall_minutes": {"count": 3, "median": 30, "p90": 90}})
    );
    // Resolutions: t1 100 / 100, t2 110 business / 390 wall.
    assert_eq!(
        o["resolution"],
        json!({"business_minutes": {"count": 2, "median": 100, "p90": 110},
               "wall_minutes": {"count": 2, "median": 100, "p90": 390}})
    );
    // First response: t1 met, t2 and t3 breached; resolution: t1 and t2 met; t3 still runs.
    assert_eq!(
        o["sla"],
        json!({
            "first_response": {"met": 1, "breached": 2, "compliance_percent": 33.3},
            "next_response": {"met": 0, "breached": 0, "compliance_percent": null},
            "resolution": {"met": 2, "breached": 0, "compliance_percent": 100.0},
            "overall": {"met": 3, "breached": 2, "compliance_percent": 60.0}
        })
    );

    // Filters narrow every ticket figure.
    for (q, created) in [
        (format!("agent_id={}", h.agent_id), 2),
        (format!("organization_id={}", h.client), 2),
        ("priority=HIGH".to_owned(), 1),
        (format!("agent_id={}", h.admin_id), 1),
    ] {
        let f = ok(app
            .get(&format!("/reports/overview?{DAY}&{q}"), &team.agent)
            .await)
        .await;
        assert_eq!(f["created"], created, "{q}");
    }
    // A day later nothing happened.
    let empty = ok(app
        .get(
            "/reports/overview?from=2027-06-08&to=2027-06-08",
            &team.agent,
        )
        .await)
    .await;
    assert_eq!(empty["created"], 0);
    assert_eq!(
        empty["first_response"]["business_minutes"]["median"],
        Value::Null
    );

    let agents = ok(app
        .get(&format!("/reports/agents?{DAY}"), &team.admin)
        .await)
    .await;
    let row = |id: &str| {
        agents
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["agent_id"] == id)
            .unwrap()
            .clone()
    };
    let agent = row(&h.agent_id);
    assert_eq!(
        [
            &agent["assigned"],
            &agent["resolved"],
            &agent["public_replies"]
        ],
        [&json!(2), &json!(2), &json!(2)]
    );
    assert_eq!(agent["median_first_response_business_minutes"], 30);
    assert_eq!(agent["median_first_response_minutes"], 30);
    assert_eq!(
        (agent["sla_met"].as_i64(), agent["sla_breached"].as_i64()),
        (Some(3), Some(1))
    );
    assert_eq!(agent["sla_compliance_percent"], 75.0);
    assert_eq!(
        (
            agent["billable_minutes"].as_i64(),
            agent["non_billable_minutes"].as_i64()
        ),
        (Some(45), Some(15))
    );
    let admin = row(&h.admin_id);
    assert_eq!(
        [
            &admin["assigned"],
            &admin["resolved"],
            &admin["public_replies"]
        ],
        [&json!(1), &json!(0), &json!(1)]
    );
    assert_eq!(admin["median_first_response_minutes"], 20);
    assert_eq!(admin["sla_compliance_percent"], Value::Null);
    assert_eq!(admin["billable_minutes"], 30);

    let orgs = ok(app
        .get(&format!("/reports/organizations?{DAY}"), &team.agent)
        .await)
    .await;
    assert_eq!(
        orgs,
        json!([
            {"organization_id": h.client, "name": "Client Co", "created": 2, "resolved": 2,
             "median_first_response_business_minutes": 30, "sla_met": 3, "sla_breached": 1,
             "sla_compliance_percent": 75.0, "billable_minutes": 45, "non_billable_minutes": 15},
            {"organization_id": null, "name": "(no organization)", "created": 2, "resolved": 0,
             "median_first_response_business_minutes": 20, "sla_met": 0, "sla_breached": 1,
             "sla_compliance_percent": 0.0, "billable_minutes": 30, "non_billable_minutes": 0}
        ])
    );

    let days = ok(app
        .get(
            "/reports/volume?from=2027-06-06&to=2027-06-08&interval=day",
            &team.agent,
        )
        .await)
    .await;
    assert_eq!(
        days["rows"],
        json!([{"start": "2027-06-06", "created": 0, "resolved": 0},
               {"start": "2027-06-07", "created": 4, "resolved": 2},
               {"start": "2027-06-08", "created": 0, "resolved": 0}])
    );
    let weeks = ok(app
        .get(
            "/reports/volume?from=2027-06-06&to=2027-06-08&interval=week",
            &team.agent,
        )
        .await)
    .await;
    assert_eq!(
        weeks["rows"],
        json!([{"start": "2027-05-31", "created": 0, "resolved": 0},
               {"start": "2027-06-07", "created": 4, "resolved": 2}])
    );
    // In Los Angeles the history falls on Monday morning, the same local day.
    let la = ok(app
        .get(
            "/reports/volume?from=2027-06-07&to=2027-06-07&timezone=America/Los_Angeles",
            &team.agent,
        )
        .await)
    .await;
    assert_eq!(
        la["rows"],
        json!([{"start": "2027-06-07", "created": 4, "resolved": 2}])
    );
}
both!(
    reports_match_the_hand_computed_figures,
    super::sweep_by_hand
);

async fn csv_access_and_validation(app: TestApp) {
    let team = app.team("Acme").await;
    let h = build(&app, &team).await;
    let csv = |path: String| {
        let app = &app;
        let token = team.agent.clone();
        async move {
            let res = app
                .client
                .get(format!("{}/api/v1{path}", app.base))
                .bearer_auth(token)
                .header("accept", "text/csv")
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            assert!(
                res.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/csv")
            );
            res.text().await.unwrap()
        }
    };
    let overview = csv(format!("/reports/overview?{DAY}")).await;
    let lines: Vec<&str> = overview.lines().collect();
    assert_eq!(lines[0], "figure,value");
    assert!(lines.contains(&"created,4"));
    assert!(lines.contains(&"sla.first_response.compliance_percent,33.3"));
    assert!(lines.contains(&"sla.next_response.compliance_percent,"));
    let agents = csv(format!("/reports/agents?{DAY}&agent_id={}", h.agent_id)).await;
    let lines: Vec<&str> = agents.lines().collect();
    assert_eq!(
        lines[0],
        "agent_id,name,email,assigned,resolved,public_replies,median_first_response_business_minutes,median_first_response_minutes,sla_met,sla_breached,sla_compliance_percent,billable_minutes,non_billable_minutes"
    );
    assert_eq!(lines.len(), 2, "one agent: {agents}");
    assert!(
        lines[1].ends_with(",2,2,2,30,30,3,1,75.0,45,15"),
        "{}",
        lines[1]
    );
    // Names with commas and quotes are quoted the RFC 4180 way.
    ok(app
        .patch(
            &format!("/organizations/{}", h.client),
            &team.agent,
            json!({"name": "Client, \"Co\""}),
        )
        .await)
    .await;
    let orgs = csv(format!("/reports/organizations?{DAY}")).await;
    assert!(orgs.contains("\"Client, \"\"Co\"\"\""), "{orgs}");
    let volume = csv("/reports/volume?from=2027-06-07&to=2027-06-07".to_owned()).await;
    assert_eq!(volume, "start,created,resolved\r\n2027-06-07,4,2\r\n");

    // Customers never see reports; another workspace sees only its own (nothing).
    for path in [
        "/reports/overview",
        "/reports/volume",
        "/reports/agents",
        "/reports/organizations",
    ] {
        assert_eq!(
            app.get(path, &team.alice).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let other = app.team("Other").await;
    let theirs = ok(app
        .get(
            &format!("/reports/overview?{DAY}&organization_id={}", h.client),
            &other.admin,
        )
        .await)
    .await;
    assert_eq!(theirs["created"], 0);
    let theirs = ok(app
        .get(&format!("/reports/organizations?{DAY}"), &other.admin)
        .await)
    .await;
    assert_eq!(theirs, json!([]));
    // Bad input is named.
    for (q, field) in [
        ("from=yesterday", "from"),
        ("from=2027-06-08&to=2027-06-07", "from"),
        ("timezone=Mars/Base", "timezone"),
        ("priority=SOON", "priority"),
        ("interval=day", "interval"),
        ("from=2020-01-01&to=2027-01-01", "to"),
    ] {
        let r = app
            .get(&format!("/reports/overview?{q}"), &team.agent)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert_eq!(r.error_fields(), [field], "{q}");
    }
    let r = app.get("/reports/volume?interval=month", &team.agent).await;
    assert_eq!(r.error_fields(), ["interval"]);
}
both!(csv_access_and_validation, super::sweep_by_hand);
