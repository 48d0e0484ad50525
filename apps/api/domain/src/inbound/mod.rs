//! The pure rules of email intake: what an inbound message's state means, which mail is
//! noise (auto-replies, bounces, lists, our own mail), and how a reply names its ticket.

pub mod noise;
pub mod quote;
pub mod state;
pub mod subject;
pub mod thread_ref;

pub use noise::{Noise, NoiseFacts};
pub use state::InboundState;
pub use thread_ref::ThreadKey;
