//! The files a received message carries — attachments, inline images without a
//! `Content-Disposition`, `winmail.dat` as it is — become the attachments of the ticket or
//! message it makes. A file over the attachment limit is not stored apart; the message
//! says so, and the raw message keeps it.

use std::collections::HashMap;

use bytes::Bytes;
use helpdesk_domain::{MessageId, TenantCtx, TicketId};
use helpdesk_storage::repo::attachments::{self, NewAttachment};
use mail_parser::{Message, MimeHeaders};
use sea_orm::DatabaseTransaction;
use sha2::{Digest, Sha256};

use crate::Service;
use crate::attachments::content::{checked_content_type, clean_filename};
use crate::error::{ServiceError, ServiceResult};

/// The largest file kept as an attachment, as for uploads.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

#[derive(Clone)]
pub struct MailFile {
    /// The `Content-ID` an HTML body names it by (`cid:`), without brackets.
    pub content_id: Option<String>,
    pub filename: String,
    pub content_type: String,
    pub bytes: Bytes,
}

impl std::fmt::Debug for MailFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailFile")
            .field("content_id", &self.content_id)
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("size", &self.bytes.len())
            .finish()
    }
}

/// Every file part of `msg`, with a clean name and a type its bytes do not contradict.
pub fn files(msg: &Message<'_>) -> Vec<MailFile> {
    msg.attachments()
        .map(|part| {
            let declared = part.content_type().map(|ct| match ct.subtype() {
                Some(sub) => format!("{}/{}", ct.ctype(), sub),
                None => ct.ctype().to_owned(),
            });
            let bytes = part.contents().to_vec();
            let name = part
                .attachment_name()
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    let ext = declared
                        .as_deref()
                        .and_then(|d| d.split_once('/'))
                        .map_or("bin", |(_, sub)| sub);
                    format!("inline.{ext}")
                });
            let content_type = checked_content_type(declared.as_deref(), &bytes)
                .unwrap_or_else(|_| "application/octet-stream".to_owned());
            MailFile {
                content_id: part
                    .content_id()
                    .map(|c| c.trim_matches(['<', '>']).to_owned()),
                filename: clean_filename(&name),
                content_type,
                bytes: Bytes::from(bytes),
            }
        })
        .collect()
}

/// `text` with a line for each file too large to keep apart.
pub fn with_notices(text: &str, files: &[MailFile]) -> String {
    let mut out = text.to_owned();
    for f in files.iter().filter(|f| f.bytes.len() > MAX_FILE_BYTES) {
        let mb = f.bytes.len() as f64 / (1024.0 * 1024.0);
        out.push_str(&format!(
            "\n\n[The attachment \"{}\" ({mb:.1} MB) is over the {} MB limit; it is kept in the received message.]",
            f.filename,
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    out
}

impl Service {
    /// Stores the files within the limit and records them on `ticket` (and `message`);
    /// returns where the app serves each file a Content-ID names, for the HTML body.
    pub(super) async fn attach_mail_files(
        &self,
        tx: &DatabaseTransaction,
        ctx: &TenantCtx,
        ticket: TicketId,
        message: Option<MessageId>,
        files: &[MailFile],
        now: i64,
    ) -> ServiceResult<HashMap<String, String>> {
        let mut images = HashMap::new();
        for f in files.iter().filter(|f| f.bytes.len() <= MAX_FILE_BYTES) {
            let sha256 = hex::encode(Sha256::digest(&f.bytes));
            // Content-addressed: a retry stores nothing new, and a blob whose row is rolled
            // back is only an orphan.
            self.blobs
                .put(&sha256, f.bytes.clone())
                .await
                .map_err(ServiceError::internal)?;
            let new = NewAttachment {
                message_id: message,
                filename: f.filename.clone(),
                content_type: f.content_type.clone(),
                size: i64::try_from(f.bytes.len()).unwrap_or(i64::MAX),
                sha256,
            };
            let stored = attachments::create(tx, ctx, ticket, new, now).await?;
            if let Some(cid) = &f.content_id {
                images.insert(cid.clone(), format!("/attachments/{}", stored.id));
            }
        }
        Ok(images)
    }
}
