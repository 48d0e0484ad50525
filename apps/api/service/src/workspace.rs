//! The workspace's own settings (admins): its name, `auto_close_days` (read by the default
//! auto-close rule), the time zone reports count days in, the default SLA policy, branding.

use helpdesk_domain::settings::{Branding, WorkspaceSettings};
use helpdesk_domain::{Permission, TenantCtx, WorkspaceId, text};
use helpdesk_storage::repo::{sla_policies, workspaces};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use uuid::Uuid;

use crate::Service;
use crate::actor::Actor;
use crate::auth_cache::Eviction;
use crate::error::{FieldError, ServiceError, ServiceResult};
use crate::permissions::require;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkspaceSettingsOut {
    pub id: WorkspaceId,
    pub name: String,
    pub slug: String,
    /// Whether the first admin confirmed their email. Until then the workspace mails only
    /// its own users, at most 20 messages an hour.
    pub email_verified: bool,
    pub settings: WorkspaceSettings,
    /// The policy tickets get when their organization names none.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub default_sla_policy_id: Option<Uuid>,
}

/// What an admin may change; `None` leaves a setting alone.
#[derive(Debug, Clone, Default)]
pub struct WorkspaceEdit {
    pub name: Option<String>,
    /// 1–365.
    pub auto_close_days: Option<i64>,
    /// IANA time zone.
    pub timezone: Option<String>,
    pub branding: Option<Branding>,
    /// `Some(None)` leaves the workspace without a default policy.
    pub default_sla_policy_id: Option<Option<Uuid>>,
    /// Ask requesters to rate resolved tickets.
    pub csat_enabled: Option<bool>,
}

async fn read(db: &impl ConnectionTrait, ctx: &TenantCtx) -> ServiceResult<WorkspaceSettingsOut> {
    let ws = workspaces::get(db, ctx.workspace_id).await?;
    Ok(WorkspaceSettingsOut {
        id: WorkspaceId::from_uuid(ws.id),
        settings: WorkspaceSettings::from_json(&ws.settings),
        email_verified: ws.email_verified_at.is_some(),
        name: ws.name,
        slug: ws.slug,
        default_sla_policy_id: sla_policies::default_id(db, ctx).await?,
    })
}

fn check_branding(b: &Branding, errors: &mut Vec<FieldError>) {
    if let Some(c) = &b.primary_color {
        if !helpdesk_domain::settings::is_hex_colour(c) {
            errors.push(FieldError::new("branding.primary_color", "must be #RRGGBB"));
        } else if let Some(ratio) = helpdesk_domain::settings::contrast_on_white(c)
            && ratio < 4.5
        {
            // The accent colours links and buttons on white.
            errors.push(FieldError::new(
                "branding.primary_color",
                format!("is too light to read on white (contrast {ratio:.1}:1; at least 4.5:1)"),
            ));
        }
    }
    if let Some(u) = &b.logo_url
        && (!u.starts_with("https://") || u.len() > 500 || u.chars().any(char::is_whitespace))
    {
        errors.push(FieldError::new(
            "branding.logo_url",
            "must be an https:// URL of up to 500 characters",
        ));
    }
}

impl Service {
    pub async fn workspace_settings(&self, actor: &Actor) -> ServiceResult<WorkspaceSettingsOut> {
        require(actor, Permission::ManageWorkspace)?;
        read(self.store.read(), &actor.ctx).await
    }

    /// Changes the name and settings; a rename drops cached sessions, which carry it.
    pub async fn update_workspace(
        &self,
        actor: &Actor,
        edit: WorkspaceEdit,
    ) -> ServiceResult<WorkspaceSettingsOut> {
        require(actor, Permission::ManageWorkspace)?;
        let ctx = &actor.ctx;
        let tx = self.begin().await?;
        let ws = workspaces::get(&tx, ctx.workspace_id).await?;
        let mut settings = WorkspaceSettings::from_json(&ws.settings);
        let mut errors = Vec::new();
        let renamed = edit.name.is_some();
        let name = match edit.name {
            Some(n) => text::bounded(&n, 1, 100).unwrap_or_else(|e| {
                errors.push(FieldError::new("name", e.to_string()));
                String::new()
            }),
            None => ws.name,
        };
        if let Some(d) = edit.auto_close_days {
            if !(1..=365).contains(&d) {
                errors.push(FieldError::new(
                    "auto_close_days",
                    "must be between 1 and 365",
                ));
            }
            settings.auto_close_days = d;
        }
        if let Some(z) = edit.timezone {
            if jiff::tz::TimeZone::get(&z).is_err() {
                errors.push(FieldError::new(
                    "timezone",
                    format!("unknown time zone {z:?}"),
                ));
            }
            settings.timezone = z;
        }
        if let Some(on) = edit.csat_enabled {
            settings.csat_enabled = on;
        }
        if let Some(br) = edit.branding {
            check_branding(&br, &mut errors);
            settings.branding = br;
        }
        if !errors.is_empty() {
            return Err(ServiceError::Validation(errors));
        }
        if let Some(policy) = edit.default_sla_policy_id {
            if let Some(id) = policy
                && sla_policies::get(&tx, ctx, id).await.is_err()
            {
                return Err(ServiceError::invalid(
                    "default_sla_policy_id",
                    "no such policy in this workspace",
                ));
            }
            sla_policies::set_default(&tx, ctx, policy).await?;
        }
        let value = serde_json::to_value(&settings).map_err(ServiceError::internal)?;
        workspaces::update(&tx, ctx.workspace_id, name, value, self.now()).await?;
        let out = read(&tx, ctx).await?;
        tx.commit().await?;
        if renamed {
            // Cached sessions carry the workspace row; renames are rare, so drop them all.
            self.evict(Eviction::All).await;
        }
        Ok(out)
    }
}
