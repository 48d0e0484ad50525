//! The rules every new workspace starts with; they are ordinary rules, editable and
//! removable like any other.

use serde_json::{Value, json};

use super::Trigger;

/// A default rule: name, trigger, conditions, actions.
#[derive(Debug)]
pub struct DefaultRule {
    pub name: &'static str,
    pub trigger: Trigger,
    pub conditions: Value,
    pub actions: Value,
}

pub fn rules() -> Vec<DefaultRule> {
    vec![
        DefaultRule {
            name: "Close resolved tickets after the workspace's auto_close_days",
            trigger: Trigger::Schedule,
            conditions: json!([
                {"field": "status", "op": "is", "value": "RESOLVED"},
                {"field": "hours_since_status", "op": "gte", "value": "auto_close_days"}
            ]),
            actions: json!([{"type": "set_status", "status": "CLOSED"}]),
        },
        DefaultRule {
            name: "Remind the requester of a pending ticket after 48 hours",
            trigger: Trigger::Schedule,
            conditions: json!([
                {"field": "status", "op": "is", "value": "PENDING"},
                {"field": "hours_since_status", "op": "gte", "value": 48}
            ]),
            actions: json!([{"type": "notify", "to": "requester",
                "subject": "Waiting for you: [#{{ticket.number}}] {{ticket.subject}}",
                "body": "Hello {{requester.name}},\n\nWe are waiting for your answer on ticket #{{ticket.number}} ({{ticket.subject}}). Reply so we can go on: {{ticket.url}}\n"}]),
        },
        DefaultRule {
            name: "Resolve pending tickets after 7 days of silence",
            trigger: Trigger::Schedule,
            conditions: json!([
                {"field": "status", "op": "is", "value": "PENDING"},
                {"field": "hours_since_status", "op": "gte", "value": 168}
            ]),
            actions: json!([
                {"type": "add_internal_note", "body": "Resolved after 7 days without an answer from the requester."},
                {"type": "set_status", "status": "RESOLVED"}
            ]),
        },
        DefaultRule {
            name: "Tell admins about SLA warnings on unassigned tickets",
            trigger: Trigger::SlaWarning,
            conditions: json!([{"field": "assignee_id", "op": "is", "value": "none"}]),
            actions: json!([{"type": "notify", "to": "admins",
                "subject": "SLA warning: [#{{ticket.number}}] {{ticket.subject}}",
                "body": "The {{sla.metric}} deadline of this ticket is near and nobody is assigned.\n\n#{{ticket.number}} {{ticket.subject}}\n{{ticket.url}}\n"}]),
        },
        DefaultRule {
            name: "Tell admins about SLA breaches on unassigned tickets",
            trigger: Trigger::SlaBreached,
            conditions: json!([{"field": "assignee_id", "op": "is", "value": "none"}]),
            actions: json!([{"type": "notify", "to": "admins",
                "subject": "SLA breached: [#{{ticket.number}}] {{ticket.subject}}",
                "body": "This ticket breached its {{sla.metric}} SLA and nobody is assigned.\n\n#{{ticket.number}} {{ticket.subject}}\n{{ticket.url}}\n"}]),
        },
    ]
}
