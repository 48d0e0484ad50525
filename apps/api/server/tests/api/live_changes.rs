//! Changes nobody typed reach open streams at once: a rule's change, made in the worker
//! after the request that triggered it returned, arrives on a stream that was open before,
//! without reconnecting.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;
use crate::tickets_extras::next_event_with;

fn jobs(c: &mut helpdesk::Config) {
    c.jobs_in_process = Some(true);
    c.job_poll_ms = 20;
}

async fn rule_made_change_reaches_an_open_stream(app: TestApp) {
    let team = app.team("Acme").await;
    let r = app
        .post(
            "/automations",
            Some(&team.admin),
            json!({"name": "Triage", "position": 10, "trigger": "ticket.created",
                "actions": [{"type": "add_tag", "tag": "triaged"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let mut agent = app
        .client
        .get(format!("{}/api/v1/stream", app.base))
        .bearer_auth(&team.agent)
        .send()
        .await
        .unwrap();
    assert_eq!(agent.status(), StatusCode::OK);
    // Let the subscription settle (Redis SUBSCRIBE is asynchronous).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let t = app
        .ticket(
            &team.alice,
            json!({"subject": "VPN down", "description": "since 9"}),
        )
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    assert_eq!(t["tags"], json!([]), "the rule runs after the request");
    // The rule's change names it: that frame, not the creation, is what must arrive.
    let frame = next_event_with(&mut agent, "\"name\":\"Triage\"", Duration::from_secs(15))
        .await
        .expect("the rule's change reaches the open stream");
    assert!(frame.contains("event: ticket.updated"), "{frame}");
    assert!(frame.contains(&id), "{frame}");
    assert!(frame.contains("triaged"), "{frame}");
}
both!(rule_made_change_reaches_an_open_stream, super::jobs);
