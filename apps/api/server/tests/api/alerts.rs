//! `POST /alerts`: monitoring alerts open one ticket per alert, repeats append, recovery
//! resolves when nobody replied, and a closed ticket gives way to a new one.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

fn alert(state: &str, severity: &str, asset: &str) -> Value {
    json!({"source": "zabbix", "dedup_key": "rec-01/disk-c", "severity": severity,
        "summary": "Disk C: 95% full", "details": "free: 2 GB", "asset_id": asset, "state": state})
}

/// The ticket's internal notes, counted over every page of the conversation.
async fn notes(app: &TestApp, token: &str, ticket: &str) -> usize {
    let mut count = 0;
    let mut url = format!("/tickets/{ticket}/messages?limit=100");
    loop {
        let m = app.get(&url, token).await;
        let items = m.body["items"].as_array().unwrap();
        count += items.iter().filter(|m| m["internal"] == true).count();
        match m.body["next_cursor"].as_str() {
            Some(c) => url = format!("/tickets/{ticket}/messages?limit=100&cursor={c}"),
            None => return count,
        }
    }
}

async fn alerts_open_append_resolve_and_reopen(app: TestApp) {
    let team = app.team("Acme").await;
    let org = app
        .post(
            "/organizations",
            Some(&team.agent),
            json!({"name": "Client Co"}),
        )
        .await
        .str("id");
    let asset = app
        .post(
            "/assets",
            Some(&team.admin),
            json!({"organization_id": org, "name": "Reception PC", "kind": "desktop"}),
        )
        .await
        .str("id");
    let key = app
        .post(
            "/api-keys",
            Some(&team.admin),
            json!({"name": "rmm", "role": "AGENT"}),
        )
        .await;
    assert_eq!(key.status, StatusCode::CREATED, "{}", key.body);
    let rmm = key.str("key");

    let first = app
        .post("/alerts", Some(&rmm), alert("FIRING", "critical", &asset))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.body["outcome"], "opened");
    let ticket = first.str("ticket_id");
    let t = app
        .get(&format!("/tickets/{ticket}"), &team.agent)
        .await
        .body;
    assert_eq!(t["priority"], "URGENT");
    assert_eq!(t["organization_id"], org.as_str());
    assert_eq!(t["asset_id"], asset.as_str());
    assert_eq!(t["tags"], json!(["alert"]));
    assert_eq!(t["subject"], "[zabbix] Disk C: 95% full");
    let requester = app
        .get(
            &format!("/users/{}", t["requester_id"].as_str().unwrap()),
            &team.admin,
        )
        .await;
    assert_eq!(
        requester.body["active"], false,
        "the monitoring account cannot sign in"
    );

    // 100 repeats, all at once: one ticket, 100 notes, 101 reports.
    let repeats = join_all(
        (0..100).map(|_| app.post("/alerts", Some(&rmm), alert("FIRING", "critical", &asset))),
    )
    .await;
    assert!(
        repeats
            .iter()
            .all(|r| r.status == StatusCode::OK && r.body["ticket_id"] == ticket.as_str())
    );
    let mut counts: Vec<i64> = repeats
        .iter()
        .map(|r| r.body["occurrences"].as_i64().unwrap())
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (2..=101).collect::<Vec<_>>());
    let all = app.get("/tickets?tag=alert", &team.agent).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(notes(&app, &team.agent, &ticket).await, 100);

    // Recovery with nobody on it resolves; firing again reopens the same ticket.
    let ok = app
        .post("/alerts", Some(&rmm), alert("RESOLVED", "critical", &asset))
        .await;
    assert_eq!(
        (ok.status, ok.body["outcome"].as_str()),
        (StatusCode::OK, Some("resolved"))
    );
    let t = app
        .get(&format!("/tickets/{ticket}"), &team.agent)
        .await
        .body;
    assert_eq!(t["status"], "RESOLVED");
    let again = app
        .post("/alerts", Some(&rmm), alert("FIRING", "high", &asset))
        .await;
    assert_eq!(again.body["outcome"], "appended");
    assert_eq!(
        app.get(&format!("/tickets/{ticket}"), &team.agent)
            .await
            .body["status"],
        "OPEN"
    );

    // Once an agent has replied, recovery only notes it.
    let reply = app
        .post(
            &format!("/tickets/{ticket}/messages"),
            Some(&team.agent),
            json!({"body": "On it"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let ok = app
        .post("/alerts", Some(&rmm), alert("RESOLVED", "high", &asset))
        .await;
    assert_eq!(ok.body["outcome"], "noted");
    assert_eq!(
        app.get(&format!("/tickets/{ticket}"), &team.agent)
            .await
            .body["status"],
        "OPEN"
    );

    // After the ticket is closed, the alert opens a new ticket.
    for s in ["RESOLVED", "CLOSED"] {
        let r = app
            .patch(
                &format!("/tickets/{ticket}"),
                &team.agent,
                json!({"status": s}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let fresh = app
        .post("/alerts", Some(&team.agent), alert("FIRING", "low", &asset))
        .await;
    assert_eq!(fresh.status, StatusCode::CREATED);
    assert_ne!(fresh.body["ticket_id"], ticket.as_str());
    assert_eq!(fresh.body["occurrences"], 1);
    let t = app
        .get(&format!("/tickets/{}", fresh.str("ticket_id")), &team.agent)
        .await
        .body;
    assert_eq!(t["priority"], "LOW");
    // A recovery without an open ticket is nothing to do.
    let other = json!({"source": "zabbix", "dedup_key": "never-fired", "severity": "info",
        "summary": "ok", "state": "RESOLVED"});
    let r = app.post("/alerts", Some(&rmm), other).await;
    assert_eq!(
        (r.status, r.body["outcome"].as_str()),
        (StatusCode::OK, Some("ignored"))
    );
}
both!(alerts_open_append_resolve_and_reopen);

async fn alerts_are_checked_and_replayable(app: TestApp) {
    let team = app.team("Acme").await;
    let other = app.team("Other").await;
    let org = app
        .post(
            "/organizations",
            Some(&other.agent),
            json!({"name": "Theirs"}),
        )
        .await
        .str("id");
    let foreign_asset = app
        .post(
            "/assets",
            Some(&other.admin),
            json!({"organization_id": org, "name": "PC", "kind": "desktop"}),
        )
        .await
        .str("id");
    let body = json!({"source": "nagios", "dedup_key": "x", "severity": "high", "summary": "down", "state": "FIRING"});
    assert_eq!(
        app.post("/alerts", Some(&team.alice), body.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    for (bad, field) in [
        (
            json!({"source": "n", "dedup_key": "x", "severity": "apocalyptic", "summary": "s", "state": "FIRING"}),
            "severity",
        ),
        (
            json!({"source": "n", "dedup_key": "x", "severity": "high", "summary": "s", "state": "ON"}),
            "state",
        ),
        (
            json!({"source": "", "dedup_key": "x", "severity": "high", "summary": "s", "state": "FIRING"}),
            "source",
        ),
        (
            json!({"source": "n", "dedup_key": "x", "severity": "high", "summary": "s", "state": "FIRING", "colour": "red"}),
            "colour",
        ),
        (
            json!({"source": "n", "dedup_key": "x", "severity": "high", "summary": "s", "state": "FIRING", "asset_id": foreign_asset}),
            "asset_id",
        ),
    ] {
        let r = app.post("/alerts", Some(&team.agent), bad).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            r.body
        );
        assert_eq!(r.error_fields(), [field], "{}", r.body);
    }
    assert_eq!(
        app.get("/tickets", &team.agent).await.body["items"],
        json!([]),
        "nothing written"
    );
    let send = |key: &str| {
        app.client
            .post(format!("{}/api/v1/alerts", app.base))
            .bearer_auth(&team.agent)
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };
    let first: Value = send("a-1").await.unwrap().json().await.unwrap();
    let replay = send("a-1").await.unwrap();
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(replay.json::<Value>().await.unwrap(), first);
    let repeat: Value = send("a-2").await.unwrap().json().await.unwrap();
    assert_eq!(repeat["occurrences"], 2, "a new key is a new report");
}
both!(alerts_are_checked_and_replayable);
