//! The web app's defences over HTTP: CSRF on every state change, sessions that end with
//! logout, deactivation and password changes, hostile text escaped, and the headers
//! (CSP, framing, caching) on every page.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;
use crate::web_client::Browser;

/// A post without the visit's token, with another's, or from another site changes
/// nothing.
async fn state_changes_need_the_csrf_token(app: TestApp) {
    let t = app.team("Acme").await;
    let ticket = app
        .ticket(&t.alice, json!({"subject": "S", "description": "d"}))
        .await;
    let n = ticket["number"].as_i64().unwrap();
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    agent.get(&format!("/tickets/{n}")).await;
    let path = format!("/tickets/{n}/messages");
    let none = agent
        .post_raw(&path, &[("body", "forged"), ("visibility", "public")], &[])
        .await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    let other = agent
        .post_raw(
            &path,
            &[
                ("csrf", "00112233445566778899aabbccddeeff"),
                ("body", "forged"),
                ("visibility", "public"),
            ],
            &[],
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let token = agent.csrf.clone();
    let cross = agent
        .post_raw(
            &path,
            &[
                ("csrf", &token),
                ("body", "forged"),
                ("visibility", "public"),
            ],
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    let site = agent
        .post_raw(
            &path,
            &[
                ("csrf", &token),
                ("body", "forged"),
                ("visibility", "public"),
            ],
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(site.status, StatusCode::FORBIDDEN);
    let msgs = app
        .get(
            &format!("/tickets/{}/messages", ticket["id"].as_str().unwrap()),
            &t.agent,
        )
        .await;
    assert_eq!(
        msgs.body["items"].as_array().unwrap().len(),
        0,
        "a forged post wrote a message"
    );
    // Signing in needs the visit's token too (login CSRF).
    let mut fresh = Browser::new(&app);
    let login = fresh
        .post_raw(
            "/login",
            &[("email", "agent@acme.test"), ("password", "password1")],
            &[],
        )
        .await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);
    // And the real token works.
    let ok = agent
        .post(&path, &[("body", "real"), ("visibility", "public")])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
}
both!(state_changes_need_the_csrf_token);

/// A browser session ends at logout, when the user is deactivated, and when the password
/// changes; the old cookie then only leads to the sign-in page.
async fn sessions_end(app: TestApp) {
    let t = app.team("Acme").await;
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    let mut copy = Browser::new(&app);
    copy.sign_in("agent@acme.test", "password1").await;
    assert_eq!(agent.get("/tickets").await.status, StatusCode::OK);
    let out = agent.post("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(agent.get("/tickets").await.status, StatusCode::SEE_OTHER);
    // The other session is untouched by that logout.
    assert_eq!(copy.get("/tickets").await.status, StatusCode::OK);

    let mut alice = Browser::new(&app);
    alice.sign_in("alice@acme-client.test", "password1").await;
    alice.get("/profile").await;
    let changed = alice
        .post(
            "/profile/password",
            &[
                ("current_password", "password1"),
                ("new_password", "password2"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert_eq!(alice.get("/tickets").await.status, StatusCode::SEE_OTHER);
    let mut again = Browser::new(&app);
    again.sign_in("alice@acme-client.test", "password2").await;

    let gone = app
        .delete(&format!("/users/{}", t.agent_id), &t.admin)
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    let after = copy.get("/tickets").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/login"));
}
both!(sessions_end);

/// Subjects, bodies and names are text, never markup, on every page that shows them.
async fn hostile_text_is_escaped(app: TestApp) {
    let t = app.team("Acme").await;
    let evil = "<script>alert(1)</script>\"><img src=x onerror=alert(2)> javascript:alert(3)";
    let ticket = app
        .ticket(&t.alice, json!({"subject": evil, "description": evil}))
        .await;
    let n = ticket["number"].as_i64().unwrap();
    app.post(
        &format!("/tickets/{}/messages", ticket["id"].as_str().unwrap()),
        Some(&t.agent),
        json!({"body": evil, "internal": false}),
    )
    .await;
    let rename = app
        .patch(
            &format!("/users/{}", t.alice_id),
            &t.admin,
            json!({"name": evil}),
        )
        .await;
    assert_eq!(rename.status, StatusCode::OK, "{}", rename.body);
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    let mut alice = Browser::new(&app);
    alice.sign_in("alice@acme-client.test", "password1").await;
    let pages = [
        agent.get("/tickets").await.body,
        agent.get(&format!("/tickets/{n}")).await.body,
        agent.get("/tickets?q=alert").await.body,
        alice.get("/tickets").await.body,
        alice.get(&format!("/tickets/{n}")).await.body,
        alice.get("/profile").await.body,
    ];
    for body in pages {
        assert!(!body.contains("<script>alert"), "unescaped script");
        assert!(!body.contains("<img src=x"), "unescaped tag");
        assert!(!body.contains("\"><img"), "attribute broken out of");
        assert!(!body.contains("href=\"javascript:"), "a javascript: link");
        assert!(
            body.contains("&lt;script&gt;")
                || body.contains("&#60;script&#62;")
                || body.contains("&lt;script"),
            "the text is missing"
        );
    }
}
both!(hostile_text_is_escaped);

/// Every page carries the security headers; pages with ticket data are never cached.
async fn pages_carry_security_headers(app: TestApp) {
    let t = app.team("Acme").await;
    let ticket = app
        .ticket(&t.alice, json!({"subject": "S", "description": "d"}))
        .await;
    let n = ticket["number"].as_i64().unwrap();
    let mut agent = Browser::new(&app);
    let login = agent.get("/login").await;
    agent.sign_in("agent@acme.test", "password1").await;
    let page = agent.get(&format!("/tickets/{n}")).await;
    let missing = agent.get("/nope").await;
    for p in [&login, &page, &missing] {
        let csp = p.header("content-security-policy");
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(p.header("referrer-policy"), "same-origin");
        assert_eq!(p.header("cache-control"), "no-store");
    }
    let session = login.header("set-cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    // Inline scripts would be refused by the CSP: the pages have none.
    assert!(!page.body.contains("<script>") && !page.body.contains(" onclick="));
    let css = agent
        .get(
            &page
                .body
                .split("href=\"/static/app.css")
                .nth(1)
                .map(|r| format!("/static/app.css{}", r.split('"').next().unwrap()))
                .unwrap(),
        )
        .await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header("cache-control").contains("immutable"));
}
both!(pages_carry_security_headers);

/// The sign-in form shares the API's limits: past the account's allowance the page says
/// to wait, with `Retry-After`, and even the right password is refused until then.
async fn sign_in_is_rate_limited(app: TestApp) {
    app.register("Acme", "pat@acme.test", "right-pass").await;
    let mut b = Browser::new(&app);
    b.get("/login").await;
    let mut limited = None;
    for _ in 0..30 {
        let r = b
            .post(
                "/login",
                &[("email", "pat@acme.test"), ("password", "wrong-pass")],
            )
            .await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(r);
            break;
        }
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let limited = limited.expect("the form was never limited");
    assert!(limited.body.contains("Too many attempts"));
    assert!(limited.header("retry-after").parse::<u64>().unwrap() > 0);
    let ok = b
        .post(
            "/login",
            &[("email", "pat@acme.test"), ("password", "right-pass")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::TOO_MANY_REQUESTS);
}
both!(sign_in_is_rate_limited, |c| c.rate_limit_per_account = 3);

/// A password reset by link ends the browser sessions too; the conversation fragment the
/// live page fetches never carries an internal note to a customer.
async fn resets_end_sessions_and_fragments_hide_notes(app: TestApp) {
    let t = app.team("Acme").await;
    let ticket = app
        .ticket(&t.alice, json!({"subject": "S", "description": "d"}))
        .await;
    let n = ticket["number"].as_i64().unwrap();
    app.post(
        &format!("/tickets/{}/messages", ticket["id"].as_str().unwrap()),
        Some(&t.agent),
        json!({"body": "Staff-only detail", "internal": true}),
    )
    .await;
    let mut alice = Browser::new(&app);
    alice.sign_in("alice@acme-client.test", "password1").await;
    let fragment = alice.get(&format!("/tickets/{n}/conversation")).await;
    assert_eq!(fragment.status, StatusCode::OK);
    assert!(!fragment.body.contains("Staff-only detail"));
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    assert!(
        agent
            .get(&format!("/tickets/{n}/conversation"))
            .await
            .body
            .contains("Staff-only detail")
    );

    let mut forgot = Browser::new(&app);
    forgot.get("/forgot-password").await;
    let asked = forgot
        .post("/forgot-password", &[("email", "alice@acme-client.test")])
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    let ws = app.workspace_id(&t.admin).await;
    app.wait_mails(ws, "alice@acme-client.test", "password_reset", 1)
        .await;
    let token = app
        .mailed_token(&t.admin, "alice@acme-client.test", "password_reset")
        .await;
    forgot.get(&format!("/reset-password?token={token}")).await;
    let done = forgot
        .post(
            "/reset-password",
            &[("token", &token), ("password", "brand-new-pass")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(alice.get("/tickets").await.status, StatusCode::SEE_OTHER);
    let mut again = Browser::new(&app);
    again
        .sign_in("alice@acme-client.test", "brand-new-pass")
        .await;
}
both!(resets_end_sessions_and_fragments_hide_notes);

/// The ticket page names the device the ticket is about.
async fn ticket_page_shows_the_asset(app: TestApp) {
    let t = app.team("Acme").await;
    let org = app
        .post(
            "/organizations",
            Some(&t.admin),
            json!({"name": "Northwind"}),
        )
        .await;
    let asset = app
        .post("/assets", Some(&t.admin), json!({"organization_id": org.str("id"), "name": "Reception PC", "kind": "Desktop", "hostname": "rec-01", "remote_access_id": "123 456 789"}))
        .await;
    assert_eq!(asset.status, StatusCode::CREATED, "{}", asset.body);
    let ticket = app
        .ticket(&t.agent, json!({"subject": "S", "description": "d", "requester_id": t.alice_id, "asset_id": asset.str("id")}))
        .await;
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    let page = agent.get(&format!("/tickets/{}", ticket["number"])).await;
    assert!(
        page.body
            .contains("Asset: Reception PC (rec-01, remote 123 456 789)"),
        "{}",
        page.body
    );
}
both!(ticket_page_shows_the_asset);
