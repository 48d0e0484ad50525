//! Web-app sessions: a sign-in session may carry the hash of a browser cookie, so the web
//! app's sessions live in the same store as the API's and end the same way.

use sea_orm_migration::prelude::*;

use super::cols::*;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0011_web_sessions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("sessions"))
                .add_column(text_null("web_token_hash"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "sessions",
            "ux_sessions_web_token",
            &["web_token_hash"],
            true,
        ))
        .await
    }
}
