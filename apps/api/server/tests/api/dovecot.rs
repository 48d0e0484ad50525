//! A real IMAP server for the fetcher's tests: Dovecot 2.3 on a free loopback port, with a
//! config, mail and state of its own in a temp dir, killed when dropped. Any user name
//! signs in with the password `secret` and gets an empty maildir, so tests share nothing.
//! The test side talks to it with async-imap (append, flags, folders).

use std::path::PathBuf;
use std::process::Stdio;

use async_imap::Session;
use futures::TryStreamExt;
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

pub const PASSWORD: &str = "secret";

#[derive(Debug)]
pub struct Dovecot {
    pub port: u16,
    /// Implicit TLS (IMAPS), when started with a certificate.
    pub tls_port: Option<u16>,
    dir: PathBuf,
    _child: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Dovecot refuses to run mail processes as root: as root, mail belongs to its own
/// `dovecot` user; otherwise everything runs as the current user.
fn users() -> (String, String, bool) {
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if root {
        ("dovecot".into(), "dovenull".into(), true)
    } else {
        let me = std::env::var("USER").unwrap_or_else(|_| "nobody".into());
        (me.clone(), me, false)
    }
}

impl Dovecot {
    pub async fn start() -> Self {
        Self::start_with(None, None).await
    }

    /// With TLS: STARTTLS on `port`, implicit TLS on `tls_port`, serving `cert`/`key`.
    pub async fn start_tls(cert: &std::path::Path, key: &std::path::Path) -> Self {
        Self::start_with(None, Some((cert, key))).await
    }

    /// Also takes XOAUTH2, checking bearer tokens at `tokeninfo_url` + token (whose JSON
    /// answer names the user in `email`).
    pub async fn start_with_oauth(tokeninfo_url: &str) -> Self {
        Self::start_with(Some(tokeninfo_url), None).await
    }

