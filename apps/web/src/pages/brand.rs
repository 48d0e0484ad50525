//! `/brand.css`: the workspace's accent colour, for the signed-in visitor's pages (a file,
//! since the CSP allows no inline style). Light scheme only: the dark theme keeps its own
//! accent, which is tuned for dark surfaces; the colour was checked for contrast on white
//! when it was saved.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use helpdesk_domain::settings::{WorkspaceSettings, is_hex_colour};

use crate::session::Member;

pub async fn css(Member(_, me): Member) -> Response {
    let settings = WorkspaceSettings::from_json(&me.workspace.settings);
    // Only a stored `#RRGGBB` (checked when saved) reaches the stylesheet.
    let colour = settings.branding.primary_color.filter(|c| is_hex_colour(c));
    let body = match colour {
        Some(c) => format!(
            "@media (prefers-color-scheme: light) {{\n  :root {{ --accent: {c}; --accent-hover: {c}; \
             --accent-weak: color-mix(in srgb, {c} 12%, white); }}\n}}\n"
        ),
        None => String::new(),
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    // Changes when an admin saves the workspace: always ask again.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    res
}
