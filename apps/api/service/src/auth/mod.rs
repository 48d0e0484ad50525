//! Authentication and credentials: registration, sign-in sessions with refresh-token
//! rotation, invitations, password resets and API keys, with the argon2id hasher and the
//! opaque tokens they hand out. Access tokens are minted by the adapter from the
//! [`SessionGrant`] a use case returns: their format belongs to the API.

pub mod api_keys;
pub mod identify;
pub mod invite;
pub mod login;
pub mod opaque;
pub mod password;
pub mod preferences;
pub mod profile;
pub mod refresh;
pub mod register;
pub mod reset;
pub mod session;
pub mod verify;
pub mod web;

use helpdesk_domain::{Password, Role};
use helpdesk_storage::repo::users::User;

use crate::Service;
use crate::error::{FieldError, ServiceError, ServiceResult};

pub use session::{SessionGrant, SignedIn};
pub use web::WebSession;

impl Service {
    /// Applies the password policy to a new password given in `field`.
    pub(crate) fn check_password(&self, field: &str, raw: String) -> Result<Password, FieldError> {
        self.settings
            .password_policy
            .check(raw)
            .map_err(|e| FieldError::new(field, e.to_string()))
    }
}

/// The role a user signs in with; an unreadable one signs nobody in.
pub(crate) fn role_of(user: &User) -> ServiceResult<Role> {
    user.role.parse().map_err(|_| ServiceError::Unauthorized)
}
