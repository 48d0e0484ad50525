//! The whole email loop, with real servers only: a customer's mail lands in a Dovecot
//! mailbox and becomes a ticket; the agent's answer leaves by SMTP (aiosmtpd) with a
//! Message-ID and a `+token` Reply-To naming the ticket; the customer's answer to it,
//! delivered to the mailbox again, lands on the same ticket (also when it only has the
//! Reply-To address); and an agent answering a note's notification by email adds a note.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::dovecot::Dovecot;
use crate::harness::{Backend, TestApp};
use crate::smtp_sink::SmtpServer;

const SUPPORT: &str = "support@acme.test";

/// The header `name` of `mail` (unfolded), if present.
fn header(mail: &str, name: &str) -> Option<String> {
    let prefix = format!("{name}: ");
    let mut lines = mail.split("\n").map(|l| l.trim_end_matches('\r'));
    let first = lines
        .find(|l| l.len() >= prefix.len() && l[..prefix.len()].eq_ignore_ascii_case(&prefix))?;
    let mut value = first[prefix.len()..].to_owned();
    for l in lines {
        if l.starts_with(' ') || l.starts_with('\t') {
            value.push_str(l.trim_start());
        } else {
            break;
        }
    }
    Some(value)
}

/// The newest mail the SMTP server got for `to` containing `text`.
async fn sent(smtp: &SmtpServer, to: &str, text: &str) -> String {
    for _ in 0..400 {
        if let Some(m) = smtp
            .messages()
            .into_iter()
            .find(|m| m.contains(&format!("To: {to}")) && m.contains(text))
        {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("no mail to {to} with {text:?}");
}

async fn messages(app: &TestApp, token: &str, ticket: &str) -> Vec<Value> {
    app.get(&format!("/tickets/{ticket}/messages?limit=100"), token)
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .clone()
}

async fn messages_when(app: &TestApp, token: &str, ticket: &str, n: usize) -> Vec<Value> {
    for _ in 0..300 {
        let m = messages(app, token, ticket).await;
        if m.len() >= n {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "ticket {ticket} never had {n} messages: {:?}",
        messages(app, token, ticket).await
    );
}

async fn round_trip(backend: Backend) {
    let smtp = SmtpServer::start();
    let imap = Dovecot::start().await;
    let port = smtp.port;
    let app = TestApp::spawn_with(backend, move |c| {
        crate::email_imap::fetching(c);
        c.smtp_url = Some(helpdesk::config::Secret(format!("smtp://127.0.0.1:{port}")));
    })
    .await;
    let team = app.team("Acme").await;
    // Mail to customers leaves only once the workspace's admin email is confirmed.
    app.verify_workspace(&team.admin).await;
    let mut settings = imap.imap(SUPPORT);
    settings["after_import"] = json!("SEEN");
    let r = app
        .post(
            "/mailboxes",
            Some(&team.admin),
            json!({"address": SUPPORT, "imap": settings}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // 1. The customer writes in.
    imap.append(SUPPORT, "INBOX", None,
        "From: Carol <carol@client.test>\r\nTo: support@acme.test\r\nSubject: Printer jammed\r\n\
         Message-ID: <c1@client.test>\r\nDate: Fri, 4 Dec 2026 10:00:00 +0000\r\n\r\nPaper stuck in tray 2.\r\n").await;
    let list = app
        .eventually("/tickets?limit=10", &team.agent, |b| {
            b["items"].as_array().unwrap().len() == 1
        })
        .await;
    let ticket = list["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(list["items"][0]["channel"], "EMAIL");

    // 2. The agent answers; it leaves by SMTP, naming the ticket three ways.
    let r = app
        .post(
            &format!("/tickets/{ticket}/messages"),
            Some(&team.agent),
            json!({"body": "Open the rear door and pull gently."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let out = sent(&smtp, "carol@client.test", "Open the rear door").await;
    let message_id = header(&out, "Message-ID").unwrap();
    let reply_to = header(&out, "Reply-To").unwrap();
    let token = format!("hd-{}-", ticket.replace('-', ""));
    assert!(message_id.contains(&token), "{message_id}");
    assert!(
        reply_to.starts_with(&format!("support+{token}")) && reply_to.ends_with("@acme.test"),
        "{reply_to}"
    );

    // 3. The customer answers it: the reply lands on the same ticket.
    imap.append(SUPPORT, "INBOX", None, &format!(
        "From: Carol <carol@client.test>\r\nTo: {reply_to}\r\nSubject: Re: Printer jammed\r\n\
         Message-ID: <c2@client.test>\r\nIn-Reply-To: {message_id}\r\nReferences: {message_id}\r\n\r\n\
         That worked, thanks!\r\n")).await;
    let m = messages_when(&app, &team.agent, &ticket, 2).await;
    assert!(
        m[1]["body"].as_str().unwrap().contains("That worked"),
        "{m:?}"
    );
    assert_eq!(m[1]["internal"], false);
    // 4. A client that drops the threading headers still reaches it through Reply-To.
    imap.append(
        SUPPORT,
        "INBOX",
        None,
        &format!(
            "From: carol@client.test\r\nTo: {reply_to}\r\nSubject: one more thing\r\n\
         Message-ID: <c3@client.test>\r\n\r\nAnd the toner is low.\r\n"
        ),
    )
    .await;
    let m = messages_when(&app, &team.agent, &ticket, 3).await;
    assert!(
        m[2]["body"].as_str().unwrap().contains("toner is low"),
        "{m:?}"
    );
    let all = app.get("/tickets?limit=10", &team.agent).await.body;
    assert_eq!(all["items"].as_array().unwrap().len(), 1, "{all}");

    // 5. A note reaches the assignee; their emailed answer stays internal.
    let me = app.get("/auth/me", &team.agent).await.body;
    let agent_email = me["email"].as_str().unwrap().to_owned();
    let r = app
        .patch(
            &format!("/tickets/{ticket}"),
            &team.agent,
            json!({"assignee_id": me["id"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .post(
            &format!("/tickets/{ticket}/messages"),
            Some(&team.admin),
            json!({"body": "Check the fuser warranty first.", "internal": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let note = sent(&smtp, &agent_email, "fuser warranty").await;
    let note_id = header(&note, "Message-ID").unwrap();
    assert!(note_id.contains(".note.hd-"), "{note_id}");
    imap.append(SUPPORT, "INBOX", None, &format!(
        "From: {agent_email}\r\nTo: {SUPPORT}\r\nSubject: Re: note\r\nMessage-ID: <a1@acme.test>\r\n\
         In-Reply-To: {note_id}\r\n\r\nWarranty ran out in May.\r\n")).await;
    let m = messages_when(&app, &team.agent, &ticket, 5).await;
    let last = m.last().unwrap();
    assert!(
        last["body"].as_str().unwrap().contains("Warranty ran out"),
        "{m:?}"
    );
    assert_eq!(last["internal"], true, "{last}");
    // The customer was never told of either note.
    app.jobs_drained().await;
    assert!(
        !smtp
            .messages()
            .iter()
            .any(|m| m.contains("To: carol@client.test") && m.contains("Warranty"))
    );
    assert!(
        !smtp
            .messages()
            .iter()
            .any(|m| m.contains("To: carol@client.test") && m.contains("fuser"))
    );
}

#[tokio::test]
async fn sqlite() {
    round_trip(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    no_test_postgres,
    ignore = "set TEST_DATABASE_URL to run on PostgreSQL"
)]
async fn postgres() {
    crate::harness::require_postgres();
    round_trip(Backend::Postgres).await;
}
