//! The web app's pages for every role, over HTTP on every backend: staff get the console,
//! customers the portal, nobody another workspace's or another customer's ticket, and
//! the forms work without JavaScript (post, redirect, read).

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;
use crate::web_client::Browser;

async fn signed_in(app: &TestApp, email: &str, password: &str) -> Browser {
    let mut b = Browser::new(app);
    b.sign_in(email, password).await;
    b
}

/// Staff see the console with its views, customers the portal; a ticket page shows each
/// what they may see, and `/` sends each to their tickets.
async fn pages_for_every_role(app: TestApp) {
    let t = app.team("Acme").await;
    // The harness names users by their email; agents have real names.
    let named = app
        .patch(
            &format!("/users/{}", t.agent_id),
            &t.admin,
            json!({"name": "Ann Agent"}),
        )
        .await;
    assert_eq!(named.status, StatusCode::OK);
    let ticket = app
        .ticket(
            &t.alice,
            json!({"subject": "Printer error", "description": "PC Load Letter"}),
        )
        .await;
    let n = ticket["number"].as_i64().unwrap();
    let id = ticket["id"].as_str().unwrap();
    app.post(
        &format!("/tickets/{id}/messages"),
        Some(&t.agent),
        json!({"body": "Secret plan: swap the tray", "internal": true}),
    )
    .await;
    app.post(
        &format!("/tickets/{id}/messages"),
        Some(&t.agent),
        json!({"body": "Try the other tray", "internal": false}),
    )
    .await;

    let mut anon = Browser::new(&app);
    let home = anon.get("/").await;
    assert_eq!(home.location(), "/login");
    let guarded = anon.get(&format!("/tickets/{n}")).await;
    assert_eq!(guarded.status, StatusCode::SEE_OTHER);
    assert!(
        guarded.location().starts_with("/login?next="),
        "{}",
        guarded.location()
    );

    for (email, password) in [
        ("admin@acme.test", "secure"),
        ("agent@acme.test", "password1"),
    ] {
        let mut staff = signed_in(&app, email, password).await;
        assert_eq!(staff.get("/").await.location(), "/tickets");
        let list = staff.get("/tickets").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains("All open") && list.body.contains("SLA breached"));
        assert!(list.body.contains("Printer error"));
        let page = staff.get(&format!("/tickets/{n}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Secret plan") && page.body.contains("Internal note"));
        assert!(page.body.contains("Try the other tray"));
        assert_eq!(staff.get("/tickets/new").await.status, StatusCode::OK);
    }

    let mut alice = signed_in(&app, "alice@acme-client.test", "password1").await;
    let list = alice.get("/tickets").await;
    assert!(list.body.contains("My requests") && list.body.contains("Printer error"));
    assert!(!list.body.contains("All open"));
    let page = alice.get(&format!("/tickets/{n}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Try the other tray") && page.body.contains("Ann Agent"));
    assert!(
        !page.body.contains("Secret plan"),
        "a customer saw an internal note"
    );
    assert!(
        !page.body.contains("agent@acme.test"),
        "a customer saw an agent's email"
    );
    // Staff-only actions do not exist for customers.
    let fields = alice
        .post(
            &format!("/tickets/{n}/fields"),
            &[
                ("status", "CLOSED"),
                ("priority", "LOW"),
                ("assignee_id", ""),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(fields.status, StatusCode::NOT_FOUND);
    let bulk = alice
        .post(
            "/tickets/bulk",
            &[
                ("numbers", &n.to_string()),
                ("action", "status:CLOSED"),
                ("return_to", "/tickets"),
            ],
        )
        .await;
    assert_eq!(bulk.status, StatusCode::NOT_FOUND);

    // Another customer of the workspace, and another workspace's admin: no such ticket.
    let mut bob = signed_in(&app, "bob@acme-other.test", "password1").await;
    assert_eq!(
        bob.get(&format!("/tickets/{n}")).await.status,
        StatusCode::NOT_FOUND
    );
    app.admin_token("Globex").await;
    let mut other = signed_in(&app, "admin@globex.test", "secure").await;
    assert_eq!(
        other.get(&format!("/tickets/{n}")).await.status,
        StatusCode::NOT_FOUND
    );
    other.get("/tickets").await;
    let reply = other
        .post(
            &format!("/tickets/{n}/messages"),
            &[("body", "hi"), ("visibility", "public")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let unknown = other.get("/no/such/page").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.header("content-type").starts_with("text/html"));
}
both!(pages_for_every_role);

/// Without JavaScript: a customer opens a request, the agent replies and sets it pending
/// in one post, the customer replies and marks it solved.
async fn forms_work_without_javascript(app: TestApp) {
    let t = app.team("Acme").await;
    let mut alice = signed_in(&app, "alice@acme-client.test", "password1").await;
    alice.get("/tickets/new").await;
    let bad = alice
        .post("/tickets", &[("subject", ""), ("description", "x")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"e-subject\""), "{}", bad.body);
    let made = alice
        .post(
            "/tickets",
            &[
                ("subject", "Printer error"),
                ("description", "PC Load Letter"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let path = made.location().to_owned();
    let n: i64 = path.trim_start_matches("/tickets/").parse().unwrap();

    let mut agent = signed_in(&app, "agent@acme.test", "password1").await;
    agent.get(&path).await;
    let sent = agent
        .post(
            &format!("{path}/messages"),
            &[
                ("body", "Load A4 paper, please"),
                ("visibility", "public"),
                ("then_status", "PENDING"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let api = app.get(&format!("/tickets/{n}"), &t.agent).await;
    assert_eq!(api.body["status"], "PENDING");
    let empty = agent
        .post(
            &format!("{path}/messages"),
            &[("body", "  "), ("visibility", "internal")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);

    let page = alice.get(&path).await;
    assert!(page.body.contains("Load A4 paper") && page.body.contains("Waiting for you"));
    let answer = alice
        .post(&format!("{path}/messages"), &[("body", "Done, thanks")])
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let solved = alice.post(&format!("{path}/resolve"), &[]).await;
    assert_eq!(solved.status, StatusCode::SEE_OTHER, "{}", solved.body);
    let api = app.get(&format!("/tickets/{n}"), &t.agent).await;
    assert_eq!(api.body["status"], "RESOLVED");
    // A customer cannot set a status with a reply.
    let sneaky = alice
        .post(
            &format!("{path}/messages"),
            &[("body", "x"), ("then_status", "CLOSED")],
        )
        .await;
    assert_eq!(sneaky.status, StatusCode::BAD_REQUEST);
}
both!(forms_work_without_javascript);

/// The bulk bar changes what it can and says what it could not, and why.
async fn bulk_actions_report_each_ticket(app: TestApp) {
    let t = app.team("Acme").await;
    let a = app
        .ticket(&t.alice, json!({"subject": "One", "description": "d"}))
        .await;
    let b = app
        .ticket(&t.alice, json!({"subject": "Two", "description": "d"}))
        .await;
    let closed = app
        .patch(
            &format!("/tickets/{}", b["id"].as_str().unwrap()),
            &t.agent,
            json!({"status": "CLOSED"}),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let (na, nb) = (a["number"].to_string(), b["number"].to_string());
    let mut agent = signed_in(&app, "agent@acme.test", "password1").await;
    agent.get("/tickets").await;
    let r = agent
        .post(
            "/tickets/bulk",
            &[
                ("numbers", &na),
                ("numbers", &nb),
                ("action", "assign:me"),
                ("tag", ""),
                ("return_to", "/tickets?view=open"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let back = agent.get(r.location()).await;
    assert!(
        back.body.contains("1 of 2 tickets changed."),
        "{}",
        r.location()
    );
    assert!(
        back.body.contains(&format!("#{nb} (a closed ticket")),
        "{}",
        r.location()
    );
    let a_now = app
        .get(&format!("/tickets/{}", a["id"].as_str().unwrap()), &t.agent)
        .await;
    assert_eq!(a_now.body["assignee_id"], t.agent_id.as_str());
    // The view counts follow.
    let mine = agent.get("/tickets?view=mine").await;
    assert!(mine.body.contains("One") && !mine.body.contains(">Two<"));
}
both!(bulk_actions_report_each_ticket);

/// An email with accounts in two workspaces and the same password: the form asks which.
async fn sign_in_chooses_the_workspace(app: TestApp) {
    app.register("Acme", "pat@shared.test", "same-pass").await;
    app.register("Globex", "pat@shared.test", "same-pass").await;
    let mut b = Browser::new(&app);
    b.get("/login").await;
    let ask = b
        .post(
            "/login",
            &[("email", "pat@shared.test"), ("password", "same-pass")],
        )
        .await;
    assert_eq!(ask.status, StatusCode::CONFLICT);
    assert!(ask.body.contains("id=\"f-workspace\""));
    let ok = b
        .post(
            "/login",
            &[
                ("email", "pat@shared.test"),
                ("password", "same-pass"),
                ("workspace", "globex"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let list = b.get("/tickets").await;
    assert!(list.body.contains("Globex"));
    let wrong = Browser::new(&app).get("/login").await;
    assert_eq!(wrong.status, StatusCode::OK);
}
both!(sign_in_chooses_the_workspace);

/// Files sent with a reply travel with it: staff see an internal note's file, its
/// customer neither sees nor downloads it; a public reply's image shows as a preview.
async fn attachments_travel_with_messages(app: TestApp) {
    let t = app.team("Acme").await;
    let ticket = app
        .ticket(
            &t.alice,
            json!({"subject": "Screen flickers", "description": "d"}),
        )
        .await;
    let n = ticket["number"].as_i64().unwrap();
    let png: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R', 0,
        0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
    ];
    let mut agent = signed_in(&app, "agent@acme.test", "password1").await;
    agent.get(&format!("/tickets/{n}")).await;
    let note = agent
        .post_multipart(
            &format!("/tickets/{n}/messages"),
            &[("body", "Driver log attached"), ("visibility", "internal")],
            &[("files", "driver.log", "text/plain", b"error 42")],
        )
        .await;
    assert_eq!(note.status, StatusCode::SEE_OTHER, "{}", note.body);
    let reply = agent
        .post_multipart(
            &format!("/tickets/{n}/messages"),
            &[("body", "Is it like this?"), ("visibility", "public")],
            &[("files", "screen.png", "image/png", png)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = agent.get(&format!("/tickets/{n}")).await;
    assert!(page.body.contains("driver.log") && page.body.contains("screen.png"));
    let link = |body: &str, name: &str| {
        let before = body.split(&format!(">{name}</a>")).next().unwrap();
        let href = before.rsplit("href=\"").next().unwrap();
        href.split('"').next().unwrap().to_owned()
    };
    let log_url = link(&page.body, "driver.log");
    let png_url = link(&page.body, "screen.png");
    assert!(
        page.body.contains(&format!("<img src=\"{png_url}\"")),
        "no preview"
    );
    assert_eq!(agent.get(&log_url).await.status, StatusCode::OK);

    let mut alice = signed_in(&app, "alice@acme-client.test", "password1").await;
    let portal = alice.get(&format!("/tickets/{n}")).await;
    assert!(portal.body.contains("screen.png") && !portal.body.contains("driver.log"));
    assert_eq!(alice.get(&log_url).await.status, StatusCode::NOT_FOUND);
    let image = alice.get(&png_url).await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(image.header("content-type"), "image/png");
    // A customer's new request can carry a file too.
    alice.get("/tickets/new").await;
    let made = alice
        .post_multipart(
            "/tickets",
            &[
                ("subject", "Photo of the error"),
                ("description", "See the file"),
            ],
            &[("files", "error.txt", "text/plain", b"E42")],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let mine = alice.get(made.location()).await;
    assert!(mine.body.contains("error.txt"), "{}", mine.body);
}
both!(attachments_travel_with_messages);

/// A macro is previewed in words before it is applied, on one ticket or on many; the SLA
/// explanation is a click away for staff and no page for customers.
async fn macros_preview_then_apply(app: TestApp) {
    let t = app.team("Acme").await;
    let m = app
        .post("/macros", Some(&t.admin), json!({"name": "Paper jam", "reply": "Please load A4 paper.", "actions": [{"type": "set_status", "status": "PENDING"}, {"type": "add_tag", "tag": "printer"}]}))
        .await;
    assert_eq!(m.status, StatusCode::CREATED, "{}", m.body);
    let id = m.str("id");
    let one = app
        .ticket(&t.alice, json!({"subject": "Jam", "description": "d"}))
        .await;
    let two = app
        .ticket(
            &t.alice,
            json!({"subject": "Jam again", "description": "d"}),
        )
        .await;
    let three = app
        .ticket(
            &t.alice,
            json!({"subject": "Jam thrice", "description": "d"}),
        )
        .await;
    let n = one["number"].as_i64().unwrap();
    let mut agent = signed_in(&app, "agent@acme.test", "password1").await;
    let preview = agent.get(&format!("/tickets/{n}?macro={id}")).await;
    assert!(
        preview.body.contains("set status to Pending")
            && preview.body.contains("add tag \u{201c}printer\u{201d}"),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("Please load A4 paper."));
    let unchanged = app.get(&format!("/tickets/{n}"), &t.agent).await;
    assert_eq!(
        unchanged.body["status"], "NEW",
        "a preview changed the ticket"
    );
    let applied = agent
        .post(&format!("/tickets/{n}/macro"), &[("macro_id", &id)])
        .await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.body);
    let after = app.get(&format!("/tickets/{n}"), &t.agent).await;
    assert_eq!(after.body["status"], "PENDING");
    assert_eq!(after.body["tags"], json!(["printer"]));
    agent.get("/tickets").await;
    let (a, b) = (two["number"].to_string(), three["number"].to_string());
    let bulk = agent
        .post(
            "/tickets/bulk",
            &[
                ("numbers", &a),
                ("numbers", &b),
                ("action", &format!("macro:{id}")),
                ("tag", ""),
                ("return_to", "/tickets"),
            ],
        )
        .await;
    let report = agent.get(bulk.location()).await;
    assert!(
        report.body.contains("2 of 2 tickets changed."),
        "{}",
        bulk.location()
    );
    for tk in [&two, &three] {
        let now = app
            .get(
                &format!("/tickets/{}", tk["id"].as_str().unwrap()),
                &t.agent,
            )
            .await;
        assert_eq!(now.body["tags"], json!(["printer"]));
    }
    assert_eq!(
        agent.get(&format!("/tickets/{n}/sla")).await.status,
        StatusCode::OK
    );
    let mut alice = signed_in(&app, "alice@acme-client.test", "password1").await;
    assert_eq!(
        alice.get(&format!("/tickets/{n}/sla")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !alice
            .get(&format!("/tickets/{n}?macro={id}"))
            .await
            .body
            .contains("Paper jam")
    );
}
both!(macros_preview_then_apply);
