//! The customer portal: my requests, a new request, a request's public conversation with
//! one obvious reply box, in plain words.

pub mod list;
pub mod new;
pub mod ticket;
