//! Prepares a load run against a seeded server: tokens for agents and customers of the
//! large workspace, and tickets that accept replies.

use std::time::Duration;

use reqwest::Client;
use serde_json::{Value, json};

use crate::dataset;
use crate::load::Fixture;

async fn login(client: &Client, base: &str, email: &str) -> anyhow::Result<String> {
    let body =
        json!({"email": email, "password": dataset::PASSWORD, "workspace": dataset::slug(1)});
    token(client, base, &body).await
}

/// The access token `POST /auth/login` gives for `body`.
pub async fn token(client: &Client, base: &str, body: &Value) -> anyhow::Result<String> {
    let res: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(body)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    res["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no token for {}", body["email"]))
}

/// Signs `email` in to the web app through its form; returns the `Cookie` header value.
async fn web_login(base: &str, email: &str) -> anyhow::Result<String> {
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let form = client.get(format!("{base}/login")).send().await?;
    let cookie = |res: &reqwest::Response, name: &str| {
        res.headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    };
    let pre = cookie(&form, "hd_pre").ok_or_else(|| anyhow::anyhow!("no pre-session cookie"))?;
    let csrf = pre.trim_start_matches("hd_pre=").to_owned();
    let fields = [
        ("csrf", csrf.as_str()),
        ("email", email),
        ("password", dataset::PASSWORD),
        ("workspace", &dataset::slug(1)),
    ];
    let done = client
        .post(format!("{base}/login"))
        .header(reqwest::header::COOKIE, &pre)
        .form(&fields)
        .send()
        .await?;
    cookie(&done, "hd_session").ok_or_else(|| anyhow::anyhow!("web sign-in failed for {email}"))
}

/// How many workspaces `create_ticket_spread` spreads its creations over.
const SPREAD: u64 = 16;

/// `seeded` is how many tickets the seed gave workspace 1: numbers `1..=seeded` exist
/// (later tickets may have been removed, e.g. the anchors'); `workspaces` how many the seed
/// made.
pub async fn prepare(
    base: &str,
    concurrency: usize,
    seeded: u64,
    workspaces: u64,
) -> anyhow::Result<Fixture> {
    let client = Client::builder()
        .pool_max_idle_per_host(concurrency * 2)
        .timeout(Duration::from_secs(30))
        .build()?;
    let pool = 16usize;
    let mut agents = Vec::new();
    let mut customers = Vec::new();
    for n in 1..=pool as u64 {
        agents.push(login(&client, base, &dataset::agent_email(1, n)).await?);
        customers.push(login(&client, base, &dataset::customer_email(1, n)).await?);
    }
    // One customer in each of the next workspaces (workspace 1 alone if there is no other).
    let mut spread_customers = Vec::new();
    for ws in (2..=workspaces.min(SPREAD + 1)).chain((workspaces < 2).then_some(1)) {
        let body = json!({"email": dataset::customer_email(ws, 1), "password": dataset::PASSWORD, "workspace": dataset::slug(ws)});
        spread_customers.push(token(&client, base, &body).await?);
    }
    let get = |path: String| {
        let client = client.clone();
        let token = agents[0].clone();
        async move {
            client
                .get(path)
                .bearer_auth(token)
                .send()
                .await?
                .error_for_status()?
                .json::<Value>()
                .await
        }
    };
    let mut web_sessions = Vec::new();
    for n in 1..=4u64 {
        web_sessions.push(web_login(base, &dataset::agent_email(1, n)).await?);
    }
    let max_number = i64::try_from(seeded.max(1))?;
    let open = get(format!(
        "{base}/api/v1/tickets?status=NEW,OPEN,PENDING,ON_HOLD&limit=100"
    ))
    .await?;
    let open_tickets: Vec<i64> = open["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|t| t["number"].as_i64()).collect())
        .unwrap_or_default();
    if open_tickets.is_empty() {
        anyhow::bail!("the data set has no open tickets to reply to");
    }
    Ok(Fixture {
        base: base.to_owned(),
        client,
        agents,
        customers,
        spread_customers,
        open_tickets,
        max_number,
        slug: dataset::slug(1),
        web_sessions,
    })
}
