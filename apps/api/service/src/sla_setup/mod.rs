//! The SLA settings of a workspace: business-hours calendars and SLA policies. Admins
//! manage them, staff read them.

pub mod calendars;
pub mod policies;
pub mod preview;
