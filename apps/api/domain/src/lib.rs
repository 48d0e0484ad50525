//! The pure domain of Helpdesk: ids, roles, permissions, tenant context and value types.
//!
//! Nothing here does I/O; every type is parsed once at the boundary and trusted after.

pub mod automation;
pub mod contract;
pub mod csat;
pub mod email;
pub mod ids;
pub mod inbound;
pub mod keys;
pub mod mailbox;
pub mod net;
pub mod password;
pub mod permission;
pub mod preferences;
pub mod report;
pub mod role;
pub mod settings;
pub mod sla;
pub mod slug;
pub mod status_machine;
pub mod tenant;
pub mod text;
pub mod ticket;
pub mod time;

pub use email::Email;
pub use ids::{
    ApiKeyId, AssetId, AttachmentId, EventId, MessageId, OrganizationId, SavedViewId, SessionId,
    TicketId, TimeEntryId, UserId, WorkspaceId,
};
pub use password::{Password, PasswordPolicy};
pub use permission::Permission;
pub use role::Role;
pub use tenant::{Actor, TenantCtx};
pub use ticket::{LinkKind, Priority, TicketStatus};
