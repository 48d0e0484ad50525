//! Email in over IMAP, against a real Dovecot: the first fetch takes the unread mail and
//! starts after the rest; new mail arrives through IDLE; each message is imported once
//! whatever happens to its `\Seen` flag, and acknowledged as the mailbox says (seen,
//! moved, deleted); a changed UIDVALIDITY imports only what is new; a failing account is
//! an error state admins see and are emailed about once, and `check` says what is wrong.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::dovecot::Dovecot;
use crate::harness::TestApp;

fn mail(from: &str, subject: &str) -> String {
    let id = uuid::Uuid::now_v7().simple();
    format!(
        "From: {from}\r\nTo: support@acme.test\r\nSubject: {subject}\r\nMessage-ID: <{id}@client.test>\r\n\
         Date: Fri, 4 Dec 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease help: {subject}\r\n"
    )
}

/// Jobs in process, and the fetcher quick to notice mailboxes and retry.
pub fn fetching(c: &mut helpdesk::Config) {
    crate::harness::jobs_in_process(c);
    c.imap_poll_secs = 1;
}

async fn create_mailbox(app: &TestApp, admin: &str, imap: Value) -> String {
    let r = app
        .post(
            "/mailboxes",
            Some(admin),
            json!({"address": "support@acme.test", "imap": imap}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.str("id")
}

/// The mailbox once its status satisfies `check` (the fetcher works in the background).
async fn mailbox_when(
    app: &TestApp,
    admin: &str,
    id: &str,
    check: impl Fn(&Value) -> bool,
) -> Value {
    let path = format!("/mailboxes/{id}");
    let mut last = Value::Null;
    for _ in 0..300 {
        last = app.get(&path, admin).await.body;
        if check(&last) {
            return last;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("mailbox never matched: {last}");
}

async fn inbound(app: &TestApp, admin: &str) -> Vec<Value> {
    app.get("/inbound?limit=100", admin).await.body["items"]
        .as_array()
        .unwrap()
        .clone()
}

async fn subjects(app: &TestApp, agent: &str) -> Vec<String> {
    let mut s: Vec<String> = app.get("/tickets?limit=100", agent).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["subject"].as_str().unwrap().to_owned())
        .collect();
    s.sort();
    s
}

async fn fetches_each_message_once(app: TestApp) {
    let imap = Dovecot::start().await;
    let team = app.team("Acme").await;
    let user = "support@acme.test";
    imap.append(
        user,
        "INBOX",
        Some("(\\Seen)"),
        &mail("old@client.test", "Already read"),
    )
    .await;
    imap.append(
        user,
        "INBOX",
        None,
        &mail("alice@client.test", "Printer down"),
    )
    .await;

    let mut settings = imap.imap(user);
    settings["after_import"] = json!("SEEN");
    let id = create_mailbox(&app, &team.admin, settings).await;
    let checked = app
        .post(
            &format!("/mailboxes/{id}/check"),
            Some(&team.admin),
            json!({}),
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert_eq!(checked.body["ok"], true, "{}", checked.body);
    assert_eq!(checked.body["stage"], "done");
    assert_eq!(checked.body["messages"], 2);
    assert_eq!(checked.body["idle"], true);

    // The first fetch takes what is unread and starts after the rest.
    let m = mailbox_when(&app, &team.admin, &id, |m| m["status"]["imported"] == 1).await;
    assert!(m["status"]["last_error"].is_null(), "{m}");
    assert_eq!(m["status"]["last_uid"], 2, "{m}");
    assert!(m["status"]["uidvalidity"].as_i64().unwrap() > 0);
    app.eventually("/tickets?limit=100", &team.agent, |b| {
        b["items"].as_array().unwrap().len() == 1
    })
    .await;
    assert_eq!(subjects(&app, &team.agent).await, ["Printer down"]);
    let rows = inbound(&app, &team.admin).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["state"], "PROCESSED", "{}", rows[0]);
    // Stored, then marked read on the server (after_import SEEN).
    let on_server = imap.list(user, "INBOX").await;
    assert!(on_server[1].1.contains("Seen"), "{on_server:?}");

    // New mail arrives through IDLE. Someone marking everything unread again changes
    // nothing: the position, not the flag, says what is new.
    imap.command(user, Some("INBOX"), "UID STORE 1:* -FLAGS (\\Seen)")
        .await;
    imap.append(user, "INBOX", None, &mail("bob@client.test", "VPN broken"))
        .await;
    mailbox_when(&app, &team.admin, &id, |m| m["status"]["imported"] == 2).await;
    app.eventually("/tickets?limit=100", &team.agent, |b| {
        b["items"].as_array().unwrap().len() == 2
    })
    .await;
    imap.append(
        user,
        "INBOX",
        None,
        &mail("carol@client.test", "Laptop slow"),
    )
    .await;
    mailbox_when(&app, &team.admin, &id, |m| m["status"]["imported"] == 3).await;
    app.jobs_drained().await;
    assert_eq!(
        subjects(&app, &team.agent).await,
        ["Laptop slow", "Printer down", "VPN broken"]
    );
    let rows = inbound(&app, &team.admin).await;
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.iter().all(|r| r["state"] == "PROCESSED"), "{rows:?}");
}
both!(fetches_each_message_once, super::fetching);

async fn moves_and_deletes_after_import(app: TestApp) {
    let imap = Dovecot::start().await;
    let team = app.team("Acme").await;
    let user = "moves@acme.test";
    imap.append(
        user,
        "Archive",
        None,
        &mail("x@client.test", "Seed the archive"),
    )
    .await;
    let mut settings = imap.imap(user);
    settings["after_import"] = json!("MOVE");
    settings["move_to"] = json!("Archive");
    let id = create_mailbox(&app, &team.admin, settings).await;
    mailbox_when(&app, &team.admin, &id, |m| {
        m["status"]["uidvalidity"].is_i64()
    })
    .await;
    imap.append(user, "INBOX", None, &mail("alice@client.test", "Move me"))
        .await;
    mailbox_when(&app, &team.admin, &id, |m| m["status"]["imported"] == 1).await;
    assert!(imap.list(user, "INBOX").await.is_empty());
    assert_eq!(imap.list(user, "Archive").await.len(), 2);

    // Now DELETE: the message leaves the server once stored.
    let r = app
        .patch(
            &format!("/mailboxes/{id}"),
            &team.admin,
            json!({"imap": {"host": "127.0.0.1", "port": imap.port, "security": "NONE",
                "username": user, "after_import": "DELETE"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    imap.append(user, "INBOX", None, &mail("bob@client.test", "Delete me"))
        .await;
    mailbox_when(&app, &team.admin, &id, |m| m["status"]["imported"] == 2).await;
    assert!(imap.list(user, "INBOX").await.is_empty());
    app.jobs_drained().await;
    assert_eq!(subjects(&app, &team.agent).await, ["Delete me", "Move me"]);
}
both!(moves_and_deletes_after_import, super::fetching);

async fn a_new_uidvalidity_imports_only_what_is_new(app: TestApp) {
    let imap = Dovecot::start().await;
    let team = app.team("Acme").await;
    let user = "rebuilt@acme.test";
    let first = mail("alice@client.test", "First");
    let second = mail("bob@client.test", "Second");
    imap.append(user, "Support", None, &first).await;
    let mut settings = imap.imap(user);
    settings["folder"] = json!("Support");
    settings["after_import"] = json!("KEEP");
    let id = create_mailbox(&app, &team.admin, settings).await;
    let before = mailbox_when(&app, &team.admin, &id, |m| m["status"]["imported"] == 1).await;
    imap.append(user, "Support", None, &second).await;
    mailbox_when(&app, &team.admin, &id, |m| m["status"]["imported"] == 2).await;

    // The server's folder is rebuilt (a migration, a restore): same mail, new UIDs.
    imap.command(user, None, "DELETE Support").await;
    imap.append(user, "Support", None, &first).await;
    imap.append(user, "Support", None, &second).await;
    imap.append(user, "Support", None, &mail("carol@client.test", "Third"))
        .await;
    let after = mailbox_when(&app, &team.admin, &id, |m| {
        m["status"]["uidvalidity"] != before["status"]["uidvalidity"]
            && m["status"]["last_uid"] == 3
    })
    .await;
    assert_eq!(after["status"]["imported"], 3, "{after}");
    app.jobs_drained().await;
    assert_eq!(
        subjects(&app, &team.agent).await,
        ["First", "Second", "Third"]
    );
    assert_eq!(inbound(&app, &team.admin).await.len(), 3);

    // The same folder, its UIDVALIDITY bumped in place: nothing is imported again.
    imap.bump_uidvalidity(user, "Support").await;
    imap.append(user, "Support", None, &mail("dave@client.test", "Fourth"))
        .await;
    let bumped = mailbox_when(&app, &team.admin, &id, |m| {
        m["status"]["uidvalidity"] != after["status"]["uidvalidity"] && m["status"]["last_uid"] == 4
    })
    .await;
    assert_eq!(bumped["status"]["imported"], 4, "{bumped}");
    app.jobs_drained().await;
    assert_eq!(inbound(&app, &team.admin).await.len(), 4);
    assert_eq!(
        subjects(&app, &team.agent).await,
        ["First", "Fourth", "Second", "Third"]
    );
}
both!(a_new_uidvalidity_imports_only_what_is_new, super::fetching);

async fn a_failing_account_is_reported_once(app: TestApp) {
    let imap = Dovecot::start().await;
    let team = app.team("Acme").await;
    let user = "broken@acme.test";
    imap.append(user, "INBOX", None, &mail("alice@client.test", "Waiting"))
        .await;
    let mut settings = imap.imap(user);
    settings["password"] = json!("wrong");
    let id = create_mailbox(&app, &team.admin, settings).await;

    let checked = app
        .post(
            &format!("/mailboxes/{id}/check"),
            Some(&team.admin),
            json!({}),
        )
        .await;
    assert_eq!(checked.body["ok"], false, "{}", checked.body);
    assert_eq!(checked.body["stage"], "login");
    assert!(checked.body["error"].as_str().unwrap().len() > 3);

    let failed = mailbox_when(&app, &team.admin, &id, |m| {
        m["status"]["last_error"].is_string()
    })
    .await;
    let error = failed["status"]["last_error"].as_str().unwrap();
    assert!(error.starts_with("login:"), "{error}");
    // It keeps retrying (the fetch time moves on) but admins hear of it once.
    let first_try = failed["status"]["last_fetch_at"].clone();
    mailbox_when(&app, &team.admin, &id, |m| {
        m["status"]["last_fetch_at"] != first_try
    })
    .await;
    let ws = app.workspace_id(&team.admin).await;
    let told = app
        .wait_mails(ws, "admin@acme.test", "mailbox_error", 1)
        .await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0].subject.contains("support@acme.test"),
        "{}",
        told[0].subject
    );
    assert!(
        !told[0].body.contains("wrong"),
        "the password is not in the mail"
    );

    // Fixed: the fetcher starts over with the new settings, imports what waited, and
    // the error state ends.
    let r = app
        .patch(
            &format!("/mailboxes/{id}"),
            &team.admin,
            json!({"imap": imap.imap(user)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    mailbox_when(&app, &team.admin, &id, |m| m["status"]["imported"] == 1).await;
    let ok = mailbox_when(&app, &team.admin, &id, |m| {
        m["status"]["last_error"].is_null()
    })
    .await;
    assert_eq!(ok["status"]["imported"], 1);
    app.jobs_drained().await;
    assert_eq!(subjects(&app, &team.agent).await, ["Waiting"]);

    // A server that is not there: the check says so at the first stage.
    let r = app
        .patch(
            &format!("/mailboxes/{id}"),
            &team.admin,
            json!({"imap": {"host": "127.0.0.1", "port": 1, "security": "NONE", "username": user}}),
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
    assert_eq!(checked.body["ok"], false);
    assert_eq!(checked.body["stage"], "connect", "{}", checked.body);
    // Another workspace's mailbox is not there at all.
    let beta = app.team("Beta").await;
    let r = app
        .post(
            &format!("/mailboxes/{id}/check"),
            Some(&beta.admin),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post(
            &format!("/mailboxes/{id}/check"),
            Some(&team.agent),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
both!(a_failing_account_is_reported_once, super::fetching);

async fn one_fetcher_per_mailbox_across_replicas(app: TestApp) {
    let second = app.replica().await;
    let imap = Dovecot::start().await;
    let team = app.team("Acme").await;
    let user = "shared@acme.test";
    let id = create_mailbox(&app, &team.admin, imap.imap(user)).await;
    mailbox_when(&app, &team.admin, &id, |m| {
        m["status"]["uidvalidity"].is_i64()
    })
    .await;
    // Both replicas look for mailboxes every second; only the lease holder signs in.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(imap.logins(user), 1, "one fetcher, one connection");
    for n in 0..6 {
        imap.append(
            user,
            "INBOX",
            None,
            &mail("alice@client.test", &format!("Issue {n}")),
        )
        .await;
    }
    mailbox_when(&app, &team.admin, &id, |m| m["status"]["imported"] == 6).await;
    app.jobs_drained().await;
    second.jobs_drained().await;
    // Six first mails from one new address, processed at once by two workers: one
    // customer, six tickets, nothing parked.
    let rows = inbound(&app, &team.admin).await;
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r["state"] == "PROCESSED"), "{rows:?}");
    assert_eq!(subjects(&app, &team.agent).await.len(), 6);
    // One process holds the mailbox.
    use helpdesk_storage::entities::mailbox::Entity as Mailboxes;
    use sea_orm::EntityTrait;
    let row = Mailboxes::find_by_id(id.parse::<uuid::Uuid>().unwrap())
        .one(app.store.read())
        .await
        .unwrap()
        .unwrap();
    assert!(row.lease_owner.is_some());
    assert_eq!(row.imported, 6);
}
both!(one_fetcher_per_mailbox_across_replicas, super::fetching);

async fn crashes_and_dropped_connections_lose_nothing(app: TestApp) {
    use helpdesk_storage::entities::mailbox::{ActiveModel, Entity as Mailboxes};
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let imap = Dovecot::start().await;
    let team = app.team("Acme").await;
    let user = "faults@acme.test";
    let first = mail("alice@client.test", "Stored before the crash");
    imap.append(user, "INBOX", None, &first).await;
    imap.append(
        user,
        "INBOX",
        None,
        &mail("bob@client.test", "After the crash"),
    )
    .await;
    let validity = imap.uidvalidity(user, "INBOX").await;

    // A fetcher stored UID 1 and died before marking it read: its lease runs out.
    let r = app
        .post(
            "/mailboxes",
            Some(&team.admin),
            json!({"address": "support@acme.test", "active": false, "imap": imap.imap(user)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id: uuid::Uuid = r.str("id").parse().unwrap();
    let row = Mailboxes::find_by_id(id)
        .one(app.store.write())
        .await
        .unwrap()
        .unwrap();
    let mut row: ActiveModel = row.into_active_model();
    row.active = Set(true);
    row.lease_owner = Set(Some("crashed".into()));
    row.lease_until = Set(Some(i64::MAX));
    row.update(app.store.write()).await.unwrap();
    let service = app.service();
    let account = service
        .lease_mailbox(id, "crashed", std::time::Duration::from_secs(2))
        .await
        .unwrap()
        .unwrap();
    let stored = service
        .store_fetched(
            &account,
            "crashed",
            helpdesk_service::mail_fetch::Fetched {
                uidvalidity: validity,
                uid: 1,
                raw: first.into_bytes(),
                too_large: None,
            },
        )
        .await
        .unwrap();
    assert!(stored);
    // Another process takes the mailbox over once the lease expires, and starts after UID 1.
    let id = id.to_string();
    let m = mailbox_when(&app, &team.admin, &id, |m| m["status"]["imported"] == 2).await;
    assert_eq!(m["status"]["last_uid"], 2, "{m}");
    app.jobs_drained().await;
    assert_eq!(
        subjects(&app, &team.agent).await,
        ["After the crash", "Stored before the crash"]
    );
    // UID 1 was never acknowledged (the crash), and still was not imported again.
    let on_server = imap.list(user, "INBOX").await;
    assert!(
        !on_server[0].1.contains("Seen") && on_server[1].1.contains("Seen"),
        "{on_server:?}"
    );

    // The connection drops while idling: the fetcher reconnects and carries on.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let logins = imap.logins(user);
    imap.kick(user);
    imap.append(
        user,
        "INBOX",
        None,
        &mail("carol@client.test", "After the drop"),
    )
    .await;
    mailbox_when(&app, &team.admin, &id, |m| m["status"]["imported"] == 3).await;
    // The append's login and the fetcher's new one.
    assert!(
        imap.logins(user) >= logins + 2,
        "the fetcher did not reconnect"
    );
    app.jobs_drained().await;
    let rows = inbound(&app, &team.admin).await;
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(subjects(&app, &team.agent).await.len(), 3);
}
both!(
    crashes_and_dropped_connections_lose_nothing,
    super::fetching
);
