//! The JWT signing secret and the key that encrypts stored credentials: configured, or in
//! the embedded default generated once and kept in the data directory with mode 0600.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

use crate::config::{Config, Secret};

/// The placeholder shipped in `.env.example`; refusing it keeps it out of production.
const PLACEHOLDER: &str = "change-me";

pub fn jwt_secret(config: &Config) -> anyhow::Result<Secret> {
    if let Some(Secret(s)) = &config.jwt_secret {
        if s.starts_with(PLACEHOLDER) {
            bail!(
                "HELPDESK_JWT_SECRET is still the .env.example placeholder: set a random value (openssl rand -hex 32)"
            );
        }
        if s.len() < 32 {
            bail!("HELPDESK_JWT_SECRET must be at least 32 characters");
        }
        return Ok(Secret(s.clone()));
    }
    if config.is_postgres() {
        bail!(
            "HELPDESK_JWT_SECRET is required when DATABASE_URL is PostgreSQL (replicas must share it)"
        );
    }
    load_or_create(&config.data_dir.join("jwt-secret"))
}

/// The credentials key: `HELPDESK_SECRET_KEY`; else, on PostgreSQL, derived from the JWT
/// secret every replica shares; else the data directory's `secret-key`.
pub fn secret_key(config: &Config) -> anyhow::Result<[u8; 32]> {
    if let Some(Secret(s)) = &config.secret_key {
        return parse_key(s.trim()).context("HELPDESK_SECRET_KEY must be 64 hex digits");
    }
    if config.is_postgres() {
        let jwt = jwt_secret(config)?;
        return Ok(helpdesk_domain::keys::derive(
            jwt.0.as_bytes(),
            "helpdesk credentials key v1",
        ));
    }
    let s = load_or_create(&config.data_dir.join("secret-key"))?;
    parse_key(&s.0).with_context(|| {
        format!(
            "{} must hold 64 hex digits",
            config.data_dir.join("secret-key").display()
        )
    })
}

fn parse_key(s: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = hex::decode(s)?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| anyhow::anyhow!("not 32 bytes"))
}

fn load_or_create(path: &Path) -> anyhow::Result<Secret> {
    if let Ok(existing) = fs::read_to_string(path) {
        let s = existing.trim().to_owned();
        if s.len() >= 32 {
            return Ok(Secret(s));
        }
        bail!(
            "{} is shorter than 32 characters: delete it to generate a new one",
            path.display()
        );
    }
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let secret = hex::encode(bytes);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(secret.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a new secret");
    Ok(Secret(secret))
}
