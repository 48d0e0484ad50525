//! The one error type of the application layer. Adapters translate it: the JSON API to
//! problem+json, the web app to messages on fields, the worker to retry or skip.

use helpdesk_storage::StoreError;
use serde::Serialize;

use crate::tickets::brief::TicketBrief;

/// One invalid field of an input, named by its path (`subject`, `targets[0].minutes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Credentials that do not identify anyone (a wrong password, a spent token).
    #[error("missing, invalid or expired credentials")]
    Unauthorized,
    /// The actor's role may not do this.
    #[error("not allowed for this role")]
    Forbidden,
    /// Absent, or in another workspace: the two are never told apart.
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    /// The email belongs to several workspaces and none was named.
    #[error("the email belongs to several workspaces: name one")]
    WorkspaceRequired,
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The status machine (or a closed ticket) forbids the change.
    #[error("{0}")]
    InvalidTransition(String),
    /// Resolving or closing a parent whose child tickets are still open (listed; empty
    /// for a customer, who may not see them).
    #[error("the ticket has open child tickets: resolve them first, or resolve them with it")]
    ChildrenOpen(Vec<TicketBrief>),
    /// The ticket was merged into another: that one takes the conversation now.
    #[error("this ticket was merged into #{}: write there", .0.number)]
    Merged(TicketBrief),
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    /// The database cannot be reached now; the caller may retry.
    #[error("the service is temporarily unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ServiceError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        ServiceError::Internal(Box::new(e))
    }

    /// An impossible state found in stored data.
    pub fn corrupt(what: impl Into<String>) -> Self {
        ServiceError::Internal(what.into().into())
    }

    /// A closed ticket takes no change.
    pub fn closed_ticket() -> Self {
        ServiceError::InvalidTransition(
            "a closed ticket cannot change; open a follow-up ticket".into(),
        )
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ServiceError::NotFound,
            StoreError::Conflict(what) => {
                ServiceError::Conflict(format!("{what} already exists or is in use"))
            }
            StoreError::Unavailable(_) => ServiceError::Unavailable,
            StoreError::Db(e) => ServiceError::internal(e),
            StoreError::Corrupt(what) => ServiceError::Internal(what.into()),
        }
    }
}

impl From<sea_orm::DbErr> for ServiceError {
    fn from(e: sea_orm::DbErr) -> Self {
        StoreError::from(e).into()
    }
}