    async fn start_with(
        tokeninfo_url: Option<&str>,
        tls: Option<(&std::path::Path, &std::path::Path)>,
    ) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "helpdesk-dovecot-{}",
            uuid::Uuid::now_v7().simple()
        ));
        std::fs::create_dir_all(dir.join("run")).unwrap();
        std::fs::create_dir_all(dir.join("mail")).unwrap();
        let port = free_port();
        let tls_port = tls.map(|_| free_port());
        let (ssl, imaps) = match (tls, tls_port) {
            (Some((cert, key)), Some(p)) => (
                format!(
                    "ssl = yes\nssl_cert = <{}\nssl_key = <{}\n",
                    cert.display(),
                    key.display()
                ),
                format!("inet_listener imaps {{\n    address = 127.0.0.1\n    port = {p}\n  }}"),
            ),
            _ => (
                "ssl = no\n".to_owned(),
                "inet_listener imaps {\n    port = 0\n  }".to_owned(),
            ),
        };
        let (internal, login, root) = users();
        let d = dir.display();
        let (mechanisms, oauth) = match tokeninfo_url {
            Some(url) => {
                std::fs::write(
                    dir.join("oauth2.conf"),
                    format!("tokeninfo_url = {url}\nusername_attribute = email\n"),
                )
                .unwrap();
                let passdb = format!(
                    "passdb {{\n  driver = oauth2\n  mechanisms = xoauth2\n  args = {d}/oauth2.conf\n}}\n"
                );
                ("plain login xoauth2", passdb)
            }
            None => ("plain login", String::new()),
        };
        let config = format!(
            "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {d}/run\nstate_dir = {d}/run\n\
             log_path = {d}/dovecot.log\n{ssl}disable_plaintext_auth = no\n\
             auth_mechanisms = {mechanisms}\ndefault_internal_user = {internal}\n\
             default_login_user = {login}\nmail_location = maildir:{d}/mail/%u\n\
             first_valid_uid = 0\n{oauth}\
             passdb {{\n  driver = static\n  args = password={PASSWORD}\n}}\n\
             userdb {{\n  driver = static\n  args = uid={internal} gid={internal}\n}}\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  {imaps}\n}}\n\
             service anvil {{\n  chroot =\n}}\n"
        );
        std::fs::write(dir.join("dovecot.conf"), config).unwrap();
        if root {
            let status = std::process::Command::new("chown")
                .args(["-R", "dovecot:dovecot"])
                .arg(dir.join("mail"))
                .status()
                .unwrap();
            assert!(status.success(), "chown of the maildir failed");
        }
        let child = Command::new("dovecot")
            .arg("-F")
            .arg("-c")
            .arg(dir.join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("dovecot is installed (apt install dovecot-imapd)");
        for _ in 0..200 {
            if TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Self {
                    port,
                    tls_port,
                    dir,
                    _child: child,
                };
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        let log = std::fs::read_to_string(dir.join("dovecot.log")).unwrap_or_default();
        panic!("dovecot did not start on port {port}: {log}");
    }

    /// The IMAP settings of a mailbox fetching `user`'s mail here.
    pub fn imap(&self, user: &str) -> serde_json::Value {
        serde_json::json!({"host": "127.0.0.1", "port": self.port, "security": "NONE",
            "username": user, "password": PASSWORD})
    }

    /// A signed-in session as `user`.
    pub async fn session(&self, user: &str) -> Session<TcpStream> {
        let tcp = TcpStream::connect(("127.0.0.1", self.port)).await.unwrap();
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.unwrap();
        client
            .login(user, PASSWORD)
            .await
            .map_err(|(e, _)| e)
            .unwrap()
    }

    /// Puts `raw` into `user`'s `folder` (created when missing), with `flags` such as
    /// `(\Seen)`.
    pub async fn append(&self, user: &str, folder: &str, flags: Option<&str>, raw: &str) {
        let mut s = self.session(user).await;
        let _ = s.create(folder).await;
        s.append(folder, flags, None, raw.as_bytes()).await.unwrap();
        s.logout().await.unwrap();
    }

    /// `(uid, flags)` of every message in `user`'s `folder`.
    pub async fn list(&self, user: &str, folder: &str) -> Vec<(u32, String)> {
        let mut s = self.session(user).await;
        s.select(folder).await.unwrap();
        let fetched: Vec<_> = s
            .uid_fetch("1:*", "(UID FLAGS)")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        let mut out: Vec<(u32, String)> = fetched
            .iter()
            .filter_map(|f| Some((f.uid?, format!("{:?}", f.flags().collect::<Vec<_>>()))))
            .collect();
        out.sort();
        s.logout().await.unwrap();
        out
    }

    /// Runs one command in `user`'s `folder` (e.g. clearing `\Seen`, as a person reading
    /// the mailbox would).
    pub async fn command(&self, user: &str, folder: Option<&str>, command: &str) {
        let mut s = self.session(user).await;
        if let Some(f) = folder {
            s.select(f).await.unwrap();
        }
        s.run_command_and_check_ok(command).await.unwrap();
        s.logout().await.unwrap();
    }
}

impl Dovecot {
    /// Drops every connection of `user` (`doveadm kick`), as a server restart or a network
    /// failure would.
    pub fn kick(&self, user: &str) {
        let out = std::process::Command::new("doveadm")
            .arg("-c")
            .arg(self.dir.join("dovecot.conf"))
            .args(["kick", user])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "doveadm kick: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Gives `user`'s `folder` a new UIDVALIDITY (`doveadm mailbox update`), as a server
    /// migration or index rebuild does: same messages, UIDs no longer to be trusted.
    pub async fn bump_uidvalidity(&self, user: &str, folder: &str) {
        let next = self.uidvalidity(user, folder).await + 1000;
        let out = std::process::Command::new("doveadm")
            .arg("-c")
            .arg(self.dir.join("dovecot.conf"))
            .args([
                "mailbox",
                "update",
                "-u",
                user,
                "--uid-validity",
                &next.to_string(),
                folder,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "doveadm mailbox update: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The UIDVALIDITY of `user`'s `folder`.
    pub async fn uidvalidity(&self, user: &str, folder: &str) -> u32 {
        let mut s = self.session(user).await;
        let m = s.select(folder).await.unwrap();
        s.logout().await.unwrap();
        m.uid_validity.unwrap()
    }

    /// How many times `user` has signed in so far (from Dovecot's log).
    pub fn logins(&self, user: &str) -> usize {
        let log = std::fs::read_to_string(self.dir.join("dovecot.log")).unwrap_or_default();
        let needle = format!("Login: user=<{user}>");
        log.lines().filter(|l| l.contains(&needle)).count()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
