//! Credentials: JWT access tokens (the API's own format), and re-exports of the service's
//! argon2id password hashing and opaque random tokens.

pub mod jwt;

pub use helpdesk_service::auth::{opaque, password};
pub use helpdesk_service::auth_cache::{AuthCache, Eviction, Resolved};
pub use jwt::{Claims, JwtKeys};
pub use password::PasswordHasher;
