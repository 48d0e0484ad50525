//! Authentication at the service's boundary, without HTTP: registration and sign-in, the
//! workspace an ambiguous email needs, refresh rotation with reuse revoking the session,
//! an invitation from its email to its acceptance, and who may create API keys. On SQLite
//! always; on PostgreSQL too when `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::stores;

use helpdesk_domain::{Actor as Principal, Role, TenantCtx, UserId, WorkspaceId};
use helpdesk_service::auth::api_keys::NewApiKey;
use helpdesk_service::auth::invite::AcceptInvitation;
use helpdesk_service::auth::login::Credentials;
use helpdesk_service::auth::register::{Registered, Registration};
use helpdesk_service::users::create::NewMember;
use helpdesk_service::{Actor, Service, ServiceError, ServiceSettings};
use helpdesk_storage::Store;
use helpdesk_storage::repo::outbox;

fn service(store: Store) -> Service {
    let settings = ServiceSettings {
        public_url: "https://help.example.com/".into(),
        ..ServiceSettings::default()
    };
    common::service_with(store, settings)
}

async fn register(svc: &Service, workspace: &str, email: &str) -> Registered {
    let input = Registration {
        workspace_name: workspace.into(),
        admin_email: email.into(),
        admin_password: "correct horse".into(),
        admin_name: None,
    };
    svc.register(input).await.unwrap()
}

fn creds(email: &str, password: &str, workspace: Option<&str>) -> Credentials {
    Credentials {
        email: email.into(),
        password: password.into(),
        workspace: workspace.map(str::to_owned),
    }
}

fn actor(workspace: WorkspaceId, user: UserId, role: Role) -> Actor {
    Actor::request(TenantCtx {
        workspace_id: workspace,
        actor: Principal::User(user),
        role,
        organization_id: None,
    })
}

fn admin_of(reg: &Registered) -> Actor {
    actor(reg.grant.workspace_id, reg.grant.user_id, Role::Admin)
}

