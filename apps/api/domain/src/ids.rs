//! Typed UUID v7 identifiers, so a user id can never be passed where a workspace id belongs.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    };
}

id_type!(
    /// A workspace: one tenant, one support team.
    WorkspaceId
);
id_type!(
    /// A person who signs in: admin, agent or customer.
    UserId
);
id_type!(
    /// A client company of the support team.
    OrganizationId
);
id_type!(
    /// A device the team supports.
    AssetId
);
id_type!(
    /// An integration key.
    ApiKeyId
);
id_type!(
    /// A sign-in session: one chain of rotating refresh tokens.
    SessionId
);

id_type!(
    /// A support request.
    TicketId
);
id_type!(
    /// A public reply or internal note on a ticket.
    MessageId
);
id_type!(
    /// A row of a ticket's audit timeline.
    EventId
);
id_type!(
    /// Work logged on a ticket.
    TimeEntryId
);
id_type!(
    /// A file attached to a ticket.
    AttachmentId
);
id_type!(
    /// A saved ticket-list view (an agent's own, or shared with the team).
    SavedViewId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_and_round_trip() {
        let a = UserId::new();
        let b = UserId::new();
        assert!(a < b);
        assert_eq!(a.to_string().parse::<UserId>().ok(), Some(a));
        assert!("not-a-uuid".parse::<UserId>().is_err());
    }
}
