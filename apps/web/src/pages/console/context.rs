//! Everything the console's ticket page shows, loaded through the use cases: the ticket,
//! its conversation, timeline, time entries, and the names and choices around them.

use helpdesk_service::paging::PageRequest;
use helpdesk_service::tickets::SlaOut;
use helpdesk_storage::repo::tickets::TicketRef;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::options::{self, Choice};
use crate::display::{self, Pill, When, span, when};
use crate::error::WebError;
use crate::pages::attachments::{FileView, files_of};
use crate::pages::conversation::{EventView, MessageView, with_files};
use crate::session::SignedIn;
use crate::state::WebState;

/// One SLA clock of the context panel.
#[derive(Debug, Clone)]
pub struct ClockView {
    pub metric: &'static str,
    pub due: Option<When>,
    pub text: String,
    pub class: &'static str,
}

#[derive(Debug, Clone)]
pub struct TimeView {
    pub who: String,
    pub minutes: String,
    pub billable: bool,
    pub note: String,
    pub at: When,
}

/// A ticket linked to this one.
#[derive(Debug, Clone)]
pub struct LinkView {
    pub id: String,
    /// What it is to this ticket: "Parent", "Child" or "Related".
    pub kind: &'static str,
    pub number: i64,
    pub subject: String,
    pub status: Pill,
}

/// Someone copied on the ticket.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub id: String,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub struct Context {
    pub number: i64,
    pub subject: String,
    pub description: String,
    pub status: Pill,
    pub priority: Pill,
    pub requester: String,
    pub requester_email: String,
    pub organization: Option<String>,
    /// The device the ticket is about: its name and what identifies it remotely.
    pub asset: Option<String>,
    pub tags_text: String,
    pub version: i64,
    pub created: When,
    pub messages: Vec<MessageView>,
    /// Files sent with the ticket itself.
    pub files: Vec<FileView>,
    pub more_messages: bool,
    pub events: Vec<EventView>,
    pub clocks: Vec<ClockView>,
    pub sla_paused: bool,
    pub time: Vec<TimeView>,
    pub time_total: String,
    pub time_billable: String,
    pub status_choices: Vec<Choice>,
    pub priority_choices: Vec<Choice>,
    pub assignee_choices: Vec<Choice>,
    pub draft_key: String,
    pub closed: bool,
    /// Merged into this ticket: its number and subject.
    pub merged_into: Option<(i64, String)>,
    pub links: Vec<LinkView>,
    pub has_children: bool,
    pub participants: Vec<PersonView>,
    /// The satisfaction asked at each resolution, in words ("Good: thanks!").
    pub csat: Vec<String>,
}

