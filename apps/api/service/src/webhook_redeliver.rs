//! Sending one event to a webhook again (admins), from its delivery log: a new delivery
//! job for the same event, whatever became of the earlier attempts.

use helpdesk_domain::Permission;
use helpdesk_storage::repo::jobs::{self, NewJob};
use helpdesk_storage::repo::webhooks;
use uuid::Uuid;

use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::job_kinds::WEBHOOK_JOB;
use crate::permissions::require;

impl Service {
    /// Queues delivery `delivery`'s event to webhook `id` again; a disabled webhook must
    /// be turned back on first.
    pub async fn redeliver_webhook(
        &self,
        actor: &Actor,
        id: Uuid,
        delivery: Uuid,
    ) -> ServiceResult<()> {
        require(actor, Permission::ManageWebhooks)?;
        let ctx = &actor.ctx;
        let tx = self.begin().await?;
        let w = webhooks::get(&tx, ctx, id).await?;
        let d = webhooks::delivery(&tx, ctx, w.id, delivery).await?;
        if !w.active {
            return Err(ServiceError::Conflict(
                "the webhook is disabled; turn it on before sending again".into(),
            ));
        }
        let now = self.now();
        let payload = serde_json::json!({ "webhook_id": w.id, "event_id": d.event_id });
        // Its own dedup key: the first delivery's job may still be in the table.
        let job =
            NewJob::new(WEBHOOK_JOB, payload).dedup(format!("{}:{}:again:{now}", d.event_id, w.id));
        jobs::enqueue(&tx, ctx.workspace_id.as_uuid(), job, now).await?;
        tx.commit().await?;
        self.live.wake_workers().await;
        Ok(())
    }
}
