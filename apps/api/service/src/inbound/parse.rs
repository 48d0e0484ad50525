//! Raw MIME to what intake decides on: the sender, recipients, subject, the text, the
//! references that may name a ticket, and the headers that tell noise from people.
//! mail-parser does the MIME work (encodings, charsets, encoded words, HTML to text).

use helpdesk_domain::Email;
use helpdesk_domain::inbound::NoiseFacts;
use mail_parser::{Address, HeaderValue, Message, MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

use super::files::{MailFile, files};

/// Longest subject kept for a ticket.
const SUBJECT_MAX: usize = 250;

/// A message as intake sees it.
#[derive(Debug, Clone)]
pub struct ParsedMail {
    pub message_id: Option<String>,
    /// The sender, if its address is valid.
    pub from: Option<Email>,
    pub from_name: Option<String>,
    /// `To` and `Cc`, lower-cased.
    pub recipients: Vec<String>,
    pub subject: String,
    /// The text body (HTML-only mail converted to text).
    pub text: String,
    /// The HTML body as sent (sanitised only when stored), when the mail has one.
    pub html: Option<String>,
    /// `Message-ID`, `In-Reply-To` and `References`, joined: where signed ticket
    /// references are looked for first.
    pub references: String,
    pub noise: NoiseFacts,
    /// Attachments and inline images.
    pub files: Vec<MailFile>,
}

/// The key that makes one row of the same message arriving twice: its Message-ID and
/// the bytes after the header (transport headers such as `Received` differ per delivery).
pub fn dedup_key(raw: &[u8]) -> String {
    let split = find(raw, b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| find(raw, b"\n\n").map(|i| i + 2));
    let mut h = Sha256::new();
    match (split, message_id_of(raw)) {
        (Some(at), Some(id)) => {
            h.update(id.as_bytes());
            h.update([0]);
            h.update(&raw[at..]);
        }
        _ => h.update(raw),
    }
    hex::encode(h.finalize())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn message_id_of(raw: &[u8]) -> Option<String> {
    let msg = MessageParser::default().parse_headers(raw)?;
    msg.message_id().map(str::to_owned)
}

/// Parses `raw`; `None` when it has none of the headers every mail has (the parser makes
/// a message of any bytes).
pub fn parse(raw: &[u8]) -> Option<ParsedMail> {
    let msg = MessageParser::default().parse(raw)?;
    let mail_like = msg.from().is_some()
        || msg.to().is_some()
        || msg.subject().is_some()
        || msg.message_id().is_some()
        || msg.date().is_some();
    if !mail_like {
        return None;
    }
    let (from, from_name) = sender(&msg);
    let mut recipients: Vec<String> = addresses(msg.to()).chain(addresses(msg.cc())).collect();
    recipients.dedup();
    let subject = msg.subject().unwrap_or("").trim();
    let subject: String = subject.chars().take(SUBJECT_MAX).collect();
    let text = body_text(&msg);
    let mut references = String::new();
    for v in [msg.in_reply_to(), msg.references()] {
        push_ids(&mut references, v);
    }
    let noise = NoiseFacts {
        auto_submitted: raw_header(&msg, "Auto-Submitted"),
        precedence: raw_header(&msg, "Precedence"),
        auto_response_suppress: raw_header(&msg, "X-Auto-Response-Suppress"),
        autoreply_header: [
            "X-Autoreply",
            "X-Autorespond",
            "X-Autoreply-From",
            "X-Mail-Autoreply",
        ]
        .iter()
        .any(|h| msg.header_raw(*h).is_some()),
        list_header: msg.header_raw("List-Id").is_some()
            || msg.header_raw("List-Unsubscribe").is_some(),
        content_type: content_type(&msg),
        from: from
            .as_ref()
            .map(|e| e.as_str().to_owned())
            .unwrap_or_default(),
        null_return_path: raw_header(&msg, "Return-Path").is_some_and(|v| v.trim() == "<>"),
        ours: false,
    };
    Some(ParsedMail {
        message_id: msg.message_id().map(str::to_owned),
        from,
        from_name,
        recipients,
        subject,
        text,
        html: msg
            .html_part(0)
            .filter(|p| p.is_text_html())
            .and_then(|_| msg.body_html(0))
            .map(|h| h.into_owned()),
        references,
        noise,
        files: files(&msg),
    })
}

fn sender(msg: &Message<'_>) -> (Option<Email>, Option<String>) {
    let Some(addr) = msg.from().and_then(Address::first) else {
        return (None, None);
    };
    let email = addr.address().and_then(|a| Email::parse(a).ok());
    let name = addr
        .name()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    (email, name)
}

fn addresses<'a>(a: Option<&'a Address<'a>>) -> impl Iterator<Item = String> + 'a {
    a.into_iter()
        .flat_map(|a| a.iter())
        .filter_map(|addr| addr.address())
        .map(str::to_lowercase)
}

fn raw_header(msg: &Message<'_>, name: &str) -> Option<String> {
    msg.header_raw(name).map(|v| v.trim().to_owned())
}

fn content_type(msg: &Message<'_>) -> String {
    msg.root_part()
        .content_type()
        .map(|ct| match ct.subtype() {
            Some(sub) => format!("{}/{}", ct.ctype(), sub),
            None => ct.ctype().to_owned(),
        })
        .unwrap_or_else(|| "text/plain".into())
        .to_ascii_lowercase()
}

fn push_ids(out: &mut String, v: &HeaderValue<'_>) {
    match v {
        HeaderValue::Text(t) => {
            out.push_str(t);
            out.push(' ');
        }
        HeaderValue::TextList(list) => {
            for t in list {
                out.push_str(t);
                out.push(' ');
            }
        }
        _ => {}
    }
}

/// The first text body, or the first HTML body as text; never longer than a message may be.
fn body_text(msg: &Message<'_>) -> String {
    let text = msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    let text = text.replace("\r\n", "\n");
    text.trim().to_owned()
}
