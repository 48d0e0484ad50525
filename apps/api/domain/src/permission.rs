//! What each role may do: the single table the service decides permissions from.

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
    /// Create, change and delete business-hours calendars and SLA policies.
    ManageSla,
    /// Read calendars, policies and a ticket's SLA history.
    ReadSla,
    /// Create, change, reorder and delete automation rules.
    ManageAutomations,
    /// Create, change, delete and apply macros.
    ManageMacros,
    /// Create, change and delete webhooks; read their deliveries.
    ManageWebhooks,
    /// Read and retry dead jobs.
    ManageJobs,
    /// Receive email through the API; read, reprocess and release received email.
    ManageEmail,
    /// Read reports.
    ReadReports,
    /// Report monitoring alerts.
    ReportAlerts,
    /// Staff work on tickets: internal notes, time entries, events, export, personal views.
    WorkTickets,
    /// Create, change and delete the views shared with the whole team.
    ManageSharedViews,
    /// Create, change and delete contracts with client organizations (money: admins).
    ManageContracts,
}

impl Permission {
    pub const ALL: [Permission; 18] = [
        Permission::ManageUsers,
        Permission::ReadUsers,
        Permission::ManageDirectory,
        Permission::ReadDirectory,
        Permission::ManageApiKeys,
        Permission::ManageWorkspace,
        Permission::ManageSla,
        Permission::ReadSla,
        Permission::ManageAutomations,
        Permission::ManageMacros,
        Permission::ManageWebhooks,
        Permission::ManageJobs,
        Permission::ManageEmail,
        Permission::ReadReports,
        Permission::ReportAlerts,
        Permission::WorkTickets,
        Permission::ManageSharedViews,
        Permission::ManageContracts,
    ];

    pub const fn allows(self, role: Role) -> bool {
        match self {
            Permission::ManageUsers
            | Permission::ManageApiKeys
            | Permission::ManageWorkspace
            | Permission::ManageSla
            | Permission::ManageAutomations
            | Permission::ManageWebhooks
            | Permission::ManageJobs
            | Permission::ManageEmail
            | Permission::ManageSharedViews
            | Permission::ManageContracts => matches!(role, Role::Admin),
            Permission::ReadUsers
            | Permission::ManageDirectory
            | Permission::ReadDirectory
            | Permission::ReadSla
            | Permission::ManageMacros
            | Permission::ReadReports
            | Permission::ReportAlerts
            | Permission::WorkTickets => role.is_staff(),
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
        assert!(!Permission::ManageContracts.allows(Role::Agent));
    }
}
