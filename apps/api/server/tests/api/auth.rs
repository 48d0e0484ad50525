//! Registration, login, refresh rotation, logout, invitations and password resets.

use helpdesk_domain::WorkspaceId;
use helpdesk_storage::repo::outbox;
use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;

async fn seed_register_login_me(app: TestApp) {
    // The seed's curl bodies, verbatim.
    let reg = app
        .post("/auth/register", None, json!({"workspace_name":"Acme","admin_email":"admin@acme.com","admin_password":"secure"}))
        .await;
    assert_eq!(reg.status, StatusCode::CREATED, "{}", reg.body);
    assert_eq!(reg.body["workspace"]["slug"], "acme");
    assert_eq!(reg.body["user"]["role"], "ADMIN");
    assert_eq!(reg.body["token_type"], "Bearer");
    assert_eq!(reg.body["expires_in"], 900);
    let login = app
        .post(
            "/auth/login",
            None,
            json!({"email":"admin@acme.com","password":"secure"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    assert!(login.headers.contains_key("ratelimit-limit"));
    assert!(login.headers.contains_key("ratelimit-remaining"));
    let me = app.get("/auth/me", &login.str("access_token")).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["email"], "admin@acme.com");
    assert_eq!(me.body["role"], "ADMIN");
    assert_eq!(me.body["workspace"]["name"], "Acme");
    assert_eq!(me.body["organization_id"], serde_json::Value::Null);
}
both!(seed_register_login_me);

async fn slugs_are_unique_and_emails_case_insensitive(app: TestApp) {
    let a = app.register("Acme", "one@acme.com", "secure").await;
    let b = app.register("Acme", "two@acme.com", "secure").await;
    let c = app.register("ACME!", "three@acme.com", "secure").await;
    assert_eq!(a["workspace"]["slug"], "acme");
    assert_eq!(b["workspace"]["slug"], "acme-2");
    assert_eq!(c["workspace"]["slug"], "acme-3");
    let login = app
        .post(
            "/auth/login",
            None,
            json!({"email":"ONE@Acme.com","password":"secure"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
}
both!(slugs_are_unique_and_emails_case_insensitive);

async fn register_validates_every_field(app: TestApp) {
    let r = app
        .post(
            "/auth/register",
            None,
            json!({"workspace_name":"  ","admin_email":"nope","admin_password":"short"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "validation_failed");
    let fields = r.error_fields();
    for expected in ["workspace_name", "admin_email", "admin_password"] {
        assert!(fields.iter().any(|f| f == expected), "{fields:?}");
    }
    let long = app
        .post(
            "/auth/register",
            None,
            json!({"workspace_name":"A","admin_email":"a@b.co","admin_password":"x".repeat(129)}),
        )
        .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = app
        .post("/auth/register", None, json!({"workspace_name":"A"}))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing was created: the email is still free.
    app.register("A", "a@b.co", "secure").await;
}
both!(register_validates_every_field);

async fn login_failures_look_the_same(app: TestApp) {
    app.register("Acme", "admin@acme.com", "secure").await;
    let wrong_pw = app
        .post(
            "/auth/login",
            None,
            json!({"email":"admin@acme.com","password":"wrong!"}),
        )
        .await;
    let no_user = app
        .post(
            "/auth/login",
            None,
            json!({"email":"ghost@acme.com","password":"wrong!"}),
        )
        .await;
    let bad_email = app
        .post(
            "/auth/login",
            None,
            json!({"email":"not-an-email","password":"wrong!"}),
        )
        .await;
    for r in [&wrong_pw, &no_user, &bad_email] {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.code(), "unauthorized");
        assert_eq!(r.body, wrong_pw.body);
        assert_eq!(r.headers["content-type"], "application/problem+json");
    }
}
both!(login_failures_look_the_same);

async fn ambiguous_email_requires_a_workspace(app: TestApp) {
    let one = app.register("One", "shared@msp.com", "secure").await;
    // The same password in both: only then does the email need the slug (with different
    // passwords, each signs in to its own; see security_accounts).
    app.register("Two", "shared@msp.com", "secure").await;
    let r = app
        .post(
            "/auth/login",
            None,
            json!({"email":"shared@msp.com","password":"secure"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "workspace_required");
    let ok = app
        .post(
            "/auth/login",
            None,
            json!({"email":"shared@msp.com","password":"secure","workspace":"one"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body["user"]["id"], one["user"]["id"]);
    let wrong_ws = app
        .post(
            "/auth/login",
            None,
            json!({"email":"shared@msp.com","password":"secure","workspace":"two"}),
        )
        .await;
    // The slug picks the other account.
    assert_eq!(wrong_ws.status, StatusCode::OK);
    assert_ne!(wrong_ws.body["user"]["id"], one["user"]["id"]);
    let wrong_pw = app
        .post(
            "/auth/login",
            None,
            json!({"email":"shared@msp.com","password":"nope-nope","workspace":"two"}),
        )
        .await;
    assert_eq!(wrong_pw.status, StatusCode::UNAUTHORIZED);
}
both!(ambiguous_email_requires_a_workspace);

async fn refresh_rotates_and_reuse_revokes_the_chain(app: TestApp) {
    let reg = app.register("Acme", "admin@acme.com", "secure").await;
    let first = reg["refresh_token"].as_str().unwrap();
    let r1 = app
        .post("/auth/refresh", None, json!({"refresh_token": first}))
        .await;
    assert_eq!(r1.status, StatusCode::OK, "{}", r1.body);
    let second = r1.str("refresh_token");
    assert_ne!(second, first);
    assert_eq!(
        app.get("/auth/me", &r1.str("access_token")).await.status,
        StatusCode::OK
    );
    // Replaying the used token: refused, and the whole session dies with it.
    let replay = app
        .post("/auth/refresh", None, json!({"refresh_token": first}))
        .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    let after = app
        .post("/auth/refresh", None, json!({"refresh_token": second}))
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/auth/me", &r1.str("access_token")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let garbage = app
        .post("/auth/refresh", None, json!({"refresh_token": "garbage"}))
        .await;
    assert_eq!(garbage.status, StatusCode::UNAUTHORIZED);
}
both!(refresh_rotates_and_reuse_revokes_the_chain);

async fn logout_ends_only_that_session(app: TestApp) {
    let reg = app.register("Acme", "admin@acme.com", "secure").await;
    let other = app
        .post(
            "/auth/login",
            None,
            json!({"email":"admin@acme.com","password":"secure"}),
        )
        .await;
    let token = reg["access_token"].as_str().unwrap();
    let out = app.post("/auth/logout", Some(token), json!({})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/auth/me", token).await.status,
        StatusCode::UNAUTHORIZED
    );
    let refresh = app
        .post(
            "/auth/refresh",
            None,
            json!({"refresh_token": reg["refresh_token"]}),
        )
        .await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/auth/me", &other.str("access_token")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.post("/auth/logout", None, json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );
}
both!(logout_ends_only_that_session);

async fn invitation_flow(app: TestApp) {
    let reg = app.register("Acme", "admin@acme.com", "secure").await;
    let admin = reg["access_token"].as_str().unwrap();
    let ws = WorkspaceId::from_uuid(reg["workspace"]["id"].as_str().unwrap().parse().unwrap());
    let created = app
        .post(
            "/users?return_token=true",
            Some(admin),
            json!({"email":"Agent@Acme.com","name":"Ann","role":"AGENT"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["email"], "agent@acme.com");
    let token = created.str("invitation_token");
    // Without ?return_token the token stays out of the response.
    let quiet = app
        .post(
            "/users",
            Some(admin),
            json!({"email":"c@acme.com","name":"C","role":"CUSTOMER"}),
        )
        .await;
    assert!(quiet.body.get("invitation_token").is_none());
    // The invitation was written to the outbox with the link.
    let mails = outbox::for_recipient(app.store.read(), ws, "agent@acme.com")
        .await
        .unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].kind, "invitation");
    assert!(mails[0].body.contains(&token));
    // An invited user cannot log in before accepting.
    let early = app
        .post(
            "/auth/login",
            None,
            json!({"email":"agent@acme.com","password":"whatever1"}),
        )
        .await;
    assert_eq!(early.status, StatusCode::UNAUTHORIZED);
    let weak = app
        .post(
            "/auth/accept-invite",
            None,
            json!({"token": token, "password": "123"}),
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    let accepted = app
        .post(
            "/auth/accept-invite",
            None,
            json!({"token": token, "password": "agentpass", "name": "Ann Agent"}),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert_eq!(accepted.body["user"]["name"], "Ann Agent");
    assert_eq!(accepted.body["user"]["role"], "AGENT");
    let again = app
        .post(
            "/auth/accept-invite",
            None,
            json!({"token": token, "password": "agentpass"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    let login = app
        .post(
            "/auth/login",
            None,
            json!({"email":"agent@acme.com","password":"agentpass"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
}
both!(invitation_flow);

async fn password_reset_flow(app: TestApp) {
    let reg = app.register("Acme", "admin@acme.com", "secure").await;
    let ws = WorkspaceId::from_uuid(reg["workspace"]["id"].as_str().unwrap().parse().unwrap());
    let unknown = app
        .post(
            "/auth/password-reset",
            None,
            json!({"email":"ghost@acme.com"}),
        )
        .await;
    let known = app
        .post(
            "/auth/password-reset",
            None,
            json!({"email":"admin@acme.com"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    assert_eq!(known.status, StatusCode::ACCEPTED);
    assert_eq!(unknown.body, known.body);
    let mails = app
        .wait_mails(ws, "admin@acme.com", "password_reset", 1)
        .await;
    assert_eq!(mails.len(), 1);
    let token = mails[0]
        .body
        .split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let confirm = app
        .post(
            "/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "brand-new"}),
        )
        .await;
    assert_eq!(confirm.status, StatusCode::NO_CONTENT, "{}", confirm.body);
    // Single use, old password gone, old sessions signed out.
    let reuse = app
        .post(
            "/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "another1"}),
        )
        .await;
    assert_eq!(reuse.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/auth/me", reg["access_token"].as_str().unwrap())
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let old = app
        .post(
            "/auth/login",
            None,
            json!({"email":"admin@acme.com","password":"secure"}),
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = app
        .post(
            "/auth/login",
            None,
            json!({"email":"admin@acme.com","password":"brand-new"}),
        )
        .await;
    assert_eq!(new.status, StatusCode::OK);
    // A newer request voids the older link; the newest one works. Each request's mail is
    // awaited before the next (the lookup runs after the answer), as a person would.
    for n in 2..=3 {
        let again = app
            .post(
                "/auth/password-reset",
                None,
                json!({"email":"admin@acme.com"}),
            )
            .await;
        assert_eq!(again.status, StatusCode::ACCEPTED, "{}", again.body);
        app.wait_mails(ws, "admin@acme.com", "password_reset", n)
            .await;
    }
    let mails = app
        .wait_mails(ws, "admin@acme.com", "password_reset", 3)
        .await;
    let links: Vec<String> = mails
        .iter()
        .filter(|m| m.kind == "password_reset")
        .map(|m| link_token(&m.body))
        .collect();
    assert_eq!(links.len(), 3, "one mail per request");
    let (older, newest) = (&links[1], &links[2]);
    assert_ne!(older, newest);
    let r = app
        .post(
            "/auth/password-reset/confirm",
            None,
            json!({"token": older, "password": "brand-new2"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .post(
            "/auth/password-reset/confirm",
            None,
            json!({"token": newest, "password": "brand-new3"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
}
both!(password_reset_flow);

/// The token of the one link in a mail's body.
fn link_token(body: &str) -> String {
    body.split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// The scheduled purge deletes expired tokens, which would refuse them too: the expiry
/// tests run without it, so only the expiry check itself can refuse a late token.
fn no_purge(c: &mut helpdesk::Config) {
    c.schedule_purge = String::new();
}

async fn invitations_expire_after_their_ttl(app: TestApp) {
    let ttl = helpdesk_service::ServiceSettings::default().invitation_ttl;
    let ttl = jiff::SignedDuration::try_from(ttl).unwrap();
    let second = jiff::SignedDuration::from_secs(1);
    let t0 = jiff::Timestamp::now();
    app.clock.set(t0);
    let admin = app.admin_token("Acme").await;
    let invite = async |email: &str| {
        let r = app
            .post(
                "/users?return_token=true",
                Some(&admin),
                json!({"email": email, "name": "Invited", "role": "AGENT"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.str("invitation_token")
    };
    let timely = invite("timely@acme.test").await;
    let late = invite("late@acme.test").await;
    let accept = async |token: &str| {
        app.post(
            "/auth/accept-invite",
            None,
            json!({"token": token, "password": "agentpass"}),
        )
        .await
        .status
    };
    // A second before the link expires it still works...
    app.clock.set(t0 + ttl - second);
    assert_eq!(accept(&timely).await, StatusCode::OK);
    // ...and a second after, it does not: the invited user stays locked out.
    app.clock.set(t0 + ttl + second);
    assert_eq!(accept(&late).await, StatusCode::UNAUTHORIZED);
    let login = app
        .post(
            "/auth/login",
            None,
            json!({"email": "late@acme.test", "password": "agentpass"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED);
}
both!(invitations_expire_after_their_ttl, super::no_purge);

async fn reset_links_expire_after_their_ttl(app: TestApp) {
    let ttl = helpdesk_service::ServiceSettings::default().reset_ttl;
    let ttl = jiff::SignedDuration::try_from(ttl).unwrap();
    let second = jiff::SignedDuration::from_secs(1);
    let t0 = jiff::Timestamp::now();
    app.clock.set(t0);
    let admin = app.admin_token("Acme").await;
    let ws = app.workspace_id(&admin).await;
    app.user_token(&admin, "timely@acme.test", "AGENT").await;
    app.user_token(&admin, "late@acme.test", "AGENT").await;
    let mut links = Vec::new();
    for email in ["timely@acme.test", "late@acme.test"] {
        let r = app
            .post("/auth/password-reset", None, json!({"email": email}))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let mails = app.wait_mails(ws, email, "password_reset", 1).await;
        assert_eq!(mails.len(), 1, "{email}");
        links.push(link_token(&mails[0].body));
    }
    let confirm = async |token: &str| {
        app.post(
            "/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "brand-new"}),
        )
        .await
        .status
    };
    // A second before the link expires it still works...
    app.clock.set(t0 + ttl - second);
    assert_eq!(confirm(&links[0]).await, StatusCode::NO_CONTENT);
    // ...and a second after, it does not: the old password stays.
    app.clock.set(t0 + ttl + second);
    assert_eq!(confirm(&links[1]).await, StatusCode::UNAUTHORIZED);
    let login = |password: &str| {
        app.post(
            "/auth/login",
            None,
            json!({"email": "late@acme.test", "password": password}),
        )
    };
    assert_eq!(login("brand-new").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(login("password1").await.status, StatusCode::OK);
}
both!(reset_links_expire_after_their_ttl, super::no_purge);
