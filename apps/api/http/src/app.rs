//! Assembles the router: every route group, the OpenAPI document generated from them,
//! the docs UI, and the middleware stack (request id, tracing, panics, limits, metrics).

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::routes;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Helpdesk API",
        description = "Multi-tenant helpdesk for B2B remote IT-support teams. Errors are RFC 9457 problem+json with a stable `code`.",
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::error::Problem, crate::error::FieldError)),
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A JWT access token, or an API key (`hdk_…`)."))
                    .build(),
            ),
        );
    }
}

/// Every route with its OpenAPI description; the document is derived from this, so a route
/// cannot exist without being documented.
pub fn api_router(attachment_limit: usize) -> OpenApiRouter<AppState> {
    // Uploads may be larger than JSON bodies: room for the file plus the multipart framing.
    let uploads = routes::tickets::attachments_router()
        .layer(DefaultBodyLimit::max(attachment_limit + 64 * 1024));
    let v1 = OpenApiRouter::new()
        .merge(routes::tickets::router())
        .merge(uploads)
        .merge(routes::inbound::intake_router())
        .merge(routes::inbound::router())
        .merge(routes::mailboxes::router())
        .merge(routes::auth::router())
        .merge(routes::users::router())
        .merge(routes::user_access::router())
        .merge(routes::organizations::router())
        .merge(routes::contracts::router())
        .merge(routes::assets::router())
        .merge(routes::api_keys::router())
        .merge(routes::jobs::router())
        .merge(routes::business_hours::router())
        .merge(routes::sla_policies::router())
        .merge(routes::reports::router())
        .merge(routes::alerts::router())
        .merge(routes::automations::router())
        .merge(routes::workspace::router())
        .merge(routes::workspace_mail::router())
        .merge(routes::webhooks::router())
        .merge(routes::views::router());
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::service::router())
        .nest("/api/v1", v1)
}

/// The OpenAPI 3.1 document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api_router(crate::state::HttpSettings::default().attachment_limit)
        .split_for_parts()
        .1;
    crate::problem_docs::problem_media_types(&mut doc);
    doc
}

const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// The document as served, serialised once at start-up; the structure is dropped here. Kept,
/// it was ~5 MB of maps and strings for the life of the process (of an idle server's 33 MB),
/// serialised again on every request (docs/performance.md).
fn openapi_json(spec: utoipa::openapi::OpenApi) -> Bytes {
    match serde_json::to_vec(&spec) {
        Ok(json) => Bytes::from(json),
        // Cannot happen (every map key is a string); the docs would be empty, not the API.
        Err(e) => {
            tracing::error!(error = %e, "could not serialise the OpenAPI document");
            Bytes::from_static(b"{}")
        }
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// `/metrics` alone, for its own listener (`HELPDESK_METRICS_BIND`).
pub fn metrics_app(state: AppState) -> Router {
    crate::metrics::install();
    Router::new()
        .route(
            "/metrics",
            axum::routing::get(routes::service::prometheus_only),
        )
        .fallback(|| async { ApiError::NotFound })
        .with_state(state)
}

/// The complete application, ready to serve: the API, its docs and `pages` (the web app,
/// which answers every path outside `/api/`, `/docs` and the service endpoints).
pub fn build(state: AppState, pages: Router) -> Router {
    crate::metrics::install();
    let (router, mut spec) = api_router(state.settings.attachment_limit).split_for_parts();
    crate::problem_docs::problem_media_types(&mut spec);
    let spec = openapi_json(spec);
    let body_limit = state.settings.body_limit;
    let timeout = state.settings.request_timeout;
    router
        .route(
            OPENAPI_PATH,
            axum::routing::get(move || {
                let spec = spec.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], spec) }
            }),
        )
        .merge(SwaggerUi::new("/docs").config(utoipa_swagger_ui::Config::from(OPENAPI_PATH)))
        .route(
            "/api/{*rest}",
            axum::routing::any(|| async { ApiError::NotFound }),
        )
        .method_not_allowed_fallback(|| async {
            problem_status(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
        })
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
        .fallback_service(pages)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(SetSensitiveRequestHeadersLayer::new([
                    header::AUTHORIZATION,
                    header::COOKIE,
                ]))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                        let request_id = req
                            .headers()
                            .get(REQUEST_ID)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!(
                            "request",
                            request_id = %request_id,
                            method = %req.method(),
                            path = %req.uri().path(),
                            workspace_id = tracing::field::Empty,
                        )
                    }),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(CatchPanicLayer::custom(|_| {
                    tracing::error!("handler panicked");
                    ApiError::Internal("panic".into()).into_response()
                }))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    timeout.max(Duration::from_millis(1)),
                )),
        )
}

fn problem_status(status: StatusCode, code: &'static str) -> Response {
    let body = serde_json::json!({
        "type": format!("/problems/{code}"),
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": "this method is not allowed on this resource",
        "code": code,
    });
    let mut res = (status, body.to_string()).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/problem+json"),
    );
    res
}
