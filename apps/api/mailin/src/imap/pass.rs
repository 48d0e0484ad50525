//! One fetch: open the folder, find the messages past the stored position, store each
//! (with the new position, in one transaction) and only then acknowledge it on the server
//! as the mailbox says. The position, never the `\Seen` flag, says what is new.

use async_imap::types::Fetch;
use futures::TryStreamExt;
use helpdesk_domain::mailbox::AfterImport;
use helpdesk_service::Service;
use helpdesk_service::mail_fetch::{FetchAccount, Fetched};

use super::connect::{ConnectError, ImapSession, timed};

/// Larger messages are recorded (header only, `FAILED`) and left on the server.
const MAX_BYTES: u32 = 25 * 1024 * 1024;

/// What a pass did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Pass {
    pub stored: u32,
    /// Whether the lease was lost meanwhile: the fetcher must stop.
    pub lease_lost: bool,
}

fn fail(stage: &'static str, e: impl std::fmt::Display) -> ConnectError {
    ConnectError {
        stage,
        message: e.to_string(),
    }
}

/// The UIDs to import, ascending, and the position to record once they are: the first
/// fetch takes what is unread and starts after the rest; a changed UIDVALIDITY rescans
/// the folder (content already stored is recognised and not imported again).
async fn plan(
    session: &mut ImapSession,
    account: &FetchAccount,
    uidvalidity: u32,
    uid_next: Option<u32>,
) -> Result<(Vec<u32>, u32), ConnectError> {
    let query = match (account.uidvalidity, account.last_uid) {
        (Some(v), Some(last)) if v == uidvalidity => format!("UID {}:*", last.saturating_add(1)),
        (Some(_), _) => "ALL".to_owned(),
        (None, _) => "UNSEEN".to_owned(),
    };
    let found = timed("fetch", session.uid_search(&query)).await?;
    let floor = match (account.uidvalidity, account.last_uid) {
        (Some(v), Some(last)) if v == uidvalidity => last,
        _ => 0,
    };
    // `n:*` always names the highest UID, even below n.
    let mut uids: Vec<u32> = found.into_iter().filter(|u| *u > floor).collect();
    uids.sort_unstable();
    // A first fetch or a rescan has seen the folder up to UIDNEXT: start after it.
    let baseline = match account.uidvalidity {
        Some(v) if v == uidvalidity => floor,
        _ => uid_next.map_or(0, |n| n.saturating_sub(1)),
    };
    Ok((uids, baseline))
}

async fn sizes(session: &mut ImapSession, uids: &[u32]) -> Result<Vec<Fetch>, ConnectError> {
    let set = uids
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let stream = timed("fetch", session.uid_fetch(set, "(UID RFC822.SIZE)")).await?;
    timed("fetch", stream.try_collect::<Vec<_>>()).await
}

async fn body(
    session: &mut ImapSession,
    uid: u32,
    header_only: bool,
) -> Result<Option<Vec<u8>>, ConnectError> {
    let query = if header_only {
        "(UID BODY.PEEK[HEADER])"
    } else {
        "(UID BODY.PEEK[])"
    };
    let stream = timed("fetch", session.uid_fetch(uid.to_string(), query)).await?;
    let fetches: Vec<Fetch> = timed("fetch", stream.try_collect()).await?;
    Ok(fetches
        .iter()
        .find(|f| f.uid == Some(uid))
        .and_then(|f| if header_only { f.header() } else { f.body() })
        .map(<[u8]>::to_vec))
}

/// Marks, moves or deletes message `uid` once it is stored.
async fn acknowledge(
    session: &mut ImapSession,
    account: &FetchAccount,
    uid: u32,
) -> Result<(), ConnectError> {
    let uid = uid.to_string();
    match account.after_import {
        AfterImport::Keep => {}
        AfterImport::Seen => {
            let s = timed(
                "acknowledge",
                session.uid_store(&uid, "+FLAGS.SILENT (\\Seen)"),
            )
            .await?;
            timed("acknowledge", s.try_collect::<Vec<_>>()).await?;
        }
        AfterImport::Move => {
            let to = account.move_to.as_deref().unwrap_or("Archive");
            timed("acknowledge", session.uid_mv(&uid, to)).await?;
        }
        AfterImport::Delete => {
            let s = timed(
                "acknowledge",
                session.uid_store(&uid, "+FLAGS.SILENT (\\Deleted)"),
            )
            .await?;
            timed("acknowledge", s.try_collect::<Vec<_>>()).await?;
            let s = timed("acknowledge", session.uid_expunge(&uid)).await?;
            timed("acknowledge", s.try_collect::<Vec<_>>()).await?;
        }
    }
    Ok(())
}

/// Fetches what is new in the account's folder.
pub async fn run(
    service: &Service,
    session: &mut ImapSession,
    account: &mut FetchAccount,
    owner: &str,
) -> Result<Pass, ConnectError> {
    let folder = timed("select", session.select(&account.folder)).await?;
    let uidvalidity = folder
        .uid_validity
        .ok_or_else(|| fail("select", "the server gave no UIDVALIDITY"))?;
    let (uids, baseline) = plan(session, account, uidvalidity, folder.uid_next).await?;
    let mut pass = Pass::default();
    let mut latest = baseline;
    let listed = if uids.is_empty() {
        Vec::new()
    } else {
        sizes(session, &uids).await?
    };
    for uid in uids {
        let size = listed
            .iter()
            .find(|f| f.uid == Some(uid))
            .and_then(|f| f.size)
            .unwrap_or(0);
        let too_large = size > MAX_BYTES;
        // Gone meanwhile (another client expunged it): nothing to import.
        let Some(raw) = body(session, uid, too_large).await? else {
            continue;
        };
        let msg = Fetched {
            uidvalidity,
            uid,
            raw,
            too_large: too_large.then_some(u64::from(size)),
        };
        let held = service
            .store_fetched(account, owner, msg)
            .await
            .map_err(|e| fail("store", e))?;
        if !held {
            pass.lease_lost = true;
            return Ok(pass);
        }
        account.uidvalidity = Some(uidvalidity);
        account.last_uid = Some(uid);
        latest = latest.max(uid);
        pass.stored += 1;
        if !too_large {
            acknowledge(session, account, uid).await?;
        }
    }
    let position = latest;
    if account.uidvalidity != Some(uidvalidity) || account.last_uid != Some(position) {
        let held = service
            .mailbox_synced(account, owner, uidvalidity, position)
            .await
            .map_err(|e| fail("store", e))?;
        pass.lease_lost = !held;
        account.uidvalidity = Some(uidvalidity);
        account.last_uid = Some(position);
    }
    Ok(pass)
}
