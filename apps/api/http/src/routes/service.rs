//! Service endpoints outside `/api/v1`: liveness, readiness and Prometheus metrics.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Serialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::metrics;
use crate::state::AppState;
use sha2::Digest as _;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(ready))
        .routes(routes!(prometheus))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: &'static str,
}

/// Liveness: the process answers. No dependency is checked.
#[utoipa::path(get, path = "/health", tag = "service", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// `ok` or `unavailable`.
    pub status: &'static str,
    /// `ok` or `unavailable` per dependency; `redis` only when configured.
    pub checks: serde_json::Value,
}

const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(800);

/// Readiness: 200 when the database (and Redis, when configured) answer; 503 names the
/// one that did not.
#[utoipa::path(get, path = "/ready", tag = "service",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    // A database that does not answer is as unready as one that refuses: answer within
    // the load balancer's patience either way.
    let ping = tokio::time::timeout(READY_TIMEOUT, state.service.database_ready()).await;
    let db_ok = match ping {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: database unavailable");
            false
        }
        Err(_) => {
            tracing::warn!("readiness: database did not answer in time");
            false
        }
    };
    let mut checks = json!({ "database": if db_ok { "ok" } else { "unavailable" } });
    let mut all_ok = db_ok;
    if let Some(redis) = &state.redis {
        let mut conn = redis.clone();
        let pong: redis::RedisResult<String> = redis::cmd("PING").query_async(&mut conn).await;
        let ok = pong.is_ok();
        if let Err(e) = pong {
            tracing::warn!(error = %e, "readiness: redis unavailable");
        }
        checks["redis"] = json!(if ok { "ok" } else { "unavailable" });
        all_ok &= ok;
    }
    let status = if all_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Readiness {
            status: if all_ok { "ok" } else { "unavailable" },
            checks,
        }),
    )
}

/// Every `(kind, state)` pair ever reported, so a state that emptied reads 0, not its last
/// count.
static SEEN: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());

fn report_depth(rows: Vec<(String, String, i64)>) {
    let Ok(mut seen) = SEEN.lock() else { return };
    for (kind, job_state) in seen.iter() {
        if !rows.iter().any(|(k, s, _)| k == kind && s == job_state) {
            ::metrics::gauge!("jobs", "kind" => kind.clone(), "state" => job_state.clone())
                .set(0.0);
        }
    }
    for (kind, job_state, n) in rows {
        ::metrics::gauge!("jobs", "kind" => kind.clone(), "state" => job_state.clone())
            .set(n as f64);
        if !seen.iter().any(|(k, s)| *k == kind && *s == job_state) {
            seen.push((kind, job_state));
        }
    }
}

/// Whether the scrape may read the metrics: the configured bearer token, when there is
/// one. Digests are compared, so the comparison's timing says nothing about the token.
fn scrape_allowed(state: &AppState, headers: &axum::http::HeaderMap) -> bool {
    let Some(expected) = state.settings.metrics_token_sha256 else {
        return true;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let digest: [u8; 32] = sha2::Sha256::digest(given.as_bytes()).into();
    digest == expected
}

/// Prometheus text exposition: request counts and latency by route and status. Behind
/// `HELPDESK_METRICS_TOKEN` it wants that bearer token; with `HELPDESK_METRICS_BIND` it is
/// served only on that address.
#[utoipa::path(get, path = "/metrics", tag = "service",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain"),
        (status = 401, description = "the metrics token is configured and was not given", body = crate::error::Problem)))]
pub async fn prometheus(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<impl IntoResponse, crate::error::ApiError> {
    if !state.settings.metrics_on_main {
        return Err(crate::error::ApiError::NotFound);
    }
    scrape(state, headers).await
}

/// `/metrics` on its own listener (`HELPDESK_METRICS_BIND`).
pub async fn prometheus_only(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<impl IntoResponse, crate::error::ApiError> {
    scrape(state, headers).await
}

async fn scrape(
    state: AppState,
    headers: axum::http::HeaderMap,
) -> Result<impl IntoResponse, crate::error::ApiError> {
    if !scrape_allowed(&state, &headers) {
        return Err(crate::error::ApiError::Unauthorized);
    }
    // Queue depth is read at scrape time: one grouped count, every few seconds at most.
    match state.service.queue_depth().await {
        Ok(rows) => report_depth(rows),
        Err(e) => tracing::warn!(error = %e, "metrics: queue depth unavailable"),
    }
    Ok((
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        metrics::render(),
    ))
}
