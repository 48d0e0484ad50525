//! Contracts with client organizations (admins write them, staff read them): prepaid hours,
//! retainers and time and materials, with included minutes per period, a rate and
//! currency, dates, an alert point and optionally the SLA policy the organization's
//! tickets get while the contract is in force. Contracts of one organization never
//! overlap, so a billable minute draws on the contract in force on its day.

pub mod alerts;
pub mod billing;
pub mod check;
pub mod usage;

use helpdesk_domain::contract::{ContractKind, Period};
use helpdesk_domain::{OrganizationId, Permission};
use helpdesk_storage::repo::contracts::{self, Contract};
use helpdesk_storage::repo::organizations;
use serde::Serialize;
use uuid::Uuid;

use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;
use crate::time::rfc3339;

pub use check::ContractInput;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ContractOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub name: String,
    pub kind: ContractKind,
    /// Minutes included per period (null for time and materials).
    pub included_minutes: Option<i64>,
    pub period: Period,
    /// The first day (in the workspace's time zone).
    pub starts_on: String,
    /// The last day, inclusive; null: open-ended.
    pub ends_on: Option<String>,
    /// Per hour, in minor units of `currency` (cents).
    pub hourly_rate_cents: Option<i64>,
    /// ISO 4217, like `EUR`.
    pub currency: String,
    /// The SLA policy the organization's tickets get while the contract is in force.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub sla_policy_id: Option<Uuid>,
    /// Admins are alerted once per period when usage reaches this share of the included
    /// minutes, and again when they are used up.
    pub alert_at_percent: i64,
    pub created_at: String,
}

impl ContractOut {
    pub fn of(c: &Contract) -> ServiceResult<Self> {
        let corrupt = || ServiceError::corrupt(format!("contract {}", c.id));
        Ok(Self {
            id: c.id,
            organization_id: OrganizationId::from_uuid(c.organization_id),
            name: c.name.clone(),
            kind: ContractKind::parse(&c.kind).ok_or_else(corrupt)?,
            included_minutes: c.included_minutes,
            period: Period::parse(&c.period).ok_or_else(corrupt)?,
            starts_on: c.starts_on.clone(),
            ends_on: c.ends_on.clone(),
            hourly_rate_cents: c.hourly_rate_minor,
            currency: c.currency.clone(),
            sla_policy_id: c.sla_policy_id,
            alert_at_percent: c.alert_at_percent,
            created_at: rfc3339(c.created_at),
        })
    }
}

impl Service {
    /// `GET /organizations/{id}/contracts` (staff).
    pub async fn contracts(
        &self,
        actor: &Actor,
        org: OrganizationId,
    ) -> ServiceResult<Vec<ContractOut>> {
        require(actor, Permission::ReadReports)?;
        let db = self.store.read();
        organizations::get(db, &actor.ctx, org).await?;
        contracts::of_organization(db, &actor.ctx, org.as_uuid())
            .await?
            .iter()
            .map(ContractOut::of)
            .collect()
    }

    /// `GET /contracts/{id}` (staff).
    pub async fn contract(&self, actor: &Actor, id: Uuid) -> ServiceResult<ContractOut> {
        require(actor, Permission::ReadReports)?;
        ContractOut::of(&contracts::get(self.store.read(), &actor.ctx, id).await?)
    }

    /// `POST /organizations/{id}/contracts` (admins).
    pub async fn create_contract(
        &self,
        actor: &Actor,
        org: OrganizationId,
        input: ContractInput,
    ) -> ServiceResult<ContractOut> {
        require(actor, Permission::ManageContracts)?;
        let tx = self.begin().await?;
        organizations::get(&tx, &actor.ctx, org).await?;
        let fields = check::fields(&tx, &actor.ctx, None, input).await?;
        check::no_overlap(&tx, &actor.ctx, org.as_uuid(), None, &fields).await?;
        let c = contracts::create(&tx, &actor.ctx, org.as_uuid(), fields, self.now()).await?;
        tx.commit().await?;
        ContractOut::of(&c)
    }

    /// `PATCH /contracts/{id}` (admins): what `input` names changes.
    pub async fn update_contract(
        &self,
        actor: &Actor,
        id: Uuid,
        input: ContractInput,
    ) -> ServiceResult<ContractOut> {
        require(actor, Permission::ManageContracts)?;
        let tx = self.begin().await?;
        let current = contracts::get(&tx, &actor.ctx, id).await?;
        let fields = check::fields(&tx, &actor.ctx, Some(&current), input).await?;
        let org = current.organization_id;
        check::no_overlap(&tx, &actor.ctx, org, Some(id), &fields).await?;
        let c = contracts::update(&tx, &current, fields, self.now()).await?;
        tx.commit().await?;
        ContractOut::of(&c)
    }

    /// `DELETE /contracts/{id}` (admins). Its time stays logged; it no longer draws on it.
    pub async fn delete_contract(&self, actor: &Actor, id: Uuid) -> ServiceResult<()> {
        require(actor, Permission::ManageContracts)?;
        Ok(contracts::delete(self.store.write(), &actor.ctx, id).await?)
    }
}
