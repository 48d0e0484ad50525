//! The one error type of the API, rendered as RFC 9457 `application/problem+json` with a
//! stable machine `code`. Causes of 5xx are logged (inside the request span, so with its
//! request id) and never sent to the client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use helpdesk_storage::StoreError;
use serde::Serialize;

pub use helpdesk_service::FieldError;
use helpdesk_service::ServiceError;
use helpdesk_service::tickets::brief::TicketBrief;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Malformed(String),
    #[error("missing, invalid or expired credentials")]
    Unauthorized,
    #[error("not allowed for this role")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("the email belongs to several workspaces: name one")]
    WorkspaceRequired,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    InvalidTransition(String),
    #[error("the ticket has open child tickets: resolve them first, or resolve them with it")]
    ChildrenOpen(Vec<TicketBrief>),
    #[error("this ticket was merged into #{}: write there", .0.number)]
    Merged(TicketBrief),
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    #[error("the service is temporarily unavailable; retry shortly")]
    Unavailable,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The problem document, as documented in the OpenAPI spec.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
    /// `children_open`: the open child tickets (empty for a customer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<TicketBrief>>,
    /// `ticket_merged`: the ticket this one was merged into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<TicketBrief>,
}

impl ApiError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        ApiError::Internal(Box::new(e))
    }

    /// A database error: 503 when the database cannot be reached, else 500.
    pub fn db(e: sea_orm::DbErr) -> Self {
        StoreError::from(e).into()
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed_request"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::WorkspaceRequired => (StatusCode::CONFLICT, "workspace_required"),
            ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            ApiError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            ApiError::InvalidTransition(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_transition")
            }
            ApiError::ChildrenOpen(_) => (StatusCode::CONFLICT, "children_open"),
            ApiError::Merged(_) => (StatusCode::CONFLICT, "ticket_merged"),
            ApiError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    pub fn code(&self) -> &'static str {
        self.status_and_code().1
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict(what) => {
                ApiError::Conflict(format!("{what} already exists or is in use"))
            }
            StoreError::Unavailable(e) => {
                tracing::warn!(error = %e, "database unavailable");
                ApiError::Unavailable
            }
            StoreError::Db(e) => ApiError::internal(e),
            StoreError::Corrupt(what) => ApiError::Internal(what.into()),
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Unauthorized => ApiError::Unauthorized,
            ServiceError::Forbidden => ApiError::Forbidden,
            ServiceError::NotFound => ApiError::NotFound,
            ServiceError::Conflict(m) => ApiError::Conflict(m),
            ServiceError::WorkspaceRequired => ApiError::WorkspaceRequired,
            ServiceError::Validation(errors) => ApiError::Validation(errors),
            ServiceError::InvalidTransition(m) => ApiError::InvalidTransition(m),
            ServiceError::ChildrenOpen(c) => ApiError::ChildrenOpen(c),
            ServiceError::Merged(t) => ApiError::Merged(t),
            ServiceError::RateLimited { retry_after_secs } => {
                ApiError::RateLimited { retry_after_secs }
            }
            ServiceError::Unavailable => ApiError::Unavailable,
            ServiceError::Internal(cause) => ApiError::Internal(cause),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let ApiError::Internal(cause) = &self {
            tracing::error!(error = %cause, "request failed");
        }
        let title = status.canonical_reason().unwrap_or("Error").to_owned();
        let retry_after = match &self {
            ApiError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            ApiError::Unavailable => Some(2),
            _ => None,
        };
        let detail = match &self {
            ApiError::Validation(_) => "one or more fields are invalid".to_owned(),
            ApiError::Internal(_) => "an internal error occurred".to_owned(),
            other => other.to_string(),
        };
        let (mut errors, mut children, mut merged_into) = (None, None, None);
        match self {
            ApiError::Validation(e) => errors = Some(e),
            ApiError::ChildrenOpen(c) => children = Some(c),
            ApiError::Merged(t) => merged_into = Some(t),
            _ => {}
        }
        let problem = Problem {
            kind: format!("/problems/{code}"),
            title,
            status: status.as_u16(),
            detail,
            code,
            errors,
            children,
            merged_into,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        res
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
