//! Rules parse with paths to each mistake, and conditions read tickets as documented.

#![allow(clippy::unwrap_used)]

use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::{Priority, TicketStatus};

fn facts<'a>(tags: &'a [String]) -> Facts<'a> {
    Facts {
        status: TicketStatus::Open,
        priority: Priority::High,
        organization_id: None,
        requester_id: Uuid::nil(),
        assignee_id: None,
        tags,
        subject: "Printer on FIRE",
        description: "help",
        channel: "web",
        business_hours_now: true,
        hours_since_status: 50.0,
        hours_since_update: 1.0,
        hours_since_created: 100.0,
        auto_close_days: 2.0,
    }
}

#[test]
fn conditions_match_as_documented() {
    let tags = vec!["vip".to_owned()];
    let f = facts(&tags);
    let yes = |v: serde_json::Value| Condition::parse_list(&v).unwrap().matches(&f);
    assert!(yes(json!([])));
    assert!(yes(
        json!([{"field": "status", "op": "in", "value": ["OPEN", "PENDING"]}])
    ));
    assert!(yes(
        json!([{"field": "priority", "op": "gte", "value": "HIGH"}])
    ));
    assert!(!yes(
        json!([{"field": "priority", "op": "gte", "value": "URGENT"}])
    ));
    assert!(yes(
        json!([{"field": "assignee_id", "op": "is", "value": "none"}])
    ));
    assert!(yes(
        json!([{"field": "subject", "op": "contains", "value": "fire"}])
    ));
    assert!(yes(
        json!([{"field": "tags", "op": "contains", "value": "VIP"}])
    ));
    assert!(yes(
        json!([{"field": "hours_since_status", "op": "gte", "value": 48}])
    ));
    assert!(!yes(
        json!([{"field": "hours_since_update", "op": "gte", "value": 48}])
    ));
    assert!(yes(json!([
        {"field": "hours_since_status", "op": "gte", "value": "auto_close_days"}
    ])));
    assert!(!yes(json!([
        {"field": "hours_since_created", "op": "lte", "value": "auto_close_days"}
    ])));
    let nil = Uuid::nil().to_string();
    assert!(yes(
        json!([{"field": "requester_id", "op": "is", "value": nil}])
    ));
    assert!(!yes(
        json!([{"field": "requester_id", "op": "is_not", "value": [nil]}])
    ));
    assert!(yes(
        json!([{"field": "organization_id", "op": "is", "value": "none"}])
    ));
    assert!(!yes(
        json!([{"field": "organization_id", "op": "in", "value": [Uuid::now_v7().to_string()]}])
    ));
    assert!(yes(
        json!([{"field": "description", "op": "not_contains", "value": "invoice"}])
    ));
    assert!(yes(
        json!([{"field": "priority", "op": "lte", "value": "HIGH"}])
    ));
    assert!(yes(json!([{"any": [
        {"field": "channel", "op": "is", "value": "alert"},
        {"all": [{"field": "business_hours_now", "op": "is", "value": true}]}
    ]}])));
}

#[test]
fn mistakes_are_reported_with_their_path() {
    let errs = Condition::parse_list(&json!([
        {"field": "status", "op": "is", "value": "OPEN"},
        {"field": "colour", "op": "is", "value": "red"},
        {"any": [{"field": "priority", "op": "contains", "value": "HIGH"}]}
    ]))
    .unwrap_err();
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["conditions[1].field", "conditions[2].any[0].op"]);
    let errs = Action::parse_list(&json!([
        {"type": "set_status", "status": "NEW"},
        {"type": "launch_rockets"},
        {"type": "notify", "to": "admins", "subject": "{{ticket.secret}}", "body": "x"},
        {"type": "assign", "strategy": "round_robin", "agents": []}
    ]))
    .unwrap_err();
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "actions[0].status",
            "actions[1].type",
            "actions[2].subject",
            "actions[3].agents"
        ]
    );
}

#[test]
fn templates_render_known_placeholders() {
    let out = template::render("#{{ticket.number}} {{ ticket.subject }}!", |k| match k {
        "ticket.number" => "7".into(),
        "ticket.subject" => "Printer".into(),
        _ => String::new(),
    });
    assert_eq!(out, "#7 Printer!");
    assert_eq!(
        template::unknown_placeholder("{{ticket.number}} {{x}}"),
        Some("x".into())
    );
}

#[test]
fn the_default_rules_parse() {
    for r in defaults::rules() {
        Condition::parse_list(&r.conditions).unwrap();
        Action::parse_list(&r.actions).unwrap();
    }
}
