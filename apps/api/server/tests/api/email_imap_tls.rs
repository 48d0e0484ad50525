//! IMAP over TLS, against Dovecot with a certificate from a private CA (made here with
//! openssl): implicit TLS and STARTTLS both fetch once `HELPDESK_IMAP_CA_FILE` names the
//! CA, and without it the certificate is refused at the `tls` stage.

use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use serde_json::json;

use crate::dovecot::Dovecot;
use crate::harness::{Backend, TestApp};

fn openssl(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA and a certificate for `localhost` signed by it: (dir, ca.pem, server.pem, server.key).
fn private_ca() -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("helpdesk-ca-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("ca.ext"),
        "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        &dir,
        &[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.csr",
            "-subj",
            "/CN=Helpdesk Test CA",
        ],
    );
    openssl(
        &dir,
        &[
            "x509", "-req", "-in", "ca.csr", "-signkey", "ca.key", "-out", "ca.pem", "-days", "2",
            "-extfile", "ca.ext",
        ],
    );
    openssl(
        &dir,
        &[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    );
    // Dovecot's unprivileged processes read the key through the master; keep it private.
    (
        dir.clone(),
        dir.join("ca.pem"),
        dir.join("server.pem"),
        dir.join("server.key"),
    )
}

async fn status_when(
    app: &TestApp,
    admin: &str,
    id: &str,
    check: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    app.eventually(&format!("/mailboxes/{id}"), admin, |m| check(&m["status"]))
        .await["status"]
        .clone()
}

async fn tls(backend: Backend) {
    let (dir, ca, cert, key) = private_ca();
    let imap = Dovecot::start_tls(&cert, &key).await;
    let ca_file = ca.clone();
    let app = TestApp::spawn_with(backend, move |c| {
        crate::email_imap::fetching(c);
        c.imap_ca_file = Some(ca_file);
    })
    .await;
    let team = app.team("Acme").await;
    let user = "secure@acme.test";
    imap.append(user, "INBOX", None, "From: alice@client.test\r\nSubject: Over TLS\r\nMessage-ID: <t1@client.test>\r\n\r\nHi\r\n").await;
    let r = app
        .post(
            "/mailboxes",
            Some(&team.admin),
            json!({"address": "support@acme.test",
            "imap": {"host": "localhost", "port": imap.tls_port.unwrap(), "security": "TLS",
                "username": user, "password": crate::dovecot::PASSWORD, "after_import": "KEEP"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.str("id");
    let checked = app
        .post(
            &format!("/mailboxes/{id}/check"),
            Some(&team.admin),
            json!({}),
        )
        .await;
    assert_eq!(checked.body["ok"], true, "{}", checked.body);
    status_when(&app, &team.admin, &id, |s| s["imported"] == 1).await;

    // STARTTLS on the plain port, then a second message arrives.
    let r = app
        .patch(
            &format!("/mailboxes/{id}"),
            &team.admin,
            json!({"imap": {"host": "localhost",
            "port": imap.port, "security": "STARTTLS", "username": user, "after_import": "KEEP"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let checked = app
        .post(
            &format!("/mailboxes/{id}/check"),
            Some(&team.admin),
            json!({}),
        )
        .await;
    assert_eq!(checked.body["ok"], true, "{}", checked.body);
    imap.append(user, "INBOX", None, "From: bob@client.test\r\nSubject: Over STARTTLS\r\nMessage-ID: <t2@client.test>\r\n\r\nHi\r\n").await;
    let s = status_when(&app, &team.admin, &id, |s| s["imported"] == 2).await;
    assert!(s["last_error"].is_null(), "{s}");

    // A server whose CA nobody configured is refused, and says why.
    let plain = TestApp::spawn_with(backend, crate::email_imap::fetching).await;
    let beta = plain.team("Beta").await;
    let r = plain
        .post(
            "/mailboxes",
            Some(&beta.admin),
            json!({"address": "help@beta.test",
            "imap": {"host": "localhost", "port": imap.tls_port.unwrap(), "security": "TLS",
                "username": "beta@beta.test", "password": crate::dovecot::PASSWORD}}),
        )
        .await;
    let checked = plain
        .post(
            &format!("/mailboxes/{}/check", r.str("id")),
            Some(&beta.admin),
            json!({}),
        )
        .await;
    assert_eq!(checked.body["ok"], false, "{}", checked.body);
    assert_eq!(checked.body["stage"], "tls", "{}", checked.body);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn sqlite() {
    tls(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    no_test_postgres,
    ignore = "set TEST_DATABASE_URL to run on PostgreSQL"
)]
async fn postgres() {
    crate::harness::require_postgres();
    tls(Backend::Postgres).await;
}
