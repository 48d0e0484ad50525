//! `workspaces.config_version`: a number that changes whenever something an event dispatch
//! reads about its workspace's rules or webhooks changes (a rule or hook added, removed,
//! switched on or off, a rule's trigger or a hook's events edited). Triggers bump it, so no
//! code path can forget to; the dispatcher keeps the workspace's rule triggers and webhook
//! subscriptions in memory and reloads them when the workspace row (which it reads anyway)
//! shows another version. Exact, across processes, without a message bus.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0017_dispatch_config_version"
    }
}

/// `(table, columns whose update matters)`.
const WATCHED: [(&str, &str); 2] = [
    ("automations", "active, trigger, workspace_id"),
    ("webhooks", "active, events, workspace_id"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let mut sql = vec![
            "ALTER TABLE workspaces ADD COLUMN config_version BIGINT NOT NULL DEFAULT 0".to_owned(),
        ];
        let bump = |row: &str| {
            format!(
                "UPDATE workspaces SET config_version = config_version + 1 WHERE id = {row}.workspace_id"
            )
        };
        if db.get_database_backend() == DbBackend::Postgres {
            sql.push(format!(
                "CREATE FUNCTION bump_config_version() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN \
                   IF TG_OP IN ('UPDATE', 'DELETE') THEN {}; END IF; \
                   IF TG_OP IN ('UPDATE', 'INSERT') THEN {}; END IF; \
                   RETURN NULL; \
                 END $$",
                bump("OLD"),
                bump("NEW")
            ));
            for (table, columns) in WATCHED {
                sql.push(format!(
                    "CREATE TRIGGER {table}_config_version \
                       AFTER INSERT OR DELETE OR UPDATE OF {columns} ON {table} \
                       FOR EACH ROW EXECUTE FUNCTION bump_config_version()"
                ));
            }
        } else {
            for (table, columns) in WATCHED {
                sql.push(format!(
                    "CREATE TRIGGER {table}_config_insert AFTER INSERT ON {table} \
                       BEGIN {}; END",
                    bump("new")
                ));
                sql.push(format!(
                    "CREATE TRIGGER {table}_config_update AFTER UPDATE OF {columns} ON {table} \
                       BEGIN {}; {}; END",
                    bump("old"),
                    bump("new")
                ));
                sql.push(format!(
                    "CREATE TRIGGER {table}_config_delete AFTER DELETE ON {table} \
                       BEGIN {}; END",
                    bump("old")
                ));
            }
        }
        for s in sql {
            db.execute_unprepared(&s).await?;
        }
        Ok(())
    }
}
