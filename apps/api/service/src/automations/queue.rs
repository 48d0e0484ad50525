//! Which rules an event wakes: queued in the event's dispatch transaction when the workspace
//! has active rules for its trigger. Loops cannot happen: an event a rule writes only
//! triggers rules placed after it, and a chain stops after [`MAX_DEPTH`] rule-made events.

use std::collections::HashSet;

use helpdesk_domain::automation::Trigger;
use helpdesk_storage::repo::events::Event;
use helpdesk_storage::repo::jobs::{self, NewJob};
use sea_orm::ConnectionTrait;

use crate::error::ServiceResult;
use crate::job_kinds::EVALUATE_JOB;

/// Rule-made events in a row after which rules stop reacting.
pub const MAX_DEPTH: i64 = 5;

/// The rule behind `e`, if a rule wrote it: `(position, depth)`.
fn made_by_rule(e: &Event) -> Option<(i64, i64)> {
    let a = e.changes.get("automation")?;
    Some((a["position"].as_i64()?, a["depth"].as_i64()?))
}

/// In the dispatch transaction of `e`: queue its rules when the workspace has any for its
/// trigger (`rule_triggers`: the triggers of its active rules).
pub async fn queue_for_event(
    db: &impl ConnectionTrait,
    e: &Event,
    rule_triggers: &HashSet<String>,
    now: i64,
) -> ServiceResult<()> {
    let Some(trigger) = Trigger::of_event(&e.kind) else {
        return Ok(());
    };
    let (after, depth) = made_by_rule(e).map_or((None, 0), |(p, d)| (Some(p), d));
    if depth >= MAX_DEPTH || !rule_triggers.contains(trigger.as_str()) {
        return Ok(());
    }
    let payload = serde_json::json!({ "event_id": e.id, "after_position": after, "depth": depth });
    let job = NewJob::new(EVALUATE_JOB, payload).dedup(format!("rules:{}", e.id));
    jobs::enqueue(db, e.workspace_id, job, now).await?;
    Ok(())
}
