//! Following up on people (admins): an invitation sent again replaces the earlier link,
//! withdrawn it works no more and the user is deactivated; a deactivated user is let back
//! in; none of it for agents; the team page does each, and explains the last-admin rule.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;
use crate::web_client::Browser;

async fn invite(app: &TestApp, admin: &str, email: &str) -> (String, String) {
    let r = app
        .post(
            "/users?return_token=true",
            Some(admin),
            json!({"email": email, "name": email, "role": "AGENT"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["invitation_pending"], true);
    (r.str("id"), r.str("invitation_token"))
}

async fn accept(app: &TestApp, token: &str) -> StatusCode {
    app.post(
        "/auth/accept-invite",
        None,
        json!({"token": token, "password": "agentpass"}),
    )
    .await
    .status
}

async fn invitations_and_reactivation(app: TestApp) {
    let t = app.team("Acme").await;
    // Sent again: only the new link works, once.
    let (ann, first) = invite(&app, &t.admin, "ann@acme.test").await;
    let path = format!("/users/{ann}/invitation");
    assert_eq!(
        app.post(&path, Some(&t.agent), json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .post(
            &format!("{path}?return_token=true"),
            Some(&t.admin),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let second = r.str("invitation_token");
    assert_eq!(accept(&app, &first).await, StatusCode::UNAUTHORIZED);
    assert_eq!(accept(&app, &second).await, StatusCode::OK);
    let me = app.get(&format!("/users/{ann}"), &t.admin).await.body;
    assert_eq!(me["invitation_pending"], false);
    let r = app.post(&path, Some(&t.admin), json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    // Withdrawn: the link is dead and the user deactivated.
    let (ben, token) = invite(&app, &t.admin, "ben@acme.test").await;
    let r = app
        .delete(&format!("/users/{ben}/invitation"), &t.admin)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(accept(&app, &token).await, StatusCode::UNAUTHORIZED);
    let ben_now = app.get(&format!("/users/{ben}"), &t.admin).await.body;
    assert_eq!(ben_now["active"], false);

    // Deactivated, then let back in with the same password.
    let r = app
        .delete(&format!("/users/{}", t.agent_id), &t.admin)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let login = json!({"email": "agent@acme.test", "password": "password1"});
    assert_eq!(
        app.post("/auth/login", None, login.clone()).await.status,
        StatusCode::UNAUTHORIZED
    );
    let back = format!("/users/{}/reactivate", t.agent_id);
    assert_eq!(
        app.post(&back, Some(&t.agent), json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = app.post(&back, Some(&t.admin), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["active"], true);
    assert_eq!(
        app.post("/auth/login", None, login).await.status,
        StatusCode::OK
    );
}
both!(invitations_and_reactivation);

async fn the_team_page_manages_people(app: TestApp) {
    let t = app.team("Acme").await;
    invite(&app, &t.admin, "cara@acme.test").await;
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@acme.test", "secure").await;
    let page = admin.get("/team").await;
    assert!(page.body.contains("Resend invitation") && page.body.contains("Invited"));
    let cara = app.get("/users?q=cara", &t.admin).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Sent again: the new link is shown once.
    let r = admin.post(&format!("/team/{cara}/invitation"), &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Invitation sent to cara@acme.test")
            && r.body.contains("accept-invite?token=")
    );
    // The agent made admin and back.
    let agent = &t.agent_id;
    let r = admin
        .post(&format!("/team/{agent}/role"), &[("role", "ADMIN")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/users/{agent}"), &t.admin).await.body["role"],
        "ADMIN"
    );
    let r = admin
        .post(&format!("/team/{agent}/role"), &[("role", "AGENT")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The last admin cannot step down: said over the list, nothing changes.
    let me = app.get("/auth/me", &t.admin).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = admin
        .post(&format!("/team/{me}/role"), &[("role", "AGENT")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body
            .contains("Not changed: the workspace needs at least one active admin"),
        "{}",
        r.body
    );
    assert_eq!(app.get("/auth/me", &t.admin).await.body["role"], "ADMIN");
    // Deactivated and reactivated from the page.
    let r = admin.post(&format!("/team/{agent}/deactivate"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(admin.get("/team").await.body.contains("Deactivated"));
    let r = admin.post(&format!("/team/{agent}/reactivate"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/users/{agent}"), &t.admin).await.body["active"],
        true
    );
    // Withdrawn.
    let r = admin
        .post(&format!("/team/{cara}/invitation/revoke"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/users/{cara}"), &t.admin).await.body["active"],
        false
    );
    // Search.
    let found = admin.get("/team?q=cara").await.body;
    assert!(found.contains("cara@acme.test") && !found.contains("alice@acme-client.test"));
    // Agents read the team, and change nobody.
    let mut agent_b = Browser::new(&app);
    agent_b.sign_in("agent@acme.test", "password1").await;
    let seen = agent_b.get("/team").await;
    assert!(!seen.body.contains("/deactivate"));
    let r = agent_b.post(&format!("/team/{me}/deactivate"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
both!(the_team_page_manages_people);
