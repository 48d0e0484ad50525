//! Answering a survey: by its link (no sign-in: the token is the credential) or in the
//! portal by the requester; and reading a ticket's surveys.

use helpdesk_domain::csat::{COMMENT_MAX_CHARS, Rating};
use helpdesk_domain::{Actor as Principal, Permission, Role, TenantCtx, TicketId, WorkspaceId};
use helpdesk_storage::repo::csat::{self, Survey};
use helpdesk_storage::repo::events::{self, NewEvent};
use helpdesk_storage::repo::tickets::{self, TicketRef};
use helpdesk_storage::repo::workspaces;
use sea_orm::ConnectionTrait;
use serde_json::json;

use super::CsatOut;
use crate::Service;
use crate::actor::Actor;
use crate::auth::opaque;
use crate::error::{ServiceError, ServiceResult};

/// What a survey link shows before it is answered.
#[derive(Debug, Clone)]
pub struct SurveyPage {
    pub survey: CsatOut,
    pub workspace: String,
    pub number: i64,
    pub subject: String,
}

fn comment_of(c: Option<String>) -> ServiceResult<Option<String>> {
    let c = c.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    if c.as_ref()
        .is_some_and(|c| c.chars().count() > COMMENT_MAX_CHARS)
    {
        return Err(ServiceError::invalid(
            "comment",
            format!("must be at most {COMMENT_MAX_CHARS} characters"),
        ));
    }
    Ok(c)
}

/// Records `rating` (and `comment`) on `s`, as its requester; a rating already given may
/// be given again (a second click on the same link) but not changed; a comment may follow
/// a one-click rating once.
async fn record(
    db: &impl ConnectionTrait,
    s: &Survey,
    rating: Option<Rating>,
    comment: Option<String>,
    now: i64,
) -> ServiceResult<()> {
    let comment = comment_of(comment)?;
    let given = s.rating.as_deref().and_then(Rating::parse);
    if given.is_none() && s.expires_at <= now {
        return Err(ServiceError::Conflict(
            "this survey has closed: it was not answered in time, or the ticket was resolved again"
                .into(),
        ));
    }
    match (given, rating) {
        (None, None) => Err(ServiceError::invalid("rating", "choose GOOD or BAD")),
        (None, Some(r)) => {
            if !csat::answer(db, s.workspace_id, s.id, Some(r.as_str()), comment, now).await? {
                return Err(ServiceError::Conflict(
                    "this survey was answered already".into(),
                ));
            }
            let ctx = TenantCtx {
                workspace_id: WorkspaceId::from_uuid(s.workspace_id),
                actor: Principal::User(helpdesk_domain::UserId::from_uuid(s.requester_id)),
                role: Role::Customer,
                organization_id: None,
            };
            let e = NewEvent {
                ticket_id: TicketId::from_uuid(s.ticket_id),
                kind: "csat.rated",
                changes: json!({ "rating": r }),
                message_id: None,
                internal: false,
            };
            events::record(db, &ctx, e, now).await?;
            Ok(())
        }
        (Some(g), r) if r.is_some_and(|r| r != g) => Err(ServiceError::Conflict(
            "this survey was answered already".into(),
        )),
        (Some(_), _) => match comment {
            Some(c) if s.comment.is_none() => {
                csat::answer(db, s.workspace_id, s.id, None, Some(c), now).await?;
                Ok(())
            }
            Some(_) => Err(ServiceError::Conflict(
                "this survey has its comment already".into(),
            )),
            None => Ok(()),
        },
    }
}

impl Service {
    /// The survey behind a link, for its page.
    pub async fn csat_survey(&self, token: &str) -> ServiceResult<SurveyPage> {
        let db = self.store.read();
        let s = csat::by_token_hash(db, &opaque::hash(token)).await?;
        let ctx = TenantCtx::system(WorkspaceId::from_uuid(s.workspace_id));
        let t = tickets::get(db, &ctx, TicketRef::Id(TicketId::from_uuid(s.ticket_id))).await?;
        let ws = workspaces::get(db, ctx.workspace_id).await?;
        Ok(SurveyPage {
            survey: CsatOut::of(&s, self.now()),
            workspace: ws.name,
            number: t.number,
            subject: t.subject,
        })
    }

    /// Answers the survey behind a link (`/csat/{token}`): the rating, and a comment.
    pub async fn answer_csat_link(
        &self,
        token: &str,
        rating: Option<Rating>,
        comment: Option<String>,
    ) -> ServiceResult<CsatOut> {
        let now = self.now();
        let tx = self.begin().await?;
        let s = csat::by_token_hash(&tx, &opaque::hash(token)).await?;
        record(&tx, &s, rating, comment, now).await?;
        let s = csat::by_token_hash(&tx, &opaque::hash(token)).await?;
        tx.commit().await?;
        Ok(CsatOut::of(&s, now))
    }

    /// `POST /tickets/{id}/csat`: the requester answers the ticket's latest survey.
    pub async fn answer_csat(
        &self,
        actor: &Actor,
        r: TicketRef,
        rating: Rating,
        comment: Option<String>,
    ) -> ServiceResult<CsatOut> {
        let now = self.now();
        let tx = self.begin().await?;
        let t = tickets::get(&tx, &actor.ctx, r).await?;
        if actor.ctx.user_id().map(|u| u.as_uuid()) != Some(t.requester_id) {
            return Err(ServiceError::Forbidden);
        }
        let surveys = csat::of_ticket(&tx, &actor.ctx, t.id).await?;
        let Some(s) = surveys.last() else {
            return Err(ServiceError::Conflict(
                "this ticket has not been asked about: it is rated once it is resolved".into(),
            ));
        };
        record(&tx, s, Some(rating), comment, now).await?;
        let surveys = csat::of_ticket(&tx, &actor.ctx, t.id).await?;
        tx.commit().await?;
        let last = surveys.last().ok_or(ServiceError::NotFound)?;
        Ok(CsatOut::of(last, now))
    }

    /// `GET /tickets/{id}/csat`: the ticket's surveys, oldest first (staff, and the
    /// requester).
    pub async fn ticket_csat(&self, actor: &Actor, r: TicketRef) -> ServiceResult<Vec<CsatOut>> {
        let db = self.store.read();
        let t = tickets::get(db, &actor.ctx, r).await?;
        let mine = actor.ctx.user_id().map(|u| u.as_uuid()) == Some(t.requester_id);
        if !mine && !actor.ctx.can(Permission::WorkTickets) {
            return Err(ServiceError::Forbidden);
        }
        let now = self.now();
        Ok(csat::of_ticket(db, &actor.ctx, t.id)
            .await?
            .iter()
            .map(|s| CsatOut::of(s, now))
            .collect())
    }
}
