//! Telling admins when a contract period's usage reaches its alert point and when its
//! included minutes are used up: once per period each (a unique row decides, whatever
//! edits and deletions do to the usage afterwards), by email to every active admin and as
//! `contract.threshold` / `contract.exhausted` events on the ticket whose time crossed the
//! line (webhooks and automation rules take them from there).

use helpdesk_domain::contract::{Alert, alerts_due};
use helpdesk_domain::{Role, TicketId};
use helpdesk_storage::repo::Page;
use helpdesk_storage::repo::contracts::{self, Contract};
use helpdesk_storage::repo::events::{self, Event, NewEvent};
use helpdesk_storage::repo::outbox::NewMessage;
use helpdesk_storage::repo::tickets::Ticket;
use helpdesk_storage::repo::users::{self, UserFilter};
use sea_orm::ConnectionTrait;
use serde_json::json;

use super::usage::{UsageOut, day_of, period_usage, span_of, zone};
use crate::Service;
use crate::actor::Actor;
use crate::error::ServiceResult;
use crate::mail::{self, Audience};

fn words(a: Alert, c: &Contract, u: &UsageOut) -> (String, String) {
    let used = format!(
        "{} of {} included minutes used ({} remaining, {} over) in the period from {}",
        u.usage.used_minutes,
        u.usage.included_minutes,
        u.usage.remaining_minutes,
        u.usage.overage_minutes,
        u.period_start
    );
    match a {
        Alert::Threshold => (
            format!("Contract {:?} reached {}%", c.name, c.alert_at_percent),
            format!(
                "The contract {:?} reached its alert point of {}%: {used}.",
                c.name, c.alert_at_percent
            ),
        ),
        Alert::Exhausted => (
            format!("Contract {:?} is used up", c.name),
            format!(
                "The included minutes of the contract {:?} are used up: {used}. Further billable time is overage.",
                c.name
            ),
        ),
    }
}

impl Service {
    /// After billable time on `t` changed on the days of `instants`: the alerts now due
    /// for the periods of the organization's contracts holding those days.
    pub(crate) async fn contract_alerts(
        &self,
        db: &impl ConnectionTrait,
        actor: &Actor,
        t: &Ticket,
        instants: &[i64],
        now: i64,
    ) -> ServiceResult<Vec<Event>> {
        let Some(org) = t.organization_id else {
            return Ok(Vec::new());
        };
        let ctx = &actor.ctx;
        let list = contracts::of_organization(db, ctx, org).await?;
        if list.iter().all(|c| c.included_minutes.is_none()) {
            return Ok(Vec::new());
        }
        let tz = zone(db, ctx).await?;
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for at in instants {
            let day = day_of(*at, &tz);
            for c in list.iter().filter(|c| c.included_minutes.is_some()) {
                let Some(span) = span_of(c, day)? else {
                    continue;
                };
                if seen.contains(&(c.id, span.start)) {
                    continue;
                }
                seen.push((c.id, span.start));
                let u = period_usage(db, ctx, c, span, &tz).await?;
                for a in alerts_due(
                    u.usage.included_minutes,
                    c.alert_at_percent,
                    u.usage.used_minutes,
                ) {
                    if !contracts::claim_alert(db, ctx, c.id, &u.period_start, a.as_str(), now)
                        .await?
                    {
                        continue;
                    }
                    out.push(self.send_alert(db, actor, t, c, &u, a, now).await?);
                }
            }
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    async fn send_alert(
        &self,
        db: &impl ConnectionTrait,
        actor: &Actor,
        t: &Ticket,
        c: &Contract,
        u: &UsageOut,
        a: Alert,
        now: i64,
    ) -> ServiceResult<Event> {
        let ctx = &actor.ctx;
        let (subject, text) = words(a, c, u);
        let link = format!(
            "{}/admin/organizations/{}",
            self.settings.public_url.trim_end_matches('/'),
            c.organization_id
        );
        let filter = UserFilter {
            role: Some(Role::Admin),
            ..UserFilter::default()
        };
        let admins = users::list(
            db,
            ctx,
            &filter,
            Page {
                limit: 50,
                after: None,
            },
        )
        .await?;
        for admin in admins.into_iter().filter(|u| u.active) {
            let msg = NewMessage {
                kind: "contract_alert",
                recipient: admin.email,
                subject: subject.clone(),
                body: format!(
                    "{text}\n\nTicket #{}: {}\nOrganization: {link}\n",
                    t.number, t.subject
                ),
                in_reply_to: None,
                reply_to: None,
            };
            mail::queue(
                db,
                ctx,
                self.settings.mail_per_hour,
                Audience::Members,
                msg,
                now,
            )
            .await?;
        }
        let kind = match a {
            Alert::Threshold => "contract.threshold",
            Alert::Exhausted => "contract.exhausted",
        };
        let e = NewEvent {
            ticket_id: TicketId::from_uuid(t.id),
            kind,
            changes: json!({
                "contract_id": c.id, "contract": c.name, "organization_id": c.organization_id,
                "period_start": u.period_start, "included_minutes": u.usage.included_minutes,
                "used_minutes": u.usage.used_minutes, "alert_at_percent": c.alert_at_percent,
            }),
            message_id: None,
            internal: true,
        };
        Ok(events::record(db, ctx, e, now).await?)
    }
}
