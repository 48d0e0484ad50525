//! Browser sessions: the cookie is resolved once per request (into a [`Visit`]), the CSRF
//! token of the visit is fixed, and cross-site state changes are refused before any
//! handler runs. The extractors give handlers the visitor they need: anyone, a signed-in
//! member, staff, or a customer.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use helpdesk_domain::SessionId;
use helpdesk_service::auth::identify::Identity;
use helpdesk_service::{Actor, ServiceError};
use helpdesk_storage::repo::users::User;
use helpdesk_storage::repo::workspaces::Workspace;

use crate::csrf;
use crate::error::WebError;
use crate::state::WebState;

/// Who is visiting, and the CSRF token their forms carry.
#[derive(Debug)]
pub struct Visit {
    pub member: Option<SignedIn>,
    pub csrf: String,
}

/// A signed-in user: the actor use cases take, and the rows pages show.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub actor: Actor,
    pub user: Arc<User>,
    pub workspace: Arc<Workspace>,
    pub session: SessionId,
}

impl SignedIn {
    fn from_identity(id: Identity) -> Option<Self> {
        let resolved = id.resolved?;
        Some(Self {
            session: id.session?,
            actor: Actor::request(id.ctx),
            user: resolved.user,
            workspace: resolved.workspace,
        })
    }

    pub fn is_staff(&self) -> bool {
        self.actor.is_staff()
    }
}

/// The session cookie's name; `__Host-` pins it to this origin when it can be `Secure`.
pub fn session_cookie(secure: bool) -> &'static str {
    if secure {
        "__Host-hd_session"
    } else {
        "hd_session"
    }
}

fn pre_cookie(secure: bool) -> &'static str {
    if secure { "__Host-hd_pre" } else { "hd_pre" }
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, the whole site; `max_age` 0 deletes it.
pub fn set_cookie(name: &str, value: &str, secure: bool, max_age: Option<u64>) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&c).unwrap_or(HeaderValue::from_static("hd_invalid=; Max-Age=0"))
}

/// The value of cookie `name`, if the request has it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Resolves the visitor, refuses cross-site state changes, and keeps the cookies right.
pub async fn visit(State(state): State<WebState>, mut req: Request, next: Next) -> Response {
    let secure = state.settings.secure_cookies;
    let session_name = session_cookie(secure);
    let secret = cookie(req.headers(), session_name).map(str::to_owned);
    let mut member = None;
    let mut stale_cookie = false;
    if let Some(secret) = &secret {
        match state.service.identify_web_session(secret).await {
            Ok(id) => member = SignedIn::from_identity(id),
            Err(ServiceError::Unauthorized) => stale_cookie = true,
            Err(e) => return WebError::from(e).into_response(),
        }
    }
    let mut new_pre = None;
    let token = match (&member, &secret) {
        (Some(_), Some(secret)) => csrf::for_session(secret),
        _ => match cookie(req.headers(), pre_cookie(secure)).filter(|t| csrf::well_formed(t)) {
            Some(pre) => pre.to_owned(),
            None => {
                let fresh = csrf::fresh();
                new_pre = Some(fresh.clone());
                fresh
            }
        },
    };
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !csrf::same_origin(req.headers()) {
        return WebError::Csrf.into_response();
    }
    req.extensions_mut().insert(Arc::new(Visit {
        member,
        csrf: token,
    }));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if stale_cookie && !h.contains_key(header::SET_COOKIE) {
        h.append(
            header::SET_COOKIE,
            set_cookie(session_name, "", secure, Some(0)),
        );
    }
    if let Some(pre) = new_pre {
        h.append(
            header::SET_COOKIE,
            set_cookie(pre_cookie(secure), &pre, secure, None),
        );
    }
    res
}

fn visit_of(parts: &Parts) -> Result<Arc<Visit>, WebError> {
    parts
        .extensions
        .get::<Arc<Visit>>()
        .cloned()
        .ok_or_else(|| WebError::internal("the session layer is missing"))
}

/// Anyone: public pages.
#[derive(Debug, Clone)]
pub struct Visitor(pub Arc<Visit>);

impl FromRequestParts<WebState> for Visitor {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, _: &WebState) -> Result<Self, WebError> {
        visit_of(parts).map(Visitor)
    }
}

/// A signed-in user of any role; others are sent to sign in and brought back.
#[derive(Debug, Clone)]
pub struct Member(pub Arc<Visit>, pub SignedIn);

impl FromRequestParts<WebState> for Member {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, _: &WebState) -> Result<Self, WebError> {
        let visit = visit_of(parts)?;
        match visit.member.clone() {
            Some(m) => Ok(Member(visit, m)),
            None => Err(WebError::SignIn {
                next: parts
                    .uri
                    .path_and_query()
                    .map_or("/".to_owned(), |p| p.as_str().to_owned()),
            }),
        }
    }
}

/// Staff (agents and admins); to anyone else a staff page does not exist.
#[derive(Debug, Clone)]
pub struct Staff(pub Arc<Visit>, pub SignedIn);

impl FromRequestParts<WebState> for Staff {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, s: &WebState) -> Result<Self, WebError> {
        let Member(visit, m) = Member::from_request_parts(parts, s).await?;
        if m.is_staff() {
            Ok(Staff(visit, m))
        } else {
            Err(WebError::NotFound)
        }
    }
}

/// Whether the request came from htmx (and wants a fragment).
pub fn is_htmx(headers: &HeaderMap) -> bool {
    headers.get("hx-request").is_some_and(|v| v == "true")
}
