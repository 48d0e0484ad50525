//! What each role may do: the single table the HTTP guards consult.

use crate::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Create, change and deactivate users; invitations.
    ManageUsers,
    /// List and read other users of the workspace.
    ReadUsers,
    /// Create, change and delete organizations and assets.
    ManageDirectory,
    /// Read organizations and assets.
    ReadDirectory,
    /// Create and revoke API keys.
    ManageApiKeys,
    /// Change workspace settings.
    ManageWorkspace,
}

impl Permission {
    pub const ALL: [Permission; 6] = [
        Permission::ManageUsers,
        Permission::ReadUsers,
        Permission::ManageDirectory,
        Permission::ReadDirectory,
        Permission::ManageApiKeys,
        Permission::ManageWorkspace,
    ];

    pub const fn allows(self, role: Role) -> bool {
        match self {
            Permission::ManageUsers | Permission::ManageApiKeys | Permission::ManageWorkspace => {
                matches!(role, Role::Admin)
            }
            Permission::ReadUsers | Permission::ManageDirectory | Permission::ReadDirectory => {
                role.is_staff()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_can_everything_customer_nothing() {
        for p in Permission::ALL {
            assert!(p.allows(Role::Admin), "{p:?}");
            assert!(!p.allows(Role::Customer), "{p:?}");
        }
        assert!(Permission::ReadUsers.allows(Role::Agent));
        assert!(Permission::ManageDirectory.allows(Role::Agent));
        assert!(!Permission::ManageUsers.allows(Role::Agent));
        assert!(!Permission::ManageApiKeys.allows(Role::Agent));
    }
}
