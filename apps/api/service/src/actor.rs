//! Who acts, in which workspace, and how the change arrived: every use case takes one.

use helpdesk_domain::{Actor as Principal, TenantCtx};
use serde_json::{Value, json};
use uuid::Uuid;

/// The rule behind a change, named on every event it writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    pub automation_id: Uuid,
    pub name: String,
    pub position: i64,
    /// How many rule-made events led here.
    pub depth: i64,
}

impl Cause {
    pub fn json(&self) -> Value {
        json!({"id": self.automation_id, "name": self.name, "position": self.position, "depth": self.depth})
    }
}

/// How a change reached the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A person or an API key, through the JSON API or the web app.
    Request,
    /// An automation rule, in the worker.
    Rule(Cause),
    /// A monitoring or RMM alert.
    Monitoring,
    /// An inbound email.
    Email,
    /// The helpdesk itself (the SLA sweep, maintenance).
    System,
}

/// The tenant context (workspace, principal, role) and the way the change came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub ctx: TenantCtx,
    pub via: Via,
}

impl Actor {
    /// A person or key making a request.
    pub fn request(ctx: TenantCtx) -> Self {
        Self {
            ctx,
            via: Via::Request,
        }
    }

    /// A rule acting in `ctx` (the system's context of the rule's workspace).
    pub fn rule(ctx: TenantCtx, cause: Cause) -> Self {
        Self {
            ctx,
            via: Via::Rule(cause),
        }
    }

    pub fn cause(&self) -> Option<&Cause> {
        match &self.via {
            Via::Rule(c) => Some(c),
            _ => None,
        }
    }

    /// The channel a ticket opened by this actor records.
    pub fn channel(&self) -> &'static str {
        match (&self.via, self.ctx.actor) {
            (Via::Request, Principal::ApiKey(_)) => "api",
            (Via::Request, _) => "web",
            (Via::Monitoring, _) => "alert",
            (Via::Email, _) => "email",
            (Via::Rule(_) | Via::System, _) => "system",
        }
    }

    pub fn is_staff(&self) -> bool {
        self.ctx.role.is_staff()
    }
}
