//! `/automations` (ADMIN): rules that route, escalate and close work by themselves; and
//! `/macros` (agents) with `POST /tickets/{id}/apply-macro`. Semantics: docs/automations.md.

pub mod macros;
pub mod rules;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(rules::list_rules, rules::create_rule))
        .routes(routes!(
            rules::get_rule,
            rules::update_rule,
            rules::delete_rule
        ))
        .routes(routes!(macros::list_macros, macros::create_macro))
        .routes(routes!(
            macros::get_macro,
            macros::update_macro,
            macros::delete_macro
        ))
        .routes(routes!(macros::apply_macro))
}
