//! A ticket's conversation as pages show it (console and portal alike): each message with
//! its author, its kind (public reply or internal note), its time, and quoted history
//! folded away; and the audit timeline in words.

use askama::Template;
use axum::response::Response;
use helpdesk_service::paging::PageRequest;
use helpdesk_service::people::Names;
use helpdesk_service::tickets::{EventOut, MessageOut};
use helpdesk_storage::repo::tickets::TicketRef;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::Value;

use super::attachments::{FileView, files_of};
use crate::display::{When, when};
use crate::error::WebError;
use crate::render::html;
use crate::session::SignedIn;
use crate::state::WebState;

/// The messages of ticket `number` as `me` may see them (oldest first, the first 100),
/// each with its files, and the files sent with the ticket itself.
pub async fn messages_of(
    state: &WebState,
    me: &SignedIn,
    number: i64,
) -> Result<(Vec<MessageView>, Vec<FileView>), WebError> {
    let svc = &state.service;
    let page = PageRequest {
        limit: Some(100),
        cursor: None,
    };
    let messages = svc
        .messages(&me.actor, TicketRef::Number(number), page)
        .await?;
    let mut users: Vec<_> = messages.items.iter().filter_map(|m| m.author_id).collect();
    users.sort_by_key(|u| u.as_uuid());
    users.dedup();
    let names = svc.names(&me.actor, &users, &[]).await?;
    let tz = crate::display::zone_of(me);
    let now = svc.clock.now();
    let mut views: Vec<MessageView> = messages
        .items
        .iter()
        .map(|m| MessageView::new(m, &names, now, &tz))
        .collect();
    let files = files_of(state, me, number).await?;
    let own = with_files(&mut views, files);
    Ok((views, own))
}

/// Puts each file under its message; returns the ticket's own files (sent with it).
pub fn with_files(messages: &mut [MessageView], files: Vec<FileView>) -> Vec<FileView> {
    let mut own = Vec::new();
    for f in files {
        match messages
            .iter_mut()
            .find(|m| Some(&m.id) == f.message_id.as_ref())
        {
            Some(m) => m.files.push(f),
            None if f.message_id.is_none() => own.push(f),
            None => {}
        }
    }
    own
}

#[derive(Template)]
#[template(path = "partials/messages.html")]
struct MessagesFragment {
    messages: Vec<MessageView>,
}

/// The conversation alone, for the page's live updates.
pub async fn fragment(state: &WebState, me: &SignedIn, number: i64) -> Result<Response, WebError> {
    html(&MessagesFragment {
        messages: messages_of(state, me, number).await?.0,
    })
}

/// A run of a message's text: its own words, or quoted history (lines starting `>`).
#[derive(Debug, Clone)]
pub struct Part {
    pub quoted: bool,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct MessageView {
    pub id: String,
    pub author: String,
    pub staff: bool,
    pub internal: bool,
    pub at: When,
    pub parts: Vec<Part>,
    /// Files sent with this message.
    pub files: Vec<FileView>,
    /// Copied by a merge from this ticket (its number, when known).
    pub origin: Option<i64>,
    /// Staff may split this public message off into a ticket of its own: where to post
    /// it, and the form's CSRF token.
    pub split: Option<(String, String)>,
}

impl MessageView {
    pub fn new(m: &MessageOut, names: &Names, now: Timestamp, tz: &TimeZone) -> Self {
        let person = m.author_id.and_then(|a| names.user(a));
        Self {
            id: m.id.to_string(),
            author: person.map_or_else(|| "Automation".to_owned(), |p| p.name.clone()),
            staff: person.is_none_or(|p| p.staff),
            internal: m.internal,
            at: when(&m.created_at, now, tz),
            parts: parts_of(&m.body, m.quoted_from),
            files: Vec::new(),
            origin: None,
            split: None,
        }
    }
}

/// The runs of a message: when intake found where a mail's quoted history starts
/// (an "On … wrote:" line, Outlook's header block), everything from there folds as one.
fn parts_of(body: &str, quoted_from: Option<i64>) -> Vec<Part> {
    let at = quoted_from
        .and_then(|q| usize::try_from(q).ok())
        .filter(|q| *q > 0 && body.is_char_boundary(*q));
    match at {
        Some(q) => {
            let mut parts = split_quotes(body[..q].trim_end());
            parts.push(Part {
                quoted: true,
                text: body[q..].trim_end().to_owned(),
            });
            parts
        }
        None => split_quotes(body),
    }
}

/// Splits `body` into runs of own text and of quoted lines.
pub fn split_quotes(body: &str) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    for line in body.lines() {
        let quoted = line.trim_start().starts_with('>');
        match parts.last_mut() {
            Some(p) if p.quoted == quoted => {
                p.text.push('\n');
                p.text.push_str(line);
            }
            _ => parts.push(Part {
                quoted,
                text: line.to_owned(),
            }),
        }
    }
    parts
}

