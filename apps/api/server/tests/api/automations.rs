//! Automation rules end to end: validation at save time, event rules in position order
//! naming themselves on the timeline, the loop guard, assignment strategies, scheduled
//! rules once per condition cycle (test clock), the default rules, and macros.

use jiff::{Timestamp, ToSpan};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

fn jobs(c: &mut helpdesk::Config) {
    c.jobs_in_process = Some(true);
    c.job_poll_ms = 20;
}

async fn rule(app: &TestApp, admin: &str, body: Value) -> String {
    let r = app.post("/automations", Some(admin), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.str("id")
}

fn names(events: &Value, kind: &str) -> Vec<String> {
    events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == kind && e["changes"]["automation"].is_object())
        .map(|e| {
            e["changes"]["automation"]["name"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

async fn rules_are_validated_when_saved(app: TestApp) {
    let team = app.team("Acme").await;
    let other = app.team("Other").await;
    let defaults = app.get("/automations", &team.admin).await;
    assert_eq!(defaults.status, StatusCode::OK);
    assert_eq!(
        defaults.body.as_array().unwrap().len(),
        5,
        "the default rules"
    );
    assert_eq!(
        app.get("/automations", &team.agent).await.status,
        StatusCode::FORBIDDEN
    );
    let foreign_agent = app.get("/auth/me", &other.agent).await.str("id");
    for (body, field) in [
        (
            json!({"name": "x", "trigger": "ticket.created", "conditions": [{"field": "mood", "op": "is", "value": "x"}], "actions": [{"type": "add_tag", "tag": "a"}]}),
            "conditions[0].field",
        ),
        (
            json!({"name": "x", "trigger": "ticket.created", "conditions": [{"field": "status", "op": "contains", "value": "OPEN"}], "actions": [{"type": "add_tag", "tag": "a"}]}),
            "conditions[0].op",
        ),
        (
            json!({"name": "x", "trigger": "ticket.created", "actions": [{"type": "teleport"}]}),
            "actions[0].type",
        ),
        (
            json!({"name": "x", "trigger": "ticket.created", "actions": [{"type": "assign", "agent_id": foreign_agent}]}),
            "actions[0]",
        ),
        (
            json!({"name": "x", "trigger": "ticket.created", "actions": [{"type": "webhook", "webhook_id": uuid::Uuid::now_v7()}]}),
            "actions[0].webhook_id",
        ),
        (
            json!({"name": "x", "trigger": "ticket.created", "actions": []}),
            "actions",
        ),
        (
            json!({"name": "x", "trigger": "ticket.deleted", "actions": [{"type": "add_tag", "tag": "a"}]}),
            "trigger",
        ),
        (
            json!({"name": "x", "actions": [{"type": "add_tag", "tag": "a"}]}),
            "trigger",
        ),
        (
            json!({"name": "x", "trigger": "schedule", "actions": [{"type": "notify", "to": "admins", "subject": "{{ticket.password}}", "body": "b"}]}),
            "actions[0].subject",
        ),
        (
            json!({"name": "x", "trigger": "schedule", "colour": "red", "actions": [{"type": "add_tag", "tag": "a"}]}),
            "colour",
        ),
    ] {
        let r = app
            .post("/automations", Some(&team.admin), body.clone())
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert_eq!(r.error_fields(), [field], "{}", r.body);
    }
    assert_eq!(
        app.get("/automations", &team.admin)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        5,
        "nothing saved"
    );
    // A valid rule round-trips; PATCH changes what it names and validates the result.
    let id = rule(&app, &team.admin, json!({"name": "Tag", "trigger": "ticket.created", "actions": [{"type": "add_tag", "tag": "new"}]})).await;
    let got = app.get(&format!("/automations/{id}"), &team.admin).await;
    assert_eq!(
        (got.body["position"].as_i64(), got.body["active"].as_bool()),
        (Some(6), Some(true))
    );
    let off = app
        .patch(
            &format!("/automations/{id}"),
            &team.admin,
            json!({"active": false}),
        )
        .await;
    assert_eq!(off.body["active"], false);
    let bad = app
        .patch(
            &format!("/automations/{id}"),
            &team.admin,
            json!({"actions": [{"type": "set_status", "status": "NEW"}]}),
        )
        .await;
    assert_eq!(bad.error_fields(), ["actions[0].status"]);
    assert_eq!(
        app.delete(&format!("/automations/{id}"), &team.admin)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
}
both!(rules_are_validated_when_saved);

async fn event_rules_run_in_order_and_never_loop(app: TestApp) {
    let team = app.team("Acme").await;
    // Placed first: the escalation below must not trigger it (rules only trigger later ones).
    rule(
        &app,
        &team.admin,
        json!({"name": "Before", "position": 5, "trigger": "ticket.updated",
        "conditions": [{"field": "tags", "op": "contains", "value": "escalated"}],
        "actions": [{"type": "add_tag", "tag": "before"}]}),
    )
    .await;
    rule(&app, &team.admin, json!({"name": "Escalate urgent words", "position": 10, "trigger": "ticket.created",
        "conditions": [{"any": [{"field": "subject", "op": "contains", "value": "down"},
                                {"field": "description", "op": "contains", "value": "outage"}]}],
        "actions": [{"type": "set_priority", "priority": "URGENT"}, {"type": "add_tag", "tag": "escalated"}]})).await;
    rule(&app, &team.admin, json!({"name": "Urgent to the on-call agent", "position": 20, "trigger": "ticket.updated",
        "conditions": [{"field": "priority", "op": "is", "value": "URGENT"}, {"field": "assignee_id", "op": "is", "value": "none"}],
        "actions": [{"type": "assign", "agent_id": team.agent_id},
                    {"type": "add_internal_note", "body": "Assigned by {{rule.name}} (#{{ticket.number}})"}]})).await;
    // Reacts to every update, its own included: the depth limit and the position order end it.
    rule(
        &app,
        &team.admin,
        json!({"name": "Count updates", "position": 30, "trigger": "ticket.updated",
        "actions": [{"type": "add_tag", "tag": "seen"}]}),
    )
    .await;
    rule(&app, &team.admin, json!({"name": "Customer replied", "position": 40, "trigger": "message.created",
        "conditions": [{"field": "channel", "op": "is", "value": "web"}, {"field": "status", "op": "is", "value": "OPEN"}],
        "actions": [{"type": "add_tag", "tag": "replied"}]})).await;

    let t = app
        .ticket(
            &team.alice,
            json!({"subject": "Server down", "description": "since 9"}),
        )
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    let path = format!("/tickets/{id}");
    let done = app
        .eventually(&path, &team.agent, |t| {
            t["assignee_id"].is_string() && t["tags"].as_array().unwrap().len() >= 2
        })
        .await;
    assert_eq!(done["priority"], "URGENT");
    assert_eq!(done["assignee_id"], team.agent_id.as_str());
    let events = app
        .eventually(&format!("{path}/events"), &team.agent, |e| {
            names(e, "note.created").len() == 1
        })
        .await;
    assert_eq!(
        names(&events, "note.created"),
        ["Urgent to the on-call agent"]
    );
    let msgs = app.get(&format!("{path}/messages"), &team.agent).await.body["items"].clone();
    assert_eq!(
        msgs[0]["body"],
        format!(
            "Assigned by Urgent to the on-call agent (#{})",
            done["number"]
        )
    );
    // Once the worker has nothing left to run, the tags tell who ran: never "before".
    app.jobs_drained().await;
    let t = app.get(&path, &team.agent).await.body;
    assert_eq!(t["tags"], json!(["escalated", "seen"]));
    let updates = names(
        &app.get(&format!("{path}/events"), &team.agent).await.body,
        "ticket.updated",
    );
    assert!(
        updates.contains(&"Escalate urgent words".to_owned()),
        "{updates:?}"
    );
    assert!(updates.len() <= 6, "bounded: {updates:?}");

    // message.created, with a condition on the channel; the agent's reply opens it first.
    let r = app
        .post(
            &format!("{path}/messages"),
            Some(&team.agent),
            json!({"body": "Looking"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = app
        .post(
            &format!("{path}/messages"),
            Some(&team.alice),
            json!({"body": "Thanks"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    // A person's change (the reply opened the ticket) triggers every rule, "Before" too.
    let t = app
        .eventually(&path, &team.agent, |t| {
            t["tags"] == json!(["before", "escalated", "replied", "seen"])
        })
        .await;
    assert_eq!(t["status"], "OPEN");
}
both!(event_rules_run_in_order_and_never_loop, super::jobs);

async fn assignment_strategies(app: TestApp) {
    let team = app.team("Acme").await;
    let mut agents = vec![team.agent_id.clone()];
    for n in 2..=3 {
        let (id, _) = app
            .user_token(&team.admin, &format!("agent{n}@acme.test"), "AGENT")
            .await;
        agents.push(id);
    }
    rule(
        &app,
        &team.admin,
        json!({"name": "Round robin", "trigger": "ticket.created",
        "conditions": [{"field": "tags", "op": "not_contains", "value": "load"}],
        "actions": [{"type": "assign", "strategy": "round_robin", "agents": agents}]}),
    )
    .await;
    let mut ids = Vec::new();
    for i in 0..30 {
        let t = app.ticket(&team.agent, json!({"subject": format!("t{i}"), "description": "x", "requester_id": team.alice_id})).await;
        ids.push(t["id"].as_str().unwrap().to_owned());
    }
    let count = |list: &Value, who: &str| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["assignee_id"] == who)
            .count()
    };
    let all = app
        .eventually("/tickets?limit=100", &team.agent, |l| {
            l["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["assignee_id"].is_string())
        })
        .await;
    for a in &agents {
        assert_eq!(count(&all, a), 10, "fair: {a}");
    }
    // Deactivated agents are skipped.
    assert_eq!(
        app.delete(&format!("/users/{}", agents[1]), &team.admin)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    for i in 0..4 {
        app.ticket(
            &team.agent,
            json!({"subject": format!("u{i}"), "description": "x", "requester_id": team.alice_id}),
        )
        .await;
    }
    let all = app
        .eventually("/tickets?limit=100", &team.agent, |l| {
            l["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["assignee_id"].is_string())
        })
        .await;
    assert_eq!(
        count(&all, &agents[1]),
        10,
        "no new ticket for the inactive agent"
    );
    assert_eq!(count(&all, &agents[0]) + count(&all, &agents[2]), 24);

    // Least loaded: the agent with the fewest open tickets (agent 3 after closing theirs).
    for t in all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["assignee_id"] == agents[2].as_str())
    {
        let r = app
            .patch(
                &format!("/tickets/{}", t["id"].as_str().unwrap()),
                &team.agent,
                json!({"status": "RESOLVED"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    rule(&app, &team.admin, json!({"name": "Least loaded", "trigger": "ticket.created",
        "conditions": [{"field": "tags", "op": "contains", "value": "load"}],
        "actions": [{"type": "assign", "strategy": "least_loaded", "agents": [agents[0], agents[2]]}]})).await;
    let t = app.ticket(&team.agent, json!({"subject": "l", "description": "x", "requester_id": team.alice_id, "tags": ["load"]})).await;
    let t = app
        .eventually(
            &format!("/tickets/{}", t["id"].as_str().unwrap()),
            &team.agent,
            |t| t["assignee_id"].is_string(),
        )
        .await;
    assert_eq!(t["assignee_id"], agents[2].as_str());
}
both!(assignment_strategies, super::jobs);

async fn scheduled_rules_act_once_per_cycle(app: TestApp) {
    let team = app.team("Acme").await;
    let t0: Timestamp = "2027-06-07T08:00:00Z".parse().unwrap();
    app.clock.set(t0);
    let t = app
        .ticket(&team.alice, json!({"subject": "VPN", "description": "x"}))
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    let path = format!("/tickets/{id}");
    let r = app
        .patch(&path, &team.agent, json!({"status": "PENDING"}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let ws = app.workspace_id(&team.admin).await;
    let reminders = || async {
        helpdesk_storage::repo::outbox::for_recipient(
            app.store.read(),
            ws,
            "alice@acme-client.test",
        )
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == "automation_notification")
        .count()
    };
    app.clock.set(t0 + 47.hours());
    app.automations_pass().await;
    assert_eq!(reminders().await, 0, "not yet");
    app.clock.set(t0 + 49.hours());
    app.automations_pass().await;
    app.automations_pass().await;
    assert_eq!(reminders().await, 1, "once while it stays pending");
    // The customer answers; pending again later starts a new cycle.
    let r = app
        .post(
            &format!("{path}/messages"),
            Some(&team.alice),
            json!({"body": "here"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    app.automations_pass().await;
    let r = app
        .patch(&path, &team.agent, json!({"status": "PENDING"}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    app.clock.set(t0 + 98.hours());
    app.automations_pass().await;
    assert_eq!(reminders().await, 2, "a new cycle");
    // Seven days of silence resolve it, with a note; four more days close it.
    app.clock.set(t0 + 49.hours() + 169.hours());
    app.automations_pass().await;
    let t = app.get(&path, &team.agent).await.body;
    assert_eq!(t["status"], "RESOLVED");
    let events = app.get(&format!("{path}/events"), &team.agent).await.body;
    assert_eq!(
        names(&events, "note.created"),
        ["Resolve pending tickets after 7 days of silence"]
    );
    // Auto-close follows the workspace's setting: two days here.
    let w = app
        .patch("/workspace", &team.admin, json!({"auto_close_days": 2}))
        .await;
    assert_eq!(w.body["settings"]["auto_close_days"], 2, "{}", w.body);
    app.clock.set(t0 + 49.hours() + 169.hours() + 47.hours());
    app.automations_pass().await;
    assert_eq!(app.get(&path, &team.agent).await.body["status"], "RESOLVED");
    app.clock.set(t0 + 49.hours() + 169.hours() + 49.hours());
    app.automations_pass().await;
    assert_eq!(app.get(&path, &team.agent).await.body["status"], "CLOSED");
    let events = app.get(&format!("{path}/events"), &team.agent).await.body;
    assert!(
        names(&events, "ticket.updated")
            .contains(&"Close resolved tickets after the workspace's auto_close_days".to_owned())
    );
}
both!(scheduled_rules_act_once_per_cycle);

async fn macros_apply_in_one_call(app: TestApp) {
    let team = app.team("Acme").await;
    let m = app
        .post("/macros", Some(&team.agent), json!({"name": "Need logs", "reply": "Please send us the logs.",
            "actions": [{"type": "set_status", "status": "PENDING"}, {"type": "add_tag", "tag": "logs"},
                        {"type": "assign", "agent_id": team.agent_id}, {"type": "add_internal_note", "body": "asked for logs"}]}))
        .await;
    assert_eq!(m.status, StatusCode::CREATED, "{}", m.body);
    let macro_id = m.str("id");
    let t = app
        .ticket(&team.alice, json!({"subject": "Crash", "description": "x"}))
        .await;
    let id = t["id"].as_str().unwrap();
    let applied = app
        .post(
            &format!("/tickets/{id}/apply-macro"),
            Some(&team.agent),
            json!({"macro_id": macro_id}),
        )
        .await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert_eq!(applied.body["status"], "PENDING");
    assert_eq!(applied.body["tags"], json!(["logs"]));
    assert_eq!(applied.body["assignee_id"], team.agent_id.as_str());
    assert!(
        applied.body["first_response_at"].is_string(),
        "the reply is a public agent reply"
    );
    let msgs = app
        .get(&format!("/tickets/{id}/messages"), &team.alice)
        .await
        .body["items"]
        .clone();
    assert_eq!(
        msgs.as_array().unwrap().len(),
        1,
        "the customer sees the reply, not the note"
    );
    assert_eq!(msgs[0]["body"], "Please send us the logs.");
    // Customers cannot; unattended actions are refused; bad ids are 422.
    assert_eq!(
        app.post(
            &format!("/tickets/{id}/apply-macro"),
            Some(&team.alice),
            json!({"macro_id": macro_id})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let bad = app.post("/macros", Some(&team.agent), json!({"name": "x", "actions": [{"type": "webhook", "webhook_id": uuid::Uuid::now_v7()}]})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(
            &format!("/tickets/{id}/apply-macro"),
            Some(&team.agent),
            json!({"macro_id": uuid::Uuid::now_v7()}),
        )
        .await;
    assert_eq!(r.error_fields(), ["macro_id"]);
}
both!(macros_apply_in_one_call);

async fn webhook_and_address_actions(app: TestApp) {
    let team = app.team("Acme").await;
    let (url, hook) = crate::platform_delivery::receiver(0).await;
    let w = app
        .post(
            "/webhooks",
            Some(&team.admin),
            json!({"url": url, "events": ["ticket.created"]}),
        )
        .await;
    assert_eq!(w.status, StatusCode::CREATED, "{}", w.body);
    rule(&app, &team.admin, json!({"name": "Tell the NOC", "trigger": "ticket.created",
        "conditions": [{"field": "priority", "op": "gte", "value": "HIGH"}],
        "actions": [{"type": "webhook", "webhook_id": w.str("id")},
                    {"type": "notify", "to": "address", "address": "noc@msp.example",
                     "subject": "[{{rule.name}}] #{{ticket.number}}", "body": "{{ticket.subject}} ({{ticket.priority}})"}]})).await;
    let t = app
        .ticket(
            &team.alice,
            json!({"subject": "Firewall", "description": "x", "priority": "HIGH"}),
        )
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    let mut types = Vec::new();
    for _ in 0..400 {
        types = hook
            .seen
            .lock()
            .unwrap()
            .iter()
            .map(|(_, body)| {
                serde_json::from_slice::<Value>(body).unwrap()["type"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect::<Vec<_>>();
        if types.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    types.sort();
    assert_eq!(
        types,
        ["automation.applied", "ticket.created"],
        "the rule's own delivery and the subscription's"
    );
    let ws = app.workspace_id(&team.admin).await;
    let mail =
        helpdesk_storage::repo::outbox::for_recipient(app.store.read(), ws, "noc@msp.example")
            .await
            .unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].subject, format!("[Tell the NOC] #{}", t["number"]));
    // The rendered body, then the ticket's signed reference for replies to find it.
    let (text, reference) = mail[0].body.split_once("\n\n").unwrap();
    assert_eq!(text, "Firewall (HIGH)");
    assert!(reference.trim().starts_with("[hd-"), "{reference}");
    let events = app
        .get(&format!("/tickets/{id}/events"), &team.agent)
        .await
        .body;
    assert_eq!(
        names(&events, "automation.applied"),
        ["Tell the NOC", "Tell the NOC"]
    );
}
both!(webhook_and_address_actions, |c| {
    c.jobs_in_process = Some(true);
    c.job_poll_ms = 20;
    c.webhook_allow_private = true;
});

async fn tag_removal_and_assignee_notice(app: TestApp) {
    let team = app.team("Acme").await;
    rule(&app, &team.admin, json!({"name": "Triage done", "trigger": "ticket.created",
        "conditions": [{"field": "tags", "op": "contains", "value": "triage"}],
        "actions": [{"type": "remove_tag", "tag": "triage"},
                    {"type": "notify", "to": "assignee", "subject": "New: #{{ticket.number}}", "body": "For {{requester.name}}"}]})).await;
    let t = app
        .ticket(
            &team.agent,
            json!({"subject": "s", "description": "d", "requester_id": team.alice_id,
            "assignee_id": team.agent_id, "tags": ["triage", "vip"]}),
        )
        .await;
    let path = format!("/tickets/{}", t["id"].as_str().unwrap());
    let done = app
        .eventually(&path, &team.agent, |t| t["tags"] == json!(["vip"]))
        .await;
    let ws = app.workspace_id(&team.admin).await;
    let mail = app
        .eventually(&format!("{path}/events"), &team.agent, |e| {
            names(e, "automation.applied").len() == 1
        })
        .await;
    assert_eq!(names(&mail, "automation.applied"), ["Triage done"]);
    let sent =
        helpdesk_storage::repo::outbox::for_recipient(app.store.read(), ws, "agent@acme.test")
            .await
            .unwrap();
    let notice = sent
        .iter()
        .find(|m| m.kind == "automation_notification")
        .unwrap();
    assert_eq!(notice.subject, format!("New: #{}", done["number"]));
    assert!(
        notice
            .body
            .starts_with("For alice@acme-client.test\n\n[hd-"),
        "{}",
        notice.body
    );
}
both!(tag_removal_and_assignee_notice, super::jobs);
