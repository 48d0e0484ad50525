//! Presence on the ticket page: who else has the ticket open and who is typing a reply.
//! The page sends a heartbeat every 15 s (and when typing starts or stops) and gets the
//! others back as a fragment; a change is announced on the live stream, so the other
//! viewers look again at once. Best effort: presence never fails a page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use helpdesk_service::live::presence::Present;
use helpdesk_storage::repo::tickets::TicketRef;
use serde::Deserialize;

use crate::error::WebError;
use crate::form::Posted;
use crate::render::html;
use crate::session::{SignedIn, Staff};
use crate::state::WebState;

/// Someone else on the page, as the page says it.
#[derive(Debug, Clone)]
pub struct Other {
    pub name: String,
    pub typing: bool,
}

fn others(list: Vec<Present>) -> Vec<Other> {
    list.into_iter()
        .map(|p| Other {
            name: p.name,
            typing: p.typing,
        })
        .collect()
}

/// Marks `me` on ticket `number` and returns the others; nobody when presence is down.
pub async fn touch(state: &WebState, me: &SignedIn, number: i64, typing: bool) -> Vec<Other> {
    match state
        .service
        .touch_presence(&me.actor, TicketRef::Number(number), typing)
        .await
    {
        Ok(list) => others(list),
        Err(e) => {
            tracing::warn!(error = %e, "presence unavailable");
            Vec::new()
        }
    }
}

#[derive(Template)]
#[template(path = "console/presence.html")]
struct Fragment {
    others: Vec<Other>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Beat {
    /// `1` while the composer is being written in.
    #[serde(default)]
    typing: String,
}

pub async fn beat(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path(number): Path<i64>,
    Posted(b): Posted<Beat>,
) -> Result<Response, WebError> {
    let list = state
        .service
        .touch_presence(&me.actor, TicketRef::Number(number), b.typing == "1")
        .await?;
    html(&Fragment {
        others: others(list),
    })
}

/// The page is being left (sent with `navigator.sendBeacon`).
pub async fn leave(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path(number): Path<i64>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    state
        .service
        .leave_presence(&me.actor, TicketRef::Number(number))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
