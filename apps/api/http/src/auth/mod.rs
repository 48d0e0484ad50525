//! Credentials: JWT access tokens, argon2id password hashing, and opaque random tokens.

pub mod cache;
pub mod jwt;
pub mod opaque;
pub mod password;

pub use cache::{AuthCache, Eviction, Resolved};
pub use jwt::{Claims, JwtKeys};
pub use password::PasswordHasher;
