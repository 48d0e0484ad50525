//! Attachments on the ticket pages: files sent with a reply or a new ticket, the list
//! under each message (images previewed), and downloads with the session cookie.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use helpdesk_domain::{AttachmentId, MessageId};
use helpdesk_service::ServiceError;
use helpdesk_service::attachments::{AttachmentOut, Upload};
use helpdesk_storage::repo::tickets::TicketRef;

use crate::error::WebError;
use crate::session::{Member, SignedIn};
use crate::state::WebState;
use crate::upload::File;

/// An attachment as a page lists it.
#[derive(Debug, Clone)]
pub struct FileView {
    pub url: String,
    pub filename: String,
    pub size: String,
    pub image: bool,
    pub message_id: Option<String>,
}

impl From<AttachmentOut> for FileView {
    fn from(a: AttachmentOut) -> Self {
        let image = matches!(
            a.content_type.as_str(),
            "image/png" | "image/jpeg" | "image/gif" | "image/webp"
        );
        Self {
            url: format!("/attachments/{}", a.id),
            size: human_size(a.size),
            image,
            message_id: a.message_id.map(|m| m.to_string()),
            filename: a.filename,
        }
    }
}

fn human_size(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} B"),
    }
}

/// The ticket's attachments `me` may see.
pub async fn files_of(
    state: &WebState,
    me: &SignedIn,
    number: i64,
) -> Result<Vec<FileView>, WebError> {
    let list = state
        .service
        .attachments(&me.actor, TicketRef::Number(number))
        .await?;
    Ok(list.into_iter().map(FileView::from).collect())
}

/// Attaches `files` to ticket `number` (to `message` when given); returns what could not
/// be attached, and why, in words.
pub async fn attach_all(
    state: &WebState,
    me: &SignedIn,
    number: i64,
    message: Option<MessageId>,
    files: Vec<File>,
) -> Result<Vec<String>, WebError> {
    let mut failed = Vec::new();
    for f in files {
        let up = Upload {
            filename: f.filename.clone(),
            declared_type: f.content_type,
            bytes: f.bytes,
            message_id: message,
        };
        match state
            .service
            .attach(&me.actor, TicketRef::Number(number), up)
            .await
        {
            Ok(_) => {}
            Err(ServiceError::Validation(list)) => {
                let why: Vec<String> = list.into_iter().map(|e| e.message).collect();
                failed.push(format!("{} ({})", f.filename, why.join("; ")));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(failed)
}

/// `/attachments/{id}`: the bytes, for whoever may see the ticket and its message. Images
/// show inline (previews); everything else downloads.
pub async fn download(
    State(state): State<WebState>,
    Member(_, me): Member,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: AttachmentId = id.parse().map_err(|_| WebError::NotFound)?;
    let d = state.service.download(&me.actor, id).await?;
    let inline = matches!(
        d.served_type.as_str(),
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    );
    let name: String = d
        .attachment
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "{}; filename=\"{name}\"",
        if inline { "inline" } else { "attachment" }
    );
    let mut res = d.bytes.into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&d.served_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}
