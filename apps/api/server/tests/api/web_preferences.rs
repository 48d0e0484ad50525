//! Staff preferences in the profile, without JavaScript: shortcuts off drop the keyboard
//! script and its cheat sheet, a signature is offered in the composer and added when
//! ticked; customers have no preferences form.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;
use crate::web_client::Browser;

async fn preferences_in_the_profile(app: TestApp) {
    let t = app.team("Acme").await;
    let ticket = app
        .ticket(&t.alice, json!({"subject": "Printer", "description": "d"}))
        .await;
    let number = ticket["number"].to_string();
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    let list = agent.get("/tickets").await;
    assert!(list.body.contains("/static/keys.js") && list.body.contains(r#"id="shortcuts""#));
    let page = agent.get(&format!("/tickets/{number}")).await;
    assert!(!page.body.contains("Add my signature"));

    // A signature too long is refused on its field; nothing changes.
    let long = "line\n".repeat(13);
    let r = agent
        .post(
            "/profile/preferences",
            &[("keyboard_shortcuts", "on"), ("signature", &long)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-signature""#), "{}", r.body);

    // Shortcuts off, a signature, no note emails.
    let r = agent
        .post(
            "/profile/preferences",
            &[
                ("signature", "Ann\nAcme IT"),
                ("notify_assigned", "on"),
                ("notify_customer_reply", "on"),
                ("notify_sla", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let prefs = app.get("/auth/me/preferences", &t.agent).await.body;
    assert_eq!(prefs["keyboard_shortcuts"], false);
    assert_eq!(prefs["email_notifications"]["note"], false);
    assert_eq!(prefs["email_notifications"]["assigned"], true);
    let profile = agent.get("/profile").await;
    assert!(profile.body.contains("Ann\nAcme IT</textarea>"));
    let list = agent.get("/tickets").await;
    assert!(!list.body.contains("/static/keys.js") && !list.body.contains(r#"id="shortcuts""#));

    // The composer offers the signature; ticked, it is added.
    let page = agent.get(&format!("/tickets/{number}")).await;
    assert!(page.body.contains("Add my signature"));
    let r = agent
        .post_multipart(
            &format!("/tickets/{number}/messages"),
            &[
                ("body", "Fixed."),
                ("visibility", "public"),
                ("then_status", ""),
                ("signature", "on"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let msgs = app
        .get(&format!("/tickets/{number}/messages"), &t.agent)
        .await
        .body;
    assert_eq!(msgs["items"][0]["body"], "Fixed.\n\n-- \nAnn\nAcme IT");

    // Customers have none.
    let mut alice = Browser::new(&app);
    alice.sign_in("alice@acme-client.test", "password1").await;
    assert!(
        !alice
            .get("/profile")
            .await
            .body
            .contains("Save preferences")
    );
    let r = alice
        .post("/profile/preferences", &[("signature", "Alice")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
both!(preferences_in_the_profile);
