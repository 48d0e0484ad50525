//! `GET /stream`: server-sent events of the ticket changes the caller may see. A client
//! that reconnects with `Last-Event-ID` first gets what it missed, from the database.
//!
//! A stream ends when its caller's right to it does: before each event it asks the
//! service whether the caller is still who they were (deactivation, demotion, logout,
//! password reset and revoked keys end it, on every replica), it asks again every
//! [`RECHECK`] while idle, and it ends when the access token expires.

use std::collections::HashSet;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, stream};
use helpdesk_domain::{SessionId, TenantCtx};
use helpdesk_service::{Actor, Service};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::Instant;
use uuid::Uuid;

use super::LiveEvent;
use super::slots::Slot;
use crate::error::{ApiError, ApiResult};
use crate::extract::Authed;
use crate::state::AppState;

use helpdesk_service::live::presence::PRESENCE_EVENT;
pub use helpdesk_service::live::visible_to;

/// How often an idle stream re-checks its caller.
const RECHECK: Duration = Duration::from_secs(15);

fn sse(e: &LiveEvent) -> Event {
    Event::default()
        .id(e.id.to_string())
        .event(e.kind.clone())
        .data(serde_json::to_string(e).unwrap_or_default())
}

/// When a token expiring at `exp` (Unix seconds, as access tokens say) runs out.
fn deadline(exp: i64) -> Instant {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let left = u64::try_from(exp).unwrap_or(0).saturating_sub(now);
    Instant::now() + Duration::from_secs(left)
}

/// What one open stream holds between events.
struct Live {
    rx: broadcast::Receiver<Arc<LiveEvent>>,
    sent: HashSet<Uuid>,
    service: Service,
    ctx: TenantCtx,
    session: Option<SessionId>,
    until: Option<Instant>,
    recheck: tokio::time::Interval,
    _slot: Slot,
}

impl Live {
    /// The next event to send, or `None` when the stream must end.
    async fn next(&mut self) -> Option<Event> {
        loop {
            let expiry = async {
                match self.until {
                    Some(t) => tokio::time::sleep_until(t).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = expiry => return None,
                _ = self.recheck.tick() => {
                    if !self.service.still_entitled(&self.ctx, self.session).await {
                        return None;
                    }
                }
                got = self.rx.recv() => match got {
                    Ok(e) => {
                        // Presence is the web app's (transient: never stored, so never
                        // resumable with `Last-Event-ID`).
                        if e.kind != PRESENCE_EVENT
                            && visible_to(&self.ctx, &e)
                            && !self.sent.contains(&e.id)
                        {
                            if !self.service.still_entitled(&self.ctx, self.session).await {
                                return None;
                            }
                            return Some(sse(&e));
                        }
                    }
                    // A slow client skipped some events; it resumes from the database next time.
                    Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                },
            }
        }
    }
}

/// Live ticket events (`text/event-stream`); each event's `id` can be sent back as
/// `Last-Event-ID` to resume. At most a few streams per caller and per workspace (429
/// beyond); a stream ends when the caller signs out, is deactivated or changes role, and
/// when the access token expires.
#[utoipa::path(get, path = "/stream", tag = "tickets",
    responses((status = 200, description = "server-sent events; data is a LiveEvent", content_type = "text/event-stream", body = LiveEvent),
        (status = 429, description = "too many open streams for this caller or workspace", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn stream_events(
    State(state): State<AppState>,
    authed: Authed,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let ctx = authed.ctx;
    let slot = state.streams.take(&ctx).ok_or(ApiError::RateLimited {
        retry_after_secs: 5,
    })?;
    // Subscribe before reading the backlog, so nothing falls between the two.
    let rx = state.service.live.subscribe();
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Uuid::parse_str(v.trim()).ok());
    let missed = match last {
        Some(id) => {
            state
                .service
                .missed_events(&Actor::request(ctx), id)
                .await?
        }
        None => Vec::new(),
    };
    let sent: HashSet<Uuid> = missed.iter().map(|e| e.id).collect();
    let replay = stream::iter(missed.into_iter().map(|e| Ok(sse(&e))));
    let mut recheck = tokio::time::interval_at(Instant::now() + RECHECK, RECHECK);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let live = Live {
        rx,
        sent,
        service: state.service.clone(),
        ctx,
        session: authed.session,
        until: authed.expires_at.map(deadline),
        recheck,
        _slot: slot,
    };
    let live = stream::unfold(live, |mut live| async move {
        let e = live.next().await?;
        Some((Ok(e), live))
    });
    Ok(Sse::new(futures::StreamExt::chain(replay, live)).keep_alive(KeepAlive::default()))
}