/// One line of the audit timeline.
#[derive(Debug, Clone)]
pub struct EventView {
    pub who: String,
    pub what: String,
    pub at: When,
}

impl EventView {
    pub fn new(e: &EventOut, names: &Names, now: Timestamp, tz: &TimeZone) -> Self {
        let who = match (e.actor_id, e.actor_api_key_id) {
            (Some(u), _) => names
                .user(u)
                .map_or_else(|| "Someone".to_owned(), |p| p.name.clone()),
            (None, Some(_)) => "An API key".to_owned(),
            (None, None) => "Helpdesk".to_owned(),
        };
        Self {
            who,
            what: describe(&e.kind, &e.changes),
            at: when(&e.created_at, now, tz),
        }
    }
}

/// An event in words: "changed status from NEW to OPEN", "added an internal note".
pub fn describe(kind: &str, changes: &Value) -> String {
    match kind {
        "ticket.created" => "created the ticket".into(),
        "message.created" => "replied".into(),
        "note.created" => "added an internal note".into(),
        "time_entry.created" => "logged time".into(),
        "attachment.created" => "attached a file".into(),
        "ticket.merged" => format!(
            "merged #{} into this ticket ({} messages, {} files)",
            changes["merged_from"]["number"], changes["messages"], changes["attachments"]
        ),
        "ticket.split" => match changes.get("into") {
            Some(into) => format!("split a message off into #{}", into["number"]),
            None => format!(
                "opened this ticket from a message of #{}",
                changes["split_from"]["number"]
            ),
        },
        "link.created" | "link.deleted" => {
            let what = match changes["kind"].as_str() {
                Some("PARENT") => "its parent",
                Some("CHILD") => "a child ticket",
                _ => "a related ticket",
            };
            let n = &changes["ticket"]["number"];
            if kind == "link.created" {
                format!("linked #{n} as {what}")
            } else {
                format!("unlinked #{n} ({what})")
            }
        }
        "ticket.updated" if changes.get("merged_into").is_some() => format!(
            "merged this ticket into #{}",
            changes["merged_into"][1]["number"]
        ),
        "ticket.updated" => {
            let mut parts = Vec::new();
            if let Some(map) = changes.as_object() {
                for (field, v) in map {
                    if let Some([old, new]) = v.as_array().map(Vec::as_slice) {
                        parts.push(format!(
                            "{} from {} to {}",
                            field.replace('_', " "),
                            plain(old),
                            plain(new)
                        ));
                    }
                }
            }
            if parts.is_empty() {
                "updated the ticket".into()
            } else {
                format!("changed {}", parts.join(", "))
            }
        }
        other => other.replace(['.', '_'], " "),
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::Null => "nothing".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let list: Vec<String> = items.iter().map(plain).collect();
            if list.is_empty() {
                "none".into()
            } else {
                list.join(", ")
            }
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_fold_into_their_own_parts() {
        let parts = split_quotes("Thanks!\n> old line 1\n> old line 2\nBye");
        let kinds: Vec<bool> = parts.iter().map(|p| p.quoted).collect();
        assert_eq!(kinds, [false, true, false]);
        assert_eq!(parts[1].text, "> old line 1\n> old line 2");
    }

    #[test]
    fn history_found_by_intake_folds_whole() {
        let body = "Still broken.\n\nOn Fri, Carol wrote:\nold text\n> older";
        let parts = parts_of(body, Some(15));
        assert!(body[15..].starts_with("On Fri"));
        let kinds: Vec<bool> = parts.iter().map(|p| p.quoted).collect();
        assert_eq!(kinds, [false, true]);
        assert_eq!(parts[0].text, "Still broken.");
        assert!(parts[1].text.starts_with("On Fri") && parts[1].text.ends_with("> older"));
        // An offset that is not on a character boundary is ignored, not a panic.
        assert_eq!(parts_of("é", Some(1)).len(), 1);
    }

    #[test]
    fn updates_read_as_sentences() {
        let s = describe(
            "ticket.updated",
            &json!({"status": ["NEW", "OPEN"], "actor_id": "x"}),
        );
        assert_eq!(s, "changed status from NEW to OPEN");
        assert_eq!(
            describe("note.created", &json!({})),
            "added an internal note"
        );
    }
}
