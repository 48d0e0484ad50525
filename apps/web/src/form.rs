//! Posted forms: the CSRF token is checked against the visit's, then the other fields are
//! parsed into the handler's type (unknown fields refused), and field errors from the
//! service are kept by field name for the template.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use helpdesk_service::FieldError;
use serde::de::DeserializeOwned;

use crate::csrf;
use crate::error::WebError;
use crate::session::Visit;
use crate::state::WebState;

/// A form body of type `T`, its CSRF token checked.
#[derive(Debug)]
pub struct Posted<T>(pub T);

/// Forms are small; a message body is at most 64 KiB.
const FORM_LIMIT: usize = 256 * 1024;

impl<T: DeserializeOwned> FromRequest<WebState> for Posted<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &WebState) -> Result<Self, WebError> {
        let visit = req
            .extensions()
            .get::<Arc<Visit>>()
            .cloned()
            .ok_or_else(|| WebError::internal("the session layer is missing"))?;
        let form_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !form_type {
            return Err(WebError::BadForm("expected a form".into()));
        }
        let header_token = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = axum::body::to_bytes(req.into_body(), FORM_LIMIT)
            .await
            .map_err(|_| WebError::BadForm("the form is too large".into()))?;
        let _ = state;
        parse(&body, header_token.as_deref(), &visit.csrf).map(Posted)
    }
}

fn parse<T: DeserializeOwned>(
    body: &Bytes,
    header: Option<&str>,
    expected: &str,
) -> Result<T, WebError> {
    let pairs: Vec<(String, String)> = serde_html_form::from_bytes(body)
        .map_err(|_| WebError::BadForm("the form could not be read".into()))?;
    let mut token = header.map(str::to_owned);
    let mut rest = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        if k == "csrf" {
            token = Some(v);
        } else {
            rest.push((k, v));
        }
    }
    if !token.is_some_and(|t| csrf::matches(&t, expected)) {
        return Err(WebError::Csrf);
    }
    let encoded = serde_html_form::to_string(&rest)
        .map_err(|_| WebError::BadForm("the form could not be read".into()))?;
    serde_html_form::from_str(&encoded).map_err(|e| WebError::BadForm(e.to_string()))
}

/// A form with nothing but its CSRF token (a button that does one thing).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

/// Field errors by field name, for a form template; `summary` lists them in order.
#[derive(Debug, Clone, Default)]
pub struct Errors {
    by_field: HashMap<String, String>,
    /// `(field, "Label: message")` in the order the service reported them.
    pub summary: Vec<(String, String)>,
    /// An error about the whole form (wrong password, rate limit).
    pub general: Option<String>,
}

impl Errors {
    /// The service's field errors, summarised with the form's labels.
    pub fn fields(list: Vec<FieldError>, labels: &[(&str, &str)]) -> Self {
        let label = |f: &str| {
            labels
                .iter()
                .find(|(name, _)| *name == f)
                .map_or_else(|| f.replace('_', " "), |(_, l)| (*l).to_owned())
        };
        Self {
            summary: list
                .iter()
                .map(|e| {
                    (
                        e.field.clone(),
                        format!("{}: {}", label(&e.field), e.message),
                    )
                })
                .collect(),
            by_field: list.into_iter().map(|e| (e.field, e.message)).collect(),
            general: None,
        }
    }

    pub fn general(message: impl Into<String>) -> Self {
        Self {
            general: Some(message.into()),
            ..Self::default()
        }
    }

    /// The message for `field`, or "".
    pub fn get(&self, field: &str) -> &str {
        self.by_field.get(field).map_or("", String::as_str)
    }

    pub fn has(&self, field: &str) -> bool {
        self.by_field.contains_key(field)
    }

    pub fn any(&self) -> bool {
        self.general.is_some() || !self.summary.is_empty()
    }
}
