//! Who a request's credential is: an API key, or a sign-in session of a user. This is
//! where every tenant context of a request is built. The role and the active flag come
//! from the database (or the auth cache, which changes evict), never from the credential,
//! so a demotion or deactivation applies at once.

use std::sync::Arc;

use helpdesk_domain::{
    Actor, ApiKeyId, OrganizationId, Role, SessionId, TenantCtx, UserId, WorkspaceId,
};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::users::UserRow;
use helpdesk_storage::repo::{api_keys, sessions, users, workspaces};

use super::opaque;
use crate::Service;
use crate::auth_cache::Resolved;
use crate::error::{ServiceError, ServiceResult};

/// An identified caller: its tenant context and, for users, the session and the rows.
#[derive(Debug, Clone)]
pub struct Identity {
    pub ctx: TenantCtx,
    /// The sign-in session, for users (API keys have none).
    pub session: Option<SessionId>,
    /// The user and workspace rows, for users.
    pub resolved: Option<Resolved>,
}

fn unknown(e: StoreError) -> ServiceError {
    match e {
        StoreError::NotFound => ServiceError::Unauthorized,
        other => other.into(),
    }
}

impl Service {
    /// An active API key, by its secret; records its use. One query reads the key and
    /// its creator.
    pub async fn identify_api_key(&self, key: &str) -> ServiceResult<Identity> {
        let (row, creator) =
            api_keys::active_by_hash_with_creator(self.store.read(), &opaque::hash(key))
                .await?
                .ok_or(ServiceError::Unauthorized)?;
        let id = key_identity(&row, creator.as_ref())?;
        api_keys::touch(self.store.write(), &row, self.now()).await?;
        Ok(id)
    }

    /// Key `id` of `workspace` as it stands now (a live stream re-checking its caller).
    pub async fn identify_api_key_id(
        &self,
        workspace: WorkspaceId,
        id: ApiKeyId,
    ) -> ServiceResult<Identity> {
        let db = self.store.read();
        let row = api_keys::get(db, &TenantCtx::system(workspace), id)
            .await
            .map_err(unknown)?;
        if row.revoked_at.is_some() {
            return Err(ServiceError::Unauthorized);
        }
        let creator = match row.created_by {
            Some(c) => Some(
                users::in_workspace(db, workspace, UserId::from_uuid(c))
                    .await
                    .map_err(unknown)?,
            ),
            None => None,
        };
        key_identity(&row, creator.as_ref())
    }

    /// The live session `sid` of active user `user` in `workspace` (as a verified access
    /// token or a session cookie names them).
    pub async fn identify_session(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        sid: SessionId,
    ) -> ServiceResult<Identity> {
        let resolved = self.resolve_session(workspace, user, sid).await?;
        let u = &resolved.user;
        if !u.active {
            return Err(ServiceError::Unauthorized);
        }
        let role = u.role().map_err(|_| ServiceError::Unauthorized)?;
        Ok(Identity {
            ctx: TenantCtx {
                workspace_id: workspace,
                actor: Actor::User(UserId::from_uuid(u.id)),
                role,
                organization_id: u.organization_id.map(OrganizationId::from_uuid),
            },
            session: Some(sid),
            resolved: Some(resolved),
        })
    }

    /// The session's user and workspace: from the cache, or read and cached.
    async fn resolve_session(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        sid: SessionId,
    ) -> ServiceResult<Resolved> {
        // The cached session must belong to this user and workspace, as the database
        // would have checked.
        if let Some(hit) = self.auth_cache.get(sid.as_uuid())
            && hit.user.id == user.as_uuid()
            && hit.workspace.id == workspace.as_uuid()
        {
            return Ok(hit);
        }
        let db = self.store.read();
        let u = users::in_workspace(db, workspace, user)
            .await
            .map_err(unknown)?;
        let session = sessions::get(db, workspace, sid).await.map_err(unknown)?;
        if session.revoked_at.is_some() || session.user_id != u.id {
            return Err(ServiceError::Unauthorized);
        }
        let ws = workspaces::get(db, workspace).await.map_err(unknown)?;
        let resolved = Resolved {
            user: Arc::new(u),
            workspace: Arc::new(ws),
        };
        self.auth_cache.put(sid.as_uuid(), resolved.clone());
        Ok(resolved)
    }
}

/// The key's tenant context: it acts for its creator, never above their current role, and
/// not at all once they are gone or no longer staff (their keys were revoked then too).
/// Keys from before creators were recorded have none and keep their own role.
fn key_identity(row: &api_keys::ApiKey, creator: Option<&users::User>) -> ServiceResult<Identity> {
    let role: Role = row.role.parse().map_err(|_| ServiceError::Unauthorized)?;
    let role = match (row.created_by, creator) {
        (None, _) => role,
        (Some(_), None) => return Err(ServiceError::Unauthorized),
        (Some(_), Some(u)) => {
            let theirs = u.role().map_err(|_| ServiceError::Unauthorized)?;
            if !u.active || !theirs.is_staff() || u.workspace_id != row.workspace_id {
                return Err(ServiceError::Unauthorized);
            }
            role.at_most(theirs)
        }
    };
    Ok(Identity {
        ctx: TenantCtx {
            workspace_id: WorkspaceId::from_uuid(row.workspace_id),
            actor: Actor::ApiKey(ApiKeyId::from_uuid(row.id)),
            role,
            organization_id: None,
        },
        session: None,
        resolved: None,
    })
}
