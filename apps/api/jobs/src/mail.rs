//! Sending email: SMTP through lettre when `SMTP_URL` is set; otherwise messages are only
//! logged (recipient and subject, never the body, which may hold a link with a token) and
//! stay unsent in the outbox, so nothing is lost when SMTP is configured later.

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, header};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// `Auto-Submitted: auto-generated` (RFC 3834): everything we send is automatic, so
/// well-behaved responders do not answer it and our own intake ignores echoes of it.
#[derive(Debug, Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// An email ready to go.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// Without angle brackets: `<outbox id>.hd-<ticket>-<signature>@helpdesk` for mail
    /// about a ticket (the reference lets replies find it), `<outbox id>@helpdesk` else.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub reply_to: Option<String>,
}

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
    /// No SMTP configured.
    Log,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Smtp { from, .. } => write!(f, "Mailer::Smtp(from {from})"),
            Mailer::Log => f.write_str("Mailer::Log"),
        }
    }
}

/// The outcome of a send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Delivered,
    /// Logged only; the message stays unsent.
    NotConfigured,
}

impl Mailer {
    /// `smtp://host:port` (plain), `smtp://host?tls=required` (STARTTLS), `smtps://host`
    /// (implicit TLS); credentials in the URL's user info.
    pub fn smtp(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL: {e}"))?
            .build();
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("HELPDESK_MAIL_FROM: {e}"))?;
        Ok(Mailer::Smtp {
            transport: Box::new(transport),
            from,
        })
    }

    pub fn is_configured(&self) -> bool {
        matches!(self, Mailer::Smtp { .. })
    }

    pub async fn send(&self, email: &Email) -> Result<Sent, String> {
        let Mailer::Smtp { transport, from } = self else {
            tracing::info!(to = %email.to, subject = %email.subject, "no SMTP configured: email kept in the outbox");
            return Ok(Sent::NotConfigured);
        };
        let to: Mailbox = email.to.parse().map_err(|e| format!("recipient: {e}"))?;
        let mut builder = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(format!("<{}>", email.message_id)))
            .header(AutoSubmitted);
        if let Some(reply_to) = &email.reply_to {
            let reply_to: Mailbox = reply_to.parse().map_err(|e| format!("reply-to: {e}"))?;
            builder = builder.reply_to(reply_to);
        }
        if let Some(parent) = &email.in_reply_to {
            builder = builder
                .in_reply_to(format!("<{parent}>"))
                .references(format!("<{parent}>"));
        }
        let message = builder
            .header(header::ContentType::TEXT_PLAIN)
            .body(email.body.clone())
            .map_err(|e| format!("building the message: {e}"))?;
        transport
            .send(message)
            .await
            .map_err(|e| format!("SMTP: {e}"))?;
        Ok(Sent::Delivered)
    }
}
