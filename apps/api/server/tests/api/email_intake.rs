//! Email in through `POST /inbound/email`: a new mail opens a ticket for its sender, and
//! replies find their ticket by each kind of reference our mail carries; noise is
//! recorded and changes nothing; the same mail twice is one; bursts are quarantined and
//! released; unreadable mail is kept and can be reprocessed.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::{Resp, TestApp};

async fn deliver(app: &TestApp, token: &str, raw: &str) -> Resp {
    app.deliver_mail(token, "", raw).await
}

async fn processed(app: &TestApp, admin: &str, raw: &str) -> Value {
    app.mail_processed(admin, "", raw).await
}

fn mail(from: &str, subject: &str, headers: &str, body: &str) -> String {
    let id = uuid::Uuid::now_v7().simple();
    format!(
        "From: {from}\r\nTo: support@acme.test\r\nSubject: {subject}\r\nMessage-ID: <{id}@client.test>\r\n\
         Date: Fri, 4 Dec 2026 10:00:00 +0000\r\n{headers}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
}

async fn ticket_count(app: &TestApp, agent: &str) -> usize {
    app.get("/tickets?limit=100", agent).await.body["items"]
        .as_array()
        .unwrap()
        .len()
}

/// The newest notification to `email` about a ticket: its outgoing Message-ID (as the
/// worker builds it), its thread root and its body.
async fn last_notification(app: &TestApp, admin: &str, email: &str) -> (String, String, String) {
    let ws = app.workspace_id(admin).await;
    let mails = app.wait_mails(ws, email, "ticket_notification", 1).await;
    let m = mails.last().unwrap();
    let thread = m.in_reply_to.clone().unwrap();
    (
        format!("{}.{thread}", m.id.simple()),
        thread,
        m.body.clone(),
    )
}

async fn messages(app: &TestApp, agent: &str, ticket: &str) -> Vec<Value> {
    app.get(&format!("/tickets/{ticket}/messages?limit=100"), agent)
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .clone()
}

async fn a_new_mail_opens_a_ticket_and_replies_find_it(app: TestApp) {
    let team = app.team("Acme").await;
    let org = app
        .post(
            "/organizations",
            Some(&team.admin),
            json!({"name": "Client Co", "domains": ["client.test"]}),
        )
        .await
        .str("id");
    let first = processed(
        &app,
        &team.admin,
        &mail(
            "Carol Client <Carol@Client.test>",
            "VPN is down",
            "",
            "It drops every minute.",
        ),
    )
    .await;
    assert_eq!(first["state"], "PROCESSED", "{first}");
    assert_eq!(first["from"], "carol@client.test");
    let ticket = first["ticket_id"].as_str().unwrap().to_owned();
    let t = app
        .get(&format!("/tickets/{ticket}"), &team.agent)
        .await
        .body;
    assert_eq!(t["channel"], "EMAIL");
    assert_eq!(t["subject"], "VPN is down");
    assert_eq!(t["organization_id"], org.as_str());
    assert!(
        t["description"]
            .as_str()
            .unwrap()
            .contains("drops every minute")
    );
    let requester = t["requester_id"].as_str().unwrap().to_owned();
    let carol = app
        .get(&format!("/users/{requester}"), &team.admin)
        .await
        .body;
    assert_eq!(carol["email"], "carol@client.test");
    assert_eq!(carol["role"], "CUSTOMER");
    assert_eq!(carol["name"], "Carol Client");

    // The agent answers; the notification to Carol carries the references.
    let r = app
        .post(
            &format!("/tickets/{ticket}/messages"),
            Some(&team.agent),
            json!({"body": "Which office?"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let (message_id, thread, body) =
        last_notification(&app, &team.admin, "carol@client.test").await;
    let token = thread.trim_end_matches("@helpdesk").to_owned();
    assert!(body.contains(&format!("[{token}]")), "{body}");

    let replies = [
        (
            "Re: VPN",
            format!("In-Reply-To: <{message_id}>\r\n"),
            "by In-Reply-To".to_owned(),
        ),
        (
            "Re: VPN",
            format!("References: <{thread}> <{message_id}>\r\n"),
            "by References".to_owned(),
        ),
        (
            "Re: VPN",
            String::new(),
            format!("by the body token\r\n\r\n> [{token}]"),
        ),
    ];
    for (subject, headers, text) in &replies {
        let m = processed(
            &app,
            &team.admin,
            &mail("carol@client.test", subject, headers, text),
        )
        .await;
        assert_eq!(m["state"], "PROCESSED", "{m}");
        assert_eq!(m["ticket_id"], ticket.as_str(), "{text}");
        assert!(m["ticket_message_id"].is_string());
    }
    let number = t["number"].as_i64().unwrap();
    let by_number = processed(
        &app,
        &team.admin,
        &mail(
            "carol@client.test",
            &format!("Re: [Acme #{number}] VPN"),
            "",
            "by the subject",
        ),
    )
    .await;
    assert_eq!(by_number["ticket_id"], ticket.as_str());
    let on_ticket = messages(&app, &team.agent, &ticket).await;
    for text in [
        "by In-Reply-To",
        "by References",
        "by the body token",
        "by the subject",
    ] {
        let m = on_ticket
            .iter()
            .find(|m| m["body"].as_str().unwrap().starts_with(text))
            .unwrap_or_else(|| panic!("no message {text}"));
        assert_eq!(m["author_id"], requester.as_str());
        assert_eq!(m["internal"], false);
    }

    // A stranger's [#number] does not reach the ticket: it opens one of its own.
    let stranger = processed(
        &app,
        &team.admin,
        &mail(
            "mallory@elsewhere.test",
            &format!("[Acme #{number}] hi"),
            "",
            "let me in",
        ),
    )
    .await;
    assert_eq!(stranger["state"], "PROCESSED");
    assert_ne!(stranger["ticket_id"], ticket.as_str());

    // A colleague copied on the thread answers with reply-all: the mail joins the ticket
    // (as a note naming them: customers act only on their own tickets).
    let cc = processed(
        &app,
        &team.admin,
        &mail(
            "Dan <dan@client.test>",
            "Re: VPN",
            &format!("In-Reply-To: <{message_id}>\r\n"),
            "Same here on floor 2",
        ),
    )
    .await;
    assert_eq!(cc["state"], "PROCESSED", "{cc}");
    assert_eq!(cc["ticket_id"], ticket.as_str());
    assert_eq!(cc["reason"], "added_as_note");
    let note = messages(&app, &team.agent, &ticket)
        .await
        .into_iter()
        .find(|m| m["id"] == cc["ticket_message_id"])
        .unwrap();
    assert_eq!(note["internal"], true);
    assert!(
        note["body"]
            .as_str()
            .unwrap()
            .starts_with("Email from Dan <dan@client.test>"),
        "{note}"
    );

    // Another workspace's reference does not count here.
    let beta = app.team("Beta").await;
    let theirs = app
        .ticket(
            &beta.alice,
            json!({"subject": "Beta's", "description": "x"}),
        )
        .await;
    app.post(
        &format!("/tickets/{}/messages", theirs["id"].as_str().unwrap()),
        Some(&beta.agent),
        json!({"body": "hello"}),
    )
    .await;
    let (beta_id, _, _) = last_notification(&app, &beta.admin, "alice@beta-client.test").await;
    let foreign = processed(
        &app,
        &team.admin,
        &mail(
            "carol@client.test",
            "Re: Beta's",
            &format!("In-Reply-To: <{beta_id}>\r\n"),
            "wrong place",
        ),
    )
    .await;
    assert_ne!(foreign["ticket_id"], ticket.as_str());
    assert_ne!(foreign["ticket_id"], theirs["id"]);

    // A reply to a closed ticket opens a follow-up that names it.
    for status in ["RESOLVED", "CLOSED"] {
        let r = app
            .patch(
                &format!("/tickets/{ticket}"),
                &team.agent,
                json!({"status": status}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let late = processed(
        &app,
        &team.admin,
        &mail(
            "carol@client.test",
            "Re: VPN",
            &format!("In-Reply-To: <{message_id}>\r\n"),
            "It is back",
        ),
    )
    .await;
    let follow_up = late["ticket_id"].as_str().unwrap();
    assert_ne!(follow_up, ticket);
    let f = app
        .get(&format!("/tickets/{follow_up}"), &team.agent)
        .await
        .body;
    assert!(
        f["description"]
            .as_str()
            .unwrap()
            .starts_with(&format!("Follow-up to #{number}")),
        "{f}"
    );
    assert_eq!(f["requester_id"], requester.as_str());
}
both!(
    a_new_mail_opens_a_ticket_and_replies_find_it,
    crate::harness::jobs_in_process
);

async fn noise_is_recorded_and_changes_nothing(app: TestApp) {
    let team = app.team("Acme").await;
    let t = app
        .ticket(
            &team.alice,
            json!({"subject": "Printer", "description": "jammed"}),
        )
        .await;
    let id = t["id"].as_str().unwrap();
    app.post(
        &format!("/tickets/{id}/messages"),
        Some(&team.agent),
        json!({"body": "On it"}),
    )
    .await;
    let (ours, thread, body) = last_notification(&app, &team.admin, "alice@acme-client.test").await;
    app.jobs_drained().await;
    let ws = app.workspace_id(&team.admin).await;
    let outbox_before =
        helpdesk_storage::repo::outbox::for_recipient(app.store.read(), ws, "agent@acme.test")
            .await
            .unwrap()
            .len();
    let tickets_before = ticket_count(&app, &team.agent).await;
    let messages_before = messages(&app, &team.agent, id).await.len();
    let reply_to = format!("In-Reply-To: <{ours}>\r\n");
    let cases = [
        (
            "exchange out of office",
            mail(
                "alice@acme-client.test",
                "Automatic reply: Printer",
                &format!(
                    "{reply_to}X-Auto-Response-Suppress: All\r\nAuto-Submitted: auto-replied\r\n"
                ),
                "I am away",
            ),
            "auto_reply",
        ),
        (
            "gmail vacation",
            mail(
                "alice@acme-client.test",
                "Out of office",
                &format!("{reply_to}Auto-Submitted: auto-replied\r\nPrecedence: bulk\r\n"),
                "Back Monday",
            ),
            "auto_reply",
        ),
        (
            "delivery report",
            "From: Mail Delivery System <MAILER-DAEMON@mx.acme-client.test>\r\nTo: support@acme.test\r\nSubject: Undelivered Mail\r\n\
                 Message-ID: <dsn1@mx.acme-client.test>\r\nAuto-Submitted: auto-replied\r\n\
                 Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n\
                 --b\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n\
                 --b\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--b--\r\n".to_owned(),
            "delivery_report",
        ),
        (
            "mailing list",
            mail(
                "alice@acme-client.test",
                "[lists] weekly",
                "List-Id: <news.lists.test>\r\n",
                "news",
            ),
            "mailing_list",
        ),
        (
            "our own notification coming back",
            format!(
                "From: helpdesk@acme.test\r\nTo: support@acme.test\r\nSubject: [Acme #1] Printer\r\nMessage-ID: <{ours}>\r\n\
                 In-Reply-To: <{thread}>\r\nContent-Type: text/plain\r\n\r\n{body}"
            ),
            "own_mail",
        ),
    ];
    for (what, raw, reason) in cases {
        let m = processed(&app, &team.admin, &raw).await;
        assert_eq!(m["state"], "IGNORED", "{what}: {m}");
        assert_eq!(m["reason"], reason, "{what}");
        assert!(m["ticket_id"].is_null(), "{what}");
    }
    app.jobs_drained().await;
    assert_eq!(ticket_count(&app, &team.agent).await, tickets_before);
    assert_eq!(messages(&app, &team.agent, id).await.len(), messages_before);
    let outbox_after =
        helpdesk_storage::repo::outbox::for_recipient(app.store.read(), ws, "agent@acme.test")
            .await
            .unwrap()
            .len();
    assert_eq!(outbox_after, outbox_before, "noise notified the agent");
    let ignored = app.get("/inbound?state=IGNORED", &team.admin).await;
    assert_eq!(ignored.body["items"].as_array().unwrap().len(), 5);
}
both!(
    noise_is_recorded_and_changes_nothing,
    crate::harness::jobs_in_process
);

async fn duplicates_bursts_and_failures_are_handled(app: TestApp) {
    let team = app.team("Acme").await;
    let raw = mail("dave@client.test", "Help", "", "first");
    let a = deliver(&app, &team.admin, &raw).await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    assert_eq!(a.body["duplicate"], false);
    // The same message again, even through another relay (a Received header more).
    let again = deliver(
        &app,
        &team.admin,
        &format!("Received: from relay.test\r\n{raw}"),
    )
    .await;
    assert_eq!(again.status, StatusCode::ACCEPTED);
    assert_eq!(again.body["duplicate"], true);
    assert_eq!(again.str("id"), a.str("id"));
    let stored = app
        .download(&format!("/api/v1/inbound/{}/raw", a.str("id")), &team.admin)
        .await;
    assert_eq!(stored.headers()["content-type"], "message/rfc822");
    assert_eq!(stored.text().await.unwrap(), raw, "kept byte for byte");

    // The 4th mail within the hour from one sender is held (the limit is 3 here).
    let mut last = Value::Null;
    for i in 0..4 {
        last = processed(
            &app,
            &team.admin,
            &mail("eve@client.test", &format!("spam {i}"), "", "x"),
        )
        .await;
    }
    assert_eq!(last["state"], "QUARANTINED", "{last}");
    assert_eq!(last["reason"], "sender_burst");
    let held = last["id"].as_str().unwrap();
    let wrong = app
        .post(
            &format!("/inbound/{held}/reprocess"),
            Some(&team.admin),
            json!({}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::CONFLICT, "{}", wrong.body);
    let released = app
        .post(
            &format!("/inbound/{held}/release"),
            Some(&team.admin),
            json!({}),
        )
        .await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.body);
    let done = app
        .eventually(&format!("/inbound/{held}"), &team.admin, |m| {
            m["state"] != "PENDING"
        })
        .await;
    assert_eq!(done["state"], "PROCESSED", "{done}");
    assert!(done["ticket_id"].is_string());

    // Unreadable bytes are kept as FAILED, and can be run again.
    let junk = processed(&app, &team.admin, "\u{1}\u{2}not a mail at all").await;
    assert_eq!(junk["state"], "FAILED", "{junk}");
    assert_eq!(junk["reason"], "unparseable");
    let again = app
        .post(
            &format!("/inbound/{}/reprocess", junk["id"].as_str().unwrap()),
            Some(&team.admin),
            json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.body["state"], "PENDING");

    // Only admins, only this workspace, only raw mail.
    let agent = deliver(&app, &team.agent, &raw).await;
    assert_eq!(agent.status, StatusCode::FORBIDDEN);
    let beta = app.team("Beta").await;
    let other = app
        .get(&format!("/inbound/{}", a.str("id")), &beta.admin)
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let listed = app.get("/inbound", &beta.admin).await;
    assert_eq!(listed.body["items"], json!([]));
    let as_json = app
        .post("/inbound/email", Some(&team.admin), json!({"raw": raw}))
        .await;
    assert_eq!(as_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let empty = deliver(&app, &team.admin, "  \r\n").await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        empty.body
    );
}
/// Jobs in process, and a limit of 3 messages an hour per sender.
fn jobs_and_a_low_limit(c: &mut helpdesk::Config) {
    crate::harness::jobs_in_process(c);
    c.inbound_per_sender_hour = 3;
}
both!(
    duplicates_bursts_and_failures_are_handled,
    super::jobs_and_a_low_limit
);
