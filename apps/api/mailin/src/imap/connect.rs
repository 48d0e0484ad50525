//! Connecting to an IMAP server and signing in: implicit TLS, STARTTLS or (loopback and
//! tests) plain TCP; a password or XOAUTH2. Every step has a time limit, and a failure
//! names the step it happened at.

use std::sync::Arc;
use std::time::Duration;

use async_imap::{Client, Session};
use helpdesk_domain::mailbox::ImapSecurity;
use helpdesk_service::mail_fetch::FetchAccount;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

/// A connection, plain or TLS, as one type.
pub trait Stream: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug> Stream for T {}

pub type ImapSession = Session<Box<dyn Stream>>;

/// How long any one network step may take.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(30);

/// Where connecting failed, and why.
#[derive(Debug, thiserror::Error)]
#[error("{stage}: {message}")]
pub struct ConnectError {
    pub stage: &'static str,
    pub message: String,
}

fn fail(stage: &'static str, e: impl std::fmt::Display) -> ConnectError {
    ConnectError {
        stage,
        message: e.to_string(),
    }
}

/// Runs `step` with the time limit; a timeout fails at `stage`.
pub async fn timed<T, E: std::fmt::Display>(
    stage: &'static str,
    step: impl Future<Output = Result<T, E>>,
) -> Result<T, ConnectError> {
    match tokio::time::timeout(STEP_TIMEOUT, step).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(fail(stage, e)),
        Err(_) => Err(fail(stage, "timed out")),
    }
}

/// The certificate authorities IMAP servers are checked against: the public web's
/// (webpki-roots), plus those of `HELPDESK_IMAP_CA_FILE` for servers behind a private CA.
#[derive(Clone)]
pub struct Trust(Arc<ClientConfig>);

impl std::fmt::Debug for Trust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Trust(..)")
    }
}

impl Default for Trust {
    fn default() -> Self {
        Self::build(Vec::new())
    }
}

impl Trust {
    /// The public roots and the certificates in `pem` (one or more, PEM).
    pub fn with_pem(pem: &[u8]) -> Result<Self, String> {
        let extra = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("HELPDESK_IMAP_CA_FILE: {e}"))?;
        if extra.is_empty() {
            return Err("HELPDESK_IMAP_CA_FILE: no certificate in it".into());
        }
        Ok(Self::build(extra))
    }

    fn build(extra: Vec<CertificateDer<'static>>) -> Self {
        let mut roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let _ = roots.add_parsable_certificates(extra);
        let config = ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        Self(Arc::new(config))
    }
}

async fn wrap_tls(
    trust: &Trust,
    host: &str,
    tcp: TcpStream,
) -> Result<Box<dyn Stream>, ConnectError> {
    let name = ServerName::try_from(host.to_owned()).map_err(|e| fail("tls", e))?;
    let connector = TlsConnector::from(trust.0.clone());
    let stream = timed("tls", connector.connect(name, tcp)).await?;
    Ok(Box::new(stream))
}

/// Connects to the account's server and reads its greeting (after STARTTLS, when asked).
pub async fn connect(
    account: &FetchAccount,
    trust: &Trust,
) -> Result<Client<Box<dyn Stream>>, ConnectError> {
    let addr = (account.host.as_str(), account.port);
    let tcp = timed("connect", TcpStream::connect(addr)).await?;
    let stream: Box<dyn Stream> = match account.security {
        ImapSecurity::Tls => wrap_tls(trust, &account.host, tcp).await?,
        ImapSecurity::None => Box::new(tcp),
        ImapSecurity::Starttls => {
            let mut plain = Client::new(tcp);
            greeting(&mut plain).await?;
            timed("tls", plain.run_command_and_check_ok("STARTTLS", None)).await?;
            wrap_tls(trust, &account.host, plain.into_inner()).await?
        }
    };
    let mut client = Client::new(stream);
    if account.security != ImapSecurity::Starttls {
        greeting(&mut client).await?;
    }
    Ok(client)
}

async fn greeting<T: Stream>(client: &mut Client<T>) -> Result<(), ConnectError> {
    match timed("connect", client.read_response()).await? {
        Some(_) => Ok(()),
        None => Err(fail("connect", "the server closed the connection")),
    }
}

/// SASL XOAUTH2 (Google, Microsoft): the user and a bearer token in one response; an
/// error challenge is answered empty so the server finishes with its `NO`.
struct XOAuth2 {
    response: Option<String>,
}

impl async_imap::Authenticator for XOAuth2 {
    type Response = String;
    fn process(&mut self, _challenge: &[u8]) -> String {
        self.response.take().unwrap_or_default()
    }
}

/// Signs in with the password, or with `access_token` over XOAUTH2.
pub async fn login(
    client: Client<Box<dyn Stream>>,
    account: &FetchAccount,
    secret: Credential<'_>,
) -> Result<ImapSession, ConnectError> {
    let signed_in = match secret {
        Credential::Password(password) => {
            let step = client.login(&account.username, password);
            tokio::time::timeout(STEP_TIMEOUT, step).await
        }
        Credential::Bearer(token) => {
            let auth = XOAuth2 {
                response: Some(format!(
                    "user={}\x01auth=Bearer {token}\x01\x01",
                    account.username
                )),
            };
            tokio::time::timeout(STEP_TIMEOUT, client.authenticate("XOAUTH2", auth)).await
        }
    };
    match signed_in {
        Ok(Ok(session)) => Ok(session),
        Ok(Err((e, _))) => Err(fail("login", e)),
        Err(_) => Err(fail("login", "timed out")),
    }
}

/// What `login` signs in with.
#[derive(Clone, Copy)]
pub enum Credential<'a> {
    Password(&'a str),
    Bearer(&'a str),
}

impl std::fmt::Debug for Credential<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credential(..)")
    }
}
