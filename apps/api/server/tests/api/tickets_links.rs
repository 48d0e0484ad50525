//! Links between tickets (related, parent and child) and the `children_open` rule.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

async fn open(app: &TestApp, token: &str, subject: &str) -> (String, i64) {
    let t = app
        .ticket(token, json!({"subject": subject, "description": "x"}))
        .await;
    (
        t["id"].as_str().unwrap().to_owned(),
        t["number"].as_i64().unwrap(),
    )
}

async fn link(
    app: &TestApp,
    token: &str,
    from: &str,
    to: Value,
    kind: &str,
) -> crate::harness::Resp {
    app.post(
        &format!("/tickets/{from}/links"),
        Some(token),
        json!({"ticket_id": to, "kind": kind}),
    )
    .await
}

fn kinds(list: &Value) -> Vec<(i64, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["ticket"]["number"].as_i64().unwrap(),
                l["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn links_and_open_children(app: TestApp) {
    let team = app.team("Acme").await;
    let agent = team.agent.as_str();
    let (outage, n_outage) = open(&app, agent, "Internet down at HQ").await;
    let (first, n_first) = open(&app, &team.alice, "Cannot reach mail").await;
    let (second, n_second) = open(&app, &team.bob, "No VPN").await;
    let (other, n_other) = open(&app, agent, "Printer").await;

    // Two children (named by id and by number) and a related ticket; both ends list them.
    assert_eq!(
        link(&app, agent, &first, json!(outage), "PARENT")
            .await
            .status,
        StatusCode::CREATED
    );
    let r = link(&app, agent, &outage, json!(n_second), "CHILD").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["kind"], "CHILD");
    let related = link(&app, agent, &outage, json!(other), "RELATED").await;
    assert_eq!(related.status, StatusCode::CREATED);
    let on_outage = app
        .get(&format!("/tickets/{outage}/links"), agent)
        .await
        .body;
    assert_eq!(
        kinds(&on_outage),
        [
            (n_first, "CHILD".to_owned()),
            (n_second, "CHILD".to_owned()),
            (n_other, "RELATED".to_owned())
        ]
    );
    let on_first = app
        .get(&format!("/tickets/{first}/links"), agent)
        .await
        .body;
    assert_eq!(kinds(&on_first), [(n_outage, "PARENT".to_owned())]);

    // No duplicates (either way round), no second parent, no cycles, not itself.
    let r = link(&app, agent, &first, json!(outage), "RELATED").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = link(&app, agent, &other, json!(first), "CHILD").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let (grand, _) = open(&app, agent, "Switch").await;
    assert_eq!(
        link(&app, agent, &first, json!(grand), "CHILD")
            .await
            .status,
        StatusCode::CREATED
    );
    let r = link(&app, agent, &outage, json!(grand), "PARENT").await;
    assert_eq!(
        (r.status, r.error_fields()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["ticket_id".to_owned()]
        )
    );
    let r = link(&app, agent, &outage, json!(outage), "RELATED").await;
    assert_eq!(
        (r.status, r.error_fields()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["ticket_id".to_owned()]
        )
    );
    // Customers do not manage links.
    assert_eq!(
        link(&app, &team.alice, &first, json!(other), "RELATED")
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The parent is not resolved while children are open: 409 with them listed.
    let r = app
        .patch(
            &format!("/tickets/{outage}"),
            agent,
            json!({"status": "RESOLVED"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "children_open"),
        "{}",
        r.body
    );
    let listed: Vec<i64> = r.body["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, [n_first, n_second]);
    // Once the second child is resolved, only the first is named.
    let r = app
        .patch(
            &format!("/tickets/{second}"),
            agent,
            json!({"status": "RESOLVED"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .patch(
            &format!("/tickets/{outage}"),
            agent,
            json!({"status": "RESOLVED"}),
        )
        .await;
    assert_eq!(
        r.body["children"].as_array().unwrap().len(),
        1,
        "{}",
        r.body
    );

    // Resolving with the children: the first child and its own child are resolved, each
    // with a note naming the parent.
    let r = app
        .patch(
            &format!("/tickets/{outage}"),
            agent,
            json!({"status": "RESOLVED", "resolve_children": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "RESOLVED");
    for id in [&first, &grand] {
        let t = app.get(&format!("/tickets/{id}"), agent).await.body;
        assert_eq!(t["status"], "RESOLVED", "{t}");
        let msgs = app
            .get(&format!("/tickets/{id}/messages"), agent)
            .await
            .body;
        let note = &msgs["items"][0];
        assert_eq!(note["internal"], true);
        assert_eq!(
            note["body"],
            format!("Resolved with its parent ticket #{n_outage}: Internet down at HQ")
        );
    }
    // The customer of a child never saw the note.
    let seen = app
        .get(&format!("/tickets/{first}/messages"), &team.alice)
        .await
        .body;
    assert_eq!(seen["items"], json!([]));

    // Unlinking: gone from both ends, on both timelines.
    let id = related.body["id"].as_str().unwrap();
    let r = app
        .delete(&format!("/tickets/{other}/links/{id}"), agent)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.delete(&format!("/tickets/{other}/links/{id}"), agent)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let on_other = app
        .get(&format!("/tickets/{other}/links"), agent)
        .await
        .body;
    assert_eq!(on_other, json!([]));
    let ev = app
        .get(&format!("/tickets/{other}/events"), agent)
        .await
        .body;
    let types: Vec<&str> = ev
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["ticket.created", "link.created", "link.deleted"]);
}
both!(links_and_open_children);
