//! Organizations: the support team's client companies, the email domains that place new
//! customers in them and the SLA policy they name. Staff manage them.

use helpdesk_domain::{Email, OrganizationId, Permission, TenantCtx, text};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::organizations::{self, Organization, OrganizationFields};
use helpdesk_storage::repo::sla_policies;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::Service;
use crate::actor::Actor;
use crate::auth_cache::Eviction;
use crate::error::{FieldError, ServiceError, ServiceResult};
use crate::paging::{PageRequest, Paginated, paginate_rows};
use crate::permissions::require;

/// An organization's fields as a caller gives them; `None` leaves a field alone (and is
/// "none" on creation, except for the required name).
#[derive(Debug, Clone, Default)]
pub struct OrganizationInput {
    pub name: Option<String>,
    /// Email domains (`acme.com`, `@acme.com`); case and duplicates do not matter.
    pub domains: Option<Vec<String>>,
    /// `Some(None)` clears the policy.
    pub sla_policy_id: Option<Option<Uuid>>,
    /// `Some(None)` or blank clears the notes.
    pub notes: Option<Option<String>>,
}

/// Checks each field; errors name the field (`domains[1]`).
fn fields(input: OrganizationInput) -> ServiceResult<OrganizationFields> {
    let mut errors = Vec::new();
    let name = input.name.map(|n| {
        text::bounded(&n, 1, 200).unwrap_or_else(|e| {
            errors.push(FieldError::new("name", e.to_string()));
            String::new()
        })
    });
    let domains = input.domains.map(|list| {
        let mut out: Vec<String> = Vec::new();
        for (i, d) in list.iter().enumerate() {
            let d = d.trim().trim_start_matches('@').to_lowercase();
            if Email::parse(&format!("x@{d}")).is_err() {
                errors.push(FieldError::new(
                    format!("domains[{i}]"),
                    "must be a domain name like acme.com",
                ));
            } else if !out.contains(&d) {
                out.push(d);
            }
        }
        out
    });
    if !errors.is_empty() {
        return Err(ServiceError::Validation(errors));
    }
    Ok(OrganizationFields {
        name,
        domains,
        sla_policy_id: input.sla_policy_id,
        notes: input
            .notes
            .map(|n| n.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())),
    })
}

/// An SLA policy named by a request must be one of the workspace's.
async fn check_policy(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    f: &OrganizationFields,
) -> ServiceResult<()> {
    if let Some(Some(id)) = f.sla_policy_id {
        match sla_policies::get(db, ctx, id).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => {
                return Err(ServiceError::invalid("sla_policy_id", "no such SLA policy"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

impl Service {
    /// Organizations by name; `q` is a case-insensitive substring of the name.
    pub async fn organizations(
        &self,
        actor: &Actor,
        q: Option<&str>,
        page: PageRequest,
    ) -> ServiceResult<Paginated<Organization>> {
        require(actor, Permission::ReadDirectory)?;
        let page = page.page()?;
        let q = q.filter(|q| !q.trim().is_empty());
        let rows = organizations::list(self.store.read(), &actor.ctx, q, page).await?;
        Ok(paginate_rows(rows, page, |o| o.row.id))
    }

    pub async fn organization(
        &self,
        actor: &Actor,
        id: OrganizationId,
    ) -> ServiceResult<Organization> {
        require(actor, Permission::ReadDirectory)?;
        Ok(organizations::get(self.store.read(), &actor.ctx, id).await?)
    }

    /// A new organization; a domain another organization has is a conflict.
    pub async fn create_organization(
        &self,
        actor: &Actor,
        input: OrganizationInput,
    ) -> ServiceResult<Organization> {
        require(actor, Permission::ManageDirectory)?;
        let mut fields = fields(input)?;
        let name = fields
            .name
            .take()
            .ok_or_else(|| ServiceError::invalid("name", "is required"))?;
        let tx = self.begin().await?;
        check_policy(&tx, &actor.ctx, &fields).await?;
        let org = organizations::create(&tx, &actor.ctx, name, fields, self.now()).await?;
        tx.commit().await?;
        Ok(org)
    }

    pub async fn update_organization(
        &self,
        actor: &Actor,
        id: OrganizationId,
        input: OrganizationInput,
    ) -> ServiceResult<Organization> {
        require(actor, Permission::ManageDirectory)?;
        let fields = fields(input)?;
        let tx = self.begin().await?;
        check_policy(&tx, &actor.ctx, &fields).await?;
        let org = organizations::update(&tx, &actor.ctx, id, fields, self.now()).await?;
        tx.commit().await?;
        Ok(org)
    }

    /// Deletes an organization without assets; its customers stay, without organization.
    pub async fn delete_organization(
        &self,
        actor: &Actor,
        id: OrganizationId,
    ) -> ServiceResult<()> {
        require(actor, Permission::ManageDirectory)?;
        let tx = self.begin().await?;
        organizations::delete(&tx, &actor.ctx, id).await?;
        tx.commit().await?;
        // Its customers lost their organization; cached identities must not keep it.
        self.evict(Eviction::All).await;
        Ok(())
    }
}
