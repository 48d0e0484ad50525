//! Raw MIME as intake reads it: encoded words (RFC 2047) and parameters (RFC 2231),
//! legacy charsets, invalid UTF-8, HTML-only mail, and the headers that mark noise.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use helpdesk_service::inbound::{dedup_key, parse};

#[test]
fn encoded_words_and_a_latin1_body_decode() {
    let raw = b"From: =?ISO-8859-1?Q?Andr=E9_M=FCller?= <andre@client.test>\r\n\
To: support@acme.test, =?UTF-8?B?w5Zsw6Q=?= <ola@acme.test>\r\nCc: Boss <BOSS@client.test>\r\n\
Subject: =?UTF-8?Q?Drucker_f=C3=A4llt_aus?=\r\nMessage-ID: <a1@client.test>\r\n\
Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
Gr=FC=DFe aus K=F6ln\r\n";
    let m = parse(raw).unwrap();
    assert_eq!(m.from.unwrap().as_str(), "andre@client.test");
    assert_eq!(m.from_name.as_deref(), Some("André Müller"));
    assert_eq!(m.subject, "Drucker fällt aus");
    assert_eq!(m.text, "Grüße aus Köln");
    assert_eq!(
        m.recipients,
        ["support@acme.test", "ola@acme.test", "boss@client.test"]
    );
    assert_eq!(m.message_id.as_deref(), Some("a1@client.test"));
}

#[test]
fn an_iso_2022_jp_body_decodes() {
    // "こんにちは" in ISO-2022-JP.
    let mut raw = b"From: taro@client.test\r\nSubject: hello\r\n\
Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n"
        .to_vec();
    raw.extend_from_slice(b"\x1b$B$3$s$K$A$O\x1b(B\r\n");
    assert_eq!(parse(&raw).unwrap().text, "こんにちは");
}

#[test]
fn invalid_utf8_is_replaced_not_fatal() {
    let raw = b"From: a@client.test\r\nSubject: bad bytes\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nok \xff\xfe end\r\n";
    let m = parse(raw).unwrap();
    assert!(m.text.starts_with("ok "), "{}", m.text);
    assert!(m.text.ends_with(" end"), "{}", m.text);
}

#[test]
fn html_only_mail_becomes_text() {
    let raw =
        b"From: a@client.test\r\nSubject: html\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
<html><body><p>The <b>server</b> is down.</p><script>alert(1)</script></body></html>\r\n";
    let m = parse(raw).unwrap();
    assert!(m.text.contains("The server is down."), "{}", m.text);
    assert!(!m.text.contains("<b>"), "{}", m.text);
}

#[test]
fn noise_headers_are_read() {
    let raw = b"From: Mailer <MAILER-DAEMON@mx.test>\r\nReturn-Path: <>\r\nAuto-Submitted: auto-replied\r\n\
Precedence: bulk\r\nX-Auto-Response-Suppress: OOF\r\nList-Id: <l.test>\r\nSubject: x\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n";
    let n = parse(raw).unwrap().noise;
    assert_eq!(n.auto_submitted.as_deref(), Some("auto-replied"));
    assert_eq!(n.precedence.as_deref(), Some("bulk"));
    assert_eq!(n.auto_response_suppress.as_deref(), Some("OOF"));
    assert!(n.list_header);
    assert!(n.null_return_path);
    assert_eq!(n.content_type, "multipart/report");
    assert_eq!(n.from, "mailer-daemon@mx.test");
}

#[test]
fn the_dedup_key_ignores_transport_headers_but_not_content() {
    let raw = "Message-ID: <x@y>\r\nSubject: s\r\n\r\nbody\r\n";
    let relayed = format!("Received: from relay\r\n{raw}");
    let edited = raw.replace("body", "other");
    assert_eq!(dedup_key(raw.as_bytes()), dedup_key(relayed.as_bytes()));
    assert_ne!(dedup_key(raw.as_bytes()), dedup_key(edited.as_bytes()));
    // Without a Message-ID the whole message is the key.
    assert_ne!(
        dedup_key(b"Subject: a\r\n\r\nb"),
        dedup_key(b"Subject: c\r\n\r\nb")
    );
}

#[test]
fn bytes_without_a_header_are_not_mail() {
    assert!(parse(b"\x01\x02not a mail at all").is_none());
}
