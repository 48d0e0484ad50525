//! `GET /reports/csat`: the surveys asked in a period (by their resolution), answered good
//! or bad — overall, per agent (the assignee at the resolution) and per organization.

use helpdesk_domain::csat::{Rating, good_percent};
use helpdesk_domain::{Permission, Priority};
use helpdesk_storage::repo::csat::{self, Survey};
use helpdesk_storage::repo::reports;
use serde::Serialize;
use uuid::Uuid;

use crate::Service;
use crate::actor::Actor;
use crate::error::ServiceResult;
use crate::permissions::require;
use crate::reports::period::{Period, ReportQuery, no_interval};

/// One row; CSV columns in this order. `scope` is `overall`, `agent` or `organization`;
/// `id` is null overall and for tickets without an assignee or organization.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CsatRow {
    pub scope: &'static str,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub id: Option<Uuid>,
    pub name: String,
    /// Surveys asked (resolutions in the period).
    pub asked: u64,
    pub rated: u64,
    pub good: u64,
    pub bad: u64,
    /// `good / rated × 100`, one decimal; null without answers.
    pub good_percent: Option<f64>,
}

fn row(scope: &'static str, id: Option<Uuid>, name: String, of: &[&Survey]) -> CsatRow {
    let is = |r: Rating| {
        of.iter()
            .filter(|s| s.rating.as_deref() == Some(r.as_str()))
            .count() as u64
    };
    let (good, bad) = (is(Rating::Good), is(Rating::Bad));
    CsatRow {
        scope,
        id,
        name,
        asked: of.len() as u64,
        rated: good + bad,
        good,
        bad,
        good_percent: good_percent(good, bad),
    }
}

/// Keys in first-seen order with their surveys.
fn group(
    list: &[&Survey],
    key: impl Fn(&Survey) -> Option<Uuid>,
) -> Vec<(Option<Uuid>, Vec<Survey>)> {
    let mut out: Vec<(Option<Uuid>, Vec<Survey>)> = Vec::new();
    for s in list {
        let k = key(s);
        match out.iter_mut().find(|(g, _)| *g == k) {
            Some((_, v)) => v.push((*s).clone()),
            None => out.push((k, vec![(*s).clone()])),
        }
    }
    out
}

fn wanted(p: &Period, s: &Survey) -> bool {
    let f = &p.filter;
    f.organization
        .is_none_or(|o| s.organization_id == Some(o.as_uuid()))
        && f.agent.is_none_or(|a| s.assignee_id == Some(a.as_uuid()))
        && f.priority
            .is_none_or(|pr: Priority| s.priority == i64::from(pr.rank()))
}

impl Service {
    /// The CSAT report: the overall row first, then agents and organizations by name.
    pub async fn report_csat(&self, actor: &Actor, q: &ReportQuery) -> ServiceResult<Vec<CsatRow>> {
        require(actor, Permission::ReadReports)?;
        no_interval(q)?;
        let db = reports::snapshot(&self.store).await?;
        let p = Period::resolve(&db, &actor.ctx, q, self.now()).await?;
        let all = csat::asked_in(&db, &actor.ctx, p.window.from, p.window.to).await?;
        let list: Vec<&Survey> = all.iter().filter(|s| wanted(&p, s)).collect();
        let staff = reports::staff(&db, &actor.ctx).await?;
        let orgs = reports::organizations(&db, &actor.ctx).await?;
        let mut out = vec![row("overall", None, "All tickets".into(), &list)];
        let mut agents: Vec<CsatRow> = group(&list, |s| s.assignee_id)
            .into_iter()
            .map(|(id, v)| {
                let name = match id {
                    Some(a) => staff
                        .iter()
                        .find(|s| s.0 == a)
                        .map_or_else(|| "Former staff".to_owned(), |s| s.1.clone()),
                    None => "Unassigned".to_owned(),
                };
                row("agent", id, name, &v.iter().collect::<Vec<_>>())
            })
            .collect();
        agents.sort_by(|a, b| a.name.cmp(&b.name));
        let mut by_org: Vec<CsatRow> = group(&list, |s| s.organization_id)
            .into_iter()
            .map(|(id, v)| {
                let name = match id {
                    Some(o) => orgs
                        .iter()
                        .find(|x| x.0 == o)
                        .map_or_else(|| "Removed organization".to_owned(), |x| x.1.clone()),
                    None => "No organization".to_owned(),
                };
                row("organization", id, name, &v.iter().collect::<Vec<_>>())
            })
            .collect();
        by_org.sort_by(|a, b| a.name.cmp(&b.name));
        out.extend(agents);
        out.extend(by_org);
        Ok(out)
    }
}
