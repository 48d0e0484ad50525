//! `/reports/*` (agents and admins): what a support manager reads every Monday and sends
//! clients every month. Every figure is defined once in docs/reports.md; the storage layer
//! reads rows with the filters, `helpdesk_domain::report` turns them into figures.

pub mod billing;
pub mod csat;
pub mod overview;
pub mod people;
pub mod period;
pub mod respond;
pub mod sla_trend;
pub mod volume;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview::overview))
        .routes(routes!(volume::volume))
        .routes(routes!(sla_trend::sla_trend))
        .routes(routes!(people::agents))
        .routes(routes!(people::organizations))
        .routes(routes!(csat::csat))
        .routes(routes!(billing::billing))
}
