//! Delivery reports about our own mail: linked to the message they name, the address
//! marked bouncing when delivery failed for good (later mail to it is held), and cleared
//! when that address writes to us again; a delay marks nothing.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;

const ALICE: &str = "alice@acme-client.test";

/// The newest notification to Alice: (outbox row, its Message-ID as sent).
async fn newest(
    app: &TestApp,
    admin: &str,
    n: usize,
) -> (helpdesk_storage::repo::outbox::OutboxMessage, String) {
    let ws = app.workspace_id(admin).await;
    let mails = app.wait_mails(ws, ALICE, "ticket_notification", n).await;
    let m = mails.last().unwrap().clone();
    let id = format!("{}.{}", m.id.simple(), m.in_reply_to.clone().unwrap());
    (m, id)
}

fn dsn(message_id: &str, action: &str, status: &str) -> String {
    let id = uuid::Uuid::now_v7().simple();
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.acme-client.test>\r\nTo: support@acme.test\r\n\
         Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <{id}@mx.acme-client.test>\r\n\
         Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\
         --b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.acme-client.test\r\n\r\n\
         Final-Recipient: rfc822; {ALICE}\r\nAction: {action}\r\nStatus: {status}\r\n\
         --b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: support@acme.test\r\nTo: {ALICE}\r\n\
         Message-ID: <{message_id}>\r\nSubject: [Acme #1] Printer\r\n\
         --b--\r\n"
    )
}

async fn reply(app: &TestApp, agent: &str, ticket: &str, body: &str) {
    let r = app
        .post(
            &format!("/tickets/{ticket}/messages"),
            Some(agent),
            json!({"body": body}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

async fn bounces_are_linked_and_stop_mail(app: TestApp) {
    let team = app.team("Acme").await;
    app.verify_workspace(&team.admin).await;
    let t = app
        .ticket(
            &team.alice,
            json!({"subject": "Printer", "description": "jammed"}),
        )
        .await;
    let ticket = t["id"].as_str().unwrap();
    reply(&app, &team.agent, ticket, "First answer").await;
    let (first, first_id) = newest(&app, &team.admin, 1).await;
    assert!(first.held.is_none(), "{first:?}");

    // Delivery failed for good: the report is linked and Alice is marked bouncing.
    let m = app
        .mail_processed(&team.admin, "", &dsn(&first_id, "failed", "5.1.1"))
        .await;
    assert_eq!(m["state"], "IGNORED", "{m}");
    assert_eq!(m["reason"], "delivery_report");
    let (first, _) = newest(&app, &team.admin, 1).await;
    assert!(first.bounced_at.is_some(), "{first:?}");
    reply(&app, &team.agent, ticket, "Second answer").await;
    let (second, _) = newest(&app, &team.admin, 2).await;
    assert_eq!(second.held.as_deref(), Some("bouncing"), "{second:?}");

    // Alice writes again: her address works, and mail to her flows.
    let raw = format!(
        "From: {ALICE}\r\nTo: support@acme.test\r\nSubject: Re: [#{}] Printer\r\nMessage-ID: <back@acme-client.test>\r\n\r\nI'm back.\r\n",
        t["number"]
    );
    let m = app.mail_processed(&team.admin, "", &raw).await;
    assert_eq!(m["state"], "PROCESSED", "{m}");
    reply(&app, &team.agent, ticket, "Third answer").await;
    let (third, third_id) = newest(&app, &team.admin, 3).await;
    assert!(third.held.is_none(), "{third:?}");

    // A delay is linked but stops nothing.
    app.mail_processed(&team.admin, "", &dsn(&third_id, "delayed", "4.4.7"))
        .await;
    reply(&app, &team.agent, ticket, "Fourth answer").await;
    let (fourth, _) = newest(&app, &team.admin, 4).await;
    assert!(fourth.held.is_none(), "{fourth:?}");
    // Another workspace's report names nothing of ours.
    let beta = app.team("Beta").await;
    let m = app
        .mail_processed(&beta.admin, "", &dsn(&third_id, "failed", "5.1.1"))
        .await;
    assert_eq!(m["state"], "IGNORED");
    reply(&app, &team.agent, ticket, "Fifth answer").await;
    let (fifth, _) = newest(&app, &team.admin, 5).await;
    assert!(fifth.held.is_none(), "{fifth:?}");
}
both!(
    bounces_are_linked_and_stop_mail,
    crate::harness::jobs_in_process
);
