//! `helpdesk-bench mail-intake`: N messages waiting in a real IMAP folder (Dovecot,
//! started here on loopback) become N tickets, once. The server runs in this process with
//! its worker (the embedded default's topology), on a fresh database: SQLite in a temp dir,
//! or the PostgreSQL database given. Reports how long the fetch (every message stored)
//! and the ticketing (every message processed) took.

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use helpdesk::Config;
use helpdesk::config::Secret;
use helpdesk_storage::Store;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

const USER: &str = "support@bench.test";
const PASSWORD: &str = "bench";

/// A throwaway Dovecot: any user signs in with `PASSWORD`; killed on drop.
struct Dovecot {
    port: u16,
    _child: tokio::process::Child,
}

async fn dovecot(dir: &std::path::Path) -> anyhow::Result<Dovecot> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    std::fs::create_dir_all(dir.join("run"))?;
    std::fs::create_dir_all(dir.join("mail"))?;
    let root = std::process::Command::new("id").arg("-u").output()?.stdout == b"0\n";
    let me = std::env::var("USER").unwrap_or_else(|_| "nobody".into());
    let (internal, login) = if root {
        ("dovecot".to_owned(), "dovenull".to_owned())
    } else {
        (me.clone(), me)
    };
    let d = dir.display();
    std::fs::write(
        dir.join("dovecot.conf"),
        format!(
            "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {d}/run\nstate_dir = {d}/run\n\
             log_path = {d}/dovecot.log\nssl = no\ndisable_plaintext_auth = no\n\
             default_internal_user = {internal}\ndefault_login_user = {login}\n\
             mail_location = maildir:{d}/mail/%u\nfirst_valid_uid = 0\n\
             passdb {{\n  driver = static\n  args = password={PASSWORD}\n}}\n\
             userdb {{\n  driver = static\n  args = uid={internal} gid={internal}\n}}\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\n"
        ),
    )?;
    if root {
        std::process::Command::new("chown")
            .args(["-R", "dovecot:dovecot"])
            .arg(dir.join("mail"))
            .status()?;
    }
    let child = tokio::process::Command::new("dovecot")
        .arg("-F")
        .arg("-c")
        .arg(dir.join("dovecot.conf"))
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("dovecot (apt install dovecot-imapd)")?;
    for _ in 0..400 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(Dovecot {
                port,
                _child: child,
            });
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    bail!("dovecot did not start")
}

fn message(i: usize) -> String {
    format!(
        "From: Customer {c} <customer{c}@client{o}.test>\r\nTo: {USER}\r\n\
         Subject: Issue {i}: the VPN drops every few minutes\r\nMessage-ID: <bench-{i}@client{o}.test>\r\n\
         Date: Fri, 4 Dec 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Hello,\r\n\r\nsince this morning the VPN drops every few minutes on my laptop ({i}).\r\n\
         I restarted twice. Could you have a look?\r\n\r\nThanks,\r\nCustomer {c}\r\n",
        c = i % 250,
        o = i % 20
    )
}

async fn count(store: &Store, sql: &str) -> anyhow::Result<i64> {
    let db = store.read();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await?
        .context("no row")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// What a run measured.
#[derive(Debug)]
pub struct Intake {
    pub messages: usize,
    pub stored_secs: f64,
    pub ticketed_secs: f64,
    pub tickets: i64,
    pub inbound_rows: i64,
}

pub async fn run(messages: usize, database_url: Option<String>) -> anyhow::Result<Intake> {
    let dir = std::env::temp_dir().join(format!(
        "helpdesk-bench-mail-{}",
        uuid::Uuid::now_v7().simple()
    ));
    let imap = dovecot(&dir.join("dovecot")).await?;
    let mut config = Config::defaults();
    config.data_dir = dir.join("data");
    std::fs::create_dir_all(&config.data_dir)?;
    config.database_url = database_url.map(Secret);
    config.jwt_secret = Some(Secret("bench-secret-bench-secret-bench-secret-0".into()));
    config.jobs_in_process = Some(true);
    config.imap_poll_secs = 1;
    config.inbound_per_sender_hour = 0;
    config.rate_limit_per_ip = 1_000_000;
    config.rate_limit_per_account = 1_000_000;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}/api/v1", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(helpdesk::serve(config.clone(), listener, async {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::new();
    let mut registered = None;
    for _ in 0..400 {
        let r = http
            .post(format!("{base}/auth/register"))
            .json(
                &json!({"workspace_name": "Bench Mail", "admin_email": "admin@bench.test",
                "admin_password": "bench-password"}),
            )
            .send()
            .await;
        if let Ok(r) = r {
            registered = Some(r.json::<Value>().await?);
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let token = registered
        .and_then(|v| v["access_token"].as_str().map(str::to_owned))
        .context("registration failed")?;

    // The folder fills first, as after a weekend without a fetcher.
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", imap.port)).await?;
    let mut client = async_imap::Client::new(tcp);
    client.read_response().await?;
    let mut session = client.login(USER, PASSWORD).await.map_err(|(e, _)| e)?;
    for i in 0..messages {
        session
            .append("INBOX", None, None, message(i).as_bytes())
            .await?;
    }
    session.logout().await?;

    let store = helpdesk::connect(&config).await?;
    let started = Instant::now();
    let created: Value = http
        .post(format!("{base}/mailboxes"))
        .bearer_auth(&token)
        .json(
            &json!({"address": USER, "imap": {"host": "127.0.0.1", "port": imap.port,
            "security": "NONE", "username": USER, "password": PASSWORD, "after_import": "SEEN"}}),
        )
        .send()
        .await?
        .json()
        .await?;
    if created["id"].is_null() {
        bail!("mailbox not created: {created}");
    }
    let n = i64::try_from(messages)?;
    let mut stored_secs = None;
    loop {
        let stored = count(&store, "SELECT count(*) FROM inbound_messages").await?;
        if stored_secs.is_none() && stored >= n {
            stored_secs = Some(started.elapsed().as_secs_f64());
        }
        let done = count(
            &store,
            "SELECT count(*) FROM inbound_messages WHERE state <> 'PENDING'",
        )
        .await?;
        if done >= n {
            break;
        }
        if started.elapsed() > Duration::from_secs(600) {
            bail!("only {done} of {n} messages processed after 10 minutes");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ticketed_secs = started.elapsed().as_secs_f64();
    let result = Intake {
        messages,
        stored_secs: stored_secs.unwrap_or(ticketed_secs),
        ticketed_secs,
        tickets: count(&store, "SELECT count(*) FROM tickets").await?,
        inbound_rows: count(&store, "SELECT count(*) FROM inbound_messages").await?,
    };
    store.close().await;
    let _ = stop.send(());
    server.await??;
    let _ = std::fs::remove_dir_all(&dir);
    if result.tickets != n || result.inbound_rows != n {
        bail!("not exactly once: {result:?}");
    }
    Ok(result)
}

pub fn print(backend: &str, r: &Intake) {
    println!(
        "mail-intake {backend}: {} messages stored in {:.1} s, all ticketed in {:.1} s ({:.0} messages/s); {} tickets, {} inbound rows",
        r.messages,
        r.stored_secs,
        r.ticketed_secs,
        r.messages as f64 / r.ticketed_secs,
        r.tickets,
        r.inbound_rows
    );
}
