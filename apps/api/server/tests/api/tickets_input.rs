//! Bad input on ticket routes: the documented 4xx, and nothing written.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;

async fn bad_input_changes_nothing(app: TestApp) {
    let team = app.team("Acme").await;
    let t = app
        .ticket(&team.alice, json!({"subject":"Keep me","description":"d"}))
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    let cases = [
        (json!({"subject":"","description":"d"}), "subject"),
        (json!({"subject":"   ","description":"d"}), "subject"),
        (json!({"subject":"s","description":""}), "description"),
        (json!({"subject":"s"}), "description"),
        (
            json!({"subject":"s","description":"d","priority":"CRITICAL"}),
            "priority",
        ),
        (
            json!({"subject":"s","description":"d","colour":"red"}),
            "colour",
        ),
        (
            json!({"subject":"x".repeat(251),"description":"d"}),
            "subject",
        ),
        (
            json!({"subject":"s","description":"x".repeat(65537)}),
            "description",
        ),
        (
            json!({"subject":"s","description":"d","requester_id":"not-a-uuid"}),
            "requester_id",
        ),
        (
            json!({"subject":"s","description":"d","tags":["two words"]}),
            "tags",
        ),
    ];
    for (body, field) in cases {
        let token = if field == "requester_id" || field == "tags" {
            &team.agent
        } else {
            &team.alice
        };
        let r = app.post("/tickets", Some(token), body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            r.body
        );
        assert_eq!(r.code(), "validation_failed");
        assert!(
            r.error_fields().iter().any(|f| f == field),
            "{field}: {}",
            r.body
        );
    }
    let stranger = uuid::Uuid::now_v7();
    for body in [
        json!({"subject":"s","description":"d","requester_id": stranger}),
        json!({"subject":"s","description":"d","assignee_id": team.alice_id}),
        json!({"subject":"s","description":"d","organization_id": stranger}),
        json!({"subject":"s","description":"d","asset_id": stranger}),
    ] {
        let r = app.post("/tickets", Some(&team.agent), body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
    let raw = app
        .client
        .post(format!("{}/api/v1/tickets", app.base))
        .bearer_auth(&team.alice)
        .header("content-type", "application/json")
        .body("{\"subject\":")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    let huge = app
        .post(
            "/tickets",
            Some(&team.alice),
            json!({"subject":"s","description":"x".repeat(2 * 1024 * 1024)}),
        )
        .await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    for path in [
        "/tickets/not-an-id",
        "/tickets/0",
        "/tickets/-1",
        "/tickets/99999",
        &format!("/tickets/{stranger}"),
    ] {
        assert_eq!(
            app.get(path, &team.agent).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for body in [
        json!({"status":"DONE"}),
        json!({"subject":""}),
        json!({"assignee_id": team.bob_id}),
        json!({"tags": "vpn"}),
        json!({"version": 3}),
    ] {
        let r = app
            .patch(&format!("/tickets/{id}"), &team.agent, body.clone())
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
    }
    let m = app
        .post(
            &format!("/tickets/{id}/messages"),
            Some(&team.alice),
            json!({"body":"  "}),
        )
        .await;
    assert_eq!(m.status, StatusCode::UNPROCESSABLE_ENTITY);
    let m = app
        .post(
            &format!("/tickets/{id}/messages"),
            Some(&team.alice),
            json!({"body":"x".repeat(65537)}),
        )
        .await;
    assert_eq!(m.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing of that was written.
    let list = app.get("/tickets", &team.agent).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    let now = app.get(&format!("/tickets/{id}"), &team.agent).await.body;
    assert_eq!(now["version"], 1);
    assert_eq!(now["subject"], "Keep me");
    assert_eq!(
        app.get(&format!("/tickets/{id}/messages"), &team.agent)
            .await
            .body["items"]
            .clone(),
        json!([])
    );
    assert_eq!(
        app.get(&format!("/tickets/{id}/events"), &team.agent)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
both!(bad_input_changes_nothing);

async fn staff_open_tickets_for_customers(app: TestApp) {
    let team = app.team("Acme").await;
    let org = app
        .post(
            "/organizations",
            Some(&team.agent),
            json!({"name":"Client","domains":["acme-client.test"]}),
        )
        .await
        .str("id");
    // alice@acme-client.test joined that organization when created? She was created before
    // the organization existed, so set it explicitly.
    app.patch(
        &format!("/users/{}", team.alice_id),
        &team.admin,
        json!({"organization_id": org}),
    )
    .await;
    let asset = app
        .post(
            "/assets",
            Some(&team.agent),
            json!({"organization_id": org, "name":"PC-1","kind":"desktop"}),
        )
        .await
        .str("id");
    let t = app.ticket(&team.agent, json!({"subject":"Phone call","description":"d","requester_id": team.alice_id,
        "assignee_id": team.agent_id, "tags":["Phone"," phone","VPN"], "asset_id": asset, "priority":"URGENT"})).await;
    assert_eq!(
        t["organization_id"],
        json!(org),
        "defaults to the requester's organization"
    );
    assert_eq!(t["tags"], json!(["phone", "vpn"]));
    assert_eq!(t["assignee_id"], json!(team.agent_id));
    assert_eq!(t["priority"], "URGENT");
    // The customer sees it as its own.
    assert_eq!(
        app.get(
            &format!("/tickets/{}", t["id"].as_str().unwrap()),
            &team.alice
        )
        .await
        .status,
        StatusCode::OK
    );
    // An API key must name the requester.
    let key = app
        .post("/api-keys", Some(&team.admin), json!({"name":"RMM"}))
        .await
        .str("key");
    let r = app
        .post(
            "/tickets",
            Some(&key),
            json!({"subject":"Disk alert","description":"C: 95%"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(
            "/tickets",
            Some(&key),
            json!({"subject":"Disk alert","description":"C: 95%","requester_id": team.alice_id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let events = app
        .get(&format!("/tickets/{}/events", r.str("id")), &team.agent)
        .await
        .body;
    assert!(events[0]["actor_api_key_id"].is_string());
    // Assignment and tags changes are recorded old → new.
    let id = t["id"].as_str().unwrap();
    app.patch(
        &format!("/tickets/{id}"),
        &team.agent,
        json!({"assignee_id": null, "tags": ["vpn"]}),
    )
    .await;
    let events = app
        .get(&format!("/tickets/{id}/events"), &team.agent)
        .await
        .body;
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["type"], "ticket.updated");
    assert_eq!(last["changes"]["assignee_id"], json!([team.agent_id, null]));
    assert_eq!(last["changes"]["tags"], json!([["phone", "vpn"], ["vpn"]]));
    assert_eq!(last["actor_id"], json!(team.agent_id));
    // An asset of another organization does not fit the ticket.
    let other = app
        .post("/organizations", Some(&team.agent), json!({"name":"Other"}))
        .await
        .str("id");
    let foreign = app
        .post(
            "/assets",
            Some(&team.agent),
            json!({"organization_id": other, "name":"PC-2","kind":"desktop"}),
        )
        .await
        .str("id");
    let r = app
        .patch(
            &format!("/tickets/{id}"),
            &team.agent,
            json!({"asset_id": foreign}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}
both!(staff_open_tickets_for_customers);
