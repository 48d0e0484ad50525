//! Listing: every filter and sort, keyset pages under concurrent inserts, full-text search.

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

fn numbers(body: &Value) -> Vec<i64> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_i64().unwrap())
        .collect()
}

async fn every_filter_and_sort(app: TestApp) {
    let team = app.team("Acme").await;
    let org = app
        .post(
            "/organizations",
            Some(&team.agent),
            json!({"name":"Client"}),
        )
        .await
        .str("id");
    let spec = [
        // (requester, priority, tags, org, assign to agent)
        (&team.alice_id, "LOW", vec!["vpn"], false, true),
        (
            &team.alice_id,
            "HIGH",
            vec!["printer", "site:hq"],
            true,
            false,
        ),
        (&team.bob_id, "URGENT", vec!["vpn", "site:hq"], true, true),
        (&team.bob_id, "MEDIUM", vec![], false, false),
    ];
    for (i, (requester, priority, tags, with_org, assign)) in spec.iter().enumerate() {
        let mut body = json!({"subject": format!("ticket {i}"), "description": "d", "requester_id": requester, "priority": priority, "tags": tags});
        if *with_org {
            body["organization_id"] = json!(org);
        }
        if *assign {
            body["assignee_id"] = json!(team.agent_id);
        }
        app.ticket(&team.agent, body).await;
    }
    app.patch("/tickets/2", &team.agent, json!({"status":"PENDING"}))
        .await;
    app.patch("/tickets/3", &team.agent, json!({"status":"OPEN"}))
        .await;
    let get = |q: String| {
        let app = &app;
        let token = team.agent.clone();
        async move {
            let r = app.get(&format!("/tickets?{q}"), &token).await;
            assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.body);
            numbers(&r.body)
        }
    };
    assert_eq!(get("".into()).await, [4, 3, 2, 1]);
    assert_eq!(get("sort=created_at".into()).await, [1, 2, 3, 4]);
    assert_eq!(get("sort=-priority".into()).await, [3, 2, 4, 1]);
    assert_eq!(get("sort=-updated_at".into()).await[..2], [3, 2]);
    assert_eq!(get("status=NEW".into()).await, [4, 1]);
    assert_eq!(get("status=PENDING,OPEN".into()).await, [3, 2]);
    assert_eq!(get("priority=HIGH,URGENT".into()).await, [3, 2]);
    assert_eq!(get("status=NEW,OPEN&priority=URGENT".into()).await, [3]);
    assert_eq!(get("assignee_id=none".into()).await, [4, 2]);
    assert_eq!(get(format!("assignee_id={}", team.agent_id)).await, [3, 1]);
    assert_eq!(get(format!("requester_id={}", team.bob_id)).await, [4, 3]);
    assert_eq!(get(format!("organization_id={org}")).await, [3, 2]);
    assert_eq!(get("tag=vpn".into()).await, [3, 1]);
    assert_eq!(get("tag=SITE:HQ,printer".into()).await, [3, 2]);
    let agent_me = app.get("/tickets?assignee_id=me", &team.agent).await;
    assert_eq!(numbers(&agent_me.body), [3, 1]);
    let now = jiff::Timestamp::now();
    let future = now
        .checked_add(jiff::SignedDuration::from_hours(1))
        .unwrap();
    assert_eq!(get(format!("created_before={future}")).await.len(), 4);
    assert_eq!(get(format!("created_after={future}")).await.len(), 0);
    for bad in [
        "status=BOGUS",
        "priority=high",
        "sort=name",
        "assignee_id=someone",
        "created_after=yesterday",
        "limit=0",
        "cursor=nope",
        "sla=late",
        "q=%21%21",
    ] {
        let r = app.get(&format!("/tickets?{bad}"), &team.agent).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
}
both!(every_filter_and_sort);

