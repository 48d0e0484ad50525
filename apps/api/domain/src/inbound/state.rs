//! Where an inbound message stands.

use serde::{Deserialize, Serialize};

/// `PENDING` until its job ran; then one of the others, with a reason where it did not
/// become a ticket or a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum InboundState {
    /// Stored, waiting for its job.
    Pending,
    /// Became a ticket or a message on one.
    Processed,
    /// Noise (an auto-reply, a bounce, list mail, our own mail): recorded, nothing changed.
    Ignored,
    /// Held for an agent to release (a burst from one sender, an unknown sender).
    Quarantined,
    /// Could not be read; the raw bytes are kept and it can be reprocessed.
    Failed,
}

impl InboundState {
    pub const ALL: [InboundState; 5] = [
        InboundState::Pending,
        InboundState::Processed,
        InboundState::Ignored,
        InboundState::Quarantined,
        InboundState::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InboundState::Pending => "PENDING",
            InboundState::Processed => "PROCESSED",
            InboundState::Ignored => "IGNORED",
            InboundState::Quarantined => "QUARANTINED",
            InboundState::Failed => "FAILED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_round_trips() {
        for s in InboundState::ALL {
            assert_eq!(InboundState::parse(s.as_str()), Some(s));
        }
        assert_eq!(InboundState::parse("pending"), None);
    }
}
