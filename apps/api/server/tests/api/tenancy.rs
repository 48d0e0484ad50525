//! Tenant isolation: every route, called with another workspace's token on this
//! workspace's objects, answers 404 (or 403 where the role alone forbids it) and changes
//! nothing. Routes are taken from the OpenAPI document, which is generated from the router,
//! so a new route is walked automatically.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

struct Victim {
    admin: String,
    user: String,
    organization: String,
    asset: String,
    api_key: String,
    ticket: String,
    attachment: String,
    webhook: String,
    job: String,
    calendar: String,
    policy: String,
    automation: String,
    macro_id: String,
    notify_address: String,
    inbound: String,
    mailbox: String,
    view: String,
    message: String,
    link: String,
    contract: String,
    entry: String,
}

async fn victim(app: &TestApp) -> Victim {
    let admin = app.admin_token("Victim").await;
    let (user, _) = app.user_token(&admin, "agent@victim.test", "AGENT").await;
    let organization = app
        .post(
            "/organizations",
            Some(&admin),
            json!({"name":"Victim client","domains":["victim-client.test"]}),
        )
        .await
        .str("id");
    let asset = app
        .post(
            "/assets",
            Some(&admin),
            json!({"organization_id": organization, "name":"Server","kind":"server"}),
        )
        .await
        .str("id");
    let api_key = app
        .post("/api-keys", Some(&admin), json!({"name":"RMM"}))
        .await
        .str("id");
    let ticket = app
        .post(
            "/tickets",
            Some(&admin),
            json!({"subject":"Victim ticket","description":"secret"}),
        )
        .await
        .str("id");
    let copied = app
        .post(
            &format!("/tickets/{ticket}/participants"),
            Some(&admin),
            json!({"email": "cc@victim-client.test"}),
        )
        .await;
    assert_eq!(copied.status, StatusCode::CREATED, "{}", copied.body);
    let message = app
        .post(
            &format!("/tickets/{ticket}/messages"),
            Some(&admin),
            json!({"body": "secret reply"}),
        )
        .await
        .str("id");
    let sibling = app
        .post(
            "/tickets",
            Some(&admin),
            json!({"subject":"Victim child","description":"secret"}),
        )
        .await
        .str("id");
    let link = app
        .post(
            &format!("/tickets/{ticket}/links"),
            Some(&admin),
            json!({"ticket_id": sibling, "kind": "CHILD"}),
        )
        .await
        .str("id");
    let contract = app
        .post(
            &format!("/organizations/{organization}/contracts"),
            Some(&admin),
            json!({"name": "Block", "kind": "PREPAID_HOURS", "included_minutes": 600,
                "starts_on": "2027-01-01", "currency": "EUR"}),
        )
        .await
        .str("id");
    let entry = app
        .post(
            &format!("/tickets/{ticket}/time-entries"),
            Some(&admin),
            json!({"minutes": 30}),
        )
        .await
        .str("id");
    let attachment = app
        .upload(
            &format!("/tickets/{ticket}/attachments"),
            &admin,
            "a.txt",
            "text/plain",
            b"secret".to_vec(),
            None,
        )
        .await
        .str("id");
    let webhook = app
        .post(
            "/webhooks",
            Some(&admin),
            json!({"url":"https://hooks.example.com/helpdesk","events":["*"],"active":false}),
        )
        .await
        .str("id");
    app.verify_workspace(&admin).await;
    let notify_address = app
        .post(
            "/workspace/notify-addresses",
            Some(&admin),
            json!({"email": "noc@victim-partner.test"}),
        )
        .await
        .str("id");
    let me = app.get("/auth/me", &admin).await.body;
    let ws: uuid::Uuid = me["workspace"]["id"].as_str().unwrap().parse().unwrap();
    let page = helpdesk_storage::repo::Page {
        limit: 10,
        after: None,
    };
    let jobs = helpdesk_storage::repo::jobs::list(app.store.read(), ws, &[], page)
        .await
        .unwrap();
    let job = jobs
        .first()
        .expect("the victim's writes queued jobs")
        .id
        .to_string();
    let calendar = app
        .post(
            "/business-hours",
            Some(&admin),
            json!({"name":"Office","timezone":"Europe/Madrid","weekly":{"mon":[["09:00","17:00"]]}}),
        )
        .await
        .str("id");
    let policy = app
        .post(
            "/sla-policies",
            Some(&admin),
            json!({"name":"Gold","business_hours_id": calendar}),
        )
        .await
        .str("id");
    let automation = app
        .post(
            "/automations",
            Some(&admin),
            json!({"name": "Tag VIPs", "trigger": "ticket.created",
                "conditions": [{"field": "subject", "op": "contains", "value": "vip"}],
                "actions": [{"type": "add_tag", "tag": "vip"}]}),
        )
        .await
        .str("id");
    let macro_id = app
        .post(
            "/macros",
            Some(&admin),
            json!({"name": "Thanks", "reply": "Thank you!", "actions": [{"type": "set_status", "status": "PENDING"}]}),
        )
        .await
        .str("id");
    let inbound = app
        .client
        .post(format!("{}/api/v1/inbound/email", app.base))
        .bearer_auth(&admin)
        .header("content-type", "message/rfc822")
        .body("From: c@victim-client.test\r\nSubject: secret\r\n\r\nhello\r\n")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mailbox = app
        .post(
            "/mailboxes",
            Some(&admin),
            json!({"address": "help@victim.test", "imap": {"host": "imap.victim.test", "port": 993,
                "username": "help@victim.test", "password": "victim-secret"}}),
        )
        .await
        .str("id");
    let view = app
        .post(
            "/views",
            Some(&admin),
            json!({"name": "Urgent", "shared": true, "filters": {"priority": "URGENT"}}),
        )
        .await
        .str("id");
    // Processed before the snapshot is taken, so only an intruder could change it.
    app.eventually(&format!("/inbound/{inbound}"), &admin, |m| {
        m["state"] == "PROCESSED"
    })
    .await;
    Victim {
        admin,
        user,
        organization,
        asset,
        api_key,
        ticket,
        attachment,
        webhook,
        job,
        calendar,
        policy,
        automation,
        macro_id,
        notify_address,
        inbound,
        mailbox,
        view,
        message,
        link,
        contract,
        entry,
    }
}

