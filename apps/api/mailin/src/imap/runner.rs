//! One mailbox's fetcher: holds the lease, keeps one connection, fetches, then waits for
//! new mail with IDLE (re-issued well before the server's 30-minute limit) or by polling,
//! renewing the lease as it waits. Errors put the mailbox in its error state and back off;
//! they never reach another mailbox's fetcher.

use std::time::{Duration, Instant};

use async_imap::extensions::idle::IdleResponse;
use helpdesk_service::Service;
use helpdesk_service::mail_fetch::{FetchAccount, ImapAuth};
use tokio::sync::watch;

use super::FetchSettings;
use super::connect::{self, ConnectError, Credential, ImapSession, timed};
use super::oauth::{self, AccessToken};
use super::pass;

/// Why a fetcher stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum Stop {
    /// Another process holds the lease, or the mailbox is gone or inactive.
    LeaseLost,
    /// An admin changed the mailbox: start again with its new settings.
    Changed,
    Shutdown,
}

/// Runs the fetcher of `account` (whose lease `owner` holds) until it must stop.
pub async fn run(
    service: Service,
    http: reqwest::Client,
    mut account: FetchAccount,
    owner: String,
    settings: FetchSettings,
    mut stop: watch::Receiver<bool>,
) -> Stop {
    let id = account.mailbox_id;
    let mut token: Option<AccessToken> = None;
    let mut failures: u32 = 0;
    loop {
        let outcome = session(
            &service,
            &http,
            &mut account,
            &owner,
            &settings,
            &mut token,
            &mut stop,
            &mut failures,
        )
        .await;
        let error = match outcome {
            Ok(Some(stop)) => return stop,
            // Signed out to renew the OAuth2 token: sign in again at once.
            Ok(None) => continue,
            Err(e) => e,
        };
        tracing::warn!(mailbox_id = %id, error = %error, "fetching mail failed");
        if let Err(e) = service.fetch_failed(id, &error.to_string()).await {
            tracing::error!(mailbox_id = %id, error = %e, "recording a fetch error failed");
        }
        if error.stage == "token" || error.stage == "login" {
            token = None;
        }
        failures = failures.saturating_add(1);
        let delay = backoff(&settings, failures);
        let until = Instant::now() + delay;
        // Keep the lease while backing off, so the mailbox does not hop between replicas.
        while Instant::now() < until {
            let step = settings
                .renew
                .min(until.saturating_duration_since(Instant::now()));
            if wait(&mut stop, step).await {
                return Stop::Shutdown;
            }
            if let Some(stop) = renew(&service, &mut account, &owner, &settings).await {
                return stop;
            }
        }
    }
}

fn backoff(settings: &FetchSettings, failures: u32) -> Duration {
    let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(10));
    settings
        .retry
        .saturating_mul(factor)
        .min(settings.max_retry)
}

/// Sleeps `d`; true when asked to stop meanwhile.
async fn wait(stop: &mut watch::Receiver<bool>, d: Duration) -> bool {
    if *stop.borrow() {
        return true;
    }
    tokio::select! {
        _ = tokio::time::sleep(d) => false,
        _ = stop.changed() => true,
    }
}

/// Renews the lease; `Some` when the fetcher must stop.
async fn renew(
    service: &Service,
    account: &mut FetchAccount,
    owner: &str,
    settings: &FetchSettings,
) -> Option<Stop> {
    match service
        .renew_mailbox_lease(account.mailbox_id, owner, settings.lease)
        .await
    {
        Ok(Some(version)) if version != account.version => Some(Stop::Changed),
        Ok(Some(_)) => None,
        Ok(None) => Some(Stop::LeaseLost),
        // The database is away: keep going, the lease outlives a short outage.
        Err(e) => {
            tracing::warn!(mailbox_id = %account.mailbox_id, error = %e, "lease renewal failed");
            None
        }
    }
}

async fn sign_in(
    service: &Service,
    http: &reqwest::Client,
    account: &mut FetchAccount,
    token: &mut Option<AccessToken>,
    trust: &connect::Trust,
) -> Result<ImapSession, ConnectError> {
    if matches!(account.auth, ImapAuth::OAuth2 { .. })
        && !token.as_ref().is_some_and(AccessToken::fresh)
    {
        *token = oauth::renew(service, http, account).await?;
    }
    let client = connect::connect(account, trust).await?;
    let credential = match (&account.auth, token.as_ref()) {
        (ImapAuth::Password(p), _) => Credential::Password(p),
        (ImapAuth::OAuth2 { .. }, Some(t)) => Credential::Bearer(&t.token),
        (ImapAuth::OAuth2 { .. }, None) => {
            return Err(ConnectError {
                stage: "token",
                message: "no access token".into(),
            });
        }
    };
    connect::login(client, account, credential).await
}

