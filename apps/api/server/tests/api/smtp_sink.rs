//! A real SMTP server for tests (Python's aiosmtpd) that keeps what it receives in a
//! Maildir: where our outgoing mail is looked at.

use std::time::Duration;

/// A real SMTP server (Python's aiosmtpd) writing what it receives to a Maildir.
pub struct SmtpServer {
    child: std::process::Child,
    maildir: std::path::PathBuf,
    pub port: u16,
}

impl SmtpServer {
    pub fn start() -> Self {
        // A fresh machine may lack it: the test fetches it from PyPI, as CI does.
        let have = std::process::Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .status()
            .is_ok_and(|s| s.success());
        if !have {
            let _ = std::process::Command::new("python3")
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "aiosmtpd",
                ])
                .status();
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let maildir =
            std::env::temp_dir().join(format!("helpdesk-mail-{}", uuid::Uuid::now_v7().simple()));
        let child = std::process::Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd (pip install aiosmtpd)");
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        SmtpServer {
            child,
            maildir,
            port,
        }
    }

    pub fn messages(&self) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        dir.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}
