//! Files in received mail: attachments, an inline image without a name, winmail.dat and
//! a file over the limit on a new ticket, and a reply's file on its message.

use serde_json::Value;

use crate::both;
use crate::harness::TestApp;

async fn processed(app: &TestApp, admin: &str, raw: &str) -> Value {
    app.mail_processed(admin, "", raw).await
}

/// Base64 in lines of 76, as mail carries it.
fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    let s = base64::engine::general_purpose::STANDARD.encode(bytes);
    s.as_bytes()
        .chunks(76)
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect::<Vec<_>>()
        .join("\r\n")
}

async fn files_become_attachments(app: TestApp) {
    let team = app.team("Acme").await;
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();
    let tnef = b"\x78\x9f\x3e\x22 winmail".to_vec();
    let big = vec![b'x'; 10 * 1024 * 1024 + 1];
    let raw = format!(
        "From: alice@acme-client.test\r\nTo: support@acme.test\r\nSubject: Screenshot\r\n\
         Message-ID: <files-1@acme-client.test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n\
         --m\r\nContent-Type: multipart/related; boundary=\"r\"\r\n\r\n\
         --r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>See <img src=\"cid:shot\"></p>\r\n\
         --r\r\nContent-Type: image/png\r\nContent-ID: <shot>\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
         --r--\r\n\
         --m\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\n\
         Content-Disposition: attachment; filename=\"winmail.dat\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
         --m\r\nContent-Type: application/octet-stream\r\n\
         Content-Disposition: attachment; filename=\"huge.log\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
         --m--\r\n",
        b64(&png),
        b64(&tnef),
        b64(&big)
    );
    let m = processed(&app, &team.admin, &raw).await;
    assert_eq!(m["state"], "PROCESSED", "{m}");
    let ticket = m["ticket_id"].as_str().unwrap();
    let t = app
        .get(&format!("/tickets/{ticket}"), &team.agent)
        .await
        .body;
    let description = t["description"].as_str().unwrap();
    assert!(description.contains("See"), "{description}");
    assert!(
        description.contains("\"huge.log\" (10.0 MB) is over the 10 MB limit"),
        "{description}"
    );
    let files = app
        .get(&format!("/tickets/{ticket}/attachments"), &team.alice)
        .await
        .body;
    let mut names: Vec<(String, String)> = files
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["filename"].as_str().unwrap().to_owned(),
                f["content_type"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("inline.png".to_owned(), "image/png".to_owned()),
            ("winmail.dat".to_owned(), "application/ms-tnef".to_owned()),
        ],
        "{files}"
    );
    let png_url = files
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["filename"] == "inline.png")
        .unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = app
        .download(&png_url, &team.alice)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(got.as_ref(), png.as_slice());
    // The oversized file is still in the raw message.
    let raw_back = app
        .download(
            &format!("/api/v1/inbound/{}/raw", m["id"].as_str().unwrap()),
            &team.admin,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(raw_back.contains("filename=\"huge.log\""));

    // A reply's files belong to its message.
    let reply = format!(
        "From: alice@acme-client.test\r\nTo: support@acme.test\r\nSubject: Re: [Acme #{}] Screenshot\r\n\
         Message-ID: <files-2@acme-client.test>\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n\
         --m\r\nContent-Type: text/plain\r\n\r\nAnother one\r\n\
         --m\r\nContent-Type: image/png; name=\"second.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--m--\r\n",
        t["number"],
        b64(&png)
    );
    let r = processed(&app, &team.admin, &reply).await;
    assert_eq!(r["ticket_id"], ticket);
    let files = app
        .get(&format!("/tickets/{ticket}/attachments"), &team.agent)
        .await
        .body;
    let second = files
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["filename"] == "second.png")
        .unwrap_or_else(|| panic!("{files}"));
    assert_eq!(second["message_id"], r["ticket_message_id"]);
}
both!(files_become_attachments, crate::harness::jobs_in_process);

/// HTML mail: shown sanitised, its `cid:` image pointing at the stored attachment, remote
/// images and scripts gone; the quoted history of a reply marked (text and HTML), never cut.
async fn html_is_sanitised_and_quotes_are_marked(app: TestApp) {
    let team = app.team("Acme").await;
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();
    let raw = format!(
        "From: alice@acme-client.test\r\nTo: support@acme.test\r\nSubject: Logo broken\r\n\
         Message-ID: <html-1@acme-client.test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/related; boundary=\"r\"\r\n\r\n\
         --r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
         <p onmouseover=\"steal()\">Our logo: <img src=\"cid:logo@acme\"><img src=\"https://tracker.test/open.gif\"></p><script>alert(1)</script>\r\n\
         --r\r\nContent-Type: image/png\r\nContent-ID: <logo@acme>\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
         --r--\r\n",
        b64(&png)
    );
    let m = processed(&app, &team.admin, &raw).await;
    assert_eq!(m["state"], "PROCESSED", "{m}");
    let id = m["ticket_id"].as_str().unwrap();
    let t = app.get(&format!("/tickets/{id}"), &team.agent).await.body;
    let html = t["description_html"].as_str().unwrap();
    let files = app
        .get(&format!("/tickets/{id}/attachments"), &team.agent)
        .await
        .body;
    let logo = files
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["content_type"] == "image/png")
        .unwrap();
    assert!(
        html.contains(&format!(
            "src=\"/attachments/{}\"",
            logo["id"].as_str().unwrap()
        )),
        "{html}"
    );
    assert!(
        !html.contains("tracker.test") && !html.contains("script") && !html.contains("steal"),
        "{html}"
    );
    assert!(
        t["description"].as_str().unwrap().contains("Our logo"),
        "text kept for search: {t}"
    );
    // Lists stay lean: the HTML is only on the ticket itself.
    let list = app.get("/tickets", &team.agent).await.body;
    assert!(list["items"][0].get("description_html").is_none(), "{list}");

    // A reply quoting the thread, in text and HTML.
    let text = "Still broken after the update.\r\n\r\nOn Fri, Dec 4, 2026 at 10:00 AM Support <support@acme.test> wrote:\r\n> Please update.\r\n";
    let raw = format!(
        "From: alice@acme-client.test\r\nTo: support@acme.test\r\nSubject: Re: [#{}] Logo broken\r\n\
         Message-ID: <html-2@acme-client.test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/alternative; boundary=\"a\"\r\n\r\n\
         --a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\
         --a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<div>Still broken after the update.</div>\
         <div class=\"gmail_quote\"><div>On Fri, Dec 4 … wrote:</div><blockquote>Please update.</blockquote></div>\r\n\
         --a--\r\n",
        t["number"]
    );
    let m = processed(&app, &team.admin, &raw).await;
    assert_eq!(m["ticket_id"], id, "{m}");
    let msgs = app
        .get(&format!("/tickets/{id}/messages"), &team.agent)
        .await
        .body;
    let reply = &msgs["items"][0];
    let body = reply["body"].as_str().unwrap();
    let q = usize::try_from(reply["quoted_from"].as_i64().unwrap()).unwrap();
    assert!(
        body[..q].contains("Still broken") && !body[..q].contains("wrote:"),
        "{reply}"
    );
    assert!(body[q..].starts_with("On Fri, Dec 4, 2026"), "{reply}");
    let html = reply["html"].as_str().unwrap();
    let fold = html.find("<div class=\"hd-quoted\">").unwrap();
    assert!(
        html[..fold].contains("Still broken") && html[fold..].contains("Please update"),
        "{html}"
    );
}
both!(
    html_is_sanitised_and_quotes_are_marked,
    crate::harness::jobs_in_process
);
