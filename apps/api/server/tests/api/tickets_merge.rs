//! Merging a duplicate: the target gets the source's opening, conversation and files at
//! their original times, marked with where they came from, and its people; the source is
//! closed pointing at the target, and what is written to it (API, email) goes there.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

async fn items(app: &TestApp, path: &str, token: &str) -> Vec<Value> {
    let r = app.get(path, token).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    match r.body.get("items") {
        Some(list) => list.as_array().unwrap().clone(),
        None => r.body.as_array().unwrap().clone(),
    }
}

async fn merge_moves_the_conversation(app: TestApp) {
    let team = app.team("Acme").await;
    app.post(
        "/automations",
        Some(&team.admin),
        json!({"name": "Mark merges", "trigger": "ticket.merged",
            "actions": [{"type": "add_tag", "tag": "merged"}]}),
    )
    .await;
    let source = app
        .ticket(
            &team.alice,
            json!({"subject": "Printer jammed", "description": "The floor 2 printer is jammed"}),
        )
        .await;
    let s = source["id"].as_str().unwrap().to_owned();
    let file = app
        .upload(
            &format!("/tickets/{s}/attachments"),
            &team.alice,
            "jam.txt",
            "text/plain",
            b"paper everywhere".to_vec(),
            None,
        )
        .await;
    assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
    let target = app
        .ticket(
            &team.bob,
            json!({"subject": "Printing broken", "description": "Nothing prints"}),
        )
        .await;
    let t = target["id"].as_str().unwrap().to_owned();
    for (body, internal) in [("Looking at it", false), ("Toner is fine", true)] {
        let r = app
            .post(
                &format!("/tickets/{s}/messages"),
                Some(&team.agent),
                json!({"body": body, "internal": internal}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let r = app
        .post(
            &format!("/tickets/{s}/participants"),
            Some(&team.agent),
            json!({"email": "carol@acme-client.test"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // Into the target, named by its number.
    let r = app
        .post(
            &format!("/tickets/{s}/merge"),
            Some(&team.agent),
            json!({"into": target["number"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["id"], t.as_str());
    let src = app.get(&format!("/tickets/{s}"), &team.agent).await.body;
    assert_eq!(src["status"], "CLOSED");
    assert_eq!(src["merged_into"], t.as_str());

    // The target shows the source's opening, reply and note at their original times, in
    // time order with its own opening kept as the description.
    let msgs = items(&app, &format!("/tickets/{t}/messages"), &team.agent).await;
    let bodies: Vec<&str> = msgs.iter().map(|m| m["body"].as_str().unwrap()).collect();
    assert_eq!(
        bodies,
        [
            "The floor 2 printer is jammed",
            "Looking at it",
            "Toner is fine"
        ]
    );
    assert!(
        msgs.iter().all(|m| m["merged_from"] == s.as_str()),
        "{msgs:?}"
    );
    assert_eq!(msgs[0]["created_at"], source["created_at"]);
    assert_eq!(msgs[0]["author_id"], team.alice_id.as_str());
    assert_eq!(msgs[2]["internal"], true);
    // The file, attached to the copied opening, with the same bytes.
    let files = items(&app, &format!("/tickets/{t}/attachments"), &team.agent).await;
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0]["merged_from"], s.as_str());
    assert_eq!(files[0]["message_id"], msgs[0]["id"]);
    // The source's requester and participant are copied on the target: Alice reads it,
    // without the note, and its file.
    let people = items(&app, &format!("/tickets/{t}/participants"), &team.agent).await;
    let emails: Vec<&str> = people
        .iter()
        .map(|p| p["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["alice@acme-client.test", "carol@acme-client.test"]);
    let seen = items(&app, &format!("/tickets/{t}/messages"), &team.alice).await;
    assert_eq!(seen.len(), 2, "{seen:?}");
    let url = files[0]["url"].as_str().unwrap().to_owned();
    let got = app.download(&url, &team.alice).await;
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.bytes().await.unwrap().as_ref(), b"paper everywhere");
    // Searching finds the target by the source's words.
    let found = items(&app, "/tickets?q=jammed", &team.agent).await;
    assert!(found.iter().any(|x| x["id"] == t.as_str()), "{found:?}");

    // Both timelines say what happened; the rule on `ticket.merged` ran on the target.
    let ev = app
        .get(&format!("/tickets/{s}/events"), &team.agent)
        .await
        .body;
    let closed = ev
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "ticket.updated" && e["changes"]["merged_into"].is_array())
        .expect("merge event on source");
    assert_eq!(
        closed["changes"]["merged_into"][1]["number"],
        target["number"]
    );
    assert_eq!(closed["changes"]["status"][1], "CLOSED");
    let ev = app
        .get(&format!("/tickets/{t}/events"), &team.agent)
        .await
        .body;
    let merged = ev
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "ticket.merged")
        .expect("merge event on target");
    assert_eq!(merged["changes"]["merged_from"]["number"], source["number"]);
    assert_eq!(merged["changes"]["messages"], 3);
    assert_eq!(merged["changes"]["attachments"], 1);
    app.eventually(&format!("/tickets/{t}"), &team.agent, |x| {
        x["tags"] == json!(["merged"])
    })
    .await;

    // Writing to the source points to the target.
    for who in [&team.agent, &team.alice] {
        let r = app
            .post(
                &format!("/tickets/{s}/messages"),
                Some(who),
                json!({"body": "hello?"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.code(), "ticket_merged");
        assert_eq!(r.body["merged_into"]["number"], target["number"]);
    }
    // An emailed answer to the source lands on the target, as Alice's public reply.
    let r = app
        .post(
            "/mailboxes",
            Some(&team.admin),
            json!({"address": "support@acme.test"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let raw = format!(
        "From: alice@acme-client.test\r\nTo: support@acme.test\r\nSubject: Re: [#{}] Printer jammed\r\n\
         Message-ID: <m1@acme-client.test>\r\n\r\nStill jammed.\r\n",
        source["number"]
    );
    let m = app.mail_processed(&team.admin, "", &raw).await;
    assert_eq!(m["ticket_id"], t.as_str(), "{m}");
    let msgs = items(&app, &format!("/tickets/{t}/messages"), &team.agent).await;
    let last = msgs.last().unwrap();
    assert_eq!(last["body"].as_str().unwrap().trim(), "Still jammed.");
    assert_eq!(last["author_id"], team.alice_id.as_str());
}
both!(
    merge_moves_the_conversation,
    crate::harness::jobs_in_process
);

async fn merge_refusals(app: TestApp) {
    let team = app.team("Acme").await;
    let other = app.team("Other").await;
    let open = |subject: &'static str| {
        let app = &app;
        let alice = team.alice.clone();
        async move {
            app.ticket(&alice, json!({"subject": subject, "description": "x"}))
                .await
        }
    };
    let a = open("A").await;
    let b = open("B").await;
    let c = open("C").await;
    let (a_id, b_id) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let foreign = app
        .ticket(&other.alice, json!({"subject": "F", "description": "x"}))
        .await;
    let merge = |from: &str, into: Value, who: &str| {
        let (app, path, who) = (&app, format!("/tickets/{from}/merge"), who.to_owned());
        async move { app.post(&path, Some(&who), json!({"into": into})).await }
    };
    // Customers may not; another workspace's ticket is not there, either way round.
    assert_eq!(
        merge(a_id, json!(b_id), &team.alice).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        merge(a_id, foreign["id"].clone(), &team.agent).await.status,
        StatusCode::NOT_FOUND
    );
    let theirs = foreign["id"].as_str().unwrap();
    assert_eq!(
        merge(theirs, json!(a_id), &team.agent).await.status,
        StatusCode::NOT_FOUND
    );
    // Not into itself, not into a closed ticket, and names must be tickets.
    let r = merge(a_id, json!(a_id), &team.agent).await;
    assert_eq!(
        (r.status, r.error_fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["into".to_owned()])
    );
    let r = app
        .patch(
            &format!("/tickets/{}", c["id"].as_str().unwrap()),
            &team.agent,
            json!({"status": "CLOSED"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = merge(a_id, c["number"].clone(), &team.agent).await;
    assert_eq!(
        (r.status, r.error_fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["into".to_owned()])
    );
    let r = merge(a_id, json!("not a ticket"), &team.agent).await;
    assert_eq!(
        (r.status, r.error_fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["into".to_owned()])
    );
    let r = app
        .post(
            &format!("/tickets/{a_id}/merge"),
            Some(&team.agent),
            json!({"into": b_id, "x": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // Nothing of that changed A.
    assert_eq!(
        app.get(&format!("/tickets/{a_id}"), &team.agent).await.body["version"],
        a["version"]
    );
    // Merged once: not again, and the target not back into it.
    assert_eq!(
        merge(a_id, json!(b_id), &team.agent).await.status,
        StatusCode::OK
    );
    let r = merge(a_id, json!(b_id), &team.agent).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "ticket_merged")
    );
    let r = merge(b_id, json!(a_id), &team.agent).await;
    assert_eq!(
        (r.status, r.error_fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["into".to_owned()])
    );
    assert_eq!(
        app.get(&format!("/tickets/{b_id}"), &team.agent).await.body["status"],
        "NEW"
    );
}
both!(merge_refusals);
