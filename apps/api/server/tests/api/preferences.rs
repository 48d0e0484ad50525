//! A user's own preferences: read and changed in part, the signature checked and added
//! under public staff replies only when asked, and ticket emails a staff member turned off
//! never queued (the others still are).

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;

async fn preferences_change_in_part(app: TestApp) {
    let team = app.team("Prefs").await;
    let r = app.get("/auth/me/preferences", &team.agent).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body,
        json!({"keyboard_shortcuts": true, "email_notifications":
            {"assigned": true, "customer_reply": true, "note": true, "sla": true}})
    );
    let r = app
        .patch(
            "/auth/me/preferences",
            &team.agent,
            json!({"keyboard_shortcuts": false, "signature": "Ann\r\nLakeside IT",
                   "email_notifications": {"assigned": false}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["signature"], "Ann\nLakeside IT");
    assert_eq!(r.body["email_notifications"]["assigned"], false);
    assert_eq!(r.body["email_notifications"]["note"], true);
    // Absent fields keep their value; what was refused changes nothing.
    for bad in [
        json!({"signature": "a\n".repeat(13)}),
        json!({"signature": "bell\u{7}"}),
        json!({"signature": "x".repeat(2001)}),
    ] {
        let r = app.patch("/auth/me/preferences", &team.agent, bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.error_fields(), ["signature"]);
    }
    let r = app
        .patch(
            "/auth/me/preferences",
            &team.agent,
            json!({"colour": "red"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let now = app.get("/auth/me/preferences", &team.agent).await.body;
    assert_eq!(now["keyboard_shortcuts"], false);
    assert_eq!(now["signature"], "Ann\nLakeside IT");
    // Another user's are their own.
    let theirs = app.get("/auth/me/preferences", &team.admin).await.body;
    assert_eq!(theirs["keyboard_shortcuts"], true);
    // null removes the signature.
    let r = app
        .patch(
            "/auth/me/preferences",
            &team.agent,
            json!({"signature": null}),
        )
        .await;
    assert!(r.body.get("signature").is_none(), "{}", r.body);
    // API keys have no preferences.
    let key = app
        .post(
            "/api-keys",
            Some(&team.admin),
            json!({"name": "k", "role": "ADMIN"}),
        )
        .await
        .str("key");
    assert_eq!(
        app.get("/auth/me/preferences", &key).await.status,
        StatusCode::FORBIDDEN
    );
}
both!(preferences_change_in_part);

async fn signature_only_when_asked(app: TestApp) {
    let team = app.team("Signed").await;
    let r = app
        .patch(
            "/auth/me/preferences",
            &team.agent,
            json!({"signature": "Ann\nLakeside IT"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let t = app
        .ticket(&team.alice, json!({"subject": "S", "description": "D"}))
        .await;
    let path = format!("/tickets/{}/messages", t["id"].as_str().unwrap());
    let post = |token: &str, body: serde_json::Value| {
        let (app, path, token) = (&app, path.clone(), token.to_owned());
        async move {
            let r = app.post(&path, Some(&token), body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            r.body["body"].as_str().unwrap().to_owned()
        }
    };
    assert_eq!(
        post(
            &team.agent,
            json!({"body": "Done.\n", "append_signature": true})
        )
        .await,
        "Done.\n\n-- \nAnn\nLakeside IT"
    );
    assert_eq!(post(&team.agent, json!({"body": "Plain"})).await, "Plain");
    // Never on internal notes, nor for customers (who have no signature to add).
    assert_eq!(
        post(
            &team.agent,
            json!({"body": "Note", "internal": true, "append_signature": true})
        )
        .await,
        "Note"
    );
    assert_eq!(
        post(
            &team.alice,
            json!({"body": "Thanks", "append_signature": true})
        )
        .await,
        "Thanks"
    );
}
both!(signature_only_when_asked);

async fn staff_choose_their_emails(app: TestApp) {
    let team = app.team("Quiet").await;
    let ws = app.workspace_id(&team.admin).await;
    let r = app
        .patch(
            "/auth/me/preferences",
            &team.agent,
            json!({"email_notifications": {"assigned": false}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let t = app
        .ticket(&team.alice, json!({"subject": "S", "description": "D"}))
        .await;
    let id = t["id"].as_str().unwrap();
    let r = app
        .patch(
            &format!("/tickets/{id}"),
            &team.admin,
            json!({"assignee_id": team.agent_id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .post(
            &format!("/tickets/{id}/messages"),
            Some(&team.admin),
            json!({"body": "Look at the logs", "internal": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    // The note's email comes (dispatched after the assignment's); the assignment's never.
    app.wait_mails(ws, "agent@quiet.test", "ticket_note_notification", 1)
        .await;
    app.jobs_drained().await;
    let all =
        helpdesk_storage::repo::outbox::for_recipient(app.store.read(), ws, "agent@quiet.test")
            .await
            .unwrap();
    assert!(
        all.iter().all(|m| !m.body.contains("assigned to you")),
        "{:?}",
        all.iter().map(|m| &m.body).collect::<Vec<_>>()
    );
    // Turned on again, the next assignment is mailed.
    app.patch(
        "/auth/me/preferences",
        &team.agent,
        json!({"email_notifications": {"assigned": true}}),
    )
    .await;
    let t2 = app
        .ticket(&team.alice, json!({"subject": "S2", "description": "D"}))
        .await;
    app.patch(
        &format!("/tickets/{}", t2["id"].as_str().unwrap()),
        &team.admin,
        json!({"assignee_id": team.agent_id}),
    )
    .await;
    let mails = app
        .wait_mails(ws, "agent@quiet.test", "ticket_notification", 1)
        .await;
    assert!(
        mails[0].body.contains("assigned to you"),
        "{}",
        mails[0].body
    );
}
both!(staff_choose_their_emails, crate::harness::jobs_in_process);
