//! Configuration from flags, the environment and an optional `.env` file (flags win).
//! A bad value stops the process at start with one line naming the variable.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "helpdesk",
    version,
    about = "Multi-tenant helpdesk for B2B remote IT-support teams"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Serve the API (the default). Runs migrations first unless told not to.
    Serve,
    /// Run queued jobs.
    Worker,
    /// Fire scheduled jobs.
    Scheduler,
    /// Apply database migrations and exit.
    Migrate,
    /// Print the version and exit.
    Version,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// A secret value: never printed by `Debug`.
#[derive(Clone)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Listen address.
    #[arg(
        long,
        env = "HELPDESK_BIND",
        value_name = "HELPDESK_BIND",
        default_value = "127.0.0.1:18000",
        global = true
    )]
    pub bind: SocketAddr,
    /// Data directory (SQLite file, generated JWT secret, attachments).
    #[arg(
        long,
        env = "HELPDESK_DATA_DIR",
        value_name = "HELPDESK_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// `postgres://…` or `sqlite://path`; default: SQLite `helpdesk.db` in the data dir.
    #[arg(
        long,
        env = "DATABASE_URL",
        value_name = "DATABASE_URL",
        hide_env_values = true,
        global = true
    )]
    pub database_url: Option<Secret>,
    /// Redis for cross-replica rate limits (optional).
    #[arg(
        long,
        env = "REDIS_URL",
        value_name = "REDIS_URL",
        hide_env_values = true,
        global = true
    )]
    pub redis_url: Option<Secret>,
    /// Prefix of every Redis key this deployment writes.
    #[arg(
        long,
        env = "HELPDESK_REDIS_PREFIX",
        value_name = "HELPDESK_REDIS_PREFIX",
        default_value = "helpdesk",
        global = true
    )]
    pub redis_prefix: String,
    /// HMAC secret for access tokens (at least 32 characters).
    #[arg(
        long,
        env = "HELPDESK_JWT_SECRET",
        value_name = "HELPDESK_JWT_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub jwt_secret: Option<Secret>,
    /// Key that encrypts stored credentials (mailbox passwords, OAuth2 secrets): 64 hex
    /// digits (`openssl rand -hex 32`). Unset: generated into the data directory
    /// (embedded default), or derived from HELPDESK_JWT_SECRET (PostgreSQL).
    #[arg(
        long,
        env = "HELPDESK_SECRET_KEY",
        value_name = "HELPDESK_SECRET_KEY",
        hide_env_values = true,
        global = true
    )]
    pub secret_key: Option<Secret>,
    #[arg(
        long,
        env = "HELPDESK_LOG",
        value_name = "HELPDESK_LOG",
        value_enum,
        default_value = "pretty",
        global = true
    )]
    pub log: LogFormat,
    #[arg(
        long,
        env = "HELPDESK_LOG_FILTER",
        value_name = "HELPDESK_LOG_FILTER",
        default_value = "info",
        global = true
    )]
    pub log_filter: String,
    /// Access-token lifetime, seconds.
    #[arg(long, env = "HELPDESK_ACCESS_TOKEN_TTL", value_name = "HELPDESK_ACCESS_TOKEN_TTL", default_value_t = 900, value_parser = clap::value_parser!(u64).range(30..=86_400), global = true)]
    pub access_token_ttl: u64,
    /// Refresh-token lifetime, seconds.
    #[arg(long, env = "HELPDESK_REFRESH_TOKEN_TTL", value_name = "HELPDESK_REFRESH_TOKEN_TTL", default_value_t = 2_592_000, value_parser = clap::value_parser!(u64).range(60..=31_536_000), global = true)]
    pub refresh_token_ttl: u64,
    /// Longest a sign-in session lasts however often it is refreshed, seconds.
    #[arg(long, env = "HELPDESK_SESSION_MAX_AGE", value_name = "HELPDESK_SESSION_MAX_AGE", default_value_t = 2_592_000, value_parser = clap::value_parser!(u64).range(300..=31_536_000), global = true)]
    pub session_max_age: u64,
    #[arg(long, env = "HELPDESK_PASSWORD_MIN_LENGTH", value_name = "HELPDESK_PASSWORD_MIN_LENGTH", default_value_t = 6, value_parser = clap::value_parser!(u64).range(1..=128), global = true)]
    pub password_min_length: u64,
    /// Largest accepted JSON body, bytes.
    #[arg(long, env = "HELPDESK_BODY_LIMIT", value_name = "HELPDESK_BODY_LIMIT", default_value_t = 1_048_576, value_parser = clap::value_parser!(u64).range(1024..=104_857_600), global = true)]
    pub body_limit: u64,
    /// Largest attachment, bytes.
    #[arg(long, env = "HELPDESK_ATTACHMENT_LIMIT", value_name = "HELPDESK_ATTACHMENT_LIMIT", default_value_t = 10_485_760, value_parser = clap::value_parser!(u64).range(1024..=1_073_741_824), global = true)]
    pub attachment_limit: u64,
    /// How far `GET /export/tickets` stays behind the clock, milliseconds.
    #[arg(long, env = "HELPDESK_EXPORT_LAG_MS", value_name = "HELPDESK_EXPORT_LAG_MS", default_value_t = 2000, value_parser = clap::value_parser!(u64).range(0..=600_000), global = true)]
    pub export_lag_ms: u64,
    /// Request timeout, seconds.
    #[arg(long, env = "HELPDESK_REQUEST_TIMEOUT", value_name = "HELPDESK_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub request_timeout: u64,
    /// Auth requests per client address per minute.
    #[arg(long, env = "HELPDESK_RATE_LIMIT_PER_IP", value_name = "HELPDESK_RATE_LIMIT_PER_IP", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub rate_limit_per_ip: u32,
    /// Login / reset attempts per account per minute.
    #[arg(long, env = "HELPDESK_RATE_LIMIT_PER_ACCOUNT", value_name = "HELPDESK_RATE_LIMIT_PER_ACCOUNT", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub rate_limit_per_account: u32,
    /// Live streams (`GET /stream`) one user or API key may hold open, per server process.
    #[arg(long, env = "HELPDESK_STREAMS_PER_USER", value_name = "HELPDESK_STREAMS_PER_USER", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1000), global = true)]
    pub streams_per_user: u64,
    /// Live streams one workspace may hold open, per server process.
    #[arg(long, env = "HELPDESK_STREAMS_PER_WORKSPACE", value_name = "HELPDESK_STREAMS_PER_WORKSPACE", default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=100_000), global = true)]
    pub streams_per_workspace: u64,
    /// Bearer token `/metrics` asks for; unset: open (bind it to a private address).
    #[arg(
        long,
        env = "HELPDESK_METRICS_TOKEN",
        value_name = "HELPDESK_METRICS_TOKEN",
        hide_env_values = true,
        global = true
    )]
    pub metrics_token: Option<Secret>,
    /// Serve `/metrics` only on this address (e.g. `127.0.0.1:9464`), not on the API's.
    #[arg(
        long,
        env = "HELPDESK_METRICS_BIND",
        value_name = "HELPDESK_METRICS_BIND",
        global = true
    )]
    pub metrics_bind: Option<SocketAddr>,
    /// Messages and notes one user or API key may post per minute.
    #[arg(long, env = "HELPDESK_RATE_LIMIT_MESSAGES_PER_AUTHOR", value_name = "HELPDESK_RATE_LIMIT_MESSAGES_PER_AUTHOR", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub rate_limit_messages_per_author: u32,
    /// Messages and notes that may be posted on one ticket per minute.
    #[arg(long, env = "HELPDESK_RATE_LIMIT_MESSAGES_PER_TICKET", value_name = "HELPDESK_RATE_LIMIT_MESSAGES_PER_TICKET", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub rate_limit_messages_per_ticket: u32,
    /// Take the client address from X-Forwarded-For behind one trusted proxy (the same
    /// as `HELPDESK_TRUSTED_PROXIES=1`).
    #[arg(long, env = "HELPDESK_TRUST_FORWARDED_FOR", value_name = "HELPDESK_TRUST_FORWARDED_FOR", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub trust_forwarded_for: bool,
    /// How many trusted proxies append to X-Forwarded-For in front of the server; the
    /// client address is the entry that many hops from the right. 0: the TCP peer.
    #[arg(long, env = "HELPDESK_TRUSTED_PROXIES", value_name = "HELPDESK_TRUSTED_PROXIES", default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=16), global = true)]
    pub trusted_proxies: u64,
    /// Base URL used in emailed links.
    #[arg(
        long,
        env = "HELPDESK_PUBLIC_URL",
        value_name = "HELPDESK_PUBLIC_URL",
        default_value = "http://localhost:18000",
        global = true
    )]
    pub public_url: String,
    #[arg(long, env = "HELPDESK_DB_MAX_CONNECTIONS", value_name = "HELPDESK_DB_MAX_CONNECTIONS", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000), global = true)]
    pub db_max_connections: u32,
    /// Do not run migrations when serving.
    #[arg(long, env = "HELPDESK_SKIP_MIGRATIONS", value_name = "HELPDESK_SKIP_MIGRATIONS", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub skip_migrations: bool,
    /// SMTP server for outgoing email: `smtp://host:port`, `smtp://host?tls=required`,
    /// `smtps://user:pass@host`. Unset: emails are logged and kept in the outbox.
    #[arg(
        long,
        env = "SMTP_URL",
        value_name = "SMTP_URL",
        hide_env_values = true,
        global = true
    )]
    pub smtp_url: Option<Secret>,
    /// Emails one workspace may queue per hour; the excess is held and shown to admins
    /// (`GET /api/v1/workspace/held-mail`). 0: no cap for workspaces whose admin email is
    /// confirmed (unconfirmed ones keep theirs).
    #[arg(long, env = "HELPDESK_MAIL_PER_HOUR", value_name = "HELPDESK_MAIL_PER_HOUR", default_value_t = 200, value_parser = clap::value_parser!(u32).range(0..), global = true)]
    pub mail_per_hour: u32,
    /// Emails one sender may send a workspace per hour; the rest is quarantined for an
    /// admin to release (`POST /api/v1/inbound/{id}/release`). 0: no limit.
    #[arg(
        long,
        env = "HELPDESK_INBOUND_PER_SENDER_HOUR",
        value_name = "HELPDESK_INBOUND_PER_SENDER_HOUR",
        default_value_t = 30,
        global = true
    )]
    pub inbound_per_sender_hour: u32,
    /// How often (seconds) an IMAP server without IDLE is asked for new mail; also paces
    /// how soon a new or changed mailbox is picked up (at most 10 s).
    #[arg(
        long,
        env = "HELPDESK_IMAP_POLL_SECS",
        value_name = "HELPDESK_IMAP_POLL_SECS",
        default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(1..),
        global = true
    )]
    pub imap_poll_secs: u64,
    /// PEM file of extra certificate authorities IMAP servers may be signed by (a private
    /// CA, an on-premises Exchange); the public ones are always trusted.
    #[arg(
        long,
        env = "HELPDESK_IMAP_CA_FILE",
        value_name = "HELPDESK_IMAP_CA_FILE",
        global = true
    )]
    pub imap_ca_file: Option<std::path::PathBuf>,
    /// Address the SMTP/LMTP listener takes mail on (e.g. `0.0.0.0:2525`); unset: off.
    /// It accepts mail only for the mailboxes' addresses (plus-addressed too).
    #[arg(
        long,
        env = "HELPDESK_INBOUND_SMTP_BIND",
        value_name = "HELPDESK_INBOUND_SMTP_BIND",
        global = true
    )]
    pub inbound_smtp_bind: Option<std::net::SocketAddr>,
    /// Sender of outgoing email.
    #[arg(
        long,
        env = "HELPDESK_MAIL_FROM",
        value_name = "HELPDESK_MAIL_FROM",
        default_value = "Helpdesk <helpdesk@localhost>",
        global = true
    )]
    pub mail_from: String,
    /// Jobs a worker runs at once.
    #[arg(long, env = "HELPDESK_WORKER_CONCURRENCY", value_name = "HELPDESK_WORKER_CONCURRENCY", default_value_t = 16, value_parser = clap::value_parser!(u64).range(1..=256), global = true)]
    pub worker_concurrency: u64,
    /// How often an idle worker looks for due jobs without a wake-up, milliseconds.
    #[arg(long, env = "HELPDESK_JOB_POLL_MS", value_name = "HELPDESK_JOB_POLL_MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(10..=60_000), global = true)]
    pub job_poll_ms: u64,
    /// Delay before a failed job's first retry, milliseconds; later retries double it.
    #[arg(long, env = "HELPDESK_JOB_RETRY_BASE_MS", value_name = "HELPDESK_JOB_RETRY_BASE_MS", default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..=3_600_000), global = true)]
    pub job_retry_base_ms: u64,
    /// Let webhooks target private and loopback addresses (on-premises integrations).
    #[arg(long, env = "HELPDESK_WEBHOOK_ALLOW_PRIVATE", value_name = "HELPDESK_WEBHOOK_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub webhook_allow_private: bool,
    /// Consecutive failed deliveries after which a webhook is disabled.
    #[arg(long, env = "HELPDESK_WEBHOOK_FAILURE_LIMIT", value_name = "HELPDESK_WEBHOOK_FAILURE_LIMIT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=1000), global = true)]
    pub webhook_failure_limit: u64,
    /// Cron (seconds first) of the purge of expired tokens, keys and old jobs; empty: off.
    #[arg(
        long,
        env = "HELPDESK_SCHEDULE_PURGE",
        value_name = "HELPDESK_SCHEDULE_PURGE",
        default_value = "0 */10 * * * *",
        global = true
    )]
    pub schedule_purge: String,
    /// Cron (seconds first) of the sweep that retries unsent email; empty: off.
    #[arg(
        long,
        env = "HELPDESK_SCHEDULE_EMAIL_SWEEP",
        value_name = "HELPDESK_SCHEDULE_EMAIL_SWEEP",
        default_value = "30 * * * * *",
        global = true
    )]
    pub schedule_email_sweep: String,
    /// Cron (seconds first) of the SLA sweep (warnings and breaches); empty: off.
    #[arg(
        long,
        env = "HELPDESK_SCHEDULE_SLA_SWEEP",
        value_name = "HELPDESK_SCHEDULE_SLA_SWEEP",
        default_value = "0 * * * * *",
        global = true
    )]
    pub schedule_sla_sweep: String,
    /// Cron (seconds first) of the scheduled automation rules; empty: off.
    #[arg(
        long,
        env = "HELPDESK_SCHEDULE_AUTOMATIONS",
        value_name = "HELPDESK_SCHEDULE_AUTOMATIONS",
        default_value = "0 */5 * * * *",
        global = true
    )]
    pub schedule_automations: String,
    /// Run the worker and scheduler inside `serve`; default: only on SQLite.
    #[arg(long, env = "HELPDESK_JOBS_IN_PROCESS", value_name = "HELPDESK_JOBS_IN_PROCESS", action = clap::ArgAction::Set, global = true)]
    pub jobs_in_process: Option<bool>,
}

impl Config {
    /// The database URL in effect, defaulting to SQLite in the data dir.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(Secret(url)) if !url.trim().is_empty() => url.clone(),
            _ => format!("sqlite://{}", self.data_dir.join("helpdesk.db").display()),
        }
    }

    pub fn is_postgres(&self) -> bool {
        let url = self.database_url();
        url.starts_with("postgres://") || url.starts_with("postgresql://")
    }

    /// Whether `serve` also runs the worker and scheduler.
    pub fn jobs_in_process(&self) -> bool {
        self.jobs_in_process.unwrap_or(!self.is_postgres())
    }

    /// Defaults for tests and embedding: everything as if no variable were set.
    pub fn defaults() -> Self {
        Cli::parse_from(["helpdesk"]).config
    }
}
