//! People copied on a ticket: a mail's other `To`/`Cc` addresses become participants
//! (customers; not staff, machines or our mailboxes; at most 20); they get the public
//! replies and their reply-all is theirs, in public; agents add and remove them.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

async fn emails(app: &TestApp, agent: &str, ticket: &str) -> Vec<String> {
    app.get(&format!("/tickets/{ticket}/participants"), agent)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["email"].as_str().unwrap().to_owned())
        .collect()
}

async fn copied_people_take_part(app: TestApp) {
    let team = app.team("Acme").await;
    let r = app
        .post(
            "/mailboxes",
            Some(&team.admin),
            json!({"address": "support@acme.test"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let first = app
        .mail_processed(&team.admin, "",
            "From: Carol <carol@client.test>\r\nTo: support@acme.test, Dave <dave@client.test>\r\n\
             Cc: agent@acme.test, noreply@client.test, support+x@acme.test, erin@partner.test\r\n\
             Subject: Server down\r\nMessage-ID: <p1@client.test>\r\n\r\nThe file server is down.\r\n")
        .await;
    assert_eq!(first["state"], "PROCESSED", "{first}");
    let ticket = first["ticket_id"].as_str().unwrap().to_owned();
    // Customers only: staff, a machine address and our own mailbox are not copied.
    assert_eq!(
        emails(&app, &team.agent, &ticket).await,
        ["dave@client.test", "erin@partner.test"]
    );

    // The agent's reply reaches the requester and both copied people.
    let r = app
        .post(
            &format!("/tickets/{ticket}/messages"),
            Some(&team.agent),
            json!({"body": "Restarting it."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let ws = app.workspace_id(&team.admin).await;
    for who in ["carol@client.test", "dave@client.test", "erin@partner.test"] {
        app.wait_mails(ws, who, "ticket_notification", 1).await;
    }
    let to_dave = app
        .wait_mails(ws, "dave@client.test", "ticket_notification", 1)
        .await;
    let message_id = format!(
        "{}.{}",
        to_dave[0].id.simple(),
        to_dave[0].in_reply_to.clone().unwrap()
    );

    // Dave answers all: a public reply by Dave, not a note.
    let m = app
        .mail_processed(&team.admin, "", &format!(
            "From: dave@client.test\r\nTo: support@acme.test\r\nCc: carol@client.test\r\nSubject: Re: Server down\r\n\
             Message-ID: <p2@client.test>\r\nIn-Reply-To: <{message_id}>\r\n\r\nIt is back, thanks.\r\n"))
        .await;
    assert_eq!(m["ticket_id"], ticket.as_str(), "{m}");
    assert!(m["reason"].is_null(), "{m}");
    let msgs: Value = app
        .get(&format!("/tickets/{ticket}/messages"), &team.agent)
        .await
        .body;
    let last = msgs["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["internal"], false, "{last}");
    let dave = app.get("/users?q=dave", &team.admin).await.body["items"][0]["id"].clone();
    assert_eq!(last["author_id"], dave, "{last}");
    // The requester and the other copied person hear of it; Dave, its author, does not.
    app.wait_mails(ws, "carol@client.test", "ticket_notification", 2)
        .await;
    app.wait_mails(ws, "erin@partner.test", "ticket_notification", 2)
        .await;
    app.jobs_drained().await;
    let to_dave = app
        .wait_mails(ws, "dave@client.test", "ticket_notification", 1)
        .await;
    assert_eq!(to_dave.len(), 1);
    // A `[#n]` subject from a participant counts; from a stranger it does not.
    let t = app
        .get(&format!("/tickets/{ticket}"), &team.agent)
        .await
        .body;
    let by_number = |from: &str, id: &str| {
        format!(
            "From: {from}\r\nTo: support@acme.test\r\nSubject: Re: [#{}] Server down\r\nMessage-ID: <{id}@client.test>\r\n\r\nMore.\r\n",
            t["number"]
        )
    };
    let m = app
        .mail_processed(&team.admin, "", &by_number("erin@partner.test", "p3"))
        .await;
    assert_eq!(m["ticket_id"], ticket.as_str(), "{m}");
    let m = app
        .mail_processed(&team.admin, "", &by_number("mallory@evil.test", "p4"))
        .await;
    assert_ne!(m["ticket_id"], ticket.as_str(), "{m}");

    // Agents manage them.
    let add = |email: &str| json!({"email": email});
    let path = format!("/tickets/{ticket}/participants");
    let r = app
        .post(&path, Some(&team.agent), add("frank@client.test"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["email"], "frank@client.test");
    for (email, field) in [
        ("carol@client.test", "email"),
        ("agent@acme.test", "email"),
        ("not an address", "email"),
    ] {
        let r = app.post(&path, Some(&team.agent), add(email)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{email}: {}",
            r.body
        );
        assert_eq!(r.error_fields(), [field]);
    }
    let r = app
        .post(&path, Some(&team.alice), add("x@client.test"))
        .await;
    assert!(
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status
    );
    let frank = app.get(&path, &team.agent).await.body[2]["user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app.delete(&format!("{path}/{frank}"), &team.agent).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app.delete(&format!("{path}/{frank}"), &team.agent).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // At most 20.
    for n in 0..18 {
        let r = app
            .post(&path, Some(&team.agent), add(&format!("p{n}@client.test")))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{n}: {}", r.body);
    }
    let r = app
        .post(&path, Some(&team.agent), add("one-too-many@client.test"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(emails(&app, &team.agent, &ticket).await.len(), 20);
}
both!(copied_people_take_part, crate::harness::jobs_in_process);

/// A participating customer sees the ticket (public messages only) and answers it; a
/// customer who is neither requester nor participant does not find it.
async fn participants_see_and_answer(app: TestApp) {
    let team = app.team("Acme").await;
    let t = app
        .ticket(
            &team.agent,
            json!({"subject": "Shared", "description": "x", "requester_id": team.alice_id}),
        )
        .await;
    let id = t["id"].as_str().unwrap();
    let r = app.get(&format!("/tickets/{id}"), &team.bob).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post(
            &format!("/tickets/{id}/participants"),
            Some(&team.agent),
            json!({"email": "bob@acme-other.test"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    app.post(
        &format!("/tickets/{id}/messages"),
        Some(&team.agent),
        json!({"body": "secret", "internal": true}),
    )
    .await;
    let list = app.get("/tickets", &team.bob).await.body;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    let msgs = app
        .get(&format!("/tickets/{id}/messages"), &team.bob)
        .await
        .body;
    assert!(
        msgs["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["internal"] == false),
        "{msgs}"
    );
    let r = app
        .post(
            &format!("/tickets/{id}/messages"),
            Some(&team.bob),
            json!({"body": "Me too"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Removed: the ticket is gone from their view again.
    let r = app
        .delete(
            &format!("/tickets/{id}/participants/{}", team.bob_id),
            &team.agent,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/tickets/{id}"), &team.bob).await.status,
        StatusCode::NOT_FOUND
    );
}
both!(participants_see_and_answer);