pub async fn load(state: &WebState, me: &SignedIn, number: i64) -> Result<Context, WebError> {
    let svc = &state.service;
    let actor = &me.actor;
    let r = TicketRef::Number(number);
    let t = svc.ticket(actor, r).await?;
    let page = PageRequest {
        limit: Some(100),
        cursor: None,
    };
    let messages = svc.messages(actor, r, page).await?;
    let events = svc.ticket_events(actor, r).await?;
    let time = svc.time_entries(actor, r).await?;
    let mut users = vec![t.requester_id];
    users.extend(t.assignee_id);
    users.extend(messages.items.iter().filter_map(|m| m.author_id));
    users.extend(events.iter().filter_map(|e| e.actor_id));
    users.extend(time.items.iter().filter_map(|e| e.author_id));
    users.sort_by_key(|u| u.as_uuid());
    users.dedup();
    let orgs: Vec<_> = t.organization_id.into_iter().collect();
    let names = svc.names(actor, &users, &orgs).await?;
    let tz = crate::display::zone_of(me);
    let now = svc.clock.now();
    let staff = options::staff(svc, actor).await?;
    let asset = match t.asset_id {
        Some(id) => svc.asset(actor, id).await.ok().map(|a| {
            let detail: Vec<String> = [
                a.hostname,
                a.os,
                a.remote_access_id.map(|r| format!("remote {r}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            if detail.is_empty() {
                a.name
            } else {
                format!("{} ({})", a.name, detail.join(", "))
            }
        }),
        None => None,
    };
    let mut views: Vec<MessageView> = messages
        .items
        .iter()
        .map(|m| MessageView::new(m, &names, now, &tz))
        .collect();
    let files = with_files(&mut views, files_of(state, me, number).await?);
    // Copies from merged tickets name where they came from.
    let mut origins: Vec<(helpdesk_domain::TicketId, i64)> = Vec::new();
    for (m, v) in messages.items.iter().zip(views.iter_mut()) {
        let Some(from) = m.merged_from else { continue };
        let known = origins.iter().find(|(id, _)| *id == from).map(|(_, n)| *n);
        let n = match known {
            Some(n) => n,
            None => {
                let n = svc.ticket(actor, TicketRef::Id(from)).await?.number;
                origins.push((from, n));
                n
            }
        };
        v.origin = Some(n);
    }
    let merged_into = match t.merged_into {
        Some(id) => {
            let target = svc.ticket(actor, TicketRef::Id(id)).await?;
            Some((target.number, target.subject))
        }
        None => None,
    };
    let links: Vec<LinkView> = svc
        .ticket_links(actor, r)
        .await?
        .into_iter()
        .map(|l| LinkView {
            id: l.id.to_string(),
            kind: match l.kind {
                helpdesk_domain::LinkKind::Parent => "Parent",
                helpdesk_domain::LinkKind::Child => "Child",
                helpdesk_domain::LinkKind::Related => "Related",
            },
            number: l.ticket.number,
            subject: l.ticket.subject,
            status: display::status(l.ticket.status),
        })
        .collect();
    let csat = svc
        .ticket_csat(actor, r)
        .await?
        .into_iter()
        .map(|s| {
            let answer = match (s.rating, s.state) {
                (Some(helpdesk_domain::csat::Rating::Good), _) => "Good".to_owned(),
                (Some(helpdesk_domain::csat::Rating::Bad), _) => "Bad".to_owned(),
                (None, helpdesk_service::csat::SurveyState::Pending) => {
                    "Asked, no answer yet".to_owned()
                }
                (None, _) => "Not answered".to_owned(),
            };
            match s.comment {
                Some(c) => format!("{answer}: \u{201c}{c}\u{201d}"),
                None => answer,
            }
        })
        .collect();
    let participants = svc
        .participants(actor, r)
        .await?
        .into_iter()
        .map(|p| PersonView {
            id: p.user_id.to_string(),
            name: p.name,
            email: p.email,
        })
        .collect();
    let requester = names.user(t.requester_id);
    let assignee_value = t.assignee_id.map(|a| a.to_string()).unwrap_or_default();
    Ok(Context {
        number: t.number,
        subject: t.subject.clone(),
        description: t.description.clone(),
        status: display::status(t.status),
        priority: display::priority(t.priority),
        requester: requester.map_or_else(|| "Unknown".to_owned(), |p| p.name.clone()),
        requester_email: requester.and_then(|p| p.email.clone()).unwrap_or_default(),
        organization: t
            .organization_id
            .and_then(|o| names.org(o))
            .map(str::to_owned),
        asset,
        tags_text: t.tags.join(", "),
        version: t.version,
        created: when(&t.created_at, now, &tz),
        messages: views,
        files,
        more_messages: messages.next_cursor.is_some(),
        events: events
            .iter()
            .rev()
            .map(|e| EventView::new(e, &names, now, &tz))
            .collect(),
        clocks: clocks(t.sla.as_ref(), now, &tz),
        sla_paused: t.sla.as_ref().is_some_and(|s| s.paused),
        time: time
            .items
            .iter()
            .map(|e| TimeView {
                who: e
                    .author_id
                    .and_then(|a| names.user(a))
                    .map_or_else(|| "API".to_owned(), |p| p.name.clone()),
                minutes: span(e.minutes),
                billable: e.billable,
                note: e.note.clone().unwrap_or_default(),
                at: when(&e.started_at, now, &tz),
            })
            .collect(),
        time_total: span(time.total_minutes),
        time_billable: span(time.billable_minutes),
        status_choices: options::choices(&options::statuses(), t.status.as_str()),
        priority_choices: options::choices(options::PRIORITIES, t.priority.as_str()),
        assignee_choices: options::named(&[("", "Unassigned")], &staff, &assignee_value),
        draft_key: format!("draft:{}:{}", me.workspace.id, t.number),
        closed: t.status == helpdesk_domain::TicketStatus::Closed,
        merged_into,
        has_children: links.iter().any(|l| l.kind == "Child"),
        links,
        participants,
        csat,
    })
}

fn clocks(sla: Option<&SlaOut>, now: Timestamp, tz: &TimeZone) -> Vec<ClockView> {
    let Some(s) = sla else { return Vec::new() };
    [
        (
            "First response",
            &s.first_response_due_at,
            s.first_response_remaining_minutes,
            s.first_response_breached,
        ),
        (
            "Next response",
            &s.next_response_due_at,
            s.next_response_remaining_minutes,
            s.next_response_breached,
        ),
        (
            "Resolution",
            &s.resolution_due_at,
            s.resolution_remaining_minutes,
            s.resolution_breached,
        ),
    ]
    .into_iter()
    .map(|(metric, due, left, breached)| {
        let (text, class) = match (due, left, breached) {
            (_, _, true) => (
                left.map_or("breached".to_owned(), |m| format!("overdue {}", span(m))),
                "sla-breach",
            ),
            (Some(_), Some(m), false) if s.paused => {
                (format!("paused, {} left", span(m)), "sla-paused")
            }
            (Some(_), Some(m), false) if s.at_risk => (format!("{} left", span(m)), "sla-warn"),
            (Some(_), Some(m), false) => (format!("{} left", span(m)), "sla-ok"),
            _ => ("not running".to_owned(), "sla-none"),
        };
        ClockView {
            metric,
            due: due.as_deref().map(|d| when(d, now, tz)),
            text,
            class,
        }
    })
    .collect()
}
