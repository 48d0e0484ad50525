//! The web app: server-rendered pages for agents (the console) and customers (the portal),
//! served by the `helpdesk` binary at `/`. Pages parse the request, call one use case of
//! `helpdesk-service` and render an askama template; htmx swaps fragments of the same
//! templates when JavaScript is on, and every page works without it.

mod assets;
mod csrf;
mod display;
mod error;
mod form;
mod headers;
mod live;
mod pages;
mod render;
mod session;
mod state;
mod upload;

pub use state::{WebSettings, WebState};

use axum::Router;

/// Every page, the static assets and the middleware the pages rely on (session, CSRF,
/// security headers). The caller mounts it beside the JSON API.
pub fn router(state: WebState) -> Router {
    let uploads = state.settings.attachment_limit.saturating_mul(4) + 1024 * 1024;
    pages::routes(uploads)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::visit,
        ))
        .merge(assets::routes())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(headers::secure))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}
