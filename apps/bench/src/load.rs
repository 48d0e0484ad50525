//! The load generator: a fixed number of workers, each sending requests back to back
//! until the deadline, latencies in an HDR histogram per scenario.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::{Client, Method, StatusCode};
use serde::Serialize;
use serde_json::{Value, json};

use crate::dataset::{self, SEARCH_WORD};
use crate::report::Scenario as Outcome;

/// What the workers share: the server, tokens, and tickets worth replying to.
#[derive(Debug)]
pub struct Fixture {
    pub base: String,
    pub client: Client,
    pub agents: Vec<String>,
    pub customers: Vec<String>,
    /// Customers of up to 16 other workspaces, one each: `create_ticket_spread`.
    pub spread_customers: Vec<String>,
    pub open_tickets: Vec<i64>,
    /// Tickets `1..=max_number` of workspace 1 exist: `get_ticket` picks among them.
    pub max_number: i64,
    pub slug: String,
    /// `Cookie` headers of agents signed in to the web app.
    pub web_sessions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    Health,
    Login,
    Me,
    CreateTicket,
    /// `create_ticket` with each request in one of up to 16 workspaces: creations that do
    /// not queue behind one workspace's ticket counter.
    CreateTicketSpread,
    ListFiltered,
    /// The most common agent query: `?status=NEW,OPEN`, no other filter.
    ListStatus,
    ListSearch,
    GetTicket,
    AddMessage,
    Mixed,
    /// The last 30 days' overview of the large workspace.
    ReportOverview,
    /// The last 30 days per agent.
    ReportAgents,
    /// The web console's ticket list page (All open), as an agent's browser asks for it.
    WebList,
    /// The web console's ticket page.
    WebTicket,
    /// Half `create_ticket`, half public `add_message`: the sustained write load (not in
    /// `ALL`: it needs a worker).
    Writes,
}

impl Scenario {
    pub const ALL: [Scenario; 15] = [
        Scenario::Health,
        Scenario::Login,
        Scenario::Me,
        Scenario::CreateTicket,
        Scenario::CreateTicketSpread,
        Scenario::ListFiltered,
        Scenario::ListStatus,
        Scenario::ListSearch,
        Scenario::GetTicket,
        Scenario::AddMessage,
        Scenario::Mixed,
        Scenario::ReportOverview,
        Scenario::ReportAgents,
        Scenario::WebList,
        Scenario::WebTicket,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scenario::Health => "health",
            Scenario::Login => "login",
            Scenario::Me => "me",
            Scenario::CreateTicket => "create_ticket",
            Scenario::CreateTicketSpread => "create_ticket_spread",
            Scenario::ListFiltered => "list_filtered",
            Scenario::ListStatus => "list_status",
            Scenario::ListSearch => "list_search",
            Scenario::GetTicket => "get_ticket",
            Scenario::AddMessage => "add_message",
            Scenario::Mixed => "mixed",
            Scenario::ReportOverview => "report_overview",
            Scenario::ReportAgents => "report_agents",
            Scenario::WebList => "web_list",
            Scenario::WebTicket => "web_ticket",
            Scenario::Writes => "writes",
        }
    }

    /// Reports are a manager's request, not traffic, and pages are measured for the time
    /// one person waits: both one at a time.
    pub fn concurrency(self, load: usize) -> usize {
        match self {
            Scenario::ReportOverview
            | Scenario::ReportAgents
            | Scenario::WebList
            | Scenario::WebTicket => 1,
            _ => load,
        }
    }

    pub fn parse(s: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|x| x.name() == s)
    }
}

