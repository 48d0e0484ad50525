//! Events dispatched together in one transaction (the worker's batches) tell each person
//! what dispatching them one at a time would: each workspace's own name and reply address,
//! each event's own email, and nothing twice.

use helpdesk_storage::repo::Page;
use helpdesk_storage::repo::events::{self, DISPATCH_JOB, Event};
use helpdesk_storage::repo::jobs;
use helpdesk_storage::repo::outbox::{self, OutboxMessage};
use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::{Team, TestApp};

/// The events of `team`'s workspace still waiting for their dispatch, oldest first.
async fn waiting_events(app: &TestApp, team: &Team) -> Vec<Event> {
    let ws = app.workspace_id(&team.admin).await.as_uuid();
    let page = Page {
        limit: 1000,
        after: None,
    };
    let ids: Vec<uuid::Uuid> = jobs::list(app.store.read(), ws, &[], page)
        .await
        .unwrap()
        .iter()
        .filter(|j| j.kind == DISPATCH_JOB && j.state == "queued")
        .filter_map(|j| j.payload["event_id"].as_str()?.parse().ok())
        .collect();
    let mut found = events::by_ids(app.store.read(), &ids).await.unwrap();
    found.sort_by_key(|e| (e.created_at, e.id));
    found
}

/// Opens a ticket as the team's customer Alice, and answers it as its agent once per body.
async fn answered(app: &TestApp, team: &Team, bodies: &[&str]) {
    let t = app
        .ticket(
            &team.alice,
            json!({"subject": "VPN", "description": "down"}),
        )
        .await;
    let n = &t["number"];
    for body in bodies {
        let r = app
            .post(
                &format!("/tickets/{n}/messages"),
                Some(&team.agent),
                json!({ "body": body }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
}

async fn mails_to(app: &TestApp, team: &Team, email: &str) -> Vec<OutboxMessage> {
    let ws = app.workspace_id(&team.admin).await;
    outbox::for_recipient(app.store.read(), ws, email)
        .await
        .unwrap()
}

async fn a_batch_across_workspaces_tells_each_what_alone_would(app: TestApp) {
    let acme = app.team("Acme").await;
    let globex = app.team("Globex").await;
    for (team, address) in [(&acme, "support@acme.test"), (&globex, "help@globex.test")] {
        let r = app
            .post(
                "/mailboxes",
                Some(&team.admin),
                json!({ "address": address }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    answered(&app, &acme, &["First answer", "Second answer"]).await;
    answered(&app, &globex, &["Globex answer"]).await;

    // One batch, the two workspaces' events interleaved.
    let (a, g) = (
        waiting_events(&app, &acme).await,
        waiting_events(&app, &globex).await,
    );
    let answers = |es: &[Event]| es.iter().filter(|e| e.kind == "message.created").count();
    assert_eq!((answers(&a), answers(&g)), (2, 1), "{a:?} {g:?}");
    let mut batch = Vec::new();
    for i in 0..a.len().max(g.len()) {
        batch.extend(a.get(i).cloned());
        batch.extend(g.get(i).cloned());
    }
    app.service().dispatch_events(&batch).await.unwrap();

    let acme_mail = mails_to(&app, &acme, "alice@acme-client.test").await;
    let globex_mail = mails_to(&app, &globex, "alice@globex-client.test").await;
    assert_eq!((acme_mail.len(), globex_mail.len()), (2, 1));
    for (m, answer) in acme_mail.iter().zip(["First answer", "Second answer"]) {
        assert!(m.subject.starts_with("[Acme #"), "{}", m.subject);
        assert!(m.body.contains(answer), "{}", m.body);
        let reply_to = m.reply_to.as_deref().unwrap_or_default();
        assert!(
            reply_to.starts_with("support+") && reply_to.ends_with("@acme.test"),
            "{reply_to}"
        );
    }
    let m = &globex_mail[0];
    assert!(m.subject.starts_with("[Globex #"), "{}", m.subject);
    assert!(m.body.contains("Globex answer"), "{}", m.body);
    assert!(!m.body.contains("First answer"), "{}", m.body);
    let reply_to = m.reply_to.as_deref().unwrap_or_default();
    assert!(
        reply_to.starts_with("help+") && reply_to.ends_with("@globex.test"),
        "{reply_to}"
    );

    // The same batch again: every event was dispatched already.
    app.service().dispatch_events(&batch).await.unwrap();
    assert_eq!(
        mails_to(&app, &acme, "alice@acme-client.test").await.len(),
        2
    );
    assert_eq!(
        mails_to(&app, &globex, "alice@globex-client.test")
            .await
            .len(),
        1
    );
}

// No worker: the test dispatches the events itself.
both!(a_batch_across_workspaces_tells_each_what_alone_would, |c| {
    c.jobs_in_process = Some(false)
});

async fn a_batch_naming_an_event_twice_or_a_dispatched_one_tells_once(app: TestApp) {
    let acme = app.team("Acme").await;
    answered(&app, &acme, &["First answer"]).await;
    let first = waiting_events(&app, &acme).await;
    app.service().dispatch_events(&first).await.unwrap();
    answered(&app, &acme, &["Second answer"]).await;
    let answer = |es: &[Event]| {
        es.iter()
            .find(|e| e.kind == "message.created" && !first.iter().any(|f| f.id == e.id))
            .cloned()
            .unwrap()
    };
    let second = answer(&waiting_events(&app, &acme).await);

    // The new answer twice, with the events dispatched already.
    let mut batch = first.clone();
    batch.extend([second.clone(), second]);
    app.service().dispatch_events(&batch).await.unwrap();
    let mail = mails_to(&app, &acme, "alice@acme-client.test").await;
    let bodies: Vec<_> = mail
        .iter()
        .map(|m| m.body.contains("Second answer"))
        .collect();
    assert_eq!(bodies, [false, true], "{mail:?}");
}

both!(
    a_batch_naming_an_event_twice_or_a_dispatched_one_tells_once,
    |c| c.jobs_in_process = Some(false)
);
