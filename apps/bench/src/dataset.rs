//! The shape of the benchmark data set: who exists, what they are called, how tickets are
//! distributed. Deterministic, so the load generator knows the credentials without asking.

/// Every seeded user's password.
pub const PASSWORD: &str = "benchpass";

/// Words that subjects, descriptions and messages are drawn from.
pub const WORDS: &[&str] = &[
    "printer",
    "vpn",
    "outlook",
    "password",
    "laptop",
    "network",
    "server",
    "backup",
    "firewall",
    "license",
    "monitor",
    "keyboard",
    "mouse",
    "wifi",
    "router",
    "switch",
    "email",
    "calendar",
    "teams",
    "sharepoint",
    "onedrive",
    "excel",
    "word",
    "invoice",
    "scanner",
    "phone",
    "headset",
    "camera",
    "driver",
    "update",
    "windows",
    "macos",
    "linux",
    "antivirus",
    "malware",
    "phishing",
    "account",
    "locked",
    "reset",
    "access",
    "folder",
    "permission",
    "disk",
    "memory",
    "slow",
    "crash",
    "error",
    "freeze",
    "reboot",
    "install",
    "uninstall",
    "upgrade",
    "certificate",
    "domain",
    "dns",
    "dhcp",
    "proxy",
    "remote",
    "desktop",
    "session",
    "citrix",
    "ticket",
    "urgent",
    "broken",
    "missing",
    "cannot",
    "connect",
    "login",
    "sync",
    "share",
    "print",
    "toner",
    "paper",
    "jam",
    "tray",
    "cable",
    "port",
    "power",
    "battery",
    "charger",
    "dock",
    "display",
    "resolution",
    "audio",
    "sound",
    "meeting",
    "zoom",
    "browser",
    "chrome",
    "edge",
    "firefox",
    "plugin",
    "java",
    "database",
    "sql",
    "erp",
    "crm",
    "payroll",
    "accounting",
];

/// The word the search scenario looks for.
pub const SEARCH_WORD: &str = "firewall";

#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub tickets: u64,
    pub workspaces: u64,
    /// Share of all tickets in workspace 1, the large one the scenarios run against.
    pub large_share: f64,
    pub large_agents: u64,
    pub large_customers: u64,
    pub large_organizations: u64,
    pub small_agents: u64,
    pub small_customers: u64,
    pub small_organizations: u64,
    pub messages_per_ticket: u64,
}

impl Shape {
    pub fn tickets_in(&self, workspace: u64) -> u64 {
        let large = ((self.tickets as f64) * self.large_share).round() as u64;
        if workspace == 1 {
            return large.min(self.tickets);
        }
        let rest = self.tickets.saturating_sub(large);
        let others = self.workspaces.saturating_sub(1).max(1);
        rest / others + u64::from(workspace - 2 < rest % others)
    }

    pub fn agents_in(&self, workspace: u64) -> u64 {
        if workspace == 1 {
            self.large_agents
        } else {
            self.small_agents
        }
    }

    pub fn customers_in(&self, workspace: u64) -> u64 {
        if workspace == 1 {
            self.large_customers
        } else {
            self.small_customers
        }
    }

    pub fn organizations_in(&self, workspace: u64) -> u64 {
        if workspace == 1 {
            self.large_organizations
        } else {
            self.small_organizations
        }
    }
}

pub fn slug(workspace: u64) -> String {
    format!("bench-{workspace}")
}

pub fn agent_email(workspace: u64, n: u64) -> String {
    format!("agent{n}@bench-{workspace}.test")
}

pub fn customer_email(workspace: u64, n: u64) -> String {
    format!("customer{n}@bench-{workspace}.test")
}

pub fn admin_email(workspace: u64) -> String {
    format!("admin@bench-{workspace}.test")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_add_up() {
        let shape = Shape {
            tickets: 1_000_003,
            workspaces: 100,
            large_share: 0.5,
            large_agents: 50,
            large_customers: 5000,
            large_organizations: 200,
            small_agents: 5,
            small_customers: 100,
            small_organizations: 10,
            messages_per_ticket: 3,
        };
        let total: u64 = (1..=100).map(|w| shape.tickets_in(w)).sum();
        assert_eq!(total, 1_000_003);
        assert_eq!(shape.tickets_in(1), 500_002);
    }
}
