//! A delivery report about our own mail: linked to the outgoing message it names (a DSN
//! quotes the original's headers, our Message-ID among them), and, when delivery failed
//! for good, the recipient is marked bouncing so nothing more is sent there until it
//! writes to us again. The report itself changes nothing else (it is `IGNORED`).

use helpdesk_domain::TenantCtx;
use helpdesk_storage::repo::bounces;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::error::ServiceResult;

/// The outbox ids in our Message-IDs found in `raw`: `<{id}.hd-…@helpdesk>`,
/// `<{id}.note.hd-…@helpdesk>` and `<{id}@helpdesk>`.
fn our_ids(raw: &str) -> Vec<Uuid> {
    let mut out = Vec::new();
    for part in raw.split('<').skip(1) {
        let Some(id) = part.split('>').next() else {
            continue;
        };
        if !id.ends_with("@helpdesk") {
            continue;
        }
        let head = id.split(['.', '@']).next().unwrap_or_default();
        if let Ok(u) = Uuid::parse_str(head)
            && !out.contains(&u)
        {
            out.push(u);
        }
    }
    out
}

/// Whether the report says delivery failed for good (RFC 3464 `Action: failed`, or a
/// 5.x.x status), rather than that it is delayed.
fn permanent(raw: &str) -> bool {
    raw.lines().any(|l| {
        let l = l.trim().to_ascii_lowercase();
        l.starts_with("action: failed") || l.starts_with("status: 5.")
    })
}

/// Links the report in `raw` to our message and marks its recipient; the recipient, if
/// one of the workspace's messages is named.
pub async fn record(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    raw: &[u8],
    now: i64,
) -> ServiceResult<Option<String>> {
    let raw = String::from_utf8_lossy(raw);
    for id in our_ids(&raw) {
        if let Some(recipient) = bounces::mark(db, ctx, id, now).await? {
            if permanent(&raw) {
                bounces::record(db, ctx, &recipient, id, now).await?;
            }
            return Ok(Some(recipient));
        }
    }
    Ok(None)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn finds_our_message_ids_only() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let raw = format!(
            "Message-ID: <{}.hd-abc-def@helpdesk>\r\nIn-Reply-To: <x@client.test>\r\n\
             References: <{b}@helpdesk> <{}.note.hd-1-2@helpdesk>",
            a.simple(),
            a.simple()
        );
        assert_eq!(our_ids(&raw), [a, b]);
        assert!(our_ids("<nope@helpdesk> <1234@client.test>").is_empty());
    }

    #[test]
    fn failures_not_delays() {
        assert!(permanent(
            "Final-Recipient: rfc822; x@y\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        ));
        assert!(!permanent("Action: delayed\r\nStatus: 4.4.7\r\n"));
    }
}
