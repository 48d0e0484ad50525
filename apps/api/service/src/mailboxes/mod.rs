//! Mailboxes (ADMIN): the addresses a workspace receives mail at and the IMAP accounts
//! they are fetched from. Secrets are sealed before they are stored and never returned.

mod input;
mod view;

use helpdesk_domain::mailbox::{AfterImport, UnknownSenders};
use helpdesk_domain::{Permission, Priority};
use helpdesk_storage::repo::mailboxes::{self, Mailbox};
use uuid::Uuid;

pub use input::{ImapInput, MailboxInput, OAuth2Input};
pub use view::{ImapOut, MailboxOut, MailboxStatus, OAuth2Out};

use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;

fn blank(ctx_workspace: Uuid, now: i64) -> Mailbox {
    Mailbox {
        id: Uuid::now_v7(),
        workspace_id: ctx_workspace,
        address: String::new(),
        name: String::new(),
        active: true,
        default_priority: Priority::default().as_str().to_owned(),
        unknown_senders: UnknownSenders::default().as_str().to_owned(),
        imap_host: None,
        imap_port: None,
        imap_security: None,
        imap_username: None,
        imap_auth: None,
        imap_secret: None,
        oauth_token_url: None,
        oauth_client_id: None,
        imap_folder: "INBOX".into(),
        after_import: AfterImport::Seen.as_str().to_owned(),
        move_to: None,
        last_fetch_at: None,
        last_error: None,
        uidvalidity: None,
        last_uid: None,
        imported: 0,
        lease_owner: None,
        lease_until: None,
        error_notified: false,
        created_at: now,
        updated_at: now,
    }
}

impl Service {
    pub async fn mailboxes(&self, actor: &Actor) -> ServiceResult<Vec<MailboxOut>> {
        require(actor, Permission::ManageEmail)?;
        let rows = mailboxes::list(self.store.read(), &actor.ctx).await?;
        Ok(rows.into_iter().map(MailboxOut::from).collect())
    }

    pub async fn mailbox(&self, actor: &Actor, id: Uuid) -> ServiceResult<MailboxOut> {
        require(actor, Permission::ManageEmail)?;
        Ok(mailboxes::get(self.store.read(), &actor.ctx, id)
            .await?
            .into())
    }

    pub async fn create_mailbox(
        &self,
        actor: &Actor,
        input: MailboxInput,
    ) -> ServiceResult<MailboxOut> {
        require(actor, Permission::ManageEmail)?;
        if input.address.is_none() {
            return Err(ServiceError::invalid("address", "is required"));
        }
        let now = self.now();
        let mut row = blank(actor.ctx.workspace_id.as_uuid(), now);
        let name = input.name.clone();
        input::apply(&self.settings.secret_key, &mut row, input)?;
        if name.is_none() {
            row.name.clone_from(&row.address);
        }
        Ok(mailboxes::insert(self.store.write(), row).await?.into())
    }

    pub async fn update_mailbox(
        &self,
        actor: &Actor,
        id: Uuid,
        input: MailboxInput,
    ) -> ServiceResult<MailboxOut> {
        require(actor, Permission::ManageEmail)?;
        let tx = self.begin().await?;
        let mut row = mailboxes::get(&tx, &actor.ctx, id).await?;
        input::apply(&self.settings.secret_key, &mut row, input)?;
        row.updated_at = self.now();
        let saved = mailboxes::save(&tx, row).await?;
        tx.commit().await?;
        Ok(saved.into())
    }

    pub async fn delete_mailbox(&self, actor: &Actor, id: Uuid) -> ServiceResult<()> {
        require(actor, Permission::ManageEmail)?;
        Ok(mailboxes::delete(self.store.write(), &actor.ctx, id).await?)
    }
}
