//! A mailbox that cannot be fetched is in an error state admins see on the mailbox and
//! are emailed about once, when it starts; the next good fetch clears it.

use helpdesk_domain::{Role, TenantCtx, WorkspaceId};
use helpdesk_storage::repo::outbox::NewMessage;
use helpdesk_storage::repo::users::{self, UserFilter};
use helpdesk_storage::repo::{Page, mail_fetch};
use uuid::Uuid;

use crate::Service;
use crate::error::ServiceResult;
use crate::mail::{self, Audience};

/// The longest error text kept (servers can answer at length).
const MAX_ERROR: usize = 500;

impl Service {
    /// Records that fetching mailbox `id` worked: its error state ends.
    pub async fn fetch_succeeded(&self, id: Uuid) -> ServiceResult<()> {
        let now = self.now();
        Ok(mail_fetch::record(self.store.write(), id, None, false, now).await?)
    }

    /// Records that fetching mailbox `id` failed with `error`; the workspace's admins are
    /// emailed the first time (until a fetch works again).
    pub async fn fetch_failed(&self, id: Uuid, error: &str) -> ServiceResult<()> {
        let now = self.now();
        let error: String = error.chars().take(MAX_ERROR).collect();
        let tx = self.begin().await?;
        let Some(row) = mail_fetch::get(&tx, id).await? else {
            return Ok(());
        };
        if !row.error_notified {
            let ctx = TenantCtx::system(WorkspaceId::from_uuid(row.workspace_id));
            let filter = UserFilter {
                role: Some(Role::Admin),
                ..UserFilter::default()
            };
            let page = Page {
                limit: 50,
                after: None,
            };
            let admins = users::list(&tx, &ctx, &filter, page).await?;
            let link = format!("{}/admin/mailboxes/{}", self.settings.public_url, id);
            for admin in admins.into_iter().filter(|u| u.active) {
                let msg = NewMessage {
                    kind: "mailbox_error",
                    recipient: admin.email,
                    subject: format!("Mail to {} is not being fetched", row.address),
                    body: format!(
                        "Helpdesk cannot fetch the mail of {} from {}:\n\n  {error}\n\n\
                         Nothing is lost: fetching is retried, and mail waiting on the server \
                         is imported once it works. You will not be emailed again about this \
                         until it has worked once.\n\nMailbox: {link}\n",
                        row.address,
                        row.imap_host.as_deref().unwrap_or("its server"),
                    ),
                    in_reply_to: None,
                    reply_to: None,
                };
                let per_hour = self.settings.mail_per_hour;
                mail::queue(&tx, &ctx, per_hour, Audience::Members, msg, now).await?;
            }
        }
        mail_fetch::record(&tx, id, Some(&error), true, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores the refresh token a provider rotated for mailbox `id`.
    pub async fn store_refresh_token(
        &self,
        account: &super::FetchAccount,
        refresh_token: &str,
    ) -> ServiceResult<()> {
        let super::ImapAuth::OAuth2 { client_secret, .. } = &account.auth else {
            return Ok(());
        };
        let secret = serde_json::json!({
            "client_secret": client_secret,
            "refresh_token": refresh_token,
        });
        let sealed = self
            .settings
            .secret_key
            .seal(secret.to_string().as_bytes())?;
        Ok(mail_fetch::set_secret(self.store.write(), account.mailbox_id, sealed).await?)
    }
}
