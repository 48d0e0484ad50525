//! Creating a workspace member (admins): with a password it can sign in at once; without
//! one an invitation is created and mailed in the same transaction.

use std::fmt;

use helpdesk_domain::{Email, OrganizationId, Permission, Role, text};
use helpdesk_storage::repo::organizations;
use helpdesk_storage::repo::users::{self, User};

use super::check_org;
use crate::Service;
use crate::actor::Actor;
use crate::error::{FieldError, ServiceError, ServiceResult};
use crate::permissions::require;

/// A user to create.
#[derive(Clone)]
pub struct NewMember {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Without a password an invitation is created and mailed.
    pub password: Option<String>,
    /// Customers only. `None`: joined by email domain; `Some(None)`: no organization.
    pub organization_id: Option<Option<OrganizationId>>,
}

impl fmt::Debug for NewMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewMember")
            .field("email", &self.email)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("organization_id", &self.organization_id)
            .finish_non_exhaustive()
    }
}

/// The created user, and the invitation token when it was invited.
#[derive(Clone)]
pub struct CreatedMember {
    pub user: User,
    pub invitation_token: Option<String>,
}

impl fmt::Debug for CreatedMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedMember")
            .field("user", &self.user)
            .field("invited", &self.invitation_token.is_some())
            .finish()
    }
}

impl Service {
    /// Creates a user (admins). Every invalid field is reported at once; an email taken
    /// in the workspace is a conflict.
    pub async fn create_user(
        &self,
        actor: &Actor,
        input: NewMember,
    ) -> ServiceResult<CreatedMember> {
        require(actor, Permission::ManageUsers)?;
        let ctx = &actor.ctx;
        let mut errors = Vec::new();
        let email = Email::parse(&input.email)
            .map_err(|e| errors.push(FieldError::new("email", e.to_string())))
            .ok();
        let name = text::bounded(&input.name, 1, 100)
            .map_err(|e| errors.push(FieldError::new("name", e.to_string())))
            .ok();
        let password = input
            .password
            .map(|p| self.check_password("password", p))
            .transpose()
            .map_err(|e| errors.push(e))
            .ok();
        if input.role != Role::Customer && matches!(input.organization_id, Some(Some(_))) {
            errors.push(FieldError::new(
                "organization_id",
                "only customers belong to an organization",
            ));
        }
        let (Some(email), Some(name), Some(password)) = (email, name, password) else {
            return Err(ServiceError::Validation(errors));
        };
        if !errors.is_empty() {
            return Err(ServiceError::Validation(errors));
        }
        let hash = match &password {
            Some(p) => Some(self.hasher.hash(p.expose()).await?),
            None => None,
        };
        let tx = self.begin().await?;
        let organization_id = match (input.role, input.organization_id) {
            (Role::Customer, Some(Some(org))) => {
                check_org(&tx, ctx, org).await?;
                Some(org)
            }
            (Role::Customer, None) => {
                organizations::by_domain(&tx, ctx.workspace_id, email.domain()).await?
            }
            _ => None,
        };
        let new = users::NewUser {
            email,
            name,
            role: input.role,
            organization_id,
            password_hash: hash,
        };
        let user = users::create(&tx, ctx, new, self.now()).await?;
        let invitation_token = match password {
            Some(_) => None,
            None => Some(self.create_invitation(&tx, ctx, &user).await?),
        };
        tx.commit().await?;
        if invitation_token.is_some() {
            self.live.wake_workers().await;
        }
        Ok(CreatedMember {
            user,
            invitation_token,
        })
    }
}
