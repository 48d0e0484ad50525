//! OAuth2 for IMAP (Microsoft 365, Google): an access token from the refresh token,
//! renewed before it expires. A provider that rotates the refresh token gets the new one
//! stored at once, so a restart does not sign in with a revoked token.

use std::time::{Duration, Instant};

use helpdesk_service::Service;
use helpdesk_service::mail_fetch::{FetchAccount, ImapAuth};
use serde::Deserialize;

use super::connect::{ConnectError, timed};

/// Renew this long before the provider says the token expires.
const MARGIN: Duration = Duration::from_secs(300);

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
}

/// An access token and when to renew it.
pub struct AccessToken {
    pub token: String,
    renew_at: Instant,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("renew_at", &self.renew_at)
            .finish_non_exhaustive()
    }
}

impl AccessToken {
    pub fn fresh(&self) -> bool {
        Instant::now() < self.renew_at
    }

    /// When it should be replaced (a margin before it expires).
    pub fn renew_at(&self) -> Instant {
        self.renew_at
    }
}

fn fail(e: impl std::fmt::Display) -> ConnectError {
    ConnectError {
        stage: "token",
        message: e.to_string(),
    }
}

/// Exchanges the account's refresh token for an access token (`None` for a password
/// account).
pub async fn renew(
    service: &Service,
    http: &reqwest::Client,
    account: &mut FetchAccount,
) -> Result<Option<AccessToken>, ConnectError> {
    let ImapAuth::OAuth2 {
        token_url,
        client_id,
        client_secret,
        refresh_token,
    } = &mut account.auth
    else {
        return Ok(None);
    };
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", client_id.as_str()),
        ("client_secret", client_secret.as_str()),
        ("refresh_token", refresh_token.as_str()),
    ];
    let response = timed("token", http.post(token_url.as_str()).form(&form).send()).await?;
    let status = response.status();
    if !status.is_success() {
        // The provider's error code (`invalid_grant`, …) says what an admin must fix.
        let body = timed("token", response.text()).await.unwrap_or_default();
        let body: String = body.chars().take(300).collect();
        return Err(fail(format!(
            "the token endpoint answered {status}: {body}"
        )));
    }
    let parsed: TokenResponse = timed("token", response.json()).await?;
    let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(3600));
    if let Some(rotated) = parsed.refresh_token.filter(|t| t != refresh_token) {
        *refresh_token = rotated.clone();
        let account = &*account;
        service
            .store_refresh_token(account, &rotated)
            .await
            .map_err(fail)?;
    }
    Ok(Some(AccessToken {
        token: parsed.access_token,
        renew_at: Instant::now() + lifetime.saturating_sub(MARGIN),
    }))
}
