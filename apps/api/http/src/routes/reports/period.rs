//! The query string every report takes: the period (in the workspace's time zone) and
//! filters, parsed by the service.

pub use helpdesk_service::reports::period::ReportQuery;
