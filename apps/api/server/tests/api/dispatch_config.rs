//! The dispatcher keeps each workspace's rules and webhooks in memory by version: a rule or
//! webhook added, switched off or edited counts for the very next event.

use helpdesk_service::job_kinds::{EVALUATE_JOB, WEBHOOK_JOB};
use helpdesk_storage::repo::Page;
use helpdesk_storage::repo::jobs;
use reqwest::Method;
use serde_json::{Value, json};

use crate::both;
use crate::harness::{Team, TestApp};

fn jobs_in_process(c: &mut helpdesk::Config) {
    c.jobs_in_process = Some(true);
    c.job_poll_ms = 20;
    c.webhook_allow_private = true;
}

/// Jobs of `kind` the workspace has had so far (waiting, running or done).
async fn count(app: &TestApp, team: &Team, kind: &str) -> usize {
    let ws = app.workspace_id(&team.admin).await.as_uuid();
    let page = Page {
        limit: 1000,
        after: None,
    };
    let all = jobs::list(app.store.read(), ws, &[], page).await.unwrap();
    all.iter().filter(|j| j.kind == kind).count()
}

/// Opens a ticket and waits until its event is dispatched (and whatever that queued ran).
async fn event(app: &TestApp, team: &Team) {
    app.ticket(
        &team.alice,
        json!({"subject": "Printer", "description": "d"}),
    )
    .await;
    app.jobs_drained().await;
}

/// The admin's `method` on `path` with `body` (which must succeed), then an event.
async fn change_then_event(
    app: &TestApp,
    team: &Team,
    method: Method,
    path: &str,
    body: Value,
) -> String {
    let r = app
        .request(method, path, Some(&team.admin), Some(body))
        .await;
    assert!(r.status.is_success(), "{path}: {}", r.body);
    event(app, team).await;
    r.body["id"].as_str().unwrap_or_default().to_owned()
}

async fn dispatches_see_rule_and_webhook_changes_at_once(app: TestApp) {
    let team = app.team("Acme").await;
    event(&app, &team).await;
    let rules_before = count(&app, &team, EVALUATE_JOB).await;
    assert_eq!(count(&app, &team, WEBHOOK_JOB).await, 0);

    // A webhook: the next event is delivered to it; switched off, or no longer subscribed
    // to the event, the one after is not.
    let hook = json!({"url": "http://127.0.0.1:9/hook", "events": ["ticket.created"]});
    let id = change_then_event(&app, &team, Method::POST, "/webhooks", hook).await;
    let path = format!("/webhooks/{id}");
    let steps = [
        (
            json!({"active": false}),
            "a hook switched off stops at once",
        ),
        (
            json!({"active": true, "events": ["message.created"]}),
            "edited events count at once",
        ),
    ];
    assert_eq!(
        count(&app, &team, WEBHOOK_JOB).await,
        1,
        "a new hook counts at once"
    );
    for (change, why) in steps {
        change_then_event(&app, &team, Method::PATCH, &path, change).await;
        assert_eq!(count(&app, &team, WEBHOOK_JOB).await, 1, "{why}");
    }

    // A rule on ticket creation: evaluated for the next event; switched off, not.
    let rule = json!({"name": "tag", "trigger": "ticket.created", "actions": [{"type": "add_tag", "tag": "seen"}]});
    let id = change_then_event(&app, &team, Method::POST, "/automations", rule).await;
    let rules = count(&app, &team, EVALUATE_JOB).await;
    assert_eq!(rules, rules_before + 1, "a new rule counts at once");
    let path = format!("/automations/{id}");
    change_then_event(&app, &team, Method::PATCH, &path, json!({"active": false})).await;
    assert_eq!(
        count(&app, &team, EVALUATE_JOB).await,
        rules,
        "a rule switched off stops at once"
    );
}
both!(
    dispatches_see_rule_and_webhook_changes_at_once,
    super::jobs_in_process
);
