//! SLA time arithmetic: business-hours calendars and the minutes they count.

pub mod calendar;

pub use calendar::{Calendar, CalendarError, Interval};
