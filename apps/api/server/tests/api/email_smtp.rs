//! Email in over SMTP and LMTP (`HELPDESK_INBOUND_SMTP_BIND`), spoken line by line as an
//! MTA would: recipients no workspace owns are refused (`550`), a message is answered
//! `250` only once stored and becomes a ticket in the recipient's workspace, LMTP answers
//! per recipient, and a declared size over the limit is refused before any data.

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

use crate::both;
use crate::harness::TestApp;

/// Jobs in process and the listener on a free loopback port.
fn listening(c: &mut helpdesk::Config) {
    crate::harness::jobs_in_process(c);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    c.inbound_smtp_bind = Some(([127, 0, 0, 1], port).into());
}

struct Client {
    r: BufReader<OwnedReadHalf>,
    w: OwnedWriteHalf,
}

impl Client {
    async fn connect(app: &TestApp) -> Self {
        let tcp = TcpStream::connect(app.config.inbound_smtp_bind.unwrap())
            .await
            .unwrap();
        let (r, w) = tcp.into_split();
        let mut c = Self {
            r: BufReader::new(r),
            w,
        };
        assert!(c.answer().await.starts_with("220 "));
        c
    }

    /// One (possibly multi-line) answer; returns its last line.
    async fn answer(&mut self) -> String {
        loop {
            let mut line = String::new();
            self.r.read_line(&mut line).await.unwrap();
            assert!(!line.is_empty(), "connection closed");
            if line.as_bytes().get(3) != Some(&b'-') {
                return line.trim_end().to_owned();
            }
        }
    }

    async fn say(&mut self, line: &str) -> String {
        self.w
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .unwrap();
        self.answer().await
    }

    /// Sends DATA's content (dot-stuffed) and the final dot; returns the first answer.
    async fn data(&mut self, raw: &str) -> String {
        assert!(self.say("DATA").await.starts_with("354"));
        let mut out = String::new();
        for l in raw.split("\r\n") {
            if l.starts_with('.') {
                out.push('.');
            }
            out.push_str(l);
            out.push_str("\r\n");
        }
        out.push_str(".\r\n");
        self.w.write_all(out.as_bytes()).await.unwrap();
        self.answer().await
    }
}

fn mail(to: &str, subject: &str, body: &str) -> String {
    let id = uuid::Uuid::now_v7().simple();
    format!(
        "From: Alice <alice@client.test>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{id}@client.test>\r\n\
         Date: Fri, 4 Dec 2026 10:00:00 +0000\r\n\r\n{body}"
    )
}

