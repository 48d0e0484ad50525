//! The application layer at its own boundary, without HTTP: permissions per role,
//! validation with field paths, the last-admin rule, one ticket's life through the use
//! cases, and the events they publish. On SQLite always; on PostgreSQL too when
//! `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{service, stores, team};

use helpdesk_domain::{Role, TicketStatus};
use helpdesk_service::tickets::Edit;
use helpdesk_service::tickets::create::OpenTicket;
use helpdesk_service::tickets::reply::Post;
use helpdesk_service::users::UserEdit;
use helpdesk_service::{Once, ServiceError};
use helpdesk_storage::repo::tickets::TicketRef;

fn post(body: &str, internal: bool) -> Post {
    Post {
        body: body.into(),
        internal,
        status: None,
        signed: false,
        expected_version: None,
    }
}

fn fields(e: ServiceError) -> Vec<String> {
    match e {
        ServiceError::Validation(f) => f.into_iter().map(|f| f.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn tickets_permissions_validation_and_events() {
    for store in stores().await {
        let svc = service(store.clone());
        let t = team(&store).await;
        let mut live = svc.live.subscribe();
        // Validation names every bad field, and a customer cannot set staff fields.
        let bad = OpenTicket {
            subject: "  ".into(),
            description: "".into(),
            tags: Some(vec!["ok".into()]),
            ..OpenTicket::default()
        };
        let err = svc.open_ticket(&t.customer, bad, None).await.unwrap_err();
        assert_eq!(fields(err), ["subject", "description", "tags"]);
        let open = OpenTicket {
            subject: "Printer".into(),
            description: "PC Load Letter".into(),
            ..OpenTicket::default()
        };
        let Once::Done(ticket) = svc.open_ticket(&t.customer, open, None).await.unwrap() else {
            panic!("no key, no replay");
        };
        let r = TicketRef::Number(ticket.number);
        assert_eq!(live.recv().await.unwrap().kind, "ticket.created");
        // Customers may only resolve; notes are staff-only; macros are staff-only.
        let raise = Edit {
            priority: Some(helpdesk_domain::Priority::High),
            ..Edit::default()
        };
        assert!(matches!(
            svc.update_ticket(&t.customer, r, raise.clone(), None).await,
            Err(ServiceError::Forbidden)
        ));
        assert!(matches!(
            svc.add_message(&t.customer, r, post("psst", true), None)
                .await,
            Err(ServiceError::Forbidden)
        ));
        assert!(matches!(
            svc.apply_macro(&t.customer, r, uuid::Uuid::now_v7()).await,
            Err(ServiceError::Forbidden)
        ));
        // The agent's change and reply go through, with a stale version refused.
        assert!(matches!(
            svc.update_ticket(&t.agent, r, raise.clone(), Some(99))
                .await,
            Err(ServiceError::Conflict(_))
        ));
        let after = svc
            .update_ticket(&t.agent, r, raise, Some(ticket.version))
            .await
            .unwrap();
        assert_eq!(after.priority, helpdesk_domain::Priority::High);
        svc.add_message(&t.agent, r, post("Restart it", false), None)
            .await
            .unwrap();
        let kinds: Vec<String> =
            std::iter::from_fn(|| live.try_recv().ok().map(|e| e.kind.clone())).collect();
        assert_eq!(
            kinds,
            ["ticket.updated", "message.created", "ticket.updated"],
            "{kinds:?}"
        );
        // The status machine speaks through one error.
        let close = Edit {
            status: Some(TicketStatus::Closed),
            ..Edit::default()
        };
        svc.update_ticket(&t.agent, r, close, None).await.unwrap();
        let reopen = Edit {
            status: Some(TicketStatus::Open),
            ..Edit::default()
        };
        assert!(matches!(
            svc.update_ticket(&t.agent, r, reopen, None).await,
            Err(ServiceError::InvalidTransition(_))
        ));
        assert!(matches!(
            svc.add_message(&t.customer, r, post("hello?", false), None)
                .await,
            Err(ServiceError::InvalidTransition(_))
        ));
        // Another workspace's actor does not find the ticket.
        let other = team(&store).await;
        assert!(matches!(
            svc.messages(&other.agent, r, Default::default()).await,
            Err(ServiceError::NotFound)
        ));
    }
}

#[tokio::test]
async fn users_permissions_and_the_last_admin() {
    for store in stores().await {
        let svc = service(store.clone());
        let t = team(&store).await;
        let demote = UserEdit {
            role: Some(Role::Agent),
            ..UserEdit::default()
        };
        assert!(matches!(
            svc.update_user(&t.agent, t.admin_id, demote.clone()).await,
            Err(ServiceError::Forbidden)
        ));
        assert!(matches!(
            svc.update_user(&t.admin, t.admin_id, demote).await,
            Err(ServiceError::Conflict(_))
        ));
        assert!(matches!(
            svc.deactivate_user(&t.admin, t.admin_id).await,
            Err(ServiceError::Conflict(_))
        ));
        let blank = UserEdit {
            name: Some(" ".into()),
            ..UserEdit::default()
        };
        assert_eq!(
            fields(
                svc.update_user(&t.admin, t.admin_id, blank)
                    .await
                    .unwrap_err()
            ),
            ["name"]
        );
        // A customer reads itself only; anyone else is not found to it.
        assert!(matches!(
            svc.user(&t.customer, t.admin_id).await,
            Err(ServiceError::NotFound)
        ));
        assert!(svc.user(&t.agent, t.admin_id).await.is_ok());
        assert!(svc.user(&t.admin, t.admin_id).await.unwrap().active);
    }
}