async fn pages_are_stable_under_inserts(app: TestApp) {
    let team = app.team("Acme").await;
    for i in 0..12 {
        app.ticket(
            &team.alice,
            json!({"subject": format!("t{i}"), "description": "d"}),
        )
        .await;
    }
    for sort in ["-created_at", "created_at", "-priority", "-updated_at"] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/tickets?limit=5&sort={sort}&cursor={c}"),
                None => format!("/tickets?limit=5&sort={sort}"),
            };
            let page = app.get(&path, &team.agent).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            seen.extend(numbers(&page.body));
            // New tickets arrive between pages.
            app.ticket(&team.alice, json!({"subject":"late","description":"d"}))
                .await;
            match page.body["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        let unique: HashSet<i64> = seen.iter().copied().collect();
        assert_eq!(unique.len(), seen.len(), "{sort}: duplicates in {seen:?}");
        // Everything that existed when the walk began was seen.
        let first_ticket_count = seen.iter().filter(|n| **n <= 12).count();
        assert_eq!(first_ticket_count, 12, "{sort}: {seen:?}");
        if sort == "created_at" {
            assert!(seen.windows(2).all(|w| w[0] < w[1]));
        }
        // A cursor from one sort does not work for another.
        if let Some(c) = cursor {
            let other = if sort == "created_at" {
                "-created_at"
            } else {
                "created_at"
            };
            let r = app
                .get(&format!("/tickets?sort={other}&cursor={c}"), &team.agent)
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
}
both!(pages_are_stable_under_inserts);

async fn full_text_respects_internal_notes(app: TestApp) {
    let team = app.team("Acme").await;
    let a = app
        .ticket(
            &team.alice,
            json!({"subject":"Printer jammed","description":"Paper stuck in tray two"}),
        )
        .await;
    let a_id = a["id"].as_str().unwrap();
    app.post(
        &format!("/tickets/{a_id}/messages"),
        Some(&team.agent),
        json!({"body":"Replaced the fuser assembly"}),
    )
    .await;
    app.post(
        &format!("/tickets/{a_id}/messages"),
        Some(&team.agent),
        json!({"body":"Customer owes invoice zebra42","internal":true}),
    )
    .await;
    app.ticket(
        &team.bob,
        json!({"subject":"Laptop slow","description":"Crawling since Monday"}),
    )
    .await;
    let search = |token: &str, q: &str| {
        let app = &app;
        let path = format!("/tickets?q={q}");
        let token = token.to_owned();
        async move { numbers(&app.get(&path, &token).await.body) }
    };
    assert_eq!(search(&team.agent, "printer").await, [1]);
    assert_eq!(
        search(&team.agent, "TRAY").await,
        [1],
        "description, case-insensitive"
    );
    assert_eq!(search(&team.agent, "fuser").await, [1], "public message");
    assert_eq!(search(&team.alice, "fuser").await, [1]);
    assert_eq!(
        search(&team.agent, "zebra42").await,
        [1],
        "staff search internal notes"
    );
    assert_eq!(
        search(&team.alice, "zebra42").await,
        Vec::<i64>::new(),
        "customers never match internal notes"
    );
    assert_eq!(
        search(&team.agent, "laptop%20monday").await,
        [2],
        "all words must match"
    );
    assert_eq!(
        search(&team.agent, "laptop%20printer").await,
        Vec::<i64>::new()
    );
    assert_eq!(
        search(&team.bob, "printer").await,
        Vec::<i64>::new(),
        "other customers' tickets"
    );
    assert_eq!(
        search(&team.agent, "%22printer%22%20OR%20*").await,
        Vec::<i64>::new(),
        "query syntax is not interpreted"
    );
    assert_eq!(
        search(&team.agent, "jammed&status=OPEN").await,
        [1],
        "combines with filters"
    );
}
both!(full_text_respects_internal_notes);

async fn both_sqlite_search_plans_agree(app: TestApp) {
    use helpdesk_domain::{Actor, Role, TenantCtx, UserId, WorkspaceId};
    use helpdesk_storage::repo::tickets::{self, SearchPlan, Sort, TicketFilter};
    let team = app.team("Acme").await;
    for (s, d) in [
        ("Printer jammed", "tray two"),
        ("VPN down", "printer too"),
        ("Laptop", "slow"),
    ] {
        app.ticket(&team.alice, json!({"subject": s, "description": d}))
            .await;
    }
    app.post(
        "/tickets/3/messages",
        Some(&team.agent),
        json!({"body":"printer driver note","internal":true}),
    )
    .await;
    let me = app.get("/auth/me", &team.agent).await.body;
    let staff = TenantCtx {
        workspace_id: WorkspaceId::from_uuid(
            me["workspace"]["id"].as_str().unwrap().parse().unwrap(),
        ),
        actor: Actor::User(UserId::from_uuid(team.agent_id.parse().unwrap())),
        role: Role::Agent,
        organization_id: None,
    };
    let customer = TenantCtx {
        actor: Actor::User(UserId::from_uuid(team.alice_id.parse().unwrap())),
        role: Role::Customer,
        ..staff
    };
    let db = app.store.read();
    for ctx in [staff, customer] {
        let filter = TicketFilter {
            words: vec!["printer".into()],
            ..TicketFilter::default()
        };
        let mut found = Vec::new();
        for plan in [SearchPlan::FewMatches, SearchPlan::ManyMatches] {
            let q = tickets::list_query(
                db.get_database_backend(),
                &ctx,
                &filter,
                Sort::CreatedDesc,
                None,
                25,
                plan,
            );
            let rows = sea_orm::Select::<helpdesk_storage::entities::ticket::Entity>::all(q, db)
                .await
                .unwrap();
            found.push(rows.iter().map(|t| t.number).collect::<Vec<_>>());
        }
        assert_eq!(found[0], found[1], "{:?}", ctx.role);
        let expected: Vec<i64> = if ctx.role == Role::Agent {
            vec![3, 2, 1]
        } else {
            vec![2, 1]
        };
        assert_eq!(found[0], expected, "{:?}", ctx.role);
    }
}
both!(both_sqlite_search_plans_agree);
