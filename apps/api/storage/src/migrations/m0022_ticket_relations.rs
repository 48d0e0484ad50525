//! Tickets related to tickets: a merged ticket points at the one it went into, messages
//! and attachments copied by a merge name the ticket they came from, and links (`RELATED`,
//! parent and child) join two tickets of one workspace.

use sea_orm_migration::prelude::*;

use super::cols::*;
use super::table;

#[derive(Debug)]
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0022_ticket_relations"
    }
}

fn add_uuid_null(t: &str, col: &str) -> TableAlterStatement {
    Table::alter()
        .table(Alias::new(t))
        .add_column(ColumnDef::new(Alias::new(col)).uuid().null())
        .to_owned()
}

fn drop_col(t: &str, col: &str) -> TableAlterStatement {
    Table::alter()
        .table(Alias::new(t))
        .drop_column(Alias::new(col))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Plain columns, no foreign keys: SQLite cannot add one to an existing table, and
        // tickets are never deleted while another names them (workspaces go as a whole).
        m.alter_table(add_uuid_null("tickets", "merged_into_id"))
            .await?;
        m.alter_table(add_uuid_null("ticket_messages", "merged_from_id"))
            .await?;
        m.alter_table(add_uuid_null("attachments", "merged_from_id"))
            .await?;
        // `kind` is `RELATED` or `PARENT` (then `from_ticket_id` is the parent). One link
        // per pair of tickets, whichever way round: the service checks the reverse.
        m.create_table(table(
            "ticket_links",
            vec![
                id(),
                uuid("workspace_id"),
                uuid("from_ticket_id"),
                uuid("to_ticket_id"),
                text("kind"),
                uuid_null("created_by"),
            ],
            vec![
                fk("ticket_links", "workspace_id", "workspaces"),
                fk("ticket_links", "from_ticket_id", "tickets"),
                fk("ticket_links", "to_ticket_id", "tickets"),
                fk_set_null("ticket_links", "created_by", "users"),
            ],
        ))
        .await?;
        m.create_index(index(
            "ticket_links",
            "ux_ticket_links_pair",
            &["from_ticket_id", "to_ticket_id"],
            true,
        ))
        .await?;
        m.create_index(index(
            "ticket_links",
            "ix_ticket_links_to",
            &["to_ticket_id"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("ticket_links")).to_owned())
            .await?;
        m.alter_table(drop_col("attachments", "merged_from_id"))
            .await?;
        m.alter_table(drop_col("ticket_messages", "merged_from_id"))
            .await?;
        m.alter_table(drop_col("tickets", "merged_into_id")).await
    }
}
