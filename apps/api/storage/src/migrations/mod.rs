//! Embedded schema migrations, run by `helpdesk migrate` and at `serve` start-up.

use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_tickets;
mod m0003_jobs;
mod m0004_sla;
pub(crate) mod m0005_ticket_sla;
mod m0006_reports;
mod m0007_alerts;
mod m0008_automations;
mod m0009_report_speed;
pub(crate) mod m0010_security;
mod m0011_web_sessions;
mod m0012_sla_filters;
pub(crate) mod m0013_job_history;
mod m0014_search_by_workspace;
mod m0015_status_priority_order;
mod m0016_search_time_bound;
mod m0017_dispatch_config_version;
mod m0018_inbound_email;
mod m0019_mailboxes;
mod m0020_mail_fetch;
mod m0021_agent_workflow;
mod m0022_ticket_relations;
mod m0023_csat;
mod m0024_contracts;
mod m0025_deferrable_ticket_refs;

#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_tickets::Migration),
            Box::new(m0003_jobs::Migration),
            Box::new(m0004_sla::Migration),
            Box::new(m0005_ticket_sla::Migration),
            Box::new(m0006_reports::Migration),
            Box::new(m0007_alerts::Migration),
            Box::new(m0008_automations::Migration),
            Box::new(m0009_report_speed::Migration),
            Box::new(m0010_security::Migration),
            Box::new(m0011_web_sessions::Migration),
            Box::new(m0012_sla_filters::Migration),
            Box::new(m0013_job_history::Migration),
            Box::new(m0014_search_by_workspace::Migration),
            Box::new(m0015_status_priority_order::Migration),
            Box::new(m0016_search_time_bound::Migration),
            Box::new(m0017_dispatch_config_version::Migration),
            Box::new(m0018_inbound_email::Migration),
            Box::new(m0019_mailboxes::Migration),
            Box::new(m0020_mail_fetch::Migration),
            Box::new(m0021_agent_workflow::Migration),
            Box::new(m0022_ticket_relations::Migration),
            Box::new(m0023_csat::Migration),
            Box::new(m0024_contracts::Migration),
            Box::new(m0025_deferrable_ticket_refs::Migration),
        ]
    }
}

/// A table with `created_at` / `updated_at` and its foreign keys.
pub(crate) fn table(
    name: &str,
    columns: Vec<ColumnDef>,
    fks: Vec<ForeignKeyCreateStatement>,
) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(Alias::new(name));
    for mut c in columns {
        t.col(&mut c);
    }
    for mut c in cols::stamps() {
        t.col(&mut c);
    }
    for mut f in fks {
        t.foreign_key(&mut f);
    }
    t.take()
}

/// Shorthands so each table definition reads as its columns.
pub(crate) mod cols {
    use sea_orm_migration::prelude::*;

    pub fn id() -> ColumnDef {
        ColumnDef::new(Alias::new("id"))
            .uuid()
            .not_null()
            .primary_key()
            .take()
    }
    pub fn uuid(name: &str) -> ColumnDef {
        ColumnDef::new(Alias::new(name)).uuid().not_null().take()
    }
    pub fn uuid_null(name: &str) -> ColumnDef {
        ColumnDef::new(Alias::new(name)).uuid().null().take()
    }
    pub fn text(name: &str) -> ColumnDef {
        ColumnDef::new(Alias::new(name)).text().not_null().take()
    }
    pub fn text_null(name: &str) -> ColumnDef {
        ColumnDef::new(Alias::new(name)).text().null().take()
    }
    /// Instants are microseconds since the Unix epoch (see `helpdesk_domain::time`).
    pub fn instant(name: &str) -> ColumnDef {
        ColumnDef::new(Alias::new(name))
            .big_integer()
            .not_null()
            .take()
    }
    pub fn instant_null(name: &str) -> ColumnDef {
        ColumnDef::new(Alias::new(name)).big_integer().null().take()
    }
    pub fn boolean(name: &str) -> ColumnDef {
        ColumnDef::new(Alias::new(name)).boolean().not_null().take()
    }
    pub fn integer(name: &str) -> ColumnDef {
        ColumnDef::new(Alias::new(name))
            .big_integer()
            .not_null()
            .take()
    }
    pub fn json(name: &str) -> ColumnDef {
        ColumnDef::new(Alias::new(name)).json().not_null().take()
    }
    /// `created_at` and `updated_at`, which every table has.
    pub fn stamps() -> [ColumnDef; 2] {
        [instant("created_at"), instant("updated_at")]
    }
    pub fn fk(from_table: &str, col: &str, to_table: &str) -> ForeignKeyCreateStatement {
        ForeignKey::create()
            .from(Alias::new(from_table), Alias::new(col))
            .to(Alias::new(to_table), Alias::new("id"))
            .on_delete(ForeignKeyAction::Cascade)
            .take()
    }
    pub fn fk_set_null(from_table: &str, col: &str, to_table: &str) -> ForeignKeyCreateStatement {
        ForeignKey::create()
            .from(Alias::new(from_table), Alias::new(col))
            .to(Alias::new(to_table), Alias::new("id"))
            .on_delete(ForeignKeyAction::SetNull)
            .take()
    }
    pub fn index(table: &str, name: &str, columns: &[&str], unique: bool) -> IndexCreateStatement {
        let mut idx = Index::create();
        idx.name(name).table(Alias::new(table));
        for c in columns {
            idx.col(Alias::new(*c));
        }
        if unique {
            idx.unique();
        }
        idx.take()
    }
}
