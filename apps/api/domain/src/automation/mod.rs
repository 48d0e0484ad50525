//! Automation rules, pure: what triggers a rule, the conditions it tests on a ticket, the
//! actions it takes, and the templates of its messages. Parsed once when a rule is saved
//! (every mistake is reported with its path) and trusted when it runs.

pub mod action;
pub mod condition;
pub mod defaults;
pub mod template;
pub mod trigger;

#[cfg(test)]
mod tests;

pub use action::{Action, AssignTo, Recipient};
pub use condition::{Condition, Facts};
pub use trigger::Trigger;

/// A mistake in a rule, with the JSON path of the part at fault (`conditions[1].op`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub path: String,
    pub message: String,
}

impl RuleError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}
