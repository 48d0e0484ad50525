//! What one dispatch batch has read already. A batch of events mostly names the same few
//! workspaces and people (the agent who replies, the customers who are told), so each
//! workspace row, its mailboxes, each user and each recipient's screening are read once
//! per batch, not once per event and email. Nothing outlives the batch, so nothing can go stale.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use helpdesk_domain::{TenantCtx, UserId, WorkspaceId};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::mailboxes::{self, Mailbox};
use helpdesk_storage::repo::users::{self, User};
use helpdesk_storage::repo::workspaces::{self, Workspace};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::error::ServiceResult;
use crate::mail::{self, Screened};

#[derive(Debug, Default)]
pub(super) struct Memo {
    workspaces: HashMap<Uuid, Workspace>,
    mailboxes: HashMap<Uuid, Vec<Mailbox>>,
    /// By workspace and user; `None` when the workspace has no such user.
    users: HashMap<(Uuid, Uuid), Option<User>>,
    /// Recipients' addresses screened, by workspace and address.
    screens: HashMap<(Uuid, String), Screened>,
}

impl Memo {
    pub(super) async fn workspace(
        &mut self,
        db: &impl ConnectionTrait,
        id: WorkspaceId,
    ) -> ServiceResult<Workspace> {
        if let Some(ws) = self.workspaces.get(&id.as_uuid()) {
            return Ok(ws.clone());
        }
        let ws = workspaces::get(db, id).await?;
        self.workspaces.insert(id.as_uuid(), ws.clone());
        Ok(ws)
    }

    pub(super) async fn mailboxes(
        &mut self,
        db: &impl ConnectionTrait,
        ctx: &TenantCtx,
    ) -> ServiceResult<&[Mailbox]> {
        let boxes = match self.mailboxes.entry(ctx.workspace_id.as_uuid()) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => slot.insert(mailboxes::list(db, ctx).await?),
        };
        Ok(boxes)
    }

    /// The user `id` of `ctx`'s workspace; `None` when it has no such user.
    pub(super) async fn user(
        &mut self,
        db: &impl ConnectionTrait,
        ctx: &TenantCtx,
        id: Uuid,
    ) -> ServiceResult<Option<User>> {
        let key = (ctx.workspace_id.as_uuid(), id);
        if let Some(u) = self.users.get(&key) {
            return Ok(u.clone());
        }
        let user = match users::get(db, ctx, UserId::from_uuid(id)).await {
            Ok(u) => Some(u),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        self.users.insert(key, user.clone());
        Ok(user)
    }

    /// [`mail::screen`] of `address` for mail from `ctx`'s workspace.
    pub(super) async fn screen(
        &mut self,
        db: &impl ConnectionTrait,
        ctx: &TenantCtx,
        address: &str,
    ) -> ServiceResult<Screened> {
        let key = (ctx.workspace_id.as_uuid(), address.to_owned());
        if let Some(s) = self.screens.get(&key) {
            return Ok(*s);
        }
        let screened = mail::screen(db, ctx, address).await?;
        self.screens.insert(key, screened);
        Ok(screened)
    }
}
