//! Registration: a new workspace, its first admin, the default automation rules, and a
//! session for that admin.

use std::fmt;

use helpdesk_domain::{Email, Role, TenantCtx, UserId, WorkspaceId, text};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::automations;
use helpdesk_storage::repo::users::{self, User};
use helpdesk_storage::repo::workspaces::{self, Workspace};

use super::SessionGrant;
use crate::Service;
use crate::error::{FieldError, ServiceError, ServiceResult};

/// A new workspace and its admin.
#[derive(Clone, Default)]
pub struct Registration {
    pub workspace_name: String,
    pub admin_email: String,
    pub admin_password: String,
    /// Defaults to the email's local part.
    pub admin_name: Option<String>,
}

impl fmt::Debug for Registration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registration")
            .field("workspace_name", &self.workspace_name)
            .field("admin_email", &self.admin_email)
            .field("admin_name", &self.admin_name)
            .finish_non_exhaustive()
    }
}

/// The created workspace, its admin, and the admin's session.
#[derive(Debug, Clone)]
pub struct Registered {
    pub workspace: Workspace,
    pub user: User,
    pub grant: SessionGrant,
}

impl Service {
    /// Creates a workspace (its slug from the name) with `input`'s admin and signs the
    /// admin in. Every invalid field is reported at once.
    pub async fn register(&self, input: Registration) -> ServiceResult<Registered> {
        let mut errors = Vec::new();
        let name = text::bounded(&input.workspace_name, 1, 100)
            .map_err(|e| errors.push(FieldError::new("workspace_name", e.to_string())))
            .ok();
        let email = Email::parse(&input.admin_email)
            .map_err(|e| errors.push(FieldError::new("admin_email", e.to_string())))
            .ok();
        let password = self
            .check_password("admin_password", input.admin_password)
            .map_err(|e| errors.push(e))
            .ok();
        let (Some(name), Some(email), Some(password)) = (name, email, password) else {
            return Err(ServiceError::Validation(errors));
        };
        let admin_name = match input.admin_name.map(|n| text::bounded(&n, 1, 100)) {
            Some(Err(e)) => return Err(ServiceError::invalid("admin_name", e.to_string())),
            Some(Ok(n)) => Some(n),
            None => None,
        };
        let admin_name = admin_name.unwrap_or_else(|| {
            email
                .as_str()
                .split('@')
                .next()
                .unwrap_or("Admin")
                .to_owned()
        });
        let hash = self.hasher.hash(password.expose()).await?;

        // Two registrations racing for the same slug: the loser retries with the next one.
        for _ in 0..5 {
            let tx = self.begin().await?;
            let workspace = match workspaces::create(&tx, &name, self.now()).await {
                Ok(ws) => ws,
                Err(StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e.into()),
            };
            let workspace_id = WorkspaceId::from_uuid(workspace.id);
            let new = users::NewUser {
                email: email.clone(),
                name: admin_name.clone(),
                role: Role::Admin,
                organization_id: None,
                password_hash: Some(hash.clone()),
            };
            let user = users::insert(&tx, workspace_id, new, self.now()).await?;
            let system = TenantCtx::system(workspace_id);
            automations::install_defaults(&tx, &system, self.now()).await?;
            self.send_email_verification(&tx, workspace_id, &user)
                .await?;
            let user_id = UserId::from_uuid(user.id);
            let grant = self
                .open_session(&tx, workspace_id, user_id, Role::Admin)
                .await?;
            tx.commit().await?;
            return Ok(Registered {
                workspace,
                user,
                grant,
            });
        }
        Err(ServiceError::Conflict(
            "could not allocate a workspace slug; retry".into(),
        ))
    }
}
