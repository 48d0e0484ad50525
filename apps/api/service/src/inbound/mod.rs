//! Email in: every channel (the HTTP intake now; IMAP and SMTP/LMTP later) only stores
//! the raw message with its job and acknowledges; the job parses, classifies, threads and
//! writes the ticket or message in one transaction that marks the message processed.

mod admin;
mod bounce;
mod files;
mod html;
mod listener;
pub(crate) mod parse;
mod policy;
mod process;
pub(crate) mod receive;
mod route;
mod sender;
mod view;
mod write;

pub use admin::InboundFilter;
pub use files::{MAX_FILE_BYTES, MailFile};
pub use listener::Recipient;
pub use parse::{ParsedMail, dedup_key, parse};
pub use receive::{MAX_RAW_BYTES, Receipt};
pub use view::InboundOut;

/// The reason a released message carries back to `PENDING`: its job skips the check
/// that quarantined it.
pub(crate) const RELEASED: &str = "released";