/// One request of `scenario`; `Mixed` draws one like a support team's day: mostly reads.
async fn one(
    f: &Fixture,
    scenario: Scenario,
    rng: &mut StdRng,
) -> Result<StatusCode, reqwest::Error> {
    let agent = &f.agents[rng.random_range(0..f.agents.len())];
    let send = |method: Method, path: String, token: Option<&str>, body: Option<Value>| {
        let mut req = f.client.request(method, format!("{}{path}", f.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        async move {
            let res = req.send().await?;
            let status = res.status();
            res.bytes().await?;
            Ok(status)
        }
    };
    match scenario {
        Scenario::Health => send(Method::GET, "/health".into(), None, None).await,
        Scenario::Login => {
            let n = rng.random_range(1..=f.agents.len().max(1)) as u64;
            let body = json!({"email": dataset::agent_email(1, n), "password": dataset::PASSWORD, "workspace": f.slug});
            send(Method::POST, "/api/v1/auth/login".into(), None, Some(body)).await
        }
        Scenario::Me => send(Method::GET, "/api/v1/auth/me".into(), Some(agent), None).await,
        Scenario::CreateTicket | Scenario::CreateTicketSpread => {
            let customers = match scenario {
                Scenario::CreateTicket => &f.customers,
                _ => &f.spread_customers,
            };
            let customer = &customers[rng.random_range(0..customers.len())];
            let body = json!({"subject": "Printer error", "description": "PC Load Letter"});
            send(
                Method::POST,
                "/api/v1/tickets".into(),
                Some(customer),
                Some(body),
            )
            .await
        }
        Scenario::ListFiltered => {
            send(
                Method::GET,
                "/api/v1/tickets?status=NEW,OPEN&priority=HIGH".into(),
                Some(agent),
                None,
            )
            .await
        }
        Scenario::ListStatus => {
            send(
                Method::GET,
                "/api/v1/tickets?status=NEW,OPEN".into(),
                Some(agent),
                None,
            )
            .await
        }
        Scenario::ListSearch => {
            send(
                Method::GET,
                format!("/api/v1/tickets?q={SEARCH_WORD}"),
                Some(agent),
                None,
            )
            .await
        }
        Scenario::GetTicket => {
            let n = rng.random_range(1..=f.max_number.max(1));
            send(
                Method::GET,
                format!("/api/v1/tickets/{n}"),
                Some(agent),
                None,
            )
            .await
        }
        Scenario::AddMessage => {
            let n = f.open_tickets[rng.random_range(0..f.open_tickets.len())];
            let body = json!({"body": "Please restart the printer.", "internal": rng.random_range(0..4) == 0});
            send(
                Method::POST,
                format!("/api/v1/tickets/{n}/messages"),
                Some(agent),
                Some(body),
            )
            .await
        }
        Scenario::ReportOverview => {
            send(
                Method::GET,
                "/api/v1/reports/overview".into(),
                Some(agent),
                None,
            )
            .await
        }
        Scenario::ReportAgents => {
            send(
                Method::GET,
                "/api/v1/reports/agents".into(),
                Some(agent),
                None,
            )
            .await
        }
        Scenario::WebList | Scenario::WebTicket => {
            let cookie = &f.web_sessions[rng.random_range(0..f.web_sessions.len())];
            let path = match scenario {
                Scenario::WebList => "/tickets?view=open".to_owned(),
                _ => format!("/tickets/{}", rng.random_range(1..=f.max_number.max(1))),
            };
            let res = f
                .client
                .get(format!("{}{path}", f.base))
                .header(reqwest::header::COOKIE, cookie)
                .send()
                .await?;
            let status = res.status();
            res.bytes().await?;
            Ok(status)
        }
        Scenario::Writes => {
            let pick = if rng.random_range(0..2) == 0 {
                Scenario::CreateTicket
            } else {
                Scenario::AddMessage
            };
            Box::pin(one(f, pick, rng)).await
        }
        Scenario::Mixed => {
            let pick = match rng.random_range(0..100) {
                0..35 => Scenario::ListFiltered,
                35..60 => Scenario::GetTicket,
                60..70 => Scenario::ListSearch,
                70..80 => Scenario::Me,
                80..92 => Scenario::AddMessage,
                _ => Scenario::CreateTicket,
            };
            Box::pin(one(f, pick, rng)).await
        }
    }
}

fn outcome(
    name: &str,
    concurrency: usize,
    elapsed: Duration,
    h: &Histogram<u64>,
    errors: u64,
) -> Outcome {
    let ms = |us: u64| us as f64 / 1000.0;
    Outcome {
        scenario: name.to_owned(),
        concurrency,
        seconds: elapsed.as_secs_f64(),
        requests: h.len(),
        errors,
        rps: h.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: ms(h.value_at_quantile(0.50)),
        p90_ms: ms(h.value_at_quantile(0.90)),
        p95_ms: ms(h.value_at_quantile(0.95)),
        p99_ms: ms(h.value_at_quantile(0.99)),
        max_ms: ms(h.max()),
        peak_rss_mb: None,
    }
}

/// Runs `scenario` with `concurrency` workers for `duration`.
pub async fn run(
    f: Arc<Fixture>,
    scenario: Scenario,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<Outcome> {
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let workers = (0..concurrency).map(|w| {
        let f = f.clone();
        tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(w as u64 + 1);
            let mut h = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                match one(&f, scenario, &mut rng).await {
                    Ok(s) if s.is_success() => {}
                    _ => errors += 1,
                }
                h.saturating_record(t.elapsed().as_micros() as u64);
            }
            Ok::<_, anyhow::Error>((h, errors))
        })
    });
    let mut total = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
    let mut errors = 0;
    for w in futures::future::join_all(workers).await {
        let (h, e) = w??;
        total.add(&h)?;
        errors += e;
    }
    Ok(outcome(
        scenario.name(),
        concurrency,
        started.elapsed(),
        &total,
        errors,
    ))
}

/// `list_filtered` measured while half the workers flood `login`: hashing must not starve reads.
pub async fn list_under_login_flood(
    f: Arc<Fixture>,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<Outcome> {
    let flood = tokio::spawn(run(f.clone(), Scenario::Login, concurrency, duration));
    let mut list = run(f, Scenario::ListFiltered, concurrency, duration).await?;
    flood.await??;
    list.scenario = "list_filtered_during_login_flood".into();
    Ok(list)
}
