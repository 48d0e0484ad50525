//! The status machine through the API, replies moving tickets, `If-Match`, numbering.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

async fn seed_phase_two_examples(app: TestApp) {
    let team = app.team("Acme").await;
    // The seed's three curl bodies, verbatim.
    let created = app
        .post(
            "/tickets",
            Some(&team.alice),
            json!({"subject":"Printer error","description":"PC Load Letter"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["status"], "NEW");
    assert_eq!(created.body["priority"], "MEDIUM");
    assert_eq!(created.body["number"], 1);
    assert_eq!(created.body["requester_id"], json!(team.alice_id));
    let t = id(&created.body);
    app.patch(
        &format!("/tickets/{t}"),
        &team.agent,
        json!({"priority":"HIGH"}),
    )
    .await;
    let list = app
        .get("/tickets?status=NEW,OPEN&priority=HIGH", &team.agent)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    let reply = app
        .post(
            &format!("/tickets/{t}/messages"),
            Some(&team.agent),
            json!({"body":"Please restart the printer."}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["internal"], false);
    assert_eq!(reply.body["author_id"], json!(team.agent_id));
    let after = app.get(&format!("/tickets/{t}"), &team.alice).await;
    assert_eq!(after.body["status"], "OPEN");
    assert!(after.body["first_response_at"].is_string());
    // By number too.
    assert_eq!(
        app.get("/tickets/1", &team.agent).await.body["id"],
        json!(t)
    );
}
both!(seed_phase_two_examples);

async fn full_status_machine(app: TestApp) {
    let team = app.team("Acme").await;
    let t = id(&app
        .ticket(
            &team.alice,
            json!({"subject":"VPN down","description":"cannot connect"}),
        )
        .await);
    let path = format!("/tickets/{t}");
    let set = |status: &'static str| json!({ "status": status });
    // NEW → back to NEW is refused (no-op allowed only as same status).
    assert_eq!(
        app.patch(&path, &team.agent, set("NEW")).await.status,
        StatusCode::OK
    );
    for (to, ok) in [
        ("PENDING", true),
        ("ON_HOLD", true),
        ("OPEN", true),
        ("NEW", false),
        ("RESOLVED", true),
        ("PENDING", false),
        ("OPEN", true),
        ("RESOLVED", true),
        ("CLOSED", true),
    ] {
        let r = app.patch(&path, &team.agent, set(to)).await;
        if ok {
            assert_eq!(r.status, StatusCode::OK, "to {to}: {}", r.body);
            assert_eq!(r.body["status"], to);
        } else {
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "to {to}");
            assert_eq!(r.code(), "invalid_transition");
        }
    }
    let closed = app.get(&path, &team.agent).await;
    assert!(closed.body["resolved_at"].is_string() && closed.body["closed_at"].is_string());
    // Closed is final: no status, no field, no reply.
    for body in [set("OPEN"), json!({"priority":"LOW"})] {
        let r = app.patch(&path, &team.agent, body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.code(), "invalid_transition");
    }
    let reply = app
        .post(
            &format!("{path}/messages"),
            Some(&team.alice),
            json!({"body":"still broken"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Every change is on the timeline, old → new.
    let events = app.get(&format!("{path}/events"), &team.agent).await.body;
    let statuses: Vec<Value> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["changes"]["status"].is_array())
        .map(|e| e["changes"]["status"].clone())
        .collect();
    assert_eq!(statuses.len(), 7, "{statuses:?}");
    assert_eq!(statuses[0], json!(["NEW", "PENDING"]));
    assert_eq!(statuses[6], json!(["RESOLVED", "CLOSED"]));
}
both!(full_status_machine);

async fn replies_move_the_ticket(app: TestApp) {
    let team = app.team("Acme").await;
    let t = id(&app
        .ticket(
            &team.alice,
            json!({"subject":"Mail","description":"no mail"}),
        )
        .await);
    let path = format!("/tickets/{t}");
    let msgs = format!("{path}/messages");
    // An internal note is no first response and does not open the ticket.
    app.post(
        &msgs,
        Some(&team.agent),
        json!({"body":"checking logs","internal":true}),
    )
    .await;
    let t1 = app.get(&path, &team.agent).await.body;
    assert_eq!(t1["status"], "NEW");
    assert!(t1["first_response_at"].is_null());
    app.post(&msgs, Some(&team.agent), json!({"body":"Which client?"}))
        .await;
    let t2 = app.get(&path, &team.agent).await.body;
    assert_eq!(t2["status"], "OPEN");
    let first = t2["first_response_at"].clone();
    app.patch(&path, &team.agent, json!({"status":"PENDING"}))
        .await;
    app.post(&msgs, Some(&team.alice), json!({"body":"Outlook"}))
        .await;
    assert_eq!(app.get(&path, &team.agent).await.body["status"], "OPEN");
    app.patch(&path, &team.agent, json!({"status":"ON_HOLD"}))
        .await;
    app.post(&msgs, Some(&team.alice), json!({"body":"any news?"}))
        .await;
    assert_eq!(app.get(&path, &team.agent).await.body["status"], "OPEN");
    app.post(&msgs, Some(&team.agent), json!({"body":"fixed"}))
        .await;
    let t3 = app.get(&path, &team.agent).await.body;
    assert_eq!(
        t3["first_response_at"], first,
        "only the first reply counts"
    );
    // The customer resolves its own ticket, and a reply reopens it.
    let resolved = app
        .patch(&path, &team.alice, json!({"status":"RESOLVED"}))
        .await;
    assert_eq!(resolved.status, StatusCode::OK);
    assert!(resolved.body["resolved_at"].is_string());
    app.post(&msgs, Some(&team.alice), json!({"body":"it broke again"}))
        .await;
    let reopened = app.get(&path, &team.agent).await.body;
    assert_eq!(reopened["status"], "OPEN");
    assert!(reopened["resolved_at"].is_null());
    // Customers may do nothing else.
    assert_eq!(
        app.patch(&path, &team.alice, json!({"status":"CLOSED"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.patch(&path, &team.alice, json!({"priority":"URGENT"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            &msgs,
            Some(&team.alice),
            json!({"body":"x","internal":true})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // The customer sees every public message and never the internal note; staff see both.
    let theirs = app.get(&msgs, &team.alice).await.body["items"].clone();
    let staff = app.get(&msgs, &team.agent).await.body["items"].clone();
    let ids = |v: &serde_json::Value, keep: &dyn Fn(&serde_json::Value) -> bool| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .filter(|m| keep(m))
            .map(|m| m["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let public = ids(&staff, &|m| m["internal"] == false);
    assert!(public.len() >= 5, "{staff}");
    assert_eq!(ids(&theirs, &|_| true), public);
    let bodies: Vec<&str> = theirs
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert!(bodies.contains(&"Which client?"), "{bodies:?}");
    assert!(!bodies.contains(&"checking logs"), "{bodies:?}");
    assert_eq!(
        staff
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["internal"] == true)
            .count(),
        1
    );
    assert_eq!(
        app.get(&format!("{path}/events"), &team.alice).await.status,
        StatusCode::FORBIDDEN
    );
}
both!(replies_move_the_ticket);

async fn if_match_guards_updates(app: TestApp) {
    let team = app.team("Acme").await;
    let t = app
        .ticket(
            &team.agent,
            json!({"subject":"Disk","description":"full", "requester_id": team.alice_id}),
        )
        .await;
    let path = format!("/tickets/{}", id(&t));
    let got = app.get(&path, &team.agent).await;
    assert_eq!(got.headers["etag"], "\"1\"");
    let send = |version: &str, body: Value| {
        app.client
            .patch(format!("{}/api/v1{path}", app.base))
            .bearer_auth(&team.agent)
            .header("if-match", version)
            .json(&body)
            .send()
    };
    let ok = send("\"1\"", json!({"priority":"HIGH"})).await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let stale = send("1", json!({"priority":"LOW"})).await.unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert_eq!(app.get(&path, &team.agent).await.body["priority"], "HIGH");
    let bad = send("abc", json!({"priority":"LOW"})).await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
both!(if_match_guards_updates);

async fn numbers_have_no_gaps_under_concurrency(app: TestApp) {
    let team = app.team("Acme").await;
    let creates = (0..50).map(|i| {
        let app = &app;
        let token = team.alice.clone();
        async move {
            app.post(
                "/tickets",
                Some(&token),
                json!({"subject": format!("t{i}"), "description": "d"}),
            )
            .await
        }
    });
    let results = futures::future::join_all(creates).await;
    let mut numbers: Vec<i64> = results
        .iter()
        .map(|r| {
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            r.body["number"].as_i64().unwrap()
        })
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=50).collect::<Vec<_>>());
    // Numbers are per workspace.
    let other = app.team("Other").await;
    assert_eq!(
        app.ticket(&other.alice, json!({"subject":"s","description":"d"}))
            .await["number"],
        1
    );
}
both!(numbers_have_no_gaps_under_concurrency);

async fn customers_see_only_their_own(app: TestApp) {
    let team = app.team("Acme").await;
    let mine = id(&app
        .ticket(&team.alice, json!({"subject":"Alice's","description":"d"}))
        .await);
    let his = id(&app
        .ticket(&team.bob, json!({"subject":"Bob's","description":"d"}))
        .await);
    for path in [
        format!("/tickets/{mine}"),
        format!("/tickets/{mine}/messages"),
        format!("/tickets/{mine}/attachments"),
        "/tickets/1".to_owned(),
    ] {
        assert_eq!(
            app.get(&path, &team.bob).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = app
        .post(
            &format!("/tickets/{mine}/messages"),
            Some(&team.bob),
            json!({"body":"hi"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.patch(
            &format!("/tickets/{mine}"),
            &team.bob,
            json!({"status":"RESOLVED"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // Whatever filter a customer asks, the list holds its own tickets only: filters that
    // find Alice's ticket for staff never show it to Bob.
    let listed = |r: &crate::harness::Resp| -> Vec<String> {
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(listed(&app.get("/tickets", &team.bob).await), [his]);
    for q in [
        "/tickets",
        &format!("/tickets?requester_id={}", team.alice_id),
        "/tickets?q=alice",
    ] {
        assert!(
            listed(&app.get(q, &team.agent).await).contains(&mine),
            "{q} finds Alice's ticket for staff"
        );
        let items = app.get(q, &team.bob).await.body["items"]
            .as_array()
            .unwrap()
            .clone();
        assert!(
            items
                .iter()
                .all(|t| t["requester_id"] == json!(team.bob_id) && t["id"] != json!(mine)),
            "{q}: {items:?}"
        );
    }
    assert_eq!(
        app.get("/tickets", &team.agent).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Customers cannot pick requester, assignee, organization or tags.
    let r = app
        .post(
            "/tickets",
            Some(&team.bob),
            json!({"subject":"s","description":"d","requester_id": team.alice_id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}
both!(customers_see_only_their_own);

async fn concurrent_replies_all_land(app: TestApp) {
    let team = app.team("Acme").await;
    let t = id(&app
        .ticket(&team.alice, json!({"subject":"Busy","description":"d"}))
        .await);
    let replies = (0..12).map(|i| {
        let app = &app;
        let (token, path) = if i % 3 == 0 {
            (team.alice.clone(), format!("/tickets/{t}/messages"))
        } else {
            (team.agent.clone(), format!("/tickets/{t}/messages"))
        };
        async move {
            app.post(
                &path,
                Some(&token),
                json!({"body": format!("reply {i}"), "internal": i % 3 != 0 && i % 4 == 1}),
            )
            .await
        }
    });
    for r in futures::future::join_all(replies).await {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let msgs = app
        .get(&format!("/tickets/{t}/messages"), &team.agent)
        .await
        .body["items"]
        .clone();
    assert_eq!(msgs.as_array().unwrap().len(), 12);
    assert_eq!(
        app.get(&format!("/tickets/{t}"), &team.agent).await.body["version"],
        13
    );
}
both!(concurrent_replies_all_land);
