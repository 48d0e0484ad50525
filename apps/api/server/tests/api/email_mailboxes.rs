//! `/mailboxes`: an admin's mailboxes with write-only, encrypted IMAP secrets; and what a
//! mailbox decides for the mail that reaches it (plus-addressed variants included): the
//! priority of its tickets and whether unknown senders are quarantined.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::{Resp, TestApp};

/// The stored secret column of mailbox `id`, as the database holds it.
async fn stored_secret(app: &TestApp, id: &str) -> Vec<u8> {
    use helpdesk_storage::entities::mailbox::Entity as Mailboxes;
    use sea_orm::EntityTrait;
    let id: uuid::Uuid = id.parse().unwrap();
    Mailboxes::find_by_id(id)
        .one(app.store.read())
        .await
        .unwrap()
        .unwrap()
        .imap_secret
        .unwrap()
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

async fn mailboxes_keep_their_secrets(app: TestApp) {
    let team = app.team("Acme").await;
    let created = app
        .post(
            "/mailboxes",
            Some(&team.admin),
            json!({"address": "Support@Acme.test", "imap": {"host": "imap.acme.test", "port": 993,
                "username": "support@acme.test", "password": "hunter2-imap-secret"}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.str("id");
    let m = &created.body;
    assert_eq!(m["address"], "support@acme.test");
    assert_eq!(m["name"], "support@acme.test");
    assert_eq!(m["default_priority"], "MEDIUM");
    assert_eq!(m["unknown_senders"], "CREATE_CUSTOMER");
    assert_eq!(m["imap"]["auth"], "PASSWORD");
    assert_eq!(m["imap"]["security"], "TLS");
    assert_eq!(m["imap"]["folder"], "INBOX");
    assert_eq!(m["imap"]["after_import"], "SEEN");
    assert_eq!(m["status"]["imported"], 0);
    assert!(!m.to_string().contains("hunter2"), "{m}");
    let sealed = stored_secret(&app, &id).await;
    assert!(!contains(&sealed, "hunter2"), "stored in clear");

    // A change without a new password keeps the sealed one as it is.
    let renamed = app
        .patch(
            &format!("/mailboxes/{id}"),
            &team.admin,
            json!({"name": "Helpdesk", "default_priority": "HIGH"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(renamed.body["name"], "Helpdesk");
    assert_eq!(stored_secret(&app, &id).await, sealed);

    let oauth = app
        .patch(
            &format!("/mailboxes/{id}"),
            &team.admin,
            json!({"imap": {"host": "outlook.office365.com", "port": 993, "username": "support@acme.test",
                "oauth2": {"token_url": "https://login.microsoftonline.com/t/oauth2/v2.0/token",
                    "client_id": "app-1", "client_secret": "s3cret-client", "refresh_token": "r3fresh-token"}}}),
        )
        .await;
    assert_eq!(oauth.status, StatusCode::OK, "{}", oauth.body);
    assert_eq!(oauth.body["imap"]["auth"], "OAUTH2");
    assert_eq!(oauth.body["imap"]["oauth2"]["client_id"], "app-1");
    let text = oauth.body.to_string();
    assert!(
        !text.contains("s3cret") && !text.contains("r3fresh"),
        "{text}"
    );
    let sealed = stored_secret(&app, &id).await;
    assert!(!contains(&sealed, "s3cret") && !contains(&sealed, "r3fresh"));

    let listed = app.get("/mailboxes", &team.admin).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    assert!(!listed.body.to_string().contains("s3cret"));

    let cleared = app
        .patch(
            &format!("/mailboxes/{id}"),
            &team.admin,
            json!({"imap": null}),
        )
        .await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    assert!(cleared.body["imap"].is_null());

    // Refusals: each names its field, and nothing changes.
    let bad = [
        (json!({"address": "not-an-address"}), "address"),
        (
            json!({"address": "x@acme.test", "imap": {"host": "h", "port": 993, "username": "u",
            "password": "p", "after_import": "MOVE"}}),
            "imap.move_to",
        ),
        (
            json!({"address": "x@acme.test", "imap": {"host": "h", "port": 993, "username": "u"}}),
            "imap",
        ),
        (
            json!({"address": "x@acme.test", "imap": {"host": "h", "port": 993, "username": "u", "password": "p",
            "oauth2": {"token_url": "https://t", "client_id": "c", "client_secret": "s", "refresh_token": "r"}}}),
            "imap",
        ),
        (
            json!({"address": "x@acme.test", "imap": {"host": "h", "port": 993, "username": "u",
            "oauth2": {"token_url": "ftp://t", "client_id": "c", "client_secret": "s", "refresh_token": "r"}}}),
            "imap.oauth2.token_url",
        ),
    ];
    for (body, field) in bad {
        let r = app
            .post("/mailboxes", Some(&team.admin), body.clone())
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert!(
            r.error_fields().contains(&field.to_owned()),
            "{body}: {}",
            r.body
        );
    }
    let unknown = app
        .post(
            "/mailboxes",
            Some(&team.admin),
            json!({"address": "y@acme.test", "smtp": true}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get("/mailboxes", &team.admin)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // An address belongs to one workspace; others see nothing of this one.
    let beta = app.team("Beta").await;
    let taken = app
        .post(
            "/mailboxes",
            Some(&beta.admin),
            json!({"address": "support@acme.test"}),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.body);
    assert_eq!(
        app.get(&format!("/mailboxes/{id}"), &beta.admin)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/mailboxes", &team.agent).await.status,
        StatusCode::FORBIDDEN
    );

    let gone = app.delete(&format!("/mailboxes/{id}"), &team.admin).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/mailboxes/{id}"), &team.admin)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
both!(mailboxes_keep_their_secrets);

async fn deliver(app: &TestApp, token: &str, query: &str, raw: &str) -> Resp {
    app.deliver_mail(token, query, raw).await
}

async fn processed(app: &TestApp, admin: &str, query: &str, raw: &str) -> Value {
    app.mail_processed(admin, query, raw).await
}

fn mail(from: &str, to: &str, subject: &str) -> String {
    let id = uuid::Uuid::now_v7().simple();
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{id}@c.test>\r\n\r\nHello\r\n"
    )
}

async fn a_mailbox_sets_priority_and_holds_strangers(app: TestApp) {
    let team = app.team("Acme").await;
    let vip = app
        .post(
            "/mailboxes",
            Some(&team.admin),
            json!({"address": "vip@acme.test", "default_priority": "HIGH", "unknown_senders": "QUARANTINE"}),
        )
        .await;
    assert_eq!(vip.status, StatusCode::CREATED, "{}", vip.body);
    let vip = vip.str("id");

    // A known customer writing to a plus-addressed variant: the mailbox's priority.
    let known = processed(
        &app,
        &team.admin,
        "",
        &mail("alice@acme-client.test", "VIP+urgent@acme.test", "Down"),
    )
    .await;
    assert_eq!(known["state"], "PROCESSED", "{known}");
    assert_eq!(known["mailbox_id"], vip.as_str());
    let t = app
        .get(
            &format!("/tickets/{}", known["ticket_id"].as_str().unwrap()),
            &team.agent,
        )
        .await
        .body;
    assert_eq!(t["priority"], "HIGH");
    // Mail to another address takes the workspace's defaults.
    let other = processed(
        &app,
        &team.admin,
        "",
        &mail("alice@acme-client.test", "help@acme.test", "Other"),
    )
    .await;
    assert!(other["mailbox_id"].is_null(), "{other}");
    let t = app
        .get(
            &format!("/tickets/{}", other["ticket_id"].as_str().unwrap()),
            &team.agent,
        )
        .await
        .body;
    assert_eq!(t["priority"], "MEDIUM");

    // A stranger to the quarantining mailbox waits for an admin; released, becomes a
    // customer and a ticket.
    let stranger = processed(
        &app,
        &team.admin,
        "",
        &mail("zed@new.test", "vip@acme.test", "Hi"),
    )
    .await;
    assert_eq!(stranger["state"], "QUARANTINED", "{stranger}");
    assert_eq!(stranger["reason"], "unknown_sender");
    let users = app.get("/users?q=zed", &team.admin).await;
    assert_eq!(users.body["items"], json!([]), "no account before release");
    let id = stranger["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/inbound/{id}/release"),
            Some(&team.admin),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let done = app
        .eventually(&format!("/inbound/{id}"), &team.admin, |m| {
            m["state"] != "PENDING"
        })
        .await;
    assert_eq!(done["state"], "PROCESSED", "{done}");

    // Naming the mailbox overrides the recipients; another workspace's mailbox is refused.
    let named = processed(
        &app,
        &team.admin,
        &format!("?mailbox_id={vip}"),
        &mail("alice@acme-client.test", "x@elsewhere.test", "Named"),
    )
    .await;
    assert_eq!(named["mailbox_id"], vip.as_str());
    let beta = app.team("Beta").await;
    let r = deliver(
        &app,
        &beta.admin,
        &format!("?mailbox_id={vip}"),
        &mail("a@b.test", "vip@acme.test", "x"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}
both!(
    a_mailbox_sets_priority_and_holds_strangers,
    crate::harness::jobs_in_process
);

async fn our_mailboxes_never_mail_each_other(app: TestApp) {
    let team = app.team("Acme").await;
    let r = app
        .post(
            "/mailboxes",
            Some(&team.admin),
            json!({"address": "support@acme.test"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Someone made the mailbox a customer (say, from mail it sent): notifications to it
    // are held, not sent into our own intake.
    let (support_id, _) = app
        .user_token(&team.admin, "support+alias@acme.test", "CUSTOMER")
        .await;
    let t = app
        .ticket(
            &team.agent,
            json!({"subject": "Loop", "description": "x", "requester_id": support_id}),
        )
        .await;
    let id = t["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/tickets/{id}/messages"),
            Some(&team.agent),
            json!({"body": "Hello"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let ws = app.workspace_id(&team.admin).await;
    let held = app
        .wait_mails(ws, "support+alias@acme.test", "ticket_notification", 1)
        .await;
    assert_eq!(held[0].held.as_deref(), Some("own_mailbox"));
    // And mail from a mailbox of ours is a loop, whatever it says.
    let m = processed(
        &app,
        &team.admin,
        "",
        &mail("support@acme.test", "support@acme.test", "Auto: received"),
    )
    .await;
    assert_eq!(m["state"], "IGNORED", "{m}");
    assert_eq!(m["reason"], "own_mailbox");
}
both!(
    our_mailboxes_never_mail_each_other,
    crate::harness::jobs_in_process
);
