//! What admins do with received email: list it by state, read one and its raw bytes,
//! reprocess one that failed or was ignored, release one that was quarantined.

use helpdesk_domain::Permission;
use helpdesk_domain::inbound::InboundState;
use helpdesk_storage::repo::inbound;
use uuid::Uuid;

use super::RELEASED;
use super::view::InboundOut;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::paging::{PageRequest, Paginated, paginate};
use crate::permissions::require;

/// `GET /inbound?state=`.
#[derive(Debug, Clone, Default)]
pub struct InboundFilter {
    pub state: Option<InboundState>,
    pub page: PageRequest,
}

impl Service {
    pub async fn list_inbound(
        &self,
        actor: &Actor,
        filter: InboundFilter,
    ) -> ServiceResult<Paginated<InboundOut>> {
        require(actor, Permission::ManageEmail)?;
        let page = filter.page.page()?;
        let state = filter.state.map(InboundState::as_str);
        let rows = inbound::list(self.store.read(), &actor.ctx, state, page).await?;
        paginate(rows, page, |r| r.id, InboundOut::from_summary)
    }

    pub async fn inbound_message(&self, actor: &Actor, id: Uuid) -> ServiceResult<InboundOut> {
        require(actor, Permission::ManageEmail)?;
        InboundOut::from_row(inbound::get(self.store.read(), &actor.ctx, id).await?)
    }

    /// The message exactly as it was received.
    pub async fn inbound_raw(&self, actor: &Actor, id: Uuid) -> ServiceResult<Vec<u8>> {
        require(actor, Permission::ManageEmail)?;
        Ok(inbound::get(self.store.read(), &actor.ctx, id).await?.raw)
    }

    /// Runs a `FAILED` or `IGNORED` message through processing again.
    pub async fn reprocess_inbound(&self, actor: &Actor, id: Uuid) -> ServiceResult<InboundOut> {
        self.requeue(
            actor,
            id,
            &[InboundState::Failed, InboundState::Ignored],
            None,
        )
        .await
    }

    /// Processes a `QUARANTINED` message as if the check that held it had passed.
    pub async fn release_inbound(&self, actor: &Actor, id: Uuid) -> ServiceResult<InboundOut> {
        self.requeue(actor, id, &[InboundState::Quarantined], Some(RELEASED))
            .await
    }

    async fn requeue(
        &self,
        actor: &Actor,
        id: Uuid,
        from: &[InboundState],
        reason: Option<&str>,
    ) -> ServiceResult<InboundOut> {
        require(actor, Permission::ManageEmail)?;
        let now = self.now();
        let tx = self.begin().await?;
        let row = inbound::get(&tx, &actor.ctx, id).await?;
        let state = InboundState::parse(&row.state).ok_or_else(|| {
            ServiceError::corrupt(format!("inbound {id} has state {}", row.state))
        })?;
        if !from.contains(&state) {
            let allowed: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
            return Err(ServiceError::Conflict(format!(
                "the message is {}; only {} messages can be",
                state.as_str(),
                allowed.join(" or ")
            )));
        }
        inbound::requeue(&tx, &actor.ctx, id, reason, now).await?;
        let out = InboundOut::from_row(inbound::get(&tx, &actor.ctx, id).await?)?;
        tx.commit().await?;
        self.live.wake_workers().await;
        Ok(out)
    }
}
