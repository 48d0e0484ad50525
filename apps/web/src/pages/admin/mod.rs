//! Admin pages: setting a workspace up without curl. Each action is one service call;
//! what a role may not see is not found (the service decides), and the tabs show only
//! the pages the signed-in person may open.

pub mod api_keys;
pub mod automations;
pub mod business_hours;
pub mod contract_form;
pub mod contract_rows;
pub mod contracts;
pub mod inbound;
pub mod jobs;
pub mod macros;
pub mod mailbox_form;
pub mod mailboxes;
pub mod organization;
pub mod organizations;
pub mod rule_builder;
pub mod sla_policies;
pub mod sla_policy_form;
pub mod webhooks;
pub mod workspace;

use helpdesk_domain::Permission;

use crate::session::SignedIn;

/// A tab of the admin section.
#[derive(Debug, Clone)]
pub struct Tab {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The admin tabs `me` may open, `current` marked.
pub fn tabs(me: &SignedIn, current: &str) -> Vec<Tab> {
    let can = |p| me.actor.ctx.can(p);
    [
        (
            "/admin/organizations",
            "Organizations",
            Permission::ReadDirectory,
        ),
        (
            "/admin/business-hours",
            "Business hours",
            Permission::ReadSla,
        ),
        ("/admin/sla-policies", "SLA policies", Permission::ReadSla),
        (
            "/admin/automations",
            "Automations",
            Permission::ManageAutomations,
        ),
        ("/admin/macros", "Macros", Permission::ManageMacros),
        ("/admin/api-keys", "API keys", Permission::ManageApiKeys),
        ("/admin/mailboxes", "Mailboxes", Permission::ManageEmail),
        ("/admin/webhooks", "Webhooks", Permission::ManageWebhooks),
        ("/admin/jobs", "Jobs", Permission::ManageJobs),
        ("/admin/workspace", "Workspace", Permission::ManageWorkspace),
    ]
    .into_iter()
    .filter(|(_, _, p)| can(*p))
    .map(|(href, label, _)| Tab {
        href,
        label,
        current: href == current,
    })
    .collect()
}
