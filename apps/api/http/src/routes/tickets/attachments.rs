//! Attachments: multipart upload to a ticket (optionally to one of its messages) and
//! download by whoever may see that ticket and message.

use axum::Json;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use helpdesk_domain::{AttachmentId, MessageId, TicketId};
use helpdesk_storage::repo::attachments::{self, Attachment, NewAttachment};
use helpdesk_storage::repo::events::{self, NewEvent};
use helpdesk_storage::repo::messages;
use helpdesk_storage::repo::tickets::{self, TicketRef};
use serde::Serialize;
use serde_json::json;

use crate::auth::opaque::hash_bytes;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Authed, Id};
use crate::live::LiveEvent;
use crate::routes::common::rfc3339;
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttachmentOut {
    pub id: AttachmentId,
    pub ticket_id: TicketId,
    pub message_id: Option<MessageId>,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// Where to download it.
    pub url: String,
    pub created_at: String,
}

impl From<Attachment> for AttachmentOut {
    fn from(a: Attachment) -> Self {
        Self {
            id: AttachmentId::from_uuid(a.id),
            ticket_id: TicketId::from_uuid(a.ticket_id),
            message_id: a.message_id.map(MessageId::from_uuid),
            url: format!("/api/v1/attachments/{}", a.id),
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
            created_at: rfc3339(a.created_at),
        }
    }
}

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

/// The last path segment, without control characters, at most 255 characters.
fn clean_filename(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = base.chars().filter(|c| !c.is_control()).take(255).collect();
    let name = name.trim().trim_start_matches('.').to_owned();
    if name.is_empty() {
        "attachment".to_owned()
    } else {
        name
    }
}

/// A declared `type/subtype` that the bytes do not contradict.
fn checked_content_type(declared: Option<&str>, bytes: &[u8]) -> ApiResult<String> {
    let declared = declared
        .unwrap_or("application/octet-stream")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let valid = declared.split_once('/').is_some_and(|(t, s)| {
        !t.is_empty()
            && !s.is_empty()
            && declared
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/.+-_".contains(c))
    });
    if !valid {
        return Err(ApiError::invalid("file", "has no valid content type"));
    }
    if let Some(kind) = infer::get(bytes) {
        let sniffed = kind.mime_type();
        let generic = declared == "application/octet-stream";
        let same_family = sniffed.split('/').next() == declared.split('/').next();
        if !generic && !same_family && !sniffed.starts_with("application/") {
            return Err(ApiError::invalid(
                "file",
                format!("content looks like {sniffed}, not {declared}"),
            ));
        }
        if !generic && declared.starts_with("image/") && !sniffed.starts_with("image/") {
            return Err(ApiError::invalid(
                "file",
                format!("content looks like {sniffed}, not {declared}"),
            ));
        }
    }
    Ok(declared)
}

struct Upload {
    filename: String,
    content_type: String,
    bytes: Bytes,
    message_id: Option<MessageId>,
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
                let filename = clean_filename(field.file_name().unwrap_or("attachment"));
                let declared = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(too_large)?;
                if bytes.len() > state.settings.attachment_limit {
                    return Err(ApiError::PayloadTooLarge);
                }
                let content_type = checked_content_type(declared.as_deref(), &bytes)?;
                file = Some((filename, content_type, bytes));
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
    let (filename, content_type, bytes) =
        file.ok_or_else(|| ApiError::invalid("file", "is required"))?;
    Ok(Upload {
        filename,
        content_type,
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
    let ctx = authed.ctx;
    // Find the ticket first: a foreign or invisible ticket is 404 before any upload work.
    let t = tickets::get(state.store.read(), &ctx, r).await?;
    let form = form.map_err(|e| {
        ApiError::Malformed(format!(
            "expected a multipart/form-data body: {}",
            e.body_text()
        ))
    })?;
    let up = read_form(&state, form).await?;
    let ticket_id = TicketId::from_uuid(t.id);
    let mut internal = false;
    if let Some(m) = up.message_id {
        let msg = messages::get(state.store.read(), &ctx, ticket_id, m)
            .await
            .map_err(|_| ApiError::invalid("message_id", "no such message on this ticket"))?;
        if msg.internal && !ctx.role.is_staff() {
            return Err(ApiError::invalid(
                "message_id",
                "no such message on this ticket",
            ));
        }
        internal = msg.internal;
    }
    let sha256 = hash_bytes(&up.bytes);
    let size = i64::try_from(up.bytes.len()).unwrap_or(i64::MAX);
    state
        .blobs
        .put(&sha256, up.bytes)
        .await
        .map_err(ApiError::internal)?;
    let now = state.now();
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let row = attachments::create(
        &tx,
        &ctx,
        ticket_id,
        NewAttachment {
            message_id: up.message_id,
            filename: up.filename,
            content_type: up.content_type,
            size,
            sha256,
        },
        now,
    )
    .await?;
    let event = events::record(
        &tx,
        &ctx,
        NewEvent {
            ticket_id,
            kind: "attachment.created",
            changes: json!({ "attachment_id": row.id, "filename": row.filename, "size": row.size }),
            message_id: up.message_id,
            internal,
        },
        now,
    )
    .await?;
    tx.commit().await.map_err(ApiError::db)?;
    state
        .events
        .publish(vec![LiveEvent::new(&event, t.number, t.requester_id)])
        .await;
    Ok((StatusCode::CREATED, Json(row.into())))
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
    let db = state.store.read();
    let t = tickets::get(db, &authed.ctx, r).await?;
    let ticket_id = TicketId::from_uuid(t.id);
    let rows = attachments::for_ticket(db, &authed.ctx, ticket_id).await?;
    let mut out = Vec::with_capacity(rows.len());
    let visible =
        messages::for_ticket(db, &authed.ctx, ticket_id, authed.ctx.role.is_staff()).await?;
    for a in rows {
        if a.message_id
            .is_none_or(|m| visible.iter().any(|v| v.id == m))
        {
            out.push(a.into());
        }
    }
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
    let ctx = authed.ctx;
    let db = state.store.read();
    let a = attachments::get(db, &ctx, id).await?;
    let ticket_id = TicketId::from_uuid(a.ticket_id);
    tickets::get(db, &ctx, TicketRef::Id(ticket_id)).await?;
    if let Some(m) = a.message_id {
        let msg = messages::get(db, &ctx, ticket_id, MessageId::from_uuid(m)).await?;
        if msg.internal && !ctx.role.is_staff() {
            return Err(ApiError::NotFound);
        }
    }
    let bytes = state
        .blobs
        .get(&a.sha256)
        .await
        .map_err(ApiError::internal)?;
    let active = [
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/javascript",
        "application/javascript",
        "text/xml",
        "application/xml",
    ];
    let served = if active.contains(&a.content_type.as_str()) {
        "application/octet-stream"
    } else {
        a.content_type.as_str()
    };
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
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(served).map_err(ApiError::internal)?,
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
