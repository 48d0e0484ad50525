//! Dashboards (staff): a period (today, 7 or 30 days, or dates) and optionally one
//! organization or agent; created, resolved, backlog, response and resolution times, SLA
//! compliance and billable time; volume over time as a chart and a table; per-agent and
//! per-organization tables; each as a CSV download. Figures come from the report use
//! cases the JSON API serves.

pub mod chart;
pub mod download;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use helpdesk_domain::{OrganizationId, UserId};
use helpdesk_service::reports::overview::Overview;
use helpdesk_service::reports::people::{AgentRow, OrganizationRow};
use helpdesk_service::reports::period::ReportQuery;
use helpdesk_service::reports::volume::VolumeRow;
use jiff::ToSpan;
use serde::{Deserialize, Serialize};

use crate::display::zone;
use crate::error::WebError;
use crate::pages::console::options::{self, Choice};
use crate::render::{Chrome, html};
use crate::session::{SignedIn, Staff};
use crate::state::WebState;

/// The dashboard's URL parameters.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// `today`, `7d`, `30d` (default) or `custom` (with `from` and `to`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
}

impl Params {
    /// The report query these parameters mean, in the workspace's zone.
    pub fn query(&self, state: &WebState, me: &SignedIn) -> Result<ReportQuery, WebError> {
        let bad = |w: &str| WebError::BadForm(format!("unknown {w}"));
        let given = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        let today = state
            .service
            .clock
            .now()
            .to_zoned(crate::display::zone_of(me))
            .date();
        let (from, to) = match self.period.as_deref().unwrap_or("30d") {
            "today" => (Some(today.to_string()), Some(today.to_string())),
            "7d" => (
                Some(today.saturating_sub(6.days()).to_string()),
                Some(today.to_string()),
            ),
            "30d" => (None, None),
            "custom" => (given(&self.from), given(&self.to)),
            _ => return Err(bad("period")),
        };
        Ok(ReportQuery {
            from,
            to,
            organization_id: given(&self.organization_id)
                .map(|s| s.parse::<OrganizationId>().map_err(|_| bad("organization")))
                .transpose()?,
            agent_id: given(&self.agent_id)
                .map(|s| s.parse::<UserId>().map_err(|_| bad("agent")))
                .transpose()?,
            ..ReportQuery::default()
        })
    }

    fn query_string(&self) -> String {
        serde_html_form::to_string(self).unwrap_or_default()
    }
}

/// Minutes as people read them: `45m`, `3h 05m`, `2d 4h`.
pub fn minutes(m: impl std::borrow::Borrow<Option<i64>>) -> String {
    match *m.borrow() {
        None => "—".to_owned(),
        Some(m) if m < 60 => format!("{m}m"),
        Some(m) if m < 1440 => format!("{}h {:02}m", m / 60, m % 60),
        Some(m) => format!("{}d {}h", m / 1440, (m % 1440) / 60),
    }
}

/// A total of minutes, as [`minutes`] reads it.
pub fn total(m: &i64) -> String {
    minutes(Some(*m))
}

/// A billing row in words and money.
#[derive(Debug, Clone)]
pub struct BillingLine {
    pub organization: String,
    pub contract: String,
    pub period: String,
    pub used: String,
    pub included: String,
    pub overage: String,
    pub amount: String,
}

impl BillingLine {
    fn of(r: helpdesk_service::contracts::billing::BillingRow) -> Self {
        let period = match (&r.period_start, &r.period_end) {
            (Some(a), Some(b)) => format!("{a} to {b}"),
            (Some(a), None) => format!("from {a}"),
            _ => "in the period".to_owned(),
        };
        let amount = match (r.amount_cents, &r.currency) {
            (Some(c), Some(cur)) => format!("{}.{:02} {cur}", c / 100, c % 100),
            _ => "—".to_owned(),
        };
        Self {
            organization: r.organization,
            contract: r.contract.unwrap_or_else(|| "No contract".to_owned()),
            period,
            used: minutes(Some(r.billable_minutes)),
            included: if r.contract_id.is_some() && r.included_minutes > 0 {
                minutes(Some(r.included_minutes))
            } else {
                "—".to_owned()
            },
            overage: minutes(Some(r.overage_minutes)),
            amount,
        }
    }
}

