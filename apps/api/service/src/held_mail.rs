//! Held outgoing mail, for admins: what the mail policy kept back and why.

use helpdesk_domain::Permission;
use helpdesk_storage::repo::outbox::{self, OutboxMessage};

use crate::Service;
use crate::actor::Actor;
use crate::error::ServiceResult;
use crate::paging::{PageRequest, Paginated, paginate_rows};
use crate::permissions::require;

impl Service {
    /// The workspace's held messages, newest first.
    pub async fn held_mail(
        &self,
        actor: &Actor,
        page: PageRequest,
    ) -> ServiceResult<Paginated<OutboxMessage>> {
        require(actor, Permission::ManageWorkspace)?;
        let page = page.page()?;
        let rows = outbox::held(self.store.read(), actor.ctx.workspace_id, page).await?;
        Ok(paginate_rows(rows, page, |m| m.id))
    }
}