/// The victim's object for a path; a path whose resource is unknown here fails the test,
/// so new resources must be added.
fn object_for(path: &str, v: &Victim) -> String {
    let id = if path.starts_with("/api/v1/users/") {
        &v.user
    } else if path.starts_with("/api/v1/organizations/") {
        &v.organization
    } else if path.starts_with("/api/v1/assets/") {
        &v.asset
    } else if path.starts_with("/api/v1/api-keys/") {
        &v.api_key
    } else if path.starts_with("/api/v1/tickets/") {
        &v.ticket
    } else if path.starts_with("/api/v1/attachments/") {
        &v.attachment
    } else if path.starts_with("/api/v1/webhooks/") {
        &v.webhook
    } else if path.starts_with("/api/v1/jobs/") {
        &v.job
    } else if path.starts_with("/api/v1/business-hours/") {
        &v.calendar
    } else if path.starts_with("/api/v1/sla-policies/") {
        &v.policy
    } else if path.starts_with("/api/v1/automations/") {
        &v.automation
    } else if path.starts_with("/api/v1/macros/") {
        &v.macro_id
    } else if path.starts_with("/api/v1/workspace/notify-addresses/") {
        &v.notify_address
    } else if path.starts_with("/api/v1/inbound/") {
        &v.inbound
    } else if path.starts_with("/api/v1/mailboxes/") {
        &v.mailbox
    } else if path.starts_with("/api/v1/views/") {
        &v.view
    } else if path.starts_with("/api/v1/contracts/") {
        &v.contract
    } else {
        panic!("tenancy walk: no victim object for {path}; add one");
    };
    path.replace("{id}", id)
        .replace("{user_id}", &v.user)
        .replace("{message_id}", &v.message)
        .replace("{link_id}", &v.link)
        .replace("{entry_id}", &v.entry)
        // The webhook is another workspace's: no delivery of it is reachable.
        .replace("{delivery_id}", &uuid::Uuid::now_v7().to_string())
}

async fn snapshot(app: &TestApp, v: &Victim) -> Vec<Value> {
    let mut out = Vec::new();
    for p in [
        format!("/users/{}", v.user),
        format!("/organizations/{}", v.organization),
        format!("/assets/{}", v.asset),
        format!("/tickets/{}", v.ticket),
        format!("/tickets/{}/messages", v.ticket),
        format!("/tickets/{}/events", v.ticket),
        format!("/tickets/{}/sla", v.ticket),
        format!("/automations/{}", v.automation),
        format!("/macros/{}", v.macro_id),
        format!("/tickets/{}/time-entries", v.ticket),
        format!("/tickets/{}/attachments", v.ticket),
        format!("/tickets/{}/participants", v.ticket),
        format!("/tickets/{}/links", v.ticket),
        format!("/contracts/{}", v.contract),
        format!("/organizations/{}/contracts", v.organization),
        format!("/views/{}", v.view),
    ] {
        let r = app.get(&p, &v.admin).await;
        assert_eq!(r.status, StatusCode::OK);
        out.push(r.body);
    }
    out.push(app.get("/api-keys", &v.admin).await.body);
    out.push(app.get("/inbound", &v.admin).await.body);
    out.push(app.get("/mailboxes", &v.admin).await.body);
    out.push(app.get("/workspace/notify-addresses", &v.admin).await.body);
    out.push(
        app.get(&format!("/webhooks/{}", v.webhook), &v.admin)
            .await
            .body,
    );
    out.push(
        app.get(&format!("/business-hours/{}", v.calendar), &v.admin)
            .await
            .body,
    );
    out
}

