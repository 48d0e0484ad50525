//! The bare SQL our endpoints run, for the anchors: the statements of a ticket creation and
//! the query of the filtered first page, exactly as the storage layer builds it.

use helpdesk_domain::{Actor, Priority, Role, TenantCtx, TicketStatus, UserId, WorkspaceId};
use helpdesk_storage::Store;
use helpdesk_storage::repo::tickets::{self, Sort, TicketFilter};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use crate::dataset;

#[derive(Debug, Clone)]
pub struct BareSql {
    backend: DbBackend,
    workspace: Uuid,
    requester: Uuid,
    organization: Option<Uuid>,
    /// The list query with its values inlined (for pgbench and logs).
    pub list_sql: String,
    /// The same query with bound values (for the SQLite loop).
    pub list_statement: Statement,
    /// The status-only list (`?status=NEW,OPEN`) with its values inlined.
    pub status_sql: String,
}

async fn one_uuid(store: &Store, sql: &str) -> anyhow::Result<(Uuid, Option<Uuid>)> {
    let row = store
        .read()
        .query_one_raw(Statement::from_string(
            store.read().get_database_backend(),
            sql.to_owned(),
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("not found: {sql}"))?;
    Ok((
        row.try_get_by_index::<Uuid>(0)?,
        row.try_get_by_index::<Option<Uuid>>(1).ok().flatten(),
    ))
}

impl BareSql {
    pub async fn load(store: &Store) -> anyhow::Result<Self> {
        let slug = dataset::slug(1);
        let (workspace, _) = one_uuid(
            store,
            &format!("SELECT id, id FROM workspaces WHERE slug = '{slug}'"),
        )
        .await?;
        let (agent, _) = one_uuid(
            store,
            &format!(
                "SELECT id, id FROM users WHERE email = '{}'",
                dataset::agent_email(1, 1)
            ),
        )
        .await?;
        let (requester, organization) = one_uuid(
            store,
            &format!(
                "SELECT id, organization_id FROM users WHERE email = '{}'",
                dataset::customer_email(1, 1)
            ),
        )
        .await?;
        let ctx = TenantCtx {
            workspace_id: WorkspaceId::from_uuid(workspace),
            actor: Actor::User(UserId::from_uuid(agent)),
            role: Role::Agent,
            organization_id: None,
        };
        let filter = TicketFilter {
            statuses: vec![TicketStatus::New, TicketStatus::Open],
            priorities: vec![Priority::High],
            ..TicketFilter::default()
        };
        let backend = store.read().get_database_backend();
        let list_statement = tickets::list_statement(
            backend,
            &ctx,
            &filter,
            Sort::CreatedDesc,
            None,
            25,
            Default::default(),
        );
        let list_sql = list_statement.to_string();
        let status_only = TicketFilter {
            priorities: Vec::new(),
            ..filter
        };
        let status_sql = tickets::list_statement(
            backend,
            &ctx,
            &status_only,
            Sort::CreatedDesc,
            None,
            25,
            Default::default(),
        )
        .to_string();
        Ok(Self {
            backend,
            workspace,
            requester,
            organization,
            list_sql,
            list_statement,
            status_sql,
        })
    }

    fn now() -> i64 {
        helpdesk_domain::time::to_micros(jiff::Timestamp::now())
    }

    /// Counter bump, ticket insert and event insert, with bound values (SQLite loop).
    pub fn create_statements(&self) -> Vec<Statement> {
        let now = Self::now();
        let ticket = Uuid::now_v7();
        let b = self.backend;
        vec![
            Statement::from_sql_and_values(
                b,
                "INSERT INTO ticket_counters (workspace_id, last_number) VALUES (?, 1) \
                 ON CONFLICT (workspace_id) DO UPDATE SET last_number = ticket_counters.last_number + 1 RETURNING last_number",
                [Value::from(self.workspace)],
            ),
            Statement::from_sql_and_values(
                b,
                "INSERT INTO tickets (id, workspace_id, number, subject, description, status, priority, requester_id, \
                 assignee_id, organization_id, asset_id, tags, version, status_changed_at, first_response_at, resolved_at, \
                 closed_at, created_at, updated_at) VALUES (?, ?, (SELECT last_number FROM ticket_counters WHERE workspace_id = ?), \
                 'anchor', 'PC Load Letter', 'NEW', 2, ?, NULL, ?, NULL, '[]', 1, ?, NULL, NULL, NULL, ?, ?)",
                [
                    Value::from(ticket),
                    Value::from(self.workspace),
                    Value::from(self.workspace),
                    Value::from(self.requester),
                    Value::from(self.organization),
                    Value::from(now),
                    Value::from(now),
                    Value::from(now),
                ],
            ),
            Statement::from_sql_and_values(
                b,
                "INSERT INTO ticket_events (id, workspace_id, ticket_id, actor_id, actor_api_key_id, kind, changes, message_id, \
                 internal, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, 'ticket.created', '{}', NULL, false, ?, ?)",
                [
                    Value::from(Uuid::now_v7()),
                    Value::from(self.workspace),
                    Value::from(ticket),
                    Value::from(self.requester),
                    Value::from(now),
                    Value::from(now),
                ],
            ),
        ]
    }

    pub fn cleanup_sql(&self) -> String {
        "DELETE FROM tickets WHERE subject = 'anchor'".to_owned()
    }

    /// pgbench scripts: the creation transaction and the list query.
    /// pgbench scripts: the ticket creation, the filtered list, the status-only list.
    pub fn pgbench_scripts(&self) -> (String, String, String) {
        let ws = self.workspace;
        let req = self.requester;
        let org = self
            .organization
            .map_or("NULL".to_owned(), |o| format!("'{o}'"));
        let create = format!(
            "BEGIN;\n\
             INSERT INTO ticket_counters (workspace_id, last_number) VALUES ('{ws}', 1) ON CONFLICT (workspace_id) DO UPDATE SET last_number = ticket_counters.last_number + 1 RETURNING last_number \\gset\n\
             WITH t AS (INSERT INTO tickets (id, workspace_id, number, subject, description, status, priority, requester_id, assignee_id, organization_id, asset_id, tags, version, status_changed_at, first_response_at, resolved_at, closed_at, created_at, updated_at) \
             VALUES (gen_random_uuid(), '{ws}', :last_number, 'anchor', 'PC Load Letter', 'NEW', 2, '{req}', NULL, {org}, NULL, '[]', 1, (extract(epoch from clock_timestamp()) * 1000000)::bigint, NULL, NULL, NULL, (extract(epoch from clock_timestamp()) * 1000000)::bigint, (extract(epoch from clock_timestamp()) * 1000000)::bigint) RETURNING id, created_at) \
             INSERT INTO ticket_events (id, workspace_id, ticket_id, actor_id, actor_api_key_id, kind, changes, message_id, internal, created_at, updated_at) \
             SELECT gen_random_uuid(), '{ws}', t.id, '{req}', NULL, 'ticket.created', '{{}}', NULL, false, t.created_at, t.created_at FROM t;\n\
             END;\n"
        );
        let list = format!("{};\n", self.list_sql);
        let status = format!("{};\n", self.status_sql);
        (create, list, status)
    }
}
