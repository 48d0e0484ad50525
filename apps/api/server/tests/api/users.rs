//! `/users`: roles, validation, invitations, the last admin, customers seeing themselves.

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;

async fn admin_manages_users(app: TestApp) {
    let admin = app.admin_token("Acme").await;
    let created = app
        .post(
            "/users",
            Some(&admin),
            json!({"email":"a1@acme.test","name":" Ann ","role":"AGENT","password":"password1"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["name"], "Ann");
    let id = created.str("id");
    let dup = app
        .post(
            "/users",
            Some(&admin),
            json!({"email":"A1@acme.test","name":"Dup","role":"AGENT"}),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.code(), "conflict");
    let patched = app
        .patch(
            &format!("/users/{id}"),
            &admin,
            json!({"name":"Ann B","email":"ann@acme.test"}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(patched.body["email"], "ann@acme.test");
    let got = app.get(&format!("/users/{id}"), &admin).await;
    assert_eq!(got.body["name"], "Ann B");
    let bad_role = app
        .post(
            "/users",
            Some(&admin),
            json!({"email":"x@acme.test","name":"X","role":"BOSS"}),
        )
        .await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = app
        .post(
            "/users",
            Some(&admin),
            json!({"email":"nope","name":"","role":"AGENT","password":"1"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let agent_org = app.post("/users", Some(&admin), json!({"email":"y@acme.test","name":"Y","role":"AGENT","organization_id": uuid::Uuid::now_v7()})).await;
    assert_eq!(agent_org.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown_org = app.post("/users", Some(&admin), json!({"email":"z@acme.test","name":"Z","role":"CUSTOMER","organization_id": uuid::Uuid::now_v7()})).await;
    assert_eq!(unknown_org.status, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = app
        .get(&format!("/users/{}", uuid::Uuid::now_v7()), &admin)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let garbage = app.get("/users/not-a-uuid", &admin).await;
    assert_eq!(garbage.status, StatusCode::NOT_FOUND);
}
both!(admin_manages_users);

async fn listing_filters_and_pages(app: TestApp) {
    let admin = app.admin_token("Acme").await;
    for i in 0..7 {
        let role = if i % 2 == 0 { "AGENT" } else { "CUSTOMER" };
        let r = app.post("/users", Some(&admin), json!({"email": format!("u{i}@acme.test"), "name": format!("User {i}"), "role": role})).await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let agents = app.get("/users?role=AGENT", &admin).await;
    assert_eq!(agents.body["items"].as_array().unwrap().len(), 4);
    let q = app.get("/users?q=USER%203", &admin).await;
    assert_eq!(q.body["items"].as_array().unwrap().len(), 1);
    let wild = app.get("/users?q=%25", &admin).await;
    assert_eq!(
        wild.body["items"].as_array().unwrap().len(),
        0,
        "LIKE wildcards are escaped"
    );
    // Pages of 3 over 8 users: 3 + 3 + 2, no duplicate, no gap.
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/users?limit=3&cursor={c}"),
            None => "/users?limit=3".to_owned(),
        };
        let page = app.get(&path, &admin).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        sizes.push(page.body["items"].as_array().unwrap().len());
        for u in page.body["items"].as_array().unwrap() {
            seen.push(u["id"].as_str().unwrap().to_owned());
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(sizes, [3, 3, 2]);
    let distinct: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(distinct.len(), seen.len(), "a user on two pages: {seen:?}");
    let everyone = app.get("/users?limit=100", &admin).await;
    let all: HashSet<String> = everyone.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(all.len(), 8);
    assert_eq!(distinct, all, "no gap");
    for bad in [
        "/users?role=BOGUS",
        "/users?limit=0",
        "/users?limit=101",
        "/users?cursor=zzz",
        "/users?colour=red",
    ] {
        let r = app.get(bad, &admin).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(r.code(), "validation_failed", "{bad}");
    }
}
both!(listing_filters_and_pages);

async fn roles_are_enforced(app: TestApp) {
    let admin = app.admin_token("Acme").await;
    let (agent_id, agent) = app.user_token(&admin, "agent@acme.test", "AGENT").await;
    let (customer_id, customer) = app.user_token(&admin, "cust@client.test", "CUSTOMER").await;
    // Agents read users but do not manage them.
    assert_eq!(app.get("/users", &agent).await.status, StatusCode::OK);
    assert_eq!(
        app.get(&format!("/users/{customer_id}"), &agent)
            .await
            .status,
        StatusCode::OK
    );
    let r = app
        .post(
            "/users",
            Some(&agent),
            json!({"email":"n@acme.test","name":"N","role":"AGENT"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "forbidden");
    assert_eq!(
        app.patch(
            &format!("/users/{customer_id}"),
            &agent,
            json!({"name":"x"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.delete(&format!("/users/{customer_id}"), &agent)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Customers see themselves only.
    assert_eq!(
        app.get("/users", &customer).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&format!("/users/{customer_id}"), &customer)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/users/{agent_id}"), &customer)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let me = app.get("/auth/me", &customer).await;
    assert_eq!(me.body["role"], "CUSTOMER");
}
both!(roles_are_enforced);

async fn the_last_admin_stays(app: TestApp) {
    let reg = app.register("Acme", "admin@acme.test", "secure").await;
    let admin = reg["access_token"].as_str().unwrap();
    let admin_id = reg["user"]["id"].as_str().unwrap();
    let demote = app
        .patch(
            &format!("/users/{admin_id}"),
            admin,
            json!({"role":"AGENT"}),
        )
        .await;
    assert_eq!(demote.status, StatusCode::CONFLICT);
    assert_eq!(
        app.delete(&format!("/users/{admin_id}"), admin)
            .await
            .status,
        StatusCode::CONFLICT
    );
    let (other_id, _) = app.user_token(admin, "second@acme.test", "ADMIN").await;
    assert_eq!(
        app.patch(
            &format!("/users/{admin_id}"),
            admin,
            json!({"role":"AGENT"})
        )
        .await
        .status,
        StatusCode::OK
    );
    let _ = other_id;
}
both!(the_last_admin_stays);
