//! Turning templates into responses, and the frame every page shares (the [`Chrome`]:
//! asset links, the CSRF token, who is signed in, which section is current).

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::assets;
use crate::error::WebError;
use crate::session::{SignedIn, Visit};

/// The signed-in user as the header shows them.
#[derive(Debug, Clone)]
pub struct Me {
    pub name: String,
    pub workspace: String,
    pub staff: bool,
    /// The console's single-key shortcuts are on (staff who did not turn them off).
    pub shortcuts: bool,
    /// The workspace has an accent colour (`/brand.css`).
    pub branded: bool,
    pub id: String,
}

/// What the layout needs on every page.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub csrf: String,
    pub me: Option<Me>,
    /// The current section, for `aria-current` in the navigation.
    pub section: &'static str,
    pub css: String,
    pub js: String,
    pub htmx: String,
    pub live: String,
    pub keys: String,
}

impl Chrome {
    pub fn new(visit: &Visit, section: &'static str) -> Self {
        let me = visit.member.as_ref().map(|m: &SignedIn| Me {
            id: m.user.id.to_string(),
            name: m.user.name.clone(),
            workspace: m.workspace.name.clone(),
            staff: m.is_staff(),
            branded: helpdesk_domain::settings::WorkspaceSettings::from_json(&m.workspace.settings)
                .branding
                .primary_color
                .is_some(),
            shortcuts: m.is_staff()
                && helpdesk_domain::preferences::Preferences::from_json(&m.user.preferences)
                    .keyboard_shortcuts,
        });
        Self {
            csrf: visit.csrf.clone(),
            me,
            section,
            css: assets::url("app.css"),
            js: assets::url("app.js"),
            htmx: assets::url("vendor/htmx.min.js"),
            live: assets::url("live.js"),
            keys: assets::url("keys.js"),
        }
    }

    /// For error pages, which may be shown before the visit is known.
    pub fn bare() -> Self {
        Self {
            csrf: String::new(),
            me: None,
            section: "",
            css: assets::url("app.css"),
            js: assets::url("app.js"),
            htmx: assets::url("vendor/htmx.min.js"),
            live: assets::url("live.js"),
            keys: assets::url("keys.js"),
        }
    }

    pub fn is(&self, section: &str) -> bool {
        self.section == section
    }
}

/// A rendered template as an HTML response.
pub fn html(t: &impl Template) -> Result<Response, WebError> {
    let body = t.render().map_err(WebError::internal)?;
    Ok(Html(body).into_response())
}

/// A rendered template with a status (a form with errors is 422, as the API's).
pub fn html_status(status: StatusCode, t: &impl Template) -> Result<Response, WebError> {
    let mut res = html(t)?;
    *res.status_mut() = status;
    Ok(res)
}

/// A form refused by a rate limit: 429 with `Retry-After`, the form shown again with why.
pub fn too_many(t: &impl Template, retry_after_secs: u64) -> Result<Response, WebError> {
    let mut res = html_status(StatusCode::TOO_MANY_REQUESTS, t)?;
    if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Ok(res)
}

/// After a successful post: a redirect (303, so the browser GETs), which htmx follows as a
/// full navigation.
pub fn see_other(to: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert("hx-location", v);
    }
    res
}

/// A redirect that also sets a cookie (sign-in, sign-out).
pub fn see_other_with_cookie(to: &str, cookie: HeaderValue) -> Response {
    let mut res = see_other(to);
    res.headers_mut().append(header::SET_COOKIE, cookie);
    res
}
