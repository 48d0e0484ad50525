//! What goes wrong, as the person at the browser sees it: a page saying what happened and
//! what to do next. Causes of server errors are logged (with the request's id, from the
//! request span), never shown.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use helpdesk_service::ServiceError;

use crate::render::{Chrome, see_other};

#[derive(Debug)]
pub enum WebError {
    Service(ServiceError),
    /// Absent, another workspace's, or a page the visitor's role has not: never told apart.
    NotFound,
    /// A state change without the visit's token, or from another site.
    Csrf,
    BadForm(String),
    /// Not signed in: sign in, then come back to `next`.
    SignIn {
        next: String,
    },
}

impl WebError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        WebError::Service(ServiceError::Internal(e.to_string().into()))
    }
}

impl From<ServiceError> for WebError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => WebError::NotFound,
            other => WebError::Service(other),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    title: &'static str,
    message: String,
}

fn page(status: StatusCode, title: &'static str, message: impl Into<String>) -> Response {
    let t = ErrorPage {
        chrome: Chrome::bare(),
        title,
        message: message.into(),
    };
    let body = t.render().unwrap_or_else(|_| title.to_owned());
    let mut res = (status, axum::response::Html(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The fallback for paths that are no page.
pub async fn not_found() -> Response {
    WebError::NotFound.into_response()
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound => page(
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is nothing here, or you do not have access to it. Check the address, or go back to your tickets.",
            ),
            WebError::Csrf => page(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "For your safety the form could not be sent. Go back, reload the page and try again.",
            ),
            WebError::BadForm(why) => page(
                StatusCode::BAD_REQUEST,
                "The form could not be read",
                format!("Go back and try again. ({why})"),
            ),
            WebError::SignIn { next } => {
                let to = format!("/login?next={}", encode(&next));
                see_other(&to)
            }
            WebError::Service(e) => service_page(e),
        }
    }
}

fn service_page(e: ServiceError) -> Response {
    match e {
        ServiceError::Unauthorized => see_other("/login"),
        ServiceError::NotFound | ServiceError::Forbidden => WebError::NotFound.into_response(),
        ServiceError::RateLimited { retry_after_secs } => {
            let mut res = page(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many attempts",
                format!("Please wait {retry_after_secs} seconds and try again."),
            );
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
        ServiceError::Unavailable => page(
            StatusCode::SERVICE_UNAVAILABLE,
            "Temporarily unavailable",
            "The helpdesk cannot reach its database right now. Try again in a moment.",
        ),
        ServiceError::Conflict(m) | ServiceError::InvalidTransition(m) => {
            page(StatusCode::CONFLICT, "That change could not be made", m)
        }
        e @ (ServiceError::ChildrenOpen(_) | ServiceError::Merged(_)) => page(
            StatusCode::CONFLICT,
            "That change could not be made",
            e.to_string(),
        ),
        ServiceError::WorkspaceRequired => page(
            StatusCode::CONFLICT,
            "Choose a workspace",
            "This email belongs to several workspaces.",
        ),
        ServiceError::Validation(errors) => {
            let list: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect();
            page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Some fields need attention",
                list.join("; "),
            )
        }
        ServiceError::Internal(cause) => {
            tracing::error!(error = %cause, "web page failed");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "The problem has been logged. Try again; if it keeps happening, tell your administrator.",
            )
        }
    }
}

/// Percent-encodes a path for a query parameter.
pub fn encode(s: &str) -> String {
    serde_html_form::to_string([("", s)])
        .map(|q| q.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}