#[allow(clippy::too_many_arguments)]
/// One connection's life: sign in, fetch, wait, fetch… `Ok(Some)` when the fetcher must
/// stop, `Ok(None)` to sign in again (a new OAuth2 token).
async fn session(
    service: &Service,
    http: &reqwest::Client,
    account: &mut FetchAccount,
    owner: &str,
    settings: &FetchSettings,
    token: &mut Option<AccessToken>,
    stop: &mut watch::Receiver<bool>,
    failures: &mut u32,
) -> Result<Option<Stop>, ConnectError> {
    let mut session = sign_in(service, http, account, token, &settings.trust).await?;
    let idle = timed("login", session.capabilities())
        .await?
        .has_str("IDLE");
    loop {
        let done = pass::run(service, &mut session, account, owner).await?;
        if done.lease_lost {
            return Ok(Some(Stop::LeaseLost));
        }
        if done.stored > 0 {
            tracing::info!(mailbox_id = %account.mailbox_id, stored = done.stored, "mail fetched");
        }
        *failures = 0;
        if let Err(e) = service.fetch_succeeded(account.mailbox_id).await {
            tracing::warn!(mailbox_id = %account.mailbox_id, error = %e, "recording a fetch failed");
        }
        // An OAuth2 token about to expire: sign in again with a new one.
        if token.as_ref().is_some_and(|t| !t.fresh()) {
            let _ = timed("logout", session.logout()).await;
            return Ok(None);
        }
        let waited = if idle {
            let expiring = token.as_ref().map(AccessToken::renew_at);
            wait_idle(session, service, account, owner, settings, stop, expiring).await?
        } else {
            wait_poll(session, service, account, owner, settings, stop).await?
        };
        match waited {
            Waited::NewMail(s) => session = s,
            Waited::Stop(stop) => return Ok(Some(stop)),
        }
    }
}

enum Waited {
    NewMail(ImapSession),
    Stop(Stop),
}

/// Polling: NOOP keeps the connection alive; the next pass looks for new UIDs.
async fn wait_poll(
    mut session: ImapSession,
    service: &Service,
    account: &mut FetchAccount,
    owner: &str,
    settings: &FetchSettings,
    stop: &mut watch::Receiver<bool>,
) -> Result<Waited, ConnectError> {
    let until = Instant::now() + settings.poll;
    while Instant::now() < until {
        let step = settings
            .renew
            .min(until.saturating_duration_since(Instant::now()));
        if wait(stop, step).await {
            let _ = timed("logout", session.logout()).await;
            return Ok(Waited::Stop(Stop::Shutdown));
        }
        if let Some(why) = renew(service, account, owner, settings).await {
            let _ = timed("logout", session.logout()).await;
            return Ok(Waited::Stop(why));
        }
    }
    timed("poll", session.noop()).await?;
    Ok(Waited::NewMail(session))
}

/// IDLE: the server tells us of new mail; every `renew` the lease is renewed while
/// idling, and the IDLE is re-issued after `idle_max` (servers drop it at 30 minutes) or
/// when the OAuth2 token is due for renewal.
async fn wait_idle(
    session: ImapSession,
    service: &Service,
    account: &mut FetchAccount,
    owner: &str,
    settings: &FetchSettings,
    stop: &mut watch::Receiver<bool>,
    token_renew_at: Option<Instant>,
) -> Result<Waited, ConnectError> {
    let mut handle = session.idle();
    timed("idle", handle.init()).await?;
    let started = Instant::now();
    let why = loop {
        let (response, _interrupt) = handle.wait_with_timeout(settings.renew);
        let response = tokio::select! {
            r = response => r.map_err(|e| ConnectError { stage: "idle", message: e.to_string() })?,
            _ = stop.changed() => break Some(Stop::Shutdown),
        };
        match response {
            IdleResponse::NewData(_) => break None,
            IdleResponse::ManualInterrupt => break None,
            IdleResponse::Timeout => {
                if let Some(why) = renew(service, account, owner, settings).await {
                    break Some(why);
                }
                // Re-issued before the server's limit; and before an OAuth2 token
                // expires, since some providers end sessions with their token.
                let token_due = token_renew_at.is_some_and(|t| Instant::now() >= t);
                if started.elapsed() >= settings.idle_max || token_due {
                    break None;
                }
            }
        }
    };
    let mut session = timed("idle", handle.done()).await?;
    match why {
        Some(why) => {
            let _ = timed("logout", session.logout()).await;
            Ok(Waited::Stop(why))
        }
        None => Ok(Waited::NewMail(session)),
    }
}
