//! `GET /stream`: server-sent events of the ticket changes the caller may see. A client
//! that reconnects with `Last-Event-ID` first gets what it missed, from the database.

use std::collections::HashSet;
use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, StreamExt, stream};
use helpdesk_service::Actor;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use super::LiveEvent;
use crate::error::ApiResult;
use crate::extract::Authed;
use crate::state::AppState;

pub use helpdesk_service::live::visible_to;

fn sse(e: &LiveEvent) -> Event {
    Event::default()
        .id(e.id.to_string())
        .event(e.kind.clone())
        .data(serde_json::to_string(e).unwrap_or_default())
}

/// Live ticket events (`text/event-stream`); each event's `id` can be sent back as
/// `Last-Event-ID` to resume.
#[utoipa::path(get, path = "/stream", tag = "tickets",
    responses((status = 200, description = "server-sent events; data is a LiveEvent", content_type = "text/event-stream", body = LiveEvent)),
    security(("bearer" = [])))]
pub async fn stream_events(
    State(state): State<AppState>,
    authed: Authed,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let ctx = authed.ctx;
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
    let live = stream::unfold((rx, sent), move |(mut rx, sent)| async move {
        loop {
            match rx.recv().await {
                Ok(e) => {
                    let e: Arc<LiveEvent> = e;
                    if visible_to(&ctx, &e) && !sent.contains(&e.id) {
                        return Some((Ok(sse(&e)), (rx, sent)));
                    }
                }
                // A slow client skipped some events; it resumes from the database next time.
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Ok(Sse::new(replay.chain(live)).keep_alive(KeepAlive::default()))
}
