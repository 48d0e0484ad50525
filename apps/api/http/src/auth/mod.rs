//! Credentials: JWT access tokens, argon2id password hashing, and opaque random tokens.

pub mod jwt;
pub mod opaque;
pub mod password;

pub use jwt::{Claims, JwtKeys};
pub use password::PasswordHasher;
