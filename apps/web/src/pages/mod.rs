//! Every page of the web app and its route.

mod admin;
mod attachments;
mod brand;
mod console;
mod conversation;
mod home;
mod portal;
mod profile;
mod public;
mod reports;
mod team;
mod team_actions;
mod tickets;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::state::WebState;

/// Every page; `upload_limit` bounds the forms that carry files.
pub fn routes(upload_limit: usize) -> Router<WebState> {
    let uploads = DefaultBodyLimit::max(upload_limit);
    Router::new()
        .route("/", get(home::home))
        .route(
            "/login",
            get(public::login::show).post(public::login::submit),
        )
        .route("/logout", post(public::login::logout))
        .route(
            "/register",
            get(public::register::show).post(public::register::submit),
        )
        .route(
            "/forgot-password",
            get(public::password::forgot).post(public::password::forgot_submit),
        )
        .route(
            "/reset-password",
            get(public::password::reset).post(public::password::reset_submit),
        )
        .route(
            "/accept-invite",
            get(public::invite::show).post(public::invite::submit),
        )
        .route(
            "/csat/{token}",
            get(public::csat::show).post(public::csat::answer),
        )
        .route(
            "/verify-email",
            get(public::verify::show).post(public::verify::submit),
        )
        .route("/live", get(crate::live::live))
        .route("/brand.css", get(brand::css))
        .route(
            "/tickets",
            get(tickets::list).post(tickets::create).layer(uploads),
        )
        .route("/tickets/counts", get(console::list::counts))
        .route("/tickets/{number}/conversation", get(tickets::conversation))
        .route("/tickets/new", get(tickets::new_form))
        .route("/tickets/bulk", post(console::bulk::apply))
        .route("/tickets/views", post(console::saved::create))
        .route("/tickets/views/{id}", post(console::saved::update))
        .route("/tickets/views/{id}/delete", post(console::saved::delete))
        .route("/tickets/{number}", get(tickets::show))
        .route(
            "/tickets/{number}/messages",
            post(tickets::reply).layer(uploads),
        )
        .route("/attachments/{id}", get(attachments::download))
        .route("/tickets/{number}/fields", post(console::fields::update))
        .route("/tickets/{number}/time", post(console::fields::log_time))
        .route("/tickets/{number}/sla", get(console::sla::page))
        .route("/tickets/{number}/presence", post(console::presence::beat))
        .route(
            "/tickets/{number}/presence/leave",
            post(console::presence::leave),
        )
        .route("/tickets/{number}/macro", post(console::macros::apply))
        .route("/tickets/{number}/merge", post(console::relations::merge))
        .route("/tickets/{number}/links", post(console::relations::link))
        .route(
            "/tickets/{number}/links/{id}/delete",
            post(console::relations::unlink),
        )
        .route(
            "/tickets/{number}/messages/{id}/split",
            post(console::relations::split),
        )
        .route(
            "/tickets/{number}/participants",
            post(console::relations::copy),
        )
        .route(
            "/tickets/{number}/participants/{id}/delete",
            post(console::relations::uncopy),
        )
        .route("/tickets/{number}/resolve", post(portal::ticket::resolve))
        .route("/tickets/{number}/csat", post(portal::ticket::rate))
        .route(
            "/admin/organizations",
            get(admin::organizations::list).post(admin::organizations::create),
        )
        .route(
            "/admin/organizations/{id}",
            get(admin::organization::show).post(admin::organization::update),
        )
        .route(
            "/admin/organizations/{id}/assets",
            post(admin::organization::add_asset),
        )
        .route("/admin/assets/{id}", post(admin::organization::edit_asset))
        .route(
            "/admin/organizations/{id}/contracts/new",
            get(admin::contracts::new_form).post(admin::contracts::create),
        )
        .route(
            "/admin/contracts/{id}",
            get(admin::contracts::edit_form).post(admin::contracts::update),
        )
        .route(
            "/admin/contracts/{id}/delete",
            post(admin::contracts::delete),
        )
        .route(
            "/admin/api-keys",
            get(admin::api_keys::page).post(admin::api_keys::create),
        )
        .route("/admin/api-keys/{id}/revoke", post(admin::api_keys::revoke))
        .route(
            "/admin/webhooks",
            get(admin::webhooks::list).post(admin::webhooks::create),
        )
        .route("/admin/webhooks/{id}", get(admin::webhooks::show))
        .route("/admin/webhooks/{id}/switch", post(admin::webhooks::switch))
        .route("/admin/webhooks/{id}/delete", post(admin::webhooks::delete))
        .route(
            "/admin/webhooks/{id}/deliveries/{delivery}/redeliver",
            post(admin::webhooks::redeliver),
        )
        .route(
            "/admin/business-hours",
            get(admin::business_hours::list).post(admin::business_hours::create),
        )
        .route(
            "/admin/business-hours/{id}",
            get(admin::business_hours::show).post(admin::business_hours::update),
        )
        .route(
            "/admin/sla-policies",
            get(admin::sla_policies::list).post(admin::sla_policies::create),
        )
        .route(
            "/admin/sla-policies/{id}",
            get(admin::sla_policies::show).post(admin::sla_policies::update),
        )
        .route(
            "/admin/automations",
            get(admin::automations::list).post(admin::automations::create),
        )
        .route(
            "/admin/automations/{id}",
            get(admin::automations::show).post(admin::automations::update),
        )
        .route(
            "/admin/automations/{id}/change",
            post(admin::automations::change),
        )
        .route(
            "/admin/macros",
            get(admin::macros::list).post(admin::macros::create),
        )
        .route(
            "/admin/macros/{id}",
            get(admin::macros::show).post(admin::macros::update),
        )
        .route("/admin/macros/{id}/delete", post(admin::macros::delete))
        .route(
            "/admin/mailboxes",
            get(admin::mailboxes::list).post(admin::mailboxes::create),
        )
        .route(
            "/admin/mailboxes/{id}",
            get(admin::mailboxes::show).post(admin::mailboxes::update),
        )
        .route("/admin/mailboxes/{id}/check", post(admin::mailboxes::check))
        .route(
            "/admin/mailboxes/{id}/delete",
            post(admin::mailboxes::delete),
        )
        .route("/admin/inbound", get(admin::inbound::list))
        .route("/admin/inbound/{id}/{action}", post(admin::inbound::act))
        .route("/admin/jobs", get(admin::jobs::page))
        .route("/admin/jobs/{id}/retry", post(admin::jobs::retry))
        .route(
            "/admin/workspace",
            get(admin::workspace::page).post(admin::workspace::save),
        )
        .route("/reports", get(reports::page))
        .route("/reports/{file}", get(reports::download::csv))
        .route("/team", get(team::show))
        .route("/team/invite", post(team::invite))
        .route("/team/{id}/role", post(team_actions::role))
        .route("/team/{id}/deactivate", post(team_actions::deactivate))
        .route("/team/{id}/reactivate", post(team_actions::reactivate))
        .route("/team/{id}/invitation", post(team_actions::resend))
        .route("/team/{id}/invitation/revoke", post(team_actions::revoke))
        .route("/profile", get(profile::show).post(profile::save))
        .route("/profile/password", post(profile::password))
        .route("/profile/preferences", post(profile::preferences))
}
