//! Signed references to a ticket, carried by the mail we send so replies find their
//! ticket: in the Message-ID (`<outbox-id.hd-TICKET-SIG@helpdesk>`, echoed back in
//! `In-Reply-To` and `References`) and as a token in the body, for mail systems that drop
//! those headers. The signature covers the workspace and the ticket, so a reference cannot
//! be forged, nor carried into another workspace.

use std::fmt;

use uuid::Uuid;

use crate::keys::{self, hmac_sha256 as digest};

/// Hex digits of the signature: 80 bits.
const SIG_HEX: usize = 20;
const PREFIX: &str = "hd-";
/// `hd-` + 32 hex + `-` + signature.
const TOKEN_LEN: usize = PREFIX.len() + 32 + 1 + SIG_HEX;

/// The key that signs references; derived from the server's secret.
#[derive(Clone)]
pub struct ThreadKey([u8; 32]);

impl fmt::Debug for ThreadKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ThreadKey(…)")
    }
}

impl ThreadKey {
    /// A key derived from `secret` for this purpose only.
    pub fn derive(secret: &[u8]) -> Self {
        Self(keys::derive(secret, "helpdesk thread references v1"))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The token naming `ticket` of `workspace`: `hd-<ticket hex>-<signature>`.
    pub fn token(&self, workspace: Uuid, ticket: Uuid) -> String {
        format!(
            "{PREFIX}{}-{}",
            ticket.simple(),
            self.signature(workspace, ticket)
        )
    }

    /// The first ticket of `workspace` that a token in `text` names with a valid signature.
    pub fn find(&self, workspace: Uuid, text: &str) -> Option<Uuid> {
        candidates(text).find_map(|(ticket, sig)| {
            let want = self.signature(workspace, ticket);
            // Both are lower-case hex of fixed length: compare without an early exit.
            let same = want.len() == sig.len()
                && want
                    .bytes()
                    .zip(sig.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0;
            same.then_some(ticket)
        })
    }

    fn signature(&self, workspace: Uuid, ticket: Uuid) -> String {
        let mut input = Vec::with_capacity(40);
        input.extend_from_slice(workspace.as_bytes());
        input.extend_from_slice(ticket.as_bytes());
        let full = digest(&self.0, &input);
        hex::encode(full)[..SIG_HEX].to_owned()
    }
}

/// Every well-formed `hd-<32 hex>-<sig>` in `text`, signatures lower-cased.
fn candidates(text: &str) -> impl Iterator<Item = (Uuid, String)> + '_ {
    text.match_indices(PREFIX).filter_map(move |(at, _)| {
        let token = text.get(at..at + TOKEN_LEN)?;
        let hex_part = &token[PREFIX.len()..PREFIX.len() + 32];
        let sig = &token[PREFIX.len() + 33..];
        let dash = token.as_bytes()[PREFIX.len() + 32];
        let hexy = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
        if dash != b'-' || !hexy(hex_part) || !hexy(sig) {
            return None;
        }
        let ticket = Uuid::parse_str(hex_part).ok()?;
        Some((ticket, sig.to_ascii_lowercase()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_its_ticket_in_its_workspace_only() {
        let key = ThreadKey::derive(b"secret");
        let (ws, other_ws, ticket) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let token = key.token(ws, ticket);
        let message_id = format!("<0190aa.{token}@helpdesk>");
        assert_eq!(key.find(ws, &message_id), Some(ticket));
        assert_eq!(
            key.find(
                ws,
                &format!(
                    "Thanks!\n\n[{}]",
                    token.to_uppercase().replace("HD-", "hd-")
                )
            ),
            Some(ticket)
        );
        assert_eq!(key.find(other_ws, &message_id), None);
        assert_eq!(ThreadKey::derive(b"other").find(ws, &message_id), None);
    }

    #[test]
    fn a_forged_or_truncated_token_names_nothing() {
        let key = ThreadKey::derive(b"secret");
        let (ws, ticket) = (Uuid::now_v7(), Uuid::now_v7());
        let token = key.token(ws, ticket);
        let mut forged = token.clone();
        forged.replace_range(
            token.len() - 1..,
            if token.ends_with('0') { "1" } else { "0" },
        );
        assert_eq!(key.find(ws, &forged), None);
        assert_eq!(key.find(ws, &token[..token.len() - 1]), None);
        let other_ticket = key.token(ws, Uuid::now_v7());
        let spliced = format!("{}{}", &other_ticket[..35], &token[35..]);
        assert_eq!(key.find(ws, &spliced), None);
    }
}
