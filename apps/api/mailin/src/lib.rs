//! Email intake adapters: the IMAP fetcher and the SMTP/LMTP listener. Both only accept
//! mail: they hand each raw message to the service, which stores it with its processing
//! job in one transaction, and acknowledge it (IMAP flag, move or delete; SMTP `250`) only
//! after that. Parsing, threading and tickets are the service's, in the job.

pub mod imap;
pub mod smtp;

pub use imap::{FetchSettings, Probe};
