//! What makes a rule look at a ticket.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Trigger {
    #[serde(rename = "ticket.created")]
    TicketCreated,
    #[serde(rename = "ticket.updated")]
    TicketUpdated,
    /// Another ticket was merged into this one (the merged one gets `ticket.updated`).
    #[serde(rename = "ticket.merged")]
    TicketMerged,
    /// A public message (a reply or a customer's message); internal notes do not count.
    #[serde(rename = "message.created")]
    MessageCreated,
    #[serde(rename = "sla.warning")]
    SlaWarning,
    #[serde(rename = "sla.breached")]
    SlaBreached,
    /// A contract period's usage reached its alert point (on the ticket whose time did).
    #[serde(rename = "contract.threshold")]
    ContractThreshold,
    /// A contract period's included minutes were used up.
    #[serde(rename = "contract.exhausted")]
    ContractExhausted,
    /// Evaluated by the scheduler over open tickets; acts once per time the conditions
    /// become true.
    #[serde(rename = "schedule")]
    Schedule,
}

impl Trigger {
    pub const fn as_str(self) -> &'static str {
        match self {
            Trigger::TicketCreated => "ticket.created",
            Trigger::TicketUpdated => "ticket.updated",
            Trigger::TicketMerged => "ticket.merged",
            Trigger::MessageCreated => "message.created",
            Trigger::SlaWarning => "sla.warning",
            Trigger::SlaBreached => "sla.breached",
            Trigger::ContractThreshold => "contract.threshold",
            Trigger::ContractExhausted => "contract.exhausted",
            Trigger::Schedule => "schedule",
        }
    }

    /// The trigger of a ticket event kind, if any.
    pub fn of_event(kind: &str) -> Option<Self> {
        [
            Trigger::TicketCreated,
            Trigger::TicketUpdated,
            Trigger::TicketMerged,
            Trigger::MessageCreated,
            Trigger::SlaWarning,
            Trigger::SlaBreached,
            Trigger::ContractThreshold,
            Trigger::ContractExhausted,
        ]
        .into_iter()
        .find(|t| t.as_str() == kind)
    }
}
