//! Splitting a message off into a ticket of its own: the same requester, the message and
//! its files moved, the two related, search following on both backends.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

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

async fn split_opens_a_ticket(app: TestApp) {
    let team = app.team("Acme").await;
    let agent = team.agent.as_str();
    let t = app
        .ticket(
            &team.alice,
            json!({"subject": "Laptop slow", "description": "It is slow"}),
        )
        .await;
    let id = t["id"].as_str().unwrap();
    let say = |body: &str, internal: bool, who: &str| {
        let (app, path, body, who) = (
            &app,
            format!("/tickets/{id}/messages"),
            body.to_owned(),
            who.to_owned(),
        );
        async move {
            let r = app
                .post(
                    &path,
                    Some(&who),
                    json!({"body": body, "internal": internal}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            r.str("id")
        }
    };
    say("Rebooting it", false, agent).await;
    let other = say("Also, my phone does not get mail", false, &team.alice).await;
    let note = say("She asked twice", true, agent).await;
    let file = app
        .upload(
            &format!("/tickets/{id}/attachments"),
            &team.alice,
            "phone.png",
            "image/png",
            b"\x89PNG...".to_vec(),
            Some(&other),
        )
        .await;
    assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);

    // Notes and others' messages are refused; customers may not split.
    let split = |m: &str, who: &str, body: Value| {
        let (app, path, who) = (
            &app,
            format!("/tickets/{id}/messages/{m}/split"),
            who.to_owned(),
        );
        async move { app.post(&path, Some(&who), body).await }
    };
    let r = split(&note, agent, json!({})).await;
    assert_eq!(
        (r.status, r.error_fields()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["message_id".to_owned()]
        )
    );
    assert_eq!(
        split(&other, &team.alice, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let stranger = uuid::Uuid::now_v7().to_string();
    assert_eq!(
        split(&stranger, agent, json!({})).await.status,
        StatusCode::NOT_FOUND
    );

    let r = split(&other, agent, json!({"subject": "Phone mail"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let new = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["subject"], "Phone mail");
    assert_eq!(r.body["description"], "Also, my phone does not get mail");
    assert_eq!(r.body["requester_id"], team.alice_id.as_str());
    // The message left the source with its file; the two are related.
    let msgs = app
        .get(&format!("/tickets/{id}/messages"), agent)
        .await
        .body;
    let left: Vec<&str> = msgs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["Rebooting it", "She asked twice"]);
    let files = app
        .get(&format!("/tickets/{new}/attachments"), agent)
        .await
        .body;
    assert_eq!(files.as_array().unwrap().len(), 1, "{files}");
    assert_eq!(files[0]["message_id"], Value::Null);
    assert_eq!(
        app.get(&format!("/tickets/{id}/attachments"), agent)
            .await
            .body,
        json!([])
    );
    let links = app.get(&format!("/tickets/{new}/links"), agent).await.body;
    assert_eq!(
        kinds(&links),
        [(t["number"].as_i64().unwrap(), "RELATED".to_owned())]
    );
    // The requester sees the new ticket; search finds it by the moved words only there.
    assert_eq!(
        app.get(&format!("/tickets/{new}"), &team.alice)
            .await
            .status,
        StatusCode::OK
    );
    let found = app.get("/tickets?q=phone", agent).await.body;
    let ids: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [new.as_str()]);
    let ev = app.get(&format!("/tickets/{id}/events"), agent).await.body;
    assert!(
        ev.as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == "ticket.split" && e["changes"]["into"]["id"] == new.as_str()),
        "{ev}"
    );
}
both!(split_opens_a_ticket);
