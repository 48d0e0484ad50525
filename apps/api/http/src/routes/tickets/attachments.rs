//! Attachments: multipart upload to a ticket (optionally to one of its messages) and
//! download by whoever may see that ticket and message.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use helpdesk_domain::{AttachmentId, MessageId};
use helpdesk_service::Actor;
pub use helpdesk_service::attachments::AttachmentOut;
use helpdesk_service::attachments::Upload;
use helpdesk_storage::repo::tickets::TicketRef;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Authed, Id};
use crate::state::AppState;

/// The multipart form of an upload, for the OpenAPI document.
#[derive(Debug, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// Attach to this message of the ticket.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub message_id: Option<String>,
}

async fn read_form(state: &AppState, mut form: Multipart) -> ApiResult<Upload> {
    let mut file = None;
    let mut message_id = None;
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::Malformed(e.body_text())
        }
    };
    while let Some(field) = form.next_field().await.map_err(too_large)? {
        match field.name() {
            Some("file") => {
                let filename = field.file_name().unwrap_or("attachment").to_owned();
                let declared = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(too_large)?;
                if bytes.len() > state.settings.attachment_limit {
                    return Err(ApiError::PayloadTooLarge);
                }
                file = Some((filename, declared, bytes));
            }
            Some("message_id") => {
                let raw = field.text().await.map_err(too_large)?;
                message_id = Some(
                    raw.trim()
                        .parse::<MessageId>()
                        .map_err(|_| ApiError::invalid("message_id", "is not an id"))?,
                );
            }
            other => {
                return Err(ApiError::invalid(
                    other.unwrap_or("form"),
                    "unknown form field",
                ));
            }
        }
    }
    let (filename, declared_type, bytes) =
        file.ok_or_else(|| ApiError::invalid("file", "is required"))?;
    Ok(Upload {
        filename,
        declared_type,
        bytes,
        message_id,
    })
}

#[utoipa::path(post, path = "/tickets/{id}/attachments", tag = "tickets",
    params(("id" = String, Path, description = "the ticket's id or number")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentOut), (status = 404, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<AttachmentOut>)> {
    let actor = Actor::request(authed.ctx);
    // Find the ticket first: a foreign or invisible ticket is 404 before any upload work.
    state.service.upload_target(&actor, r).await?;
    let form = form.map_err(|e| {
        ApiError::Malformed(format!(
            "expected a multipart/form-data body: {}",
            e.body_text()
        ))
    })?;
    let up = read_form(&state, form).await?;
    let out = state.service.attach(&actor, r, up).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// The ticket's attachments that the caller may see.
#[utoipa::path(get, path = "/tickets/{id}/attachments", tag = "tickets",
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 200, body = Vec<AttachmentOut>), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_attachments(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
) -> ApiResult<Json<Vec<AttachmentOut>>> {
    let out = state
        .service
        .attachments(&Actor::request(authed.ctx), r)
        .await?;
    Ok(Json(out))
}

/// Served as a download (`Content-Disposition: attachment`, `nosniff`); active content
/// types are served as `application/octet-stream` so a browser never runs them.
#[utoipa::path(get, path = "/attachments/{id}", tag = "tickets",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn download(
    State(state): State<AppState>,
    authed: Authed,
    Id(id): Id<AttachmentId>,
) -> ApiResult<Response> {
    let d = state
        .service
        .download(&Actor::request(authed.ctx), id)
        .await?;
    let a = &d.attachment;
    let ascii: String = a
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = a
        .filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut res = d.bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&d.served_type).map_err(ApiError::internal)?,
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(ApiError::internal)?,
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}
