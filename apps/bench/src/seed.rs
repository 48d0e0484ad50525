//! Seeds a data set through the storage layer's bulk path: workspaces, organizations,
//! users, tickets with tags, messages and their events, ticket counters.

use std::time::Instant;

use helpdesk_domain::{Priority, TicketStatus, WorkspaceId};
use helpdesk_storage::entities::{
    event, message, organization, sla_event, ticket, ticket_tag, time_entry, user, workspace,
};
use helpdesk_storage::repo::tickets;
use helpdesk_storage::{Store, bulk};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, Set};
use serde_json::json;
use uuid::Uuid;

use crate::dataset::{self, Shape, WORDS};

const DAY_US: i64 = 86_400_000_000;
const TICKETS_PER_TRANSACTION: u64 = 2_000;

fn words(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Like a helpdesk that has worked for years: 95 % of tickets resolved or closed, spread
/// evenly over time (the unkind case for a walk of the creation index that skips closed
/// tickets).
fn status(rng: &mut StdRng) -> TicketStatus {
    match rng.random_range(0..1000) {
        0..15 => TicketStatus::New,
        15..35 => TicketStatus::Open,
        35..45 => TicketStatus::Pending,
        45..50 => TicketStatus::OnHold,
        50..250 => TicketStatus::Resolved,
        _ => TicketStatus::Closed,
    }
}

fn priority(rng: &mut StdRng) -> Priority {
    match rng.random_range(0..100) {
        0..30 => Priority::Low,
        30..75 => Priority::Medium,
        75..95 => Priority::High,
        _ => Priority::Urgent,
    }
}

struct People {
    agents: Vec<Uuid>,
    customers: Vec<(Uuid, Option<Uuid>)>,
}

async fn people(
    store: &Store,
    ws: Uuid,
    n: u64,
    shape: &Shape,
    hash: &str,
    now: i64,
) -> anyhow::Result<People> {
    let orgs: Vec<Uuid> = (0..shape.organizations_in(n))
        .map(|_| Uuid::now_v7())
        .collect();
    let org_rows = orgs
        .iter()
        .enumerate()
        .map(|(i, id)| organization::ActiveModel {
            id: Set(*id),
            workspace_id: Set(ws),
            name: Set(format!("Client {i}")),
            sla_policy_id: Set(None),
            notes: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
    bulk::insert(store.write(), org_rows.collect()).await?;
    let user = |email: String, role: &str, org: Option<Uuid>| user::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ws),
        name: Set(email.split('@').next().unwrap_or("user").to_owned()),
        email: Set(email),
        role: Set(role.to_owned()),
        organization_id: Set(org),
        password_hash: Set(Some(hash.to_owned())),
        active: Set(true),
        deactivated_at: Set(None),
        preferences: Set(serde_json::json!({})),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let mut rows = vec![user(dataset::admin_email(n), "ADMIN", None)];
    let agents: Vec<_> = (1..=shape.agents_in(n))
        .map(|j| user(dataset::agent_email(n, j), "AGENT", None))
        .collect();
    let customers: Vec<_> = (1..=shape.customers_in(n))
        .map(|j| {
            let org = (!orgs.is_empty()).then(|| orgs[(j as usize) % orgs.len()]);
            user(dataset::customer_email(n, j), "CUSTOMER", org)
        })
        .collect();
    let people = People {
        agents: agents.iter().filter_map(|a| a.id.clone().take()).collect(),
        customers: customers
            .iter()
            .filter_map(|c| Some((c.id.clone().take()?, c.organization_id.clone().take()?)))
            .collect(),
    };
    rows.extend(agents);
    rows.extend(customers);
    bulk::insert(store.write(), rows).await?;
    Ok(people)
}

struct Batch {
    tickets: Vec<ticket::ActiveModel>,
    tags: Vec<ticket_tag::ActiveModel>,
    messages: Vec<message::ActiveModel>,
    events: Vec<event::ActiveModel>,
    /// SLA steps and logged time, so reports read realistic tables.
    sla: Vec<sla_event::ActiveModel>,
    time: Vec<time_entry::ActiveModel>,
}

/// An SLA step of a seeded ticket: every one is measured (some late), as if a policy applied.
fn sla_step(
    ws: Uuid,
    ticket: Uuid,
    metric: &str,
    kind: &str,
    at: i64,
    met: Option<bool>,
) -> sla_event::ActiveModel {
    sla_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ws),
        ticket_id: Set(ticket),
        metric: Set(metric.to_owned()),
        kind: Set(kind.to_owned()),
        cycle: Set(1),
        at: Set(at),
        data: Set(json!({})),
        met: Set(met),
        created_at: Set(at),
        updated_at: Set(at),
    }
}

