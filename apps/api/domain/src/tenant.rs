//! The tenant context every storage call takes first: who acts, in which workspace, as what.

use crate::{ApiKeyId, OrganizationId, Permission, Role, UserId, WorkspaceId};

/// Who is acting: a signed-in user, an integration key, or the helpdesk itself (jobs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    User(UserId),
    ApiKey(ApiKeyId),
    System,
}

/// Built once per request from the verified token; never from client input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantCtx {
    pub workspace_id: WorkspaceId,
    pub actor: Actor,
    pub role: Role,
    pub organization_id: Option<OrganizationId>,
}

impl TenantCtx {
    /// The helpdesk acting in `workspace_id` on its own (the worker), with staff rights.
    pub fn system(workspace_id: WorkspaceId) -> Self {
        Self {
            workspace_id,
            actor: Actor::System,
            role: Role::Admin,
            organization_id: None,
        }
    }

    pub fn can(&self, permission: Permission) -> bool {
        permission.allows(self.role)
    }

    pub fn user_id(&self) -> Option<UserId> {
        match self.actor {
            Actor::User(id) => Some(id),
            Actor::ApiKey(_) | Actor::System => None,
        }
    }
}
