//! `/tickets/{number}/sla`: why the ticket's SLA clocks say what they say — each metric's
//! current cycle with the arithmetic in words, the terms that apply, and every step.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use helpdesk_domain::sla::Metric;
use helpdesk_storage::repo::tickets::TicketRef;

use crate::display::{When, when};
use crate::error::WebError;
use crate::pages::tickets::ticket_number;
use crate::render::{Chrome, html};
use crate::session::Staff;
use crate::state::WebState;

#[derive(Debug, Clone)]
pub struct CycleView {
    pub metric: String,
    pub cycle: u32,
    pub derivation: String,
    pub due: Option<When>,
    pub state: &'static str,
}

#[derive(Debug, Clone)]
pub struct StepView {
    pub metric: String,
    pub kind: String,
    pub at: When,
}

#[derive(Template)]
#[template(path = "console/sla.html")]
struct SlaPage {
    chrome: Chrome,
    number: i64,
    subject: String,
    terms: Option<String>,
    cycles: Vec<CycleView>,
    steps: Vec<StepView>,
}

fn metric_name(m: Metric) -> &'static str {
    match m {
        Metric::FirstResponse => "First response",
        Metric::NextResponse => "Next response",
        Metric::Resolution => "Resolution",
    }
}

pub async fn page(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(number): Path<String>,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    let r = TicketRef::Number(number);
    let svc = &state.service;
    let t = svc.ticket(&me.actor, r).await?;
    let out = svc.ticket_sla(&me.actor, r).await?;
    let tz = crate::display::zone_of(&me);
    let now = svc.clock.now();
    let terms = out.terms.as_ref().map(|t| {
        format!(
            "{} priority; counted in {}; warning at {} % of each target.",
            crate::display::priority(t.priority).label,
            if t.business_hours_id.is_some() {
                format!("business hours ({})", t.timezone)
            } else {
                "24×7".to_owned()
            },
            t.warn_at_percent
        )
    });
    let cycles = out
        .cycles
        .iter()
        .map(|c| CycleView {
            metric: metric_name(c.metric).to_owned(),
            cycle: c.cycle,
            derivation: c.derivation.clone(),
            due: c.due_at.as_deref().map(|d| when(d, now, &tz)),
            state: match (c.fulfilled_at.is_some(), c.breached, c.warned) {
                (_, true, _) => "breached",
                (true, false, _) => "met",
                (false, false, true) => "at risk",
                _ => "running",
            },
        })
        .collect();
    let steps = out
        .events
        .iter()
        .map(|s| StepView {
            metric: s.metric.replace('_', " "),
            kind: s.kind.clone(),
            at: when(&s.at, now, &tz),
        })
        .collect();
    html(&SlaPage {
        chrome: Chrome::new(&visit, "tickets"),
        number,
        subject: t.subject,
        terms,
        cycles,
        steps,
    })
}
