//! Saved views: an agent's own are theirs alone (404 for anyone else), shared ones are
//! read by all staff and changed by admins; filters are the list's own language, checked
//! when saved; counts follow the viewer (`me`).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

fn find<'a>(list: &'a Value, id: &str) -> Option<&'a Value> {
    list.as_array().unwrap().iter().find(|v| v["id"] == id)
}

async fn personal_and_shared_views(app: TestApp) {
    let team = app.team("Views").await;
    let (agent2_id, agent2) = app
        .user_token(&team.admin, "second@views.test", "AGENT")
        .await;
    // Two urgent tickets, one for each agent, and a low one.
    for (prio, who) in [
        ("URGENT", &team.agent_id),
        ("URGENT", &agent2_id),
        ("LOW", &team.agent_id),
    ] {
        let t = app
            .ticket(
                &team.admin,
                json!({"subject": "S", "description": "D", "priority": prio}),
            )
            .await;
        let r = app
            .patch(
                &format!("/tickets/{}", t["id"].as_str().unwrap()),
                &team.admin,
                json!({"assignee_id": who}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }

    // An agent's own view.
    let r = app
        .post(
            "/views",
            Some(&team.agent),
            json!({"name": "My urgent", "filters": {"priority": "URGENT", "assignee_id": "me", "status": " "},
                   "sort": "-updated_at", "columns": ["priority", "requester"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let mine = r.str("id");
    assert_eq!(r.body["shared"], false);
    assert_eq!(r.body["owner_id"], team.agent_id.as_str());
    // Blank filters are dropped; the rest is kept as written.
    assert_eq!(
        r.body["filters"],
        json!({"priority": "URGENT", "assignee_id": "me"})
    );
    assert_eq!(r.body["columns"], json!(["priority", "requester"]));
    // Without columns a view gets the list's default ones.
    let r = app
        .post("/views", Some(&agent2), json!({"name": "Everything"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        r.body["columns"],
        json!([
            "requester",
            "status",
            "priority",
            "assignee",
            "sla",
            "updated"
        ])
    );
    assert!(r.body["sort"].is_null());

    // Nobody else sees it, not even an admin: it does not exist for them.
    let list = app.get("/views?counts=true", &team.agent).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(find(&list.body, &mine).unwrap()["count"], 1);
    assert!(find(&app.get("/views", &agent2).await.body, &mine).is_none());
    assert!(find(&app.get("/views", &team.admin).await.body, &mine).is_none());
    let path = format!("/views/{mine}");
    for token in [&agent2, &team.admin] {
        assert_eq!(app.get(&path, token).await.status, StatusCode::NOT_FOUND);
        let r = app.patch(&path, token, json!({"name": "Stolen"})).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(app.delete(&path, token).await.status, StatusCode::NOT_FOUND);
    }
    // Without `counts` there is no count.
    assert!(
        find(&app.get("/views", &team.agent).await.body, &mine)
            .unwrap()
            .get("count")
            .is_none()
    );

    // Only admins share; a shared view's `me` is whoever opens it.
    let shared = json!({"name": "Team urgent", "shared": true,
                        "filters": {"priority": "URGENT", "assignee_id": "me"}});
    let r = app.post("/views", Some(&team.agent), shared.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app.post("/views", Some(&team.admin), shared).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let team_view = r.str("id");
    for token in [&team.agent, &agent2] {
        let list = app.get("/views?counts=true", token).await.body;
        assert_eq!(find(&list, &team_view).unwrap()["count"], 1, "{list}");
    }
    let admin_list = app.get("/views?counts=true", &team.admin).await.body;
    assert_eq!(find(&admin_list, &team_view).unwrap()["count"], 0);
    let path = format!("/views/{team_view}");
    assert_eq!(app.get(&path, &agent2).await.status, StatusCode::OK);
    let r = app.patch(&path, &agent2, json!({"name": "Mine now"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        app.delete(&path, &agent2).await.status,
        StatusCode::FORBIDDEN
    );
    // Nor may an agent make their own view shared.
    let r = app
        .patch(
            &format!("/views/{mine}"),
            &team.agent,
            json!({"shared": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // An admin's API key reads the shared views (only), and cannot own one.
    let key = app
        .post(
            "/api-keys",
            Some(&team.admin),
            json!({"name": "k", "role": "ADMIN"}),
        )
        .await
        .str("key");
    let list = app.get("/views", &key).await.body;
    assert!(
        find(&list, &team_view).is_some() && find(&list, &mine).is_none(),
        "{list}"
    );
    let r = app
        .post("/views", Some(&key), json!({"name": "Keyed"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // Customers have no views.
    assert_eq!(
        app.get("/views", &team.alice).await.status,
        StatusCode::FORBIDDEN
    );

    // The owner edits: a new name, back to newest first; the rest stays.
    let r = app
        .patch(
            &format!("/views/{mine}"),
            &team.agent,
            json!({"name": "Urgent for me", "sort": null}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["name"], "Urgent for me");
    assert!(r.body["sort"].is_null());
    assert_eq!(r.body["columns"], json!(["priority", "requester"]));

    // An admin takes the shared view back from the team: it becomes theirs alone.
    let r = app
        .patch(&path, &team.admin, json!({"shared": false}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["owner_id"],
        app.get("/auth/me", &team.admin).await.body["id"]
    );
    assert_eq!(app.get(&path, &agent2).await.status, StatusCode::NOT_FOUND);

    // The owner deletes theirs.
    let mine_path = format!("/views/{mine}");
    assert_eq!(
        app.delete(&mine_path, &team.agent).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&mine_path, &team.agent).await.status,
        StatusCode::NOT_FOUND
    );
}
both!(personal_and_shared_views);

async fn views_are_checked_when_saved(app: TestApp) {
    let team = app.team("Checked").await;
    let bad = |body: Value| {
        let app = &app;
        let token = team.agent.clone();
        async move { app.post("/views", Some(&token), body).await }
    };
    // The list language decides, field by field, with the path of each.
    let r = bad(
        json!({"name": "X", "filters": {"status": "NEW,SIDEWAYS", "assignee_id": "someone",
                       "created_after": "yesterday"}, "sort": "random",
                       "columns": ["status", "colour", "status"], "position": -1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        [
            "columns[1]",
            "columns[2]",
            "filters.assignee_id",
            "filters.created_after",
            "filters.status",
            "position",
            "sort"
        ],
        "{}",
        r.body
    );
    // A filter the list does not know, and a blank name.
    let r = bad(json!({"name": "X", "filters": {"colour": "red"}})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = bad(json!({"name": "  "})).await;
    assert_eq!(r.error_fields(), ["name"], "{}", r.body);
    // Names are unique among one's own views (any case), and among the shared ones.
    let r = bad(json!({"name": "Mine"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = bad(json!({"name": "MINE"})).await;
    assert_eq!(r.error_fields(), ["name"], "{}", r.body);
    let r = app
        .post(
            "/views",
            Some(&team.admin),
            json!({"name": "Mine", "shared": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Nothing was stored by the refusals.
    let names: Vec<Value> = app
        .get("/views", &team.agent)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].clone())
        .collect();
    assert_eq!(names, [json!("Mine"), json!("Mine")]);
    // At most 50 of one's own.
    for i in 1..50 {
        let r = bad(json!({"name": format!("View {i}")})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{i}: {}", r.body);
    }
    let r = bad(json!({"name": "One too many"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}
both!(views_are_checked_when_saved);
