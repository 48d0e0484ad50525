//! Regression tests for the security review (#18) findings fixed so far: spreadsheet
//! formulas in CSV exports, rule activity shown to customers, and disguised uploads.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::{Resp, TestApp};
use crate::tickets_extras::next_event_with;

fn jobs(c: &mut helpdesk::Config) {
    c.jobs_in_process = Some(true);
    c.job_poll_ms = 20;
}

/// Finding 8: a name that is a formula reaches a CSV report as text.
async fn csv_cells_cannot_run_formulas(app: TestApp) {
    let team = app.team("Acme").await;
    let name = "=HYPERLINK(\"http://evil.example\",\"Invoice\")";
    let r = app
        .post("/organizations", Some(&team.admin), json!({"name": name}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let res = app
        .client
        .get(format!("{}/api/v1/reports/organizations", app.base))
        .bearer_auth(&team.agent)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let names: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_owned()).collect();
    assert!(names.contains(&format!("'{name}")), "{body}");
    for record in csv::Reader::from_reader(body.as_bytes()).records() {
        for cell in record.unwrap().iter() {
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!formula, "a cell would run as a formula: {cell:?}");
        }
    }
}
both!(csv_cells_cannot_run_formulas);

/// Finding 11: what a rule did (its name, whom it mailed) never reaches the customer,
/// live or replayed.
async fn rule_activity_is_not_shown_to_customers(app: TestApp) {
    let team = app.team("Acme").await;
    let r = app
        .post(
            "/automations",
            Some(&team.admin),
            json!({"name": "Escalation desk", "trigger": "ticket.created",
                "actions": [{"type": "notify", "to": "admins", "subject": "New {{ticket.number}}", "body": "b"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let t = app
        .ticket(
            &team.alice,
            json!({"subject": "Mail down", "description": "d"}),
        )
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    let events = app
        .eventually(&format!("/tickets/{id}/events"), &team.agent, |e| {
            e.as_array()
                .unwrap()
                .iter()
                .any(|e| e["type"] == "automation.applied")
        })
        .await;
    let first = events[0]["id"].as_str().unwrap().to_owned();
    // A public reply after the rule: once it arrives, everything before it was replayed.
    let reply = app
        .post(
            &format!("/tickets/{id}/messages"),
            Some(&team.agent),
            json!({"body": "On it"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let mut replay = app
        .client
        .get(format!("{}/api/v1/stream", app.base))
        .bearer_auth(&team.alice)
        .header("last-event-id", &first)
        .send()
        .await
        .unwrap();
    let mut seen = String::new();
    while !seen.contains("event: message.created") {
        let frame = next_event_with(&mut replay, "event: ", Duration::from_secs(10))
            .await
            .expect("the replay reaches the reply");
        seen.push_str(&frame);
    }
    assert!(!seen.contains("automation.applied"), "{seen}");
    assert!(!seen.contains("Escalation desk"), "{seen}");
}
both!(rule_activity_is_not_shown_to_customers, super::jobs);

/// Finding 9: an executable declared as a PDF is refused, and a name cannot hide its
/// extension behind a right-to-left override.
async fn disguised_uploads_are_refused(app: TestApp) {
    let team = app.team("Acme").await;
    let t = app
        .ticket(
            &team.alice,
            json!({"subject": "Invoice", "description": "d"}),
        )
        .await;
    let path = format!("/tickets/{}/attachments", t["id"].as_str().unwrap());
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
    exe.extend(std::iter::repeat_n(0u8, 64));
    let r: Resp = app
        .upload(
            &path,
            &team.alice,
            "invoice\u{202e}fdp.exe",
            "application/pdf",
            exe,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_fields(), ["file"]);
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01".to_vec();
    let r = app
        .upload(
            &path,
            &team.alice,
            "shot\u{202e}gnp.exe",
            "image/png",
            png,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["filename"], "shotgnp.exe");
}
both!(disguised_uploads_are_refused);
