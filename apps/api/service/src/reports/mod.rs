//! Reports (agents and admins): what a support manager reads every Monday and sends clients
//! every month. Every figure is defined once in docs/reports.md; storage reads rows with the
//! filters, `helpdesk_domain::report` turns them into figures.

pub mod csv;
pub mod overview;
pub mod people;
pub mod period;
pub mod sla_trend;
pub mod volume;
