//! Assets: the client devices the team supports, each owned by an organization of the
//! workspace. Staff manage them.

use helpdesk_domain::{AssetId, OrganizationId, Permission, TenantCtx, text};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::assets::{self, Asset, AssetFields};
use helpdesk_storage::repo::organizations;
use sea_orm::ConnectionTrait;

use crate::Service;
use crate::actor::Actor;
use crate::error::{FieldError, ServiceError, ServiceResult};
use crate::paging::{PageRequest, Paginated, paginate_rows};
use crate::permissions::require;

/// An asset's fields as a caller gives them; `None` leaves a field alone. On creation the
/// organization, name and kind are required; `Some(None)` or blank clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct AssetInput {
    pub organization_id: Option<OrganizationId>,
    pub name: Option<String>,
    /// What the device is (`laptop`, `server` …); stored lower-case.
    pub kind: Option<String>,
    pub hostname: Option<Option<String>>,
    pub os: Option<Option<String>>,
    pub serial: Option<Option<String>>,
    pub remote_access_id: Option<Option<String>>,
    pub notes: Option<Option<String>>,
}

/// Which assets to list.
#[derive(Debug, Clone, Default)]
pub struct AssetFilter {
    pub organization_id: Option<OrganizationId>,
    /// Substring of name, hostname or serial, case-insensitive.
    pub q: Option<String>,
}

fn blank_is_none(v: Option<Option<String>>) -> Option<Option<String>> {
    v.map(|o| o.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()))
}

/// Checks each field and that the organization is one of the workspace's.
async fn fields(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    input: AssetInput,
) -> ServiceResult<AssetFields> {
    let mut errors = Vec::new();
    let mut required = |field: &str, v: Option<String>, max| {
        v.map(|s| {
            text::bounded(&s, 1, max).unwrap_or_else(|e| {
                errors.push(FieldError::new(field, e.to_string()));
                String::new()
            })
        })
    };
    let name = required("name", input.name, 200);
    let kind = required("kind", input.kind, 50).map(|k| k.to_lowercase());
    if let Some(org) = input.organization_id {
        match organizations::get(db, ctx, org).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => {
                errors.push(FieldError::new("organization_id", "no such organization"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Validation(errors));
    }
    Ok(AssetFields {
        organization_id: input.organization_id,
        name,
        kind,
        hostname: blank_is_none(input.hostname),
        os: blank_is_none(input.os),
        serial: blank_is_none(input.serial),
        remote_access_id: blank_is_none(input.remote_access_id),
        notes: blank_is_none(input.notes),
    })
}

impl Service {
    pub async fn assets(
        &self,
        actor: &Actor,
        filter: AssetFilter,
        page: PageRequest,
    ) -> ServiceResult<Paginated<Asset>> {
        require(actor, Permission::ReadDirectory)?;
        let page = page.page()?;
        let q = filter.q.as_deref().filter(|q| !q.trim().is_empty());
        let db = self.store.read();
        let rows = assets::list(db, &actor.ctx, filter.organization_id, q, page).await?;
        Ok(paginate_rows(rows, page, |a| a.id))
    }

    pub async fn asset(&self, actor: &Actor, id: AssetId) -> ServiceResult<Asset> {
        require(actor, Permission::ReadDirectory)?;
        Ok(assets::get(self.store.read(), &actor.ctx, id).await?)
    }

    pub async fn create_asset(&self, actor: &Actor, input: AssetInput) -> ServiceResult<Asset> {
        require(actor, Permission::ManageDirectory)?;
        let tx = self.begin().await?;
        let mut f = fields(&tx, &actor.ctx, input).await?;
        let mut missing = Vec::new();
        for (field, present) in [
            ("organization_id", f.organization_id.is_some()),
            ("name", f.name.is_some()),
            ("kind", f.kind.is_some()),
        ] {
            if !present {
                missing.push(FieldError::new(field, "is required"));
            }
        }
        let (Some(org), Some(name), Some(kind)) =
            (f.organization_id.take(), f.name.take(), f.kind.take())
        else {
            return Err(ServiceError::Validation(missing));
        };
        let asset = assets::create(&tx, &actor.ctx, org, name, kind, f, self.now()).await?;
        tx.commit().await?;
        Ok(asset)
    }

    pub async fn update_asset(
        &self,
        actor: &Actor,
        id: AssetId,
        input: AssetInput,
    ) -> ServiceResult<Asset> {
        require(actor, Permission::ManageDirectory)?;
        let tx = self.begin().await?;
        let f = fields(&tx, &actor.ctx, input).await?;
        let asset = assets::update(&tx, &actor.ctx, id, f, self.now()).await?;
        tx.commit().await?;
        Ok(asset)
    }

    pub async fn delete_asset(&self, actor: &Actor, id: AssetId) -> ServiceResult<()> {
        require(actor, Permission::ManageDirectory)?;
        Ok(assets::delete(self.store.write(), &actor.ctx, id).await?)
    }
}