/// A share as a page shows it.
pub fn percent(p: impl std::borrow::Borrow<Option<f64>>) -> String {
    p.borrow()
        .map_or_else(|| "—".to_owned(), |p| format!("{p:.1} %"))
}

#[derive(Template)]
#[template(path = "reports/dashboard.html")]
struct Dashboard {
    chrome: Chrome,
    periods: Vec<Choice>,
    custom: bool,
    from: String,
    to: String,
    organizations: Vec<Choice>,
    agents: Vec<Choice>,
    o: Overview,
    volume: Vec<VolumeRow>,
    interval: &'static str,
    chart: chart::Chart,
    trend: Vec<helpdesk_service::reports::sla_trend::SlaTrendRow>,
    trend_chart: chart::Chart,
    people: Vec<AgentRow>,
    orgs: Vec<OrganizationRow>,
    /// Satisfaction: the overall row, then agents and organizations.
    csat: Vec<helpdesk_service::csat::report::CsatRow>,
    csat_empty: bool,
    /// What to invoice: contract periods overlapping the period, and time outside them.
    billing: Vec<BillingLine>,
    billable: String,
    csv: String,
    /// The period as local dates, the last one inclusive.
    span: String,
}

/// A backlog key (`ON_HOLD`) as a label (`On hold`).
pub fn label(k: &str) -> String {
    let lower = k.replace('_', " ").to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// `from` to `to` (exclusive instants) as the local dates they cover.
fn span(from: &str, to: &str, tz: &jiff::tz::TimeZone) -> String {
    let day = |s: &str, back: bool| {
        s.parse::<jiff::Timestamp>()
            .ok()
            .map(|t| {
                if back {
                    t - jiff::SignedDuration::from_secs(1)
                } else {
                    t
                }
            })
            .map(|t| t.to_zoned(tz.clone()).date().to_string())
    };
    match (day(from, false), day(to, true)) {
        (Some(a), Some(b)) if a == b => a,
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => format!("{from} to {to}"),
    }
}

pub async fn page(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let svc = &state.service;
    let actor = &me.actor;
    let q = p.query(&state, &me)?;
    let o = svc.report_overview(actor, &q).await?;
    // Daily bars up to two months, weekly beyond.
    let days = match (
        o.from.parse::<jiff::Timestamp>(),
        o.to.parse::<jiff::Timestamp>(),
    ) {
        (Ok(a), Ok(b)) => (b.as_second() - a.as_second()) / 86_400,
        _ => 30,
    };
    let interval = if days > 62 { "week" } else { "day" };
    let vq = ReportQuery {
        interval: Some(interval.to_owned()),
        ..q.clone()
    };
    let volume = svc.report_volume(actor, &vq).await?.rows;
    let trend = svc.report_sla_trend(actor, &q).await?;
    let people = svc.report_agents(actor, &q).await?;
    let orgs = svc.report_organizations(actor, &q).await?;
    let csat = svc.report_csat(actor, &q).await?;
    let billing = svc
        .report_billing(actor, &q)
        .await?
        .into_iter()
        .map(BillingLine::of)
        .collect();
    let billable = minutes(Some(people.iter().map(|a| a.billable_minutes).sum()));
    let staff = options::staff(svc, actor).await?;
    let org_names = options::organizations(svc, actor).await?;
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let tz = zone(&o.timezone);
    let span = span(&o.from, &o.to, &tz);
    html(&Dashboard {
        chrome: Chrome::new(&visit, "reports"),
        periods: options::choices(
            &[
                ("today", "Today"),
                ("7d", "Last 7 days"),
                ("30d", "Last 30 days"),
                ("custom", "Dates…"),
            ],
            p.period.as_deref().unwrap_or("30d"),
        ),
        custom: p.period.as_deref() == Some("custom"),
        from: value(&p.from),
        to: value(&p.to),
        organizations: options::named(
            &[("", "All organizations")],
            &org_names,
            &value(&p.organization_id),
        ),
        agents: options::named(&[("", "All agents")], &staff, &value(&p.agent_id)),
        chart: chart::volume(&volume),
        trend_chart: chart::compliance(&trend),
        trend,
        o,
        volume,
        interval,
        people,
        orgs,
        csat_empty: csat.first().is_none_or(|r| r.asked == 0),
        billing,
        csat,
        billable,
        csv: p.query_string(),
        span,
    })
}
