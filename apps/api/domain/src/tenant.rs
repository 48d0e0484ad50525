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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_context_may_do_follows_its_role() {
        let user = UserId::new();
        let ctx = |role| TenantCtx {
            workspace_id: WorkspaceId::new(),
            actor: Actor::User(user),
            role,
            organization_id: None,
        };
        assert!(ctx(Role::Admin).can(Permission::ManageUsers));
        assert!(!ctx(Role::Agent).can(Permission::ManageUsers));
        assert!(ctx(Role::Agent).can(Permission::WorkTickets));
        assert_eq!(ctx(Role::Agent).user_id(), Some(user));
        let system = TenantCtx::system(WorkspaceId::new());
        assert_eq!(system.user_id(), None);
        assert!(system.can(Permission::ManageUsers));
    }
}
