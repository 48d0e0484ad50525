//! Forms that may carry files (the composer, a new request): `multipart/form-data` with the
//! CSRF token checked like any form, or a plain urlencoded form without files (browsers
//! without JavaScript send either).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;

use crate::csrf;
use crate::error::WebError;
use crate::form::Posted;
use crate::session::Visit;
use crate::state::WebState;

/// A file as the browser sent it.
#[derive(Debug, Clone)]
pub struct File {
    pub filename: String,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

/// The text fields of a form (CSRF checked) and its non-empty files.
#[derive(Debug)]
pub struct WithFiles {
    pub fields: Vec<(String, String)>,
    pub files: Vec<File>,
}

impl FromRequest<WebState> for WithFiles {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &WebState) -> Result<Self, WebError> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let Posted(fields) = Posted::<Vec<(String, String)>>::from_request(req, state).await?;
            return Ok(WithFiles {
                fields,
                files: Vec::new(),
            });
        }
        let visit = req
            .extensions()
            .get::<Arc<Visit>>()
            .cloned()
            .ok_or_else(|| WebError::internal("the session layer is missing"))?;
        let header_token = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut form = Multipart::from_request(req, state)
            .await
            .map_err(|e| WebError::BadForm(e.body_text()))?;
        let mut token = header_token;
        let mut fields = Vec::new();
        let mut files = Vec::new();
        let limit = state.settings.attachment_limit;
        while let Some(field) = form.next_field().await.map_err(|_| {
            WebError::BadForm(format!(
                "a file is larger than {} MiB",
                limit / (1024 * 1024)
            ))
        })? {
            let name = field.name().unwrap_or("").to_owned();
            if let Some(filename) = field.file_name().map(str::to_owned) {
                let content_type = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(|_| {
                    WebError::BadForm(format!(
                        "a file is larger than {} MiB",
                        limit / (1024 * 1024)
                    ))
                })?;
                if !filename.is_empty() && !bytes.is_empty() {
                    files.push(File {
                        filename,
                        content_type,
                        bytes,
                    });
                }
            } else {
                let value = field
                    .text()
                    .await
                    .map_err(|_| WebError::BadForm("the form could not be read".into()))?;
                if name == "csrf" {
                    token = Some(value);
                } else {
                    fields.push((name, value));
                }
            }
        }
        if !token.is_some_and(|t| csrf::matches(&t, &visit.csrf)) {
            return Err(WebError::Csrf);
        }
        Ok(WithFiles { fields, files })
    }
}
