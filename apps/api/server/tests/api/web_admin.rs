//! The admin pages without JavaScript, per role: admins set up organizations with their
//! assets, API keys, the workspace, and retry dead jobs; agents see organizations (which
//! they may manage) and nothing else; customers and other workspaces see nothing.

use helpdesk_storage::repo::jobs::{self, Lease, NewJob};
use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;
use crate::web_client::Browser;

const PAGES: [&str; 4] = [
    "/admin/organizations",
    "/admin/api-keys",
    "/admin/jobs",
    "/admin/workspace",
];

async fn browser(app: &TestApp, email: &str, password: &str) -> Browser {
    let mut b = Browser::new(app);
    b.sign_in(email, password).await;
    b.get("/tickets").await;
    b
}

async fn each_role_sees_its_pages(app: TestApp) {
    let _t = app.team("Acme").await;
    let mut admin = browser(&app, "admin@acme.test", "secure").await;
    let mut agent = browser(&app, "agent@acme.test", "password1").await;
    let mut alice = browser(&app, "alice@acme-client.test", "password1").await;
    for page in PAGES {
        let r = admin.get(page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        assert!(r.body.contains(r#"aria-current="page">"#), "{page}");
        let expected = if page == "/admin/organizations" {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(agent.get(page).await.status, expected, "agent {page}");
        assert_eq!(
            alice.get(page).await.status,
            StatusCode::NOT_FOUND,
            "customer {page}"
        );
    }
    // Agents' tabs name only what they may open.
    let tabs = agent.get("/admin/organizations").await.body;
    assert!(tabs.contains(">Organizations</a>") && !tabs.contains(">API keys</a>"));
    // Agents may not post what they may not see.
    let r = agent
        .post("/admin/api-keys", &[("name", "Mine"), ("role", "AGENT")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = agent
        .post(
            "/admin/workspace",
            &[
                ("name", "Taken"),
                ("timezone", "UTC"),
                ("auto_close_days", "4"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
both!(each_role_sees_its_pages);

async fn an_organization_with_assets(app: TestApp) {
    let t = app.team("Acme").await;
    let mut agent = browser(&app, "agent@acme.test", "password1").await;
    let r = agent
        .post(
            "/admin/organizations",
            &[
                ("name", "Northwind"),
                ("domains", "northwind.example, not a domain"),
                ("sla_policy_id", ""),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-domains""#), "{}", r.body);
    let r = agent
        .post(
            "/admin/organizations",
            &[
                ("name", "Northwind"),
                ("domains", "northwind.example"),
                ("sla_policy_id", ""),
                ("notes", "Key account"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location().to_owned();
    let id = page.trim_start_matches("/admin/organizations/").to_owned();
    // A customer of its domain, and an open ticket of theirs.
    app.user_token(&t.admin, "carla@northwind.example", "CUSTOMER")
        .await;
    let (_, carla) = (
        (),
        app.post(
            "/auth/login",
            None,
            json!({"email": "carla@northwind.example", "password": "password1"}),
        )
        .await
        .str("access_token"),
    );
    app.ticket(&carla, json!({"subject": "VPN down", "description": "d"}))
        .await;
    let shown = agent.get(&page).await;
    assert_eq!(shown.status, StatusCode::OK);
    for text in [
        "Northwind",
        "carla@northwind.example",
        "VPN down",
        "SLA compliance",
        "Key account",
    ] {
        assert!(shown.body.contains(text), "{text}: {}", shown.body);
    }
    // Assets: refused on a missing field, added, edited.
    let asset = |name: &'static str, host: &'static str| {
        [
            ("name", name),
            ("kind", "server"),
            ("hostname", host),
            ("os", "Windows Server 2022"),
            ("serial", ""),
            ("remote_access_id", ""),
        ]
    };
    let r = agent
        .post(&format!("{page}/assets"), &asset("", "fs01"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("The asset was not saved"), "{}", r.body);
    let r = agent
        .post(
            &format!("{page}/assets"),
            &asset("FS01", "fs01.northwind.local"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let assets = app
        .get(&format!("/assets?organization_id={id}"), &t.agent)
        .await
        .body;
    let asset_id = assets["items"][0]["id"].as_str().unwrap().to_owned();
    let r = agent
        .post(
            &format!("/admin/assets/{asset_id}"),
            &asset("FS01", "fs02.northwind.local"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(agent.get(&page).await.body.contains("fs02.northwind.local"));
    // Edited details.
    let r = agent
        .post(
            &page,
            &[
                ("name", "Northwind Traders"),
                ("domains", "northwind.example"),
                ("sla_policy_id", ""),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let org = app
        .get(&format!("/organizations/{id}"), &t.agent)
        .await
        .body;
    assert_eq!(org["name"], "Northwind Traders");
    // Another workspace's staff: not found.
    app.team("Other").await;
    let mut stranger = browser(&app, "agent@other.test", "password1").await;
    assert_eq!(stranger.get(&page).await.status, StatusCode::NOT_FOUND);
    let r = stranger
        .post(&format!("/admin/assets/{asset_id}"), &asset("Mine", "x"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
both!(an_organization_with_assets);

async fn keys_workspace_and_jobs(app: TestApp) {
    let t = app.team("Acme").await;
    let mut admin = browser(&app, "admin@acme.test", "secure").await;
    // A key shown once, working, then revoked.
    let r = admin
        .post("/admin/api-keys", &[("name", "RMM"), ("role", "AGENT")])
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let at = r.body.find("value=\"hdk_").expect("the key is shown") + 7;
    let key = r.body[at..at + r.body[at..].find('"').unwrap()].to_owned();
    assert_eq!(app.get("/tickets", &key).await.status, StatusCode::OK);
    assert!(!admin.get("/admin/api-keys").await.body.contains(&key));
    let keys = app.get("/api-keys", &t.admin).await.body;
    let kid = keys.as_array().unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = admin
        .post(&format!("/admin/api-keys/{kid}/revoke"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/tickets", &key).await.status,
        StatusCode::UNAUTHORIZED
    );

    // The workspace: a zone that does not exist is refused on its field.
    let form = |tz: &'static str| {
        [
            ("name", "Acme IT"),
            ("timezone", tz),
            ("auto_close_days", "7"),
            ("default_sla_policy_id", ""),
            ("primary_color", "#0A7F5A"),
            ("logo_url", ""),
        ]
    };
    let r = admin.post("/admin/workspace", &form("Mars/Olympus")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-timezone""#), "{}", r.body);
    let r = admin
        .post("/admin/workspace", &form("Europe/Amsterdam"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ws = app.get("/workspace", &t.admin).await.body;
    assert_eq!(ws["name"], "Acme IT");
    assert_eq!(ws["settings"]["timezone"], "Europe/Amsterdam");
    assert_eq!(ws["settings"]["auto_close_days"], 7);
    assert_eq!(ws["settings"]["branding"]["primary_color"], "#0a7f5a");
    // The accent colours the app (light scheme) through a stylesheet of its own.
    let page = admin.get("/tickets").await.body;
    assert!(page.contains(r#"<link rel="stylesheet" href="/brand.css">"#));
    let css = admin.get("/brand.css").await;
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.body.contains("--accent: #0a7f5a;"), "{}", css.body);
    // A colour too light to read on white is refused on its field.
    let mut light = form("Europe/Amsterdam");
    light[4].1 = "#FFE066";
    let r = admin.post("/admin/workspace", &light).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-primary_color""#), "{}", r.body);

    // A dead job, retried from the page.
    let scope = app.workspace_id(&t.admin).await.as_uuid();
    let mut job = NewJob::new("test.fails", json!({}));
    job.max_attempts = 1;
    let now = helpdesk_domain::time::to_micros(jiff::Timestamp::now());
    jobs::enqueue(app.store.write(), scope, job, now)
        .await
        .unwrap();
    let lease = Lease {
        now,
        until: now + 60_000_000,
    };
    let claimed = jobs::claim(app.store.write(), "w", 100, now, lease)
        .await
        .unwrap();
    let j = claimed
        .into_iter()
        .find(|j| j.kind == "test.fails")
        .unwrap();
    jobs::fail(
        app.store.write(),
        &j,
        "w",
        "smtp: connection refused",
        now,
        now,
    )
    .await
    .unwrap();
    let page = admin.get("/admin/jobs").await;
    assert!(page.body.contains("smtp: connection refused") && page.body.contains("Dead"));
    let r = admin
        .post(&format!("/admin/jobs/{}/retry", j.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let again = admin.get(r.location()).await.body;
    assert!(again.contains("back in the queue") && !again.contains("smtp: connection refused"));
}
both!(keys_workspace_and_jobs, |c| c.jobs_in_process = Some(false));
