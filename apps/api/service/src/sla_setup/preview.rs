//! What a policy means for a ticket opened now: each metric's due instant, computed by the
//! SLA engine over the policy's calendar, so the admin page shows the truth rather than a
//! sum of hours.

use helpdesk_domain::sla::policy::Metric;
use helpdesk_domain::{Permission, Priority};
use helpdesk_storage::repo::sla::Calendars;
use uuid::Uuid;

use crate::Service;
use crate::actor::Actor;
use crate::error::ServiceResult;
use crate::permissions::require;

/// One metric's due instant (`None`: no target for that priority).
#[derive(Debug, Clone)]
pub struct DuePreview {
    pub metric: Metric,
    pub due: Option<jiff::Timestamp>,
}

impl Service {
    /// When a `priority` ticket opened now under policy `id` would be due, per metric.
    pub async fn sla_preview(
        &self,
        actor: &Actor,
        id: Uuid,
        priority: Priority,
    ) -> ServiceResult<Vec<DuePreview>> {
        require(actor, Permission::ReadSla)?;
        let policy = self.sla_policy(actor, id).await?;
        let db = self.store.read();
        let cal = Calendars::one(db, &actor.ctx, policy.business_hours_id).await?;
        let targets = policy
            .targets
            .get(priority.as_str())
            .cloned()
            .unwrap_or_default();
        let now = self.clock.now();
        Ok([
            Metric::FirstResponse,
            Metric::NextResponse,
            Metric::Resolution,
        ]
        .into_iter()
        .map(|metric| DuePreview {
            metric,
            due: targets
                .minutes(metric)
                .and_then(|m| cal.add_minutes(now, m)),
        })
        .collect())
    }
}