async fn foreign_tokens_get_404_everywhere(app: TestApp) {
    let v = victim(&app).await;
    let before = snapshot(&app, &v).await;
    let intruder_admin = app.admin_token("Intruder").await;
    let (_, intruder_agent) = app
        .user_token(&intruder_admin, "agent@intruder.test", "AGENT")
        .await;
    let (_, intruder_customer) = app
        .user_token(&intruder_admin, "c@intruder.test", "CUSTOMER")
        .await;
    let intruder_key = app
        .post(
            "/api-keys",
            Some(&intruder_admin),
            json!({"name":"k","role":"ADMIN"}),
        )
        .await
        .str("key");

    let spec = app
        .request(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .body;
    let mut walked = 0;
    for (path, ops) in spec["paths"].as_object().unwrap() {
        if !path.contains('{') {
            continue;
        }
        let url = object_for(path, &v);
        for method in ops.as_object().unwrap().keys() {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            // A body that would be valid, so only tenancy can refuse it.
            let body = match (m.clone(), path.as_str()) {
                (Method::POST, p) if p.ends_with("/messages") => Some(json!({"body": "hi"})),
                (Method::POST, p) if p.ends_with("/time-entries") => Some(json!({"minutes": 5})),
                (Method::POST, p) if p.ends_with("/participants") => {
                    Some(json!({"email": "cc@victim-client.test"}))
                }
                (Method::POST, p) if p.ends_with("/merge") => Some(json!({"into": 1})),
                (Method::POST, p) if p.ends_with("/csat") => Some(json!({"rating": "GOOD"})),
                (Method::POST, p) if p.ends_with("/links") => {
                    Some(json!({"ticket_id": 1, "kind": "RELATED"}))
                }
                (Method::POST, p) if p.ends_with("/apply-macro") => {
                    Some(json!({"macro_id": v.macro_id}))
                }
                (Method::PATCH, p) if p.contains("/time-entries/") => Some(json!({"minutes": 5})),
                (Method::PATCH, p) if p.starts_with("/api/v1/tickets/") => {
                    Some(json!({"priority": "LOW"}))
                }
                (Method::POST | Method::PATCH | Method::PUT, _) => Some(json!({})),
                _ => None,
            };
            for (who, token) in [
                ("admin", &intruder_admin),
                ("agent", &intruder_agent),
                ("customer", &intruder_customer),
                ("api key", &intruder_key),
            ] {
                let r = app
                    .request(m.clone(), &url, Some(token), body.clone())
                    .await;
                let allowed = r.status == StatusCode::NOT_FOUND
                    || (r.status == StatusCode::FORBIDDEN && who != "admin" && who != "api key");
                assert!(
                    allowed,
                    "{method} {path} as intruder {who}: {} {}",
                    r.status, r.body
                );
                walked += 1;
            }
        }
    }
    assert!(walked >= 40, "walked only {walked} route/role pairs");
    assert_eq!(
        snapshot(&app, &v).await,
        before,
        "the victim's data changed"
    );
    // The intruder's lists never contain the victim's rows.
    for list in [
        "/users",
        "/organizations",
        "/assets",
        "/tickets",
        "/tickets?q=secret",
        "/export/tickets",
    ] {
        let r = app.get(list, &intruder_admin).await;
        assert_eq!(r.status, StatusCode::OK, "{list}");
        let text = r.body.to_string();
        for id in [&v.user, &v.organization, &v.asset, &v.ticket] {
            assert!(!text.contains(id.as_str()), "{list} leaks {id}");
        }
    }
    // A foreign organization id in a body is a validation error, not a link.
    let r = app
        .post(
            "/assets",
            Some(&intruder_admin),
            json!({"organization_id": v.organization, "name":"x","kind":"pc"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.post("/users", Some(&intruder_admin), json!({"email":"z@z.test","name":"z","role":"CUSTOMER","organization_id": v.organization})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}
// A worker in the server on both backends: the victim's received email is processed
// before the walk starts.
both!(
    foreign_tokens_get_404_everywhere,
    crate::harness::jobs_in_process
);
