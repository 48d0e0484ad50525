//! `/`: signed-out visitors go to sign in, everyone else to their tickets.

use axum::response::Response;

use crate::render::see_other;
use crate::session::Visitor;

pub async fn home(Visitor(visit): Visitor) -> Response {
    if visit.member.is_some() {
        see_other("/tickets")
    } else {
        see_other("/login")
    }
}