fn ticket_batch(
    rng: &mut StdRng,
    ws: Uuid,
    p: &People,
    numbers: std::ops::Range<u64>,
    total: u64,
    shape: &Shape,
    now: i64,
) -> Batch {
    let mut b = Batch {
        tickets: Vec::new(),
        tags: Vec::new(),
        messages: Vec::new(),
        events: Vec::new(),
        sla: Vec::new(),
        time: Vec::new(),
    };
    let span = 365 * DAY_US;
    for number in numbers {
        let id = Uuid::now_v7();
        // Older numbers were created earlier, spread over the last year.
        let created = now - span + (span / total.max(1) as i64) * number as i64;
        let (requester, org) = p.customers[rng.random_range(0..p.customers.len())];
        let assignee =
            (rng.random_range(0..10) < 7).then(|| p.agents[rng.random_range(0..p.agents.len())]);
        let st = status(rng);
        let tags: Vec<String> = (0..rng.random_range(0..3))
            .map(|_| WORDS[rng.random_range(0..20)].to_owned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let n_messages = rng.random_range(0..=shape.messages_per_ticket * 2);
        let updated = created + (n_messages as i64 + 1) * rng.random_range(1..120) * 60_000_000;
        let closed = matches!(st, TicketStatus::Closed).then_some(updated);
        let resolved =
            matches!(st, TicketStatus::Resolved | TicketStatus::Closed).then_some(updated);
        b.tickets.push(ticket::ActiveModel {
            id: Set(id),
            workspace_id: Set(ws),
            number: Set(number as i64),
            subject: Set(format!("{} {} issue", words(rng, 2), words(rng, 1))),
            description: Set(words(rng, 14)),
            status: Set(st.as_str().to_owned()),
            priority: Set(priority(rng).rank()),
            requester_id: Set(requester),
            assignee_id: Set(assignee),
            organization_id: Set(org),
            asset_id: Set(None),
            tags: Set(json!(tags)),
            version: Set(n_messages as i64 + 1),
            status_changed_at: Set(updated),
            first_response_at: Set((n_messages > 0).then_some(created + 60_000_000)),
            resolved_at: Set(resolved),
            closed_at: Set(closed),
            created_at: Set(created),
            updated_at: Set(updated),
            sla_state: Set(None),
            sla_due_at: Set(None),
            sla_warn_at: Set(None),
            sla_check_at: Set(None),
            sla_breached: Set(false),
            first_response_business_minutes: Set((n_messages > 0).then_some(1)),
            resolution_business_minutes: Set(resolved.map(|r| (r - created) / 60_000_000)),
            merged_into_id: Set(None),
            channel: Set("web".into()),
        });
        if n_messages > 0 {
            let answered = created + 60_000_000;
            let late = rng.random_range(0..8) == 0;
            if late {
                b.sla.push(sla_step(
                    ws,
                    id,
                    "first_response",
                    "breached",
                    answered - 1,
                    None,
                ));
            }
            b.sla.push(sla_step(
                ws,
                id,
                "first_response",
                "fulfilled",
                answered,
                Some(!late),
            ));
            b.time.push(time_entry::ActiveModel {
                id: Set(Uuid::now_v7()),
                workspace_id: Set(ws),
                ticket_id: Set(id),
                author_id: Set(assignee),
                minutes: Set(rng.random_range(5..90)),
                billable: Set(rng.random_range(0..3) != 0),
                note: Set(None),
                started_at: Set(answered),
                created_at: Set(answered),
                updated_at: Set(answered),
            });
        }
        if let Some(r) = resolved {
            b.sla
                .push(sla_step(ws, id, "resolution", "fulfilled", r, Some(true)));
        }
        for tag in tags {
            b.tags.push(ticket_tag::ActiveModel {
                id: Set(Uuid::now_v7()),
                workspace_id: Set(ws),
                ticket_id: Set(id),
                tag: Set(tag),
                created_at: Set(created),
                updated_at: Set(created),
            });
        }
        b.events.push(event::ActiveModel {
            id: Set(Uuid::now_v7()),
            workspace_id: Set(ws),
            ticket_id: Set(id),
            actor_id: Set(Some(requester)),
            actor_api_key_id: Set(None),
            kind: Set("ticket.created".into()),
            changes: Set(json!({"status": "NEW"})),
            message_id: Set(None),
            internal: Set(false),
            created_at: Set(created),
            updated_at: Set(created),
        });
        for m in 0..n_messages {
            let at = created + (m as i64 + 1) * 60_000_000;
            let internal = rng.random_range(0..5) == 0;
            let author = if m % 2 == 0 {
                p.agents[rng.random_range(0..p.agents.len())]
            } else {
                requester
            };
            let mid = Uuid::now_v7();
            b.messages.push(message::ActiveModel {
                id: Set(mid),
                workspace_id: Set(ws),
                ticket_id: Set(id),
                author_id: Set(Some(author)),
                author_api_key_id: Set(None),
                body: Set(words(rng, 15)),
                internal: Set(internal),
                created_at: Set(at),
                updated_at: Set(at),
                merged_from_id: Set(None),
            });
            b.events.push(event::ActiveModel {
                id: Set(Uuid::now_v7()),
                workspace_id: Set(ws),
                ticket_id: Set(id),
                actor_id: Set(Some(author)),
                actor_api_key_id: Set(None),
                kind: Set(if internal {
                    "note.created"
                } else {
                    "message.created"
                }
                .into()),
                changes: Set(json!({"message_id": mid, "internal": internal})),
                message_id: Set(Some(mid)),
                internal: Set(internal),
                created_at: Set(at),
                updated_at: Set(at),
            });
        }
    }
    b
}

/// Seeds `shape` into an empty, migrated database; prints progress.
pub async fn seed(store: &Store, shape: Shape, seed: u64) -> anyhow::Result<()> {
    let started = Instant::now();
    let hasher = helpdesk_http::auth::PasswordHasher::new(1).map_err(|e| anyhow::anyhow!("{e}"))?;
    let hash = hasher
        .hash(dataset::PASSWORD)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = helpdesk_domain::time::to_micros(jiff::Timestamp::now());
    let mut rng = StdRng::seed_from_u64(seed);
    let mut done = 0u64;
    for n in 1..=shape.workspaces {
        let ws = Uuid::now_v7();
        bulk::insert(
            store.write(),
            vec![workspace::ActiveModel {
                id: Set(ws),
                name: Set(format!("Bench {n}")),
                slug: Set(dataset::slug(n)),
                settings: Set(json!({})),
                email_verified_at: Set(Some(now)),
                config_version: Set(0),
                created_at: Set(now),
                updated_at: Set(now),
            }],
        )
        .await?;
        let p = people(store, ws, n, &shape, &hash, now).await?;
        let total = shape.tickets_in(n);
        let mut next = 1;
        while next <= total {
            let end = (next + TICKETS_PER_TRANSACTION).min(total + 1);
            let b = ticket_batch(&mut rng, ws, &p, next..end, total, &shape, now);
            bulk::insert(store.write(), b.tickets).await?;
            bulk::insert(store.write(), b.tags).await?;
            bulk::insert(store.write(), b.messages).await?;
            bulk::insert(store.write(), b.events).await?;
            bulk::insert(store.write(), b.sla).await?;
            bulk::insert(store.write(), b.time).await?;
            let numbers = i64::try_from(next)?..=i64::try_from(end - 1)?;
            tickets::rebuild_message_search(store.write(), WorkspaceId::from_uuid(ws), numbers)
                .await?;
            let before = done;
            done += end - next;
            next = end;
            if before / 50_000 != done / 50_000 {
                eprintln!(
                    "seed: {done} tickets ({:.0} s)",
                    started.elapsed().as_secs_f64()
                );
            }
        }
        store
            .write()
            .execute_unprepared(&format!(
                "INSERT INTO ticket_counters (workspace_id, last_number) SELECT id, {total} FROM workspaces WHERE slug = '{}'",
                dataset::slug(n)
            ))
            .await?;
    }
    // Fresh statistics, as a database that has lived a while would have.
    store.write().execute_unprepared("ANALYZE").await?;
    eprintln!(
        "seed: {done} tickets in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
