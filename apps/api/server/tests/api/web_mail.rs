//! Mailboxes and received mail from the admin pages: a mailbox made with an IMAP account
//! whose password never comes back, "Check now" saying where it stopped, held mail
//! released; agents see none of it.

use reqwest::StatusCode;

use crate::both;
use crate::harness::TestApp;
use crate::web_client::Browser;

async fn mailboxes_from_the_admin_pages(app: TestApp) {
    let t = app.team("Acme").await;
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@acme.test", "secure").await;
    admin.get("/admin/mailboxes").await;
    let form = |address: &'static str, port: &'static str| {
        vec![
            ("address", address),
            ("name", "Acme support"),
            ("active", "on"),
            ("default_priority", "HIGH"),
            ("unknown_senders", "QUARANTINE"),
            ("imap", "on"),
            ("host", "127.0.0.1"),
            ("port", port),
            ("security", "NONE"),
            ("username", "support"),
            ("auth", "PASSWORD"),
            ("password", "imap-secret-1"),
            ("folder", "INBOX"),
            ("after_import", "SEEN"),
        ]
    };
    let r = admin
        .post("/admin/mailboxes", &form("not an address", "993"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-address""#), "{}", r.body);
    // Port 1 on loopback: nothing listens, so a check stops at connecting.
    let r = admin
        .post("/admin/mailboxes", &form("help@acme.test", "1"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location().to_owned();
    let shown = admin.get(&page).await;
    assert!(shown.body.contains("help@acme.test") && !shown.body.contains("imap-secret-1"));
    let r = admin.post(&format!("{page}/check"), &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Stopped at connect"), "{}", r.body);
    let boxes = app.get("/mailboxes", &t.admin).await.body;
    assert_eq!(boxes[0]["default_priority"], "HIGH");
    assert_eq!(boxes[0]["imap"]["auth"], "PASSWORD");
    let id = boxes[0]["id"].as_str().unwrap().to_owned();

    // A stranger's mail is held; released from the page, it opens a ticket.
    let raw = "From: stranger@elsewhere.test\r\nTo: help@acme.test\r\nSubject: Hello there\r\n\
               Message-ID: <s1@elsewhere.test>\r\n\r\nCan you help?\r\n";
    let m = app
        .mail_processed(&t.admin, &format!("?mailbox_id={id}"), raw)
        .await;
    assert_eq!(m["state"], "QUARANTINED", "{m}");
    let held = admin.get("/admin/inbound?state=QUARANTINED").await;
    assert!(held.body.contains("Hello there") && held.body.contains("Release"));
    let r = admin
        .post(
            &format!("/admin/inbound/{}/release", m["id"].as_str().unwrap()),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    app.eventually(
        &format!("/inbound/{}", m["id"].as_str().unwrap()),
        &t.admin,
        |b| b["state"] == "PROCESSED",
    )
    .await;

    // Agents: not found.
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    assert_eq!(
        agent.get("/admin/mailboxes").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        agent.get("/admin/inbound").await.status,
        StatusCode::NOT_FOUND
    );
}
both!(
    mailboxes_from_the_admin_pages,
    crate::harness::jobs_in_process
);
