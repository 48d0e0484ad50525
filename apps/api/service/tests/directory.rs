//! The directory and the workspace settings at the service's own boundary, without HTTP:
//! organizations and their domains, assets and their organization, calendars checked by
//! the SLA engine, one default SLA policy per workspace, webhook URLs, and the settings
//! only admins may change. On SQLite always; on PostgreSQL too when `TEST_DATABASE_URL`
//! is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{service, stores, team};

use helpdesk_domain::OrganizationId;
use helpdesk_domain::sla::Weekly;
use helpdesk_service::assets::AssetInput;
use helpdesk_service::organizations::OrganizationInput;
use helpdesk_service::paging::PageRequest;
use helpdesk_service::sla_setup::calendars::CalendarInput;
use helpdesk_service::sla_setup::policies::PolicyInput;
use helpdesk_service::tickets::create::OpenTicket;
use helpdesk_service::webhooks::WebhookInput;
use helpdesk_service::workspace::WorkspaceEdit;
use helpdesk_service::{Once, ServiceError};

fn fields(e: ServiceError) -> Vec<String> {
    match e {
        ServiceError::Validation(f) => f.into_iter().map(|f| f.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn org(name: &str, domains: &[&str]) -> OrganizationInput {
    OrganizationInput {
        name: Some(name.into()),
        domains: Some(domains.iter().map(|d| (*d).to_owned()).collect()),
        ..OrganizationInput::default()
    }
}

fn asset(org: OrganizationId, name: &str) -> AssetInput {
    AssetInput {
        organization_id: Some(org),
        name: Some(name.into()),
        kind: Some("Laptop".into()),
        ..AssetInput::default()
    }
}

#[tokio::test]
async fn organizations_domains_and_tenancy() {
    for store in stores().await {
        let svc = service(store.clone());
        let t = team(&store).await;
        let other = team(&store).await;
        // Domains are normalized; a bad one is named by its index.
        let acme = svc
            .create_organization(&t.agent, org("Acme", &["@ACME.com", "acme.com"]))
            .await
            .unwrap();
        assert_eq!(acme.domains, ["acme.com"]);
        let err = svc
            .create_organization(&t.agent, org("Bad", &["ok.com", "not a domain"]))
            .await
            .unwrap_err();
        assert_eq!(fields(err), ["domains[1]"]);
        // A domain belongs to one organization of a workspace.
        match svc
            .create_organization(&t.admin, org("Acme bis", &["acme.com"]))
            .await
        {
            Err(ServiceError::Conflict(m)) => assert!(m.contains("domain"), "{m}"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        // Another workspace may have the same domain.
        svc.create_organization(&other.admin, org("Acme", &["acme.com"]))
            .await
            .unwrap();
        // Another workspace's organization is not found, whatever the use case.
        let id = OrganizationId::from_uuid(acme.row.id);
        assert!(matches!(
            svc.organization(&other.agent, id).await,
            Err(ServiceError::NotFound)
        ));
        assert!(matches!(
            svc.update_organization(&other.admin, id, org("Mine", &[]))
                .await,
            Err(ServiceError::NotFound)
        ));
        assert!(matches!(
            svc.delete_organization(&other.admin, id).await,
            Err(ServiceError::NotFound)
        ));
        let page = svc
            .organizations(&other.agent, None, PageRequest::default())
            .await
            .unwrap();
        assert!(page.items.iter().all(|o| o.row.id != acme.row.id));
        // Customers see no directory; a bad page is an invalid field.
        assert!(matches!(
            svc.organizations(&t.customer, None, PageRequest::default())
                .await,
            Err(ServiceError::Forbidden)
        ));
        let bad = PageRequest {
            limit: Some(0),
            cursor: None,
        };
        assert_eq!(
            fields(svc.organizations(&t.agent, None, bad).await.unwrap_err()),
            ["limit"]
        );
    }
}

#[tokio::test]
async fn assets_belong_to_an_organization_of_the_workspace() {
    for store in stores().await {
        let svc = service(store.clone());
        let t = team(&store).await;
        let other = team(&store).await;
        let a = svc
            .create_organization(&t.agent, org("A", &[]))
            .await
            .unwrap();
        let b = svc
            .create_organization(&t.agent, org("B", &[]))
            .await
            .unwrap();
        let foreign = svc
            .create_organization(&other.agent, org("F", &[]))
            .await
            .unwrap();
        let (a, b) = (
            OrganizationId::from_uuid(a.row.id),
            OrganizationId::from_uuid(b.row.id),
        );
        // Missing fields are all named; another workspace's organization does not exist.
        let err = svc
            .create_asset(&t.agent, AssetInput::default())
            .await
            .unwrap_err();
        assert_eq!(fields(err), ["organization_id", "name", "kind"]);
        let err = svc
            .create_asset(
                &t.agent,
                asset(OrganizationId::from_uuid(foreign.row.id), "X"),
            )
            .await
            .unwrap_err();
        assert_eq!(fields(err), ["organization_id"]);
        let laptop = svc
            .create_asset(&t.agent, asset(a, "Laptop 1"))
            .await
            .unwrap();
        assert_eq!(laptop.kind, "laptop");
        // A ticket naming organization B cannot carry organization A's asset.
        let open = OpenTicket {
            subject: "Broken".into(),
            description: "It does not boot".into(),
            organization_id: Some(b),
            asset_id: Some(helpdesk_domain::AssetId::from_uuid(laptop.id)),
            ..OpenTicket::default()
        };
        let err = svc
            .open_ticket(&t.agent, open.clone(), None)
            .await
            .unwrap_err();
        assert_eq!(fields(err), ["asset_id"]);
        let open = OpenTicket {
            organization_id: Some(a),
            ..open
        };
        assert!(matches!(
            svc.open_ticket(&t.agent, open, None).await,
            Ok(Once::Done(_))
        ));
        // An organization with assets stays.
        assert!(matches!(
            svc.delete_organization(&t.admin, a).await,
            Err(ServiceError::Conflict(_))
        ));
    }
}

fn day(intervals: &[[&str; 2]]) -> Vec<[String; 2]> {
    intervals
        .iter()
        .map(|[a, b]| [(*a).to_owned(), (*b).to_owned()])
        .collect()
}

#[tokio::test]
async fn calendars_and_the_one_default_policy() {
    for store in stores().await {
        let svc = service(store.clone());
        let t = team(&store).await;
        // The SLA engine's errors keep their field paths.
        let overlapping = CalendarInput {
            name: Some("Office".into()),
            timezone: Some("Europe/Madrid".into()),
            weekly: Some(Weekly {
                tue: day(&[["09:00", "13:00"], ["12:00", "18:00"]]),
                ..Weekly::default()
            }),
            holidays: Some(vec!["2026-12-25".into(), "25/12/2026".into()]),
        };
        let err = svc
            .create_calendar(&t.admin, overlapping.clone())
            .await
            .unwrap_err();
        assert_eq!(fields(err), ["holidays[1]"]);
        let overlapping = CalendarInput {
            holidays: None,
            ..overlapping
        };
        let err = svc
            .create_calendar(&t.admin, overlapping)
            .await
            .unwrap_err();
        assert_eq!(fields(err), ["weekly.tue"]);
        let office = CalendarInput {
            name: Some("Office".into()),
            timezone: Some("Europe/Madrid".into()),
            weekly: Some(Weekly {
                mon: day(&[["09:00", "13:00"], ["14:00", "18:00"]]),
                ..Weekly::default()
            }),
            holidays: None,
        };
        let cal = svc.create_calendar(&t.admin, office).await.unwrap();
        let bad_zone = CalendarInput {
            timezone: Some("Mars/Olympus".into()),
            ..CalendarInput::default()
        };
        let err = svc
            .update_calendar(&t.admin, cal.id, bad_zone)
            .await
            .unwrap_err();
        assert_eq!(fields(err), ["timezone"]);
        // One default per workspace: a second default takes the place of the first.
        let policy = |name: &str| PolicyInput {
            name: Some(name.into()),
            business_hours_id: Some(Some(cal.id)),
            is_default: Some(true),
            ..PolicyInput::default()
        };
        let first = svc
            .create_sla_policy(&t.admin, policy("First"))
            .await
            .unwrap();
        assert!(first.is_default);
        let second = svc
            .create_sla_policy(&t.admin, policy("Second"))
            .await
            .unwrap();
        assert!(second.is_default);
        let defaults: Vec<_> = svc
            .sla_policies(&t.agent)
            .await
            .unwrap()
            .into_iter()
            .filter(|p| p.is_default)
            .map(|p| p.id)
            .collect();
        assert_eq!(defaults, [second.id]);
        let settings = svc.workspace_settings(&t.admin).await.unwrap();
        assert_eq!(settings.default_sla_policy_id, Some(second.id));
        // A calendar a policy uses stays.
        assert!(matches!(
            svc.delete_calendar(&t.admin, cal.id).await,
            Err(ServiceError::Conflict(_))
        ));
    }
}

#[tokio::test]
async fn webhooks_refuse_private_targets_and_agents_admin_settings() {
    for store in stores().await {
        let svc = service(store.clone());
        let t = team(&store).await;
        let hook = |url: &str| WebhookInput {
            url: Some(url.into()),
            events: Some(vec!["ticket.created".into()]),
            ..WebhookInput::default()
        };
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "http://[::1]/hook",
            "http://10.0.0.5/hook",
            "http://169.254.169.254/latest",
        ] {
            let err = svc
                .create_webhook(&t.admin, hook(url), || "whsec_test_secret_0000".into())
                .await
                .unwrap_err();
            assert_eq!(fields(err), ["url"], "{url}");
        }
        let err = svc
            .create_webhook(&t.admin, hook("ftp://example.com/"), String::new)
            .await
            .unwrap_err();
        assert_eq!(fields(err), ["url"]);
        let new = svc
            .create_webhook(&t.admin, hook("https://hooks.example.com/x"), || {
                "whsec_test_secret_0000".into()
            })
            .await
            .unwrap();
        assert_eq!(new.secret, "whsec_test_secret_0000");
        assert!(new.webhook.active);
        // Agents may not touch admin-only settings, even through the service.
        assert!(matches!(
            svc.create_webhook(&t.agent, hook("https://hooks.example.com/y"), String::new)
                .await,
            Err(ServiceError::Forbidden)
        ));
        assert!(matches!(
            svc.webhooks(&t.agent).await,
            Err(ServiceError::Forbidden)
        ));
        assert!(matches!(
            svc.workspace_settings(&t.agent).await,
            Err(ServiceError::Forbidden)
        ));
        let rename = WorkspaceEdit {
            name: Some("Taken over".into()),
            ..WorkspaceEdit::default()
        };
        assert!(matches!(
            svc.update_workspace(&t.agent, rename).await,
            Err(ServiceError::Forbidden)
        ));
        assert!(matches!(
            svc.create_calendar(&t.agent, CalendarInput::default())
                .await,
            Err(ServiceError::Forbidden)
        ));
        assert!(matches!(
            svc.create_sla_policy(&t.agent, PolicyInput::default())
                .await,
            Err(ServiceError::Forbidden)
        ));
        assert!(matches!(
            svc.jobs(&t.agent, None, PageRequest::default()).await,
            Err(ServiceError::Forbidden)
        ));
        // Agents read what they work with; admins change the workspace.
        assert!(svc.sla_policies(&t.agent).await.is_ok());
        assert!(svc.calendars(&t.agent).await.is_ok());
        let edit = WorkspaceEdit {
            auto_close_days: Some(0),
            timezone: Some("Nowhere/Land".into()),
            ..WorkspaceEdit::default()
        };
        let err = svc.update_workspace(&t.admin, edit).await.unwrap_err();
        assert_eq!(fields(err), ["auto_close_days", "timezone"]);
    }
}