#[tokio::test]
async fn register_then_sign_in_with_the_right_and_a_wrong_password() {
    for store in stores().await {
        let svc = service(store);
        let reg = register(&svc, "Acme", "owner@acme.com").await;
        assert_eq!(reg.grant.role, Role::Admin);
        assert_eq!(reg.user.name, "owner");
        let signed = svc
            .start_session(creds("Owner@Acme.com", "correct horse", None))
            .await
            .unwrap();
        assert_eq!(signed.user.id, reg.user.id);
        assert_ne!(signed.grant.session_id, reg.grant.session_id);
        for (email, password) in [
            ("owner@acme.com", "wrong horse"),
            ("nobody@acme.com", "correct horse"),
            ("not an email", "correct horse"),
        ] {
            assert!(matches!(
                svc.start_session(creds(email, password, None)).await,
                Err(ServiceError::Unauthorized)
            ));
        }
        // A weak password and a blank workspace name are named together.
        let bad = Registration {
            workspace_name: " ".into(),
            admin_email: "x@acme.com".into(),
            admin_password: "short".into(),
            admin_name: None,
        };
        match svc.register(bad).await {
            Err(ServiceError::Validation(f)) => {
                let fields: Vec<_> = f.into_iter().map(|f| f.field).collect();
                assert_eq!(fields, ["workspace_name", "admin_password"]);
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn an_email_in_two_workspaces_needs_one_named() {
    for store in stores().await {
        let svc = service(store);
        register(&svc, "North", "pat@both.com").await;
        let south = register(&svc, "South", "pat@both.com").await;
        assert!(matches!(
            svc.start_session(creds("pat@both.com", "correct horse", None))
                .await,
            Err(ServiceError::WorkspaceRequired)
        ));
        let slug = south.workspace.slug.as_str();
        let signed = svc
            .start_session(creds("pat@both.com", "correct horse", Some(slug)))
            .await
            .unwrap();
        assert_eq!(signed.grant.workspace_id, south.grant.workspace_id);
    }
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_session() {
    for store in stores().await {
        let svc = service(store);
        let reg = register(&svc, "Acme", "owner@acme.com").await;
        let first = reg.grant.refresh_token.clone();
        let second = svc.refresh_session(&first).await.unwrap();
        assert_eq!(second.session_id, reg.grant.session_id);
        assert_ne!(second.refresh_token, first);
        let third = svc.refresh_session(&second.refresh_token).await.unwrap();
        // The spent first token comes back: the whole session ends, the newest token too.
        assert!(matches!(
            svc.refresh_session(&first).await,
            Err(ServiceError::Unauthorized)
        ));
        assert!(matches!(
            svc.refresh_session(&third.refresh_token).await,
            Err(ServiceError::Unauthorized)
        ));
        assert!(matches!(
            svc.refresh_session("never-issued").await,
            Err(ServiceError::Unauthorized)
        ));
        // Logout ends a session the same way.
        let other = svc
            .start_session(creds("owner@acme.com", "correct horse", None))
            .await
            .unwrap();
        svc.end_session(other.grant.session_id).await.unwrap();
        assert!(matches!(
            svc.refresh_session(&other.grant.refresh_token).await,
            Err(ServiceError::Unauthorized)
        ));
    }
}

#[tokio::test]
async fn an_invitation_is_mailed_and_accepted_once() {
    for store in stores().await {
        let svc = service(store.clone());
        let reg = register(&svc, "Acme", "owner@acme.com").await;
        let invite = NewMember {
            email: "new@acme.com".into(),
            name: "New Agent".into(),
            role: Role::Agent,
            password: None,
            organization_id: None,
        };
        let created = svc.create_user(&admin_of(&reg), invite).await.unwrap();
        let token = created.invitation_token.unwrap();
        let mail = outbox::for_recipient(store.read(), reg.grant.workspace_id, "new@acme.com")
            .await
            .unwrap();
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].kind, "invitation");
        assert!(
            mail[0].body.contains(&format!(
                "https://help.example.com/accept-invite?token={token}"
            )),
            "{}",
            mail[0].body
        );
        // The policy applies before the token is spent.
        let weak = AcceptInvitation {
            token: token.clone(),
            password: "short".into(),
            name: None,
        };
        assert!(matches!(
            svc.accept_invitation(weak).await,
            Err(ServiceError::Validation(_))
        ));
        let accept = AcceptInvitation {
            token: token.clone(),
            password: "agent password".into(),
            name: Some("Ada".into()),
        };
        let signed = svc.accept_invitation(accept.clone()).await.unwrap();
        assert_eq!(signed.user.name, "Ada");
        assert_eq!(signed.grant.role, Role::Agent);
        assert!(matches!(
            svc.accept_invitation(accept).await,
            Err(ServiceError::Unauthorized)
        ));
        svc.start_session(creds("new@acme.com", "agent password", None))
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn only_admins_create_api_keys() {
    for store in stores().await {
        let svc = service(store);
        let reg = register(&svc, "Acme", "owner@acme.com").await;
        let admin = admin_of(&reg);
        let agent = NewMember {
            email: "agent@acme.com".into(),
            name: "Agent".into(),
            role: Role::Agent,
            password: Some("agent password".into()),
            organization_id: None,
        };
        let created = svc.create_user(&admin, agent).await.unwrap();
        assert!(created.invitation_token.is_none());
        let agent = actor(
            reg.grant.workspace_id,
            UserId::from_uuid(created.user.id),
            Role::Agent,
        );
        let key = NewApiKey {
            name: "CI".into(),
            role: None,
        };
        assert!(matches!(
            svc.create_api_key(&agent, key.clone()).await,
            Err(ServiceError::Forbidden)
        ));
        assert!(matches!(
            svc.api_keys(&agent).await,
            Err(ServiceError::Forbidden)
        ));
        let made = svc.create_api_key(&admin, key).await.unwrap();
        assert!(made.key.starts_with("hdk_"));
        assert_eq!(made.row.role, "AGENT");
        let customer_key = NewApiKey {
            name: "Portal".into(),
            role: Some(Role::Customer),
        };
        assert!(matches!(
            svc.create_api_key(&admin, customer_key).await,
            Err(ServiceError::Validation(_))
        ));
        assert_eq!(svc.api_keys(&admin).await.unwrap().len(), 1);
    }
}
