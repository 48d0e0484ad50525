//! Credentials: JWT access tokens, argon2id password hashing, and opaque random tokens.

pub mod jwt;
pub mod opaque;
pub mod password;

pub use helpdesk_service::auth_cache::{AuthCache, Eviction, Resolved};
pub use jwt::{Claims, JwtKeys};
pub use password::PasswordHasher;
