//! `/live`: the page's event stream. Each change the visitor may see arrives as a small
//! `changed` event naming the ticket (never its content: the page then fetches what it
//! shows through the normal pages, with their permissions). The stream ends when the
//! session does: the visitor is re-checked before each event and every 15 s while idle.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, stream};
use helpdesk_domain::{SessionId, TenantCtx};
use helpdesk_service::live::slots::Slot;
use helpdesk_service::live::{LiveEvent, visible_to};
use helpdesk_service::{Service, ServiceError};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::Instant;

use crate::error::WebError;
use crate::session::Member;
use crate::state::WebState;

const RECHECK: Duration = Duration::from_secs(15);

struct Live {
    rx: broadcast::Receiver<std::sync::Arc<LiveEvent>>,
    service: Service,
    ctx: TenantCtx,
    session: SessionId,
    recheck: tokio::time::Interval,
    _slot: Slot,
}

fn event(e: &LiveEvent) -> Event {
    let data = format!(
        "{{\"number\":{},\"type\":\"{}\"}}",
        e.ticket_number,
        e.kind.replace(['"', '\\'], "")
    );
    Event::default().event("changed").data(data)
}

impl Live {
    async fn next(&mut self) -> Option<Event> {
        loop {
            tokio::select! {
                _ = self.recheck.tick() => {
                    if !self.service.still_entitled(&self.ctx, Some(self.session)).await {
                        return None;
                    }
                }
                got = self.rx.recv() => match got {
                    Ok(e) if visible_to(&self.ctx, &e) => {
                        if !self.service.still_entitled(&self.ctx, Some(self.session)).await {
                            return None;
                        }
                        return Some(event(&e));
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                },
            }
        }
    }
}

pub async fn live(
    State(state): State<WebState>,
    Member(_, me): Member,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, WebError> {
    let ctx = me.actor.ctx;
    let slot = state.streams.take(&ctx).ok_or(ServiceError::RateLimited {
        retry_after_secs: 5,
    })?;
    let mut recheck = tokio::time::interval_at(Instant::now() + RECHECK, RECHECK);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let live = Live {
        rx: state.service.live.subscribe(),
        service: state.service.clone(),
        ctx,
        session: me.session,
        recheck,
        _slot: slot,
    };
    let events = stream::unfold(live, |mut live| async move {
        let e = live.next().await?;
        Some((Ok(e), live))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
