//! `/tickets` and everything on a ticket: messages, events, time entries, attachments,
//! plus the incremental export.

/// The shapes tickets are shown in, from the service.
pub use helpdesk_service::tickets::view as dto;

pub mod attachments;
pub mod create;
pub mod csat;
pub mod export;
pub mod list;
pub mod messages;
pub mod participants;
pub mod read;
pub mod relations;
pub mod sla;
pub mod time_entries;
pub mod time_entry_edit;
pub mod update;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list::list_tickets, create::create_ticket))
        .routes(routes!(read::get_ticket, update::update_ticket))
        .routes(routes!(read::ticket_events))
        .routes(routes!(sla::ticket_sla))
        .routes(routes!(messages::list_messages, messages::add_message))
        .routes(routes!(
            time_entries::list_time_entries,
            time_entries::add_time_entry
        ))
        .routes(routes!(
            time_entry_edit::edit_time_entry,
            time_entry_edit::delete_time_entry
        ))
        .routes(routes!(attachments::list_attachments))
        .routes(routes!(
            participants::list_participants,
            participants::add_participant
        ))
        .routes(routes!(participants::remove_participant))
        .routes(routes!(relations::merge_ticket))
        .routes(routes!(csat::list_csat, csat::answer_csat))
        .routes(routes!(relations::list_links, relations::add_link))
        .routes(routes!(relations::remove_link))
        .routes(routes!(relations::split_message))
        .routes(routes!(attachments::download))
        .routes(routes!(export::export_tickets))
        .routes(routes!(crate::live::stream::stream_events))
}

/// The upload route, apart so it can carry its own body limit.
pub fn attachments_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(attachments::upload))
}
