//! A workspace's mailbox: the address mail for it arrives at and, optionally, the IMAP
//! account it is fetched from, with what intake does with what it finds there.

use serde::{Deserialize, Serialize};

/// How the IMAP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum ImapSecurity {
    /// Implicit TLS (port 993).
    Tls,
    /// STARTTLS on a plain connection (port 143).
    Starttls,
    /// No TLS: loopback and test servers only.
    None,
}

/// What happens to a message on the server once it is stored here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum AfterImport {
    Keep,
    Seen,
    Move,
    Delete,
}

/// What a message from an address the workspace does not know becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UnknownSenders {
    /// A new customer (in the organization whose domain matches) and their ticket.
    #[default]
    CreateCustomer,
    /// Held as `QUARANTINED` until an admin releases it.
    Quarantine,
}

macro_rules! text_enum {
    ($t:ty, $($v:path => $s:literal),+) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $($v => $s),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($v),)+ _ => None }
            }
        }
    };
}

text_enum!(ImapSecurity, ImapSecurity::Tls => "TLS", ImapSecurity::Starttls => "STARTTLS", ImapSecurity::None => "NONE");
text_enum!(AfterImport, AfterImport::Keep => "KEEP", AfterImport::Seen => "SEEN", AfterImport::Move => "MOVE", AfterImport::Delete => "DELETE");
text_enum!(UnknownSenders, UnknownSenders::CreateCustomer => "CREATE_CUSTOMER", UnknownSenders::Quarantine => "QUARANTINE");

/// Whether `recipient` is `address` or a plus-addressed variant of it
/// (`support+anything@acme.test` for `support@acme.test`). Both lower-case.
pub fn receives(address: &str, recipient: &str) -> bool {
    if address == recipient {
        return true;
    }
    let (Some((local, domain)), Some((r_local, r_domain))) =
        (address.rsplit_once('@'), recipient.rsplit_once('@'))
    else {
        return false;
    };
    domain == r_domain
        && r_local
            .split_once('+')
            .is_some_and(|(base, _)| base == local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_as_the_api_spells_them() {
        for s in [
            ImapSecurity::Tls,
            ImapSecurity::Starttls,
            ImapSecurity::None,
        ] {
            assert_eq!(ImapSecurity::parse(s.as_str()), Some(s));
        }
        for a in [
            AfterImport::Keep,
            AfterImport::Seen,
            AfterImport::Move,
            AfterImport::Delete,
        ] {
            assert_eq!(AfterImport::parse(a.as_str()), Some(a));
        }
        assert_eq!(
            UnknownSenders::parse("QUARANTINE"),
            Some(UnknownSenders::Quarantine)
        );
        assert_eq!(UnknownSenders::parse("quarantine"), None);
    }

    #[test]
    fn plus_addressed_variants_reach_the_mailbox() {
        assert!(receives("support@acme.test", "support@acme.test"));
        assert!(receives("support@acme.test", "support+hd-1-2@acme.test"));
        assert!(!receives("support@acme.test", "support@other.test"));
        assert!(!receives("support@acme.test", "supportx+1@acme.test"));
        assert!(!receives("support@acme.test", "sales@acme.test"));
    }
}
