//! `POST /mailboxes/{id}/check`: connect, sign in and open the folder now, and say how far
//! it got.

use helpdesk_service::Service;
use helpdesk_service::mail_fetch::{CheckReport, FetchAccount, ImapAuth, MailboxProbe};

use super::connect::{self, ConnectError, Credential, timed};
use super::oauth;

/// Tries accounts for the service's `check_mailbox`.
#[derive(Debug, Clone)]
pub struct Probe {
    http: reqwest::Client,
    trust: connect::Trust,
}

impl Probe {
    /// A probe that checks servers against `trust` (as the fetchers do).
    pub fn new(trust: connect::Trust) -> Self {
        let http = reqwest::Client::builder()
            .timeout(connect::STEP_TIMEOUT)
            .build()
            .unwrap_or_default();
        Self { http, trust }
    }
}

impl Probe {
    async fn try_account(
        &self,
        service: &Service,
        mut account: FetchAccount,
        report: &mut CheckReport,
    ) -> Result<(), ConnectError> {
        report.stage = "token".into();
        let token = oauth::renew(service, &self.http, &mut account).await?;
        report.stage = "connect".into();
        let client = connect::connect(&account, &self.trust).await?;
        report.stage = "login".into();
        let credential = match (&account.auth, token.as_ref()) {
            (ImapAuth::Password(p), _) => Credential::Password(p),
            (_, Some(t)) => Credential::Bearer(&t.token),
            (_, None) => Credential::Password(""),
        };
        let mut session = connect::login(client, &account, credential).await?;
        report.idle = Some(
            timed("login", session.capabilities())
                .await?
                .has_str("IDLE"),
        );
        report.stage = "select".into();
        let folder = timed("select", session.examine(&account.folder)).await?;
        report.uidvalidity = folder.uid_validity;
        report.messages = Some(folder.exists);
        let _ = timed("logout", session.logout()).await;
        report.stage = "done".into();
        Ok(())
    }
}

#[async_trait::async_trait]
impl MailboxProbe for Probe {
    async fn check(&self, service: &Service, account: FetchAccount) -> CheckReport {
        let mut report = CheckReport {
            ok: false,
            stage: "connect".into(),
            error: None,
            uidvalidity: None,
            messages: None,
            idle: None,
        };
        match self.try_account(service, account, &mut report).await {
            Ok(()) => report.ok = true,
            Err(e) => {
                report.stage = e.stage.into();
                report.error = Some(e.message);
            }
        }
        report
    }
}
