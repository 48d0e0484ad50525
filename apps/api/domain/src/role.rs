//! The three roles of a workspace member.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Role {
    Admin,
    Agent,
    Customer,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be one of ADMIN, AGENT, CUSTOMER")]
pub struct UnknownRole;

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Agent, Role::Customer];

    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::Agent => "AGENT",
            Role::Customer => "CUSTOMER",
        }
    }

    /// Admins and agents work tickets; customers only raise them.
    pub const fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Agent)
    }
}

impl Role {
    /// How much the role may do: customers least, admins most.
    pub const fn rank(self) -> u8 {
        match self {
            Role::Customer => 0,
            Role::Agent => 1,
            Role::Admin => 2,
        }
    }

    /// The lesser of two roles: what a credential made by someone may carry.
    pub fn at_most(self, cap: Role) -> Role {
        if self.rank() <= cap.rank() { self } else { cap }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(UnknownRole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (role, name) in [
            (Role::Admin, "ADMIN"),
            (Role::Agent, "AGENT"),
            (Role::Customer, "CUSTOMER"),
        ] {
            assert_eq!(role.as_str(), name);
            assert_eq!(role.to_string(), name);
            assert_eq!(name.parse::<Role>(), Ok(role));
        }
        assert_eq!("admin".parse::<Role>(), Err(UnknownRole));
        assert_eq!("".parse::<Role>(), Err(UnknownRole));
    }

    #[test]
    fn a_credential_never_carries_more_than_its_cap() {
        assert!(Role::Customer.rank() < Role::Agent.rank());
        assert!(Role::Agent.rank() < Role::Admin.rank());
        assert_eq!(Role::Admin.at_most(Role::Agent), Role::Agent);
        assert_eq!(Role::Agent.at_most(Role::Admin), Role::Agent);
        assert_eq!(Role::Admin.at_most(Role::Admin), Role::Admin);
        assert_eq!(Role::Agent.at_most(Role::Customer), Role::Customer);
    }
}
