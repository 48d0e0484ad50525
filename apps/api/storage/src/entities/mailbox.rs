//! A workspace's mailbox and its IMAP account (secret encrypted), with the fetcher's state.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mailboxes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    /// Lower-case; unique across workspaces.
    pub address: String,
    pub name: String,
    pub active: bool,
    pub default_priority: String,
    /// `CREATE_CUSTOMER` or `QUARANTINE`.
    pub unknown_senders: String,
    pub imap_host: Option<String>,
    pub imap_port: Option<i64>,
    pub imap_security: Option<String>,
    pub imap_username: Option<String>,
    /// `PASSWORD` or `OAUTH2`.
    pub imap_auth: Option<String>,
    /// Nonce and ciphertext (see the service's `secret_box`); never leaves the service.
    pub imap_secret: Option<Vec<u8>>,
    pub oauth_token_url: Option<String>,
    pub oauth_client_id: Option<String>,
    pub imap_folder: String,
    pub after_import: String,
    pub move_to: Option<String>,
    pub last_fetch_at: Option<i64>,
    pub last_error: Option<String>,
    pub uidvalidity: Option<i64>,
    pub last_uid: Option<i64>,
    pub imported: i64,
    /// The process fetching it, until `lease_until` (one fetcher across replicas).
    pub lease_owner: Option<String>,
    pub lease_until: Option<i64>,
    /// Admins were emailed about the current `last_error` (once per failure).
    pub error_notified: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
