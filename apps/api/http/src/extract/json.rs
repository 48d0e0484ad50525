//! `ValidatedJson<T>`: JSON bodies that must have the right content type, parse, carry no
//! unknown fields (`#[serde(deny_unknown_fields)]` on every request type) and pass `garde`.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};

#[derive(Debug, Clone)]
pub struct ValidatedJson<T>(pub T);

impl<S, T> FromRequest<S> for ValidatedJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + garde::Validate<Context = ()>,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = json_body(req, state).await?;
        let value = parse::<T>(&bytes)?;
        validate(&value)?;
        Ok(ValidatedJson(value))
    }
}

/// A [`ValidatedJson`] that also keeps the SHA-256 of the raw body, for idempotency keys.
#[derive(Debug, Clone)]
pub struct HashedJson<T> {
    pub value: T,
    pub sha256: String,
}

impl<S, T> FromRequest<S> for HashedJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + garde::Validate<Context = ()>,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = json_body(req, state).await?;
        let value = parse::<T>(&bytes)?;
        validate(&value)?;
        Ok(HashedJson {
            value,
            sha256: crate::auth::opaque::hash_bytes(&bytes),
        })
    }
}

/// The body of a JSON request: 415 for another content type, 413 beyond the limit.
async fn json_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json"
                    || (mime.starts_with("application/") && mime.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
    }
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::Malformed("could not read the request body".into())
        }
    })
}

/// Syntax errors are 400; well-formed JSON of the wrong shape is 422 naming the field.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let field = if path == "." { String::new() } else { path };
                let message = strip_position(&inner.to_string());
                let field = if field.is_empty() {
                    unknown_field_name(&message).unwrap_or_default()
                } else {
                    field
                };
                ApiError::Validation(vec![FieldError::new(field, message)])
            }
            _ => ApiError::Malformed(format!(
                "malformed JSON: {}",
                strip_position(&inner.to_string())
            )),
        }
    })
}

pub fn validate<T: garde::Validate<Context = ()>>(value: &T) -> Result<(), ApiError> {
    value.validate().map_err(|report| {
        ApiError::Validation(
            report
                .iter()
                .map(|(path, err)| FieldError::new(path.to_string(), err.message().to_string()))
                .collect(),
        )
    })
}

fn strip_position(msg: &str) -> String {
    msg.split(" at line ").next().unwrap_or(msg).to_owned()
}

/// The field named by serde's "unknown field `x`" or "missing field `x`".
fn unknown_field_name(msg: &str) -> Option<String> {
    let rest = msg
        .strip_prefix("unknown field `")
        .or_else(|| msg.strip_prefix("missing field `"))?;
    rest.split('`').next().map(str::to_owned)
}