async fn mailbox(app: &TestApp, admin: &str, address: &str) {
    let r = app
        .post("/mailboxes", Some(admin), json!({"address": address}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

async fn smtp_and_lmtp_take_mail_for_our_addresses(app: TestApp) {
    let acme = app.team("Acme").await;
    let beta = app.team("Beta").await;
    mailbox(&app, &acme.admin, "support@acme.test").await;
    mailbox(&app, &beta.admin, "help@beta.test").await;

    let mut c = Client::connect(&app).await;
    assert!(c.say("EHLO mta.test").await.starts_with("250 SIZE "));
    assert!(
        c.say("RCPT TO:<support@acme.test>")
            .await
            .starts_with("503")
    );
    assert!(
        c.say("MAIL FROM:<alice@client.test>")
            .await
            .starts_with("250")
    );
    assert!(c.say("RCPT TO:<nobody@acme.test>").await.starts_with("550"));
    assert!(
        c.say("RCPT TO:<Support+urgent@Acme.test>")
            .await
            .starts_with("250")
    );
    let body = "The printer is down.\r\n.A line starting with a dot.";
    let stored = c.data(&mail("support@acme.test", "Printer", body)).await;
    assert!(stored.starts_with("250"), "{stored}");
    assert!(c.say("QUIT").await.starts_with("221"));

    // Stored when answered; the job then makes the ticket.
    let rows = app.get("/inbound", &acme.admin).await.body["items"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows[0]["channel"], "SMTP", "{rows}");
    let id = rows[0]["id"].as_str().unwrap().to_owned();
    let done = app
        .eventually(&format!("/inbound/{id}"), &acme.admin, |m| {
            m["state"] == "PROCESSED"
        })
        .await;
    let ticket = done["ticket_id"].as_str().unwrap();
    let t = app
        .get(&format!("/tickets/{ticket}"), &acme.agent)
        .await
        .body;
    assert_eq!(t["channel"], "EMAIL");
    assert_eq!(t["subject"], "Printer");
    let raw = app
        .download(&format!("/api/v1/inbound/{id}/raw"), &acme.admin)
        .await;
    let raw = raw.text().await.unwrap();
    assert!(
        raw.contains("\r\n.A line starting with a dot.\r\n"),
        "unstuffed: {raw}"
    );

    // LMTP: one answer per recipient, each workspace gets its own copy.
    let mut c = Client::connect(&app).await;
    assert!(c.say("LHLO mta.test").await.starts_with("250 "));
    assert!(
        c.say("MAIL FROM:<bob@client.test>")
            .await
            .starts_with("250")
    );
    assert!(
        c.say("RCPT TO:<support@acme.test>")
            .await
            .starts_with("250")
    );
    assert!(c.say("RCPT TO:<help@beta.test>").await.starts_with("250"));
    let first = c
        .data(&mail("support@acme.test, help@beta.test", "Both", "Hi"))
        .await;
    let second = c.answer().await;
    assert!(
        first.starts_with("250") && second.starts_with("250"),
        "{first} / {second}"
    );
    // A declared size over the limit is refused before any data is sent.
    let r = c.say("MAIL FROM:<big@client.test> SIZE=999999999").await;
    assert!(r.starts_with("552"), "{r}");
    assert!(c.say("QUIT").await.starts_with("221"));
    app.jobs_drained().await;
    for (admin, n) in [(&acme.admin, 2), (&beta.admin, 1)] {
        let rows = app.get("/inbound", admin).await.body["items"].clone();
        assert_eq!(rows.as_array().unwrap().len(), n, "{rows}");
        assert!(
            rows.as_array()
                .unwrap()
                .iter()
                .all(|r| r["state"] == "PROCESSED"),
            "{rows}"
        );
    }
}
both!(smtp_and_lmtp_take_mail_for_our_addresses, super::listening);

/// A real SMTP client (lettre, as an MTA or a script would use): the message is taken and
/// becomes a ticket; a recipient no workspace owns is refused.
async fn a_real_smtp_client_delivers(app: TestApp) {
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
    let team = app.team("Acme").await;
    mailbox(&app, &team.admin, "support@acme.test").await;
    let addr = app.config.inbound_smtp_bind.unwrap();
    let smtp = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(addr.ip().to_string())
        .port(addr.port())
        .build();
    let mail = Message::builder()
        .from("Dana <dana@client.test>".parse().unwrap())
        .to("support@acme.test".parse().unwrap())
        .subject("Sent with lettre")
        .body("The scanner is offline.".to_owned())
        .unwrap();
    smtp.send(mail).await.unwrap();
    let list = app
        .eventually("/tickets?limit=10", &team.agent, |b| {
            b["items"].as_array().unwrap().len() == 1
        })
        .await;
    assert_eq!(list["items"][0]["subject"], "Sent with lettre");
    assert_eq!(list["items"][0]["channel"], "EMAIL");
    let refused = Message::builder()
        .from("dana@client.test".parse().unwrap())
        .to("nobody@elsewhere.test".parse().unwrap())
        .subject("x")
        .body("x".to_owned())
        .unwrap();
    let e = smtp.send(refused).await.unwrap_err();
    assert!(e.is_permanent(), "{e}");
}
both!(a_real_smtp_client_delivers, super::listening);
