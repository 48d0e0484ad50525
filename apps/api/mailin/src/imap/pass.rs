//! One fetch: open the folder, find the messages past the stored position, store each
//! (with the new position, in one transaction) and only then acknowledge it on the server
//! as the mailbox says. The position, never the `\Seen` flag, says what is new.

use std::collections::HashMap;

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

/// One command's worth of messages: at most this many …
const CHUNK_MESSAGES: usize = 50;
/// … and about this many bytes (a message over it goes alone).
const CHUNK_BYTES: u64 = 8 * 1024 * 1024;

fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Each message's size, by UID.
async fn sizes(session: &mut ImapSession, uids: &[u32]) -> Result<HashMap<u32, u32>, ConnectError> {
    let stream = timed(
        "fetch",
        session.uid_fetch(uid_set(uids), "(UID RFC822.SIZE)"),
    )
    .await?;
    let fetched: Vec<Fetch> = timed("fetch", stream.try_collect()).await?;
    Ok(fetched
        .iter()
        .filter_map(|f| Some((f.uid?, f.size.unwrap_or(0))))
        .collect())
}

/// The next messages to fetch in one command: a message too large to import goes alone.
fn next_chunk<'a>(uids: &'a [u32], sizes: &HashMap<u32, u32>) -> &'a [u32] {
    let size = |u: &u32| u64::from(sizes.get(u).copied().unwrap_or(0));
    let mut bytes = 0;
    let mut n = 0;
    for uid in uids.iter().take(CHUNK_MESSAGES) {
        let s = size(uid);
        if s > u64::from(MAX_BYTES) || (n > 0 && bytes + s > CHUNK_BYTES) {
            break;
        }
        bytes += s;
        n += 1;
    }
    &uids[..n.max(1)]
}

/// The bodies (or only the headers) of `uids`, by UID; one that is gone (expunged by
/// another client meanwhile) is missing.
async fn bodies(
    session: &mut ImapSession,
    uids: &[u32],
    header_only: bool,
) -> Result<HashMap<u32, Vec<u8>>, ConnectError> {
    let query = if header_only {
        "(UID BODY.PEEK[HEADER])"
    } else {
        "(UID BODY.PEEK[])"
    };
    let stream = timed("fetch", session.uid_fetch(uid_set(uids), query)).await?;
    let fetches: Vec<Fetch> = timed("fetch", stream.try_collect()).await?;
    Ok(fetches
        .iter()
        .filter_map(|f| {
            let raw = if header_only { f.header() } else { f.body() };
            Some((f.uid?, raw?.to_vec()))
        })
        .collect())
}

/// Marks, moves or deletes the messages `uids` once they are stored.
async fn acknowledge(
    session: &mut ImapSession,
    account: &FetchAccount,
    uids: &[u32],
) -> Result<(), ConnectError> {
    if uids.is_empty() {
        return Ok(());
    }
    let uid = uid_set(uids);
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
    let sizes = if uids.is_empty() {
        HashMap::new()
    } else {
        sizes(session, &uids).await?
    };
    let mut rest = uids.as_slice();
    while !rest.is_empty() {
        let chunk = next_chunk(rest, &sizes);
        rest = &rest[chunk.len()..];
        let size = sizes.get(&chunk[0]).copied().unwrap_or(0);
        let too_large = size > MAX_BYTES;
        let mut fetched = bodies(session, chunk, too_large).await?;
        let mut stored = Vec::with_capacity(chunk.len());
        for &uid in chunk {
            let Some(raw) = fetched.remove(&uid) else {
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
                break;
            }
            account.uidvalidity = Some(uidvalidity);
            account.last_uid = Some(uid);
            latest = latest.max(uid);
            pass.stored += 1;
            stored.push(uid);
        }
        // Only what is stored is acknowledged; a message too large stays as it is.
        if !too_large {
            acknowledge(session, account, &stored).await?;
        }
        if pass.lease_lost {
            return Ok(pass);
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
