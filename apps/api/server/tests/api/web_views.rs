//! Saved views in the console, without JavaScript: the list's filters saved as a view with
//! its own columns, listed in the sidebar with a count, renamed and deleted; a view an
//! admin shares appears for every agent, who may not change it.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;
use crate::web_client::Browser;

async fn saved_views_in_the_console(app: TestApp) {
    let t = app.team("Acme").await;
    for (subject, priority) in [("Printer on fire", "URGENT"), ("New mouse", "LOW")] {
        app.ticket(
            &t.alice,
            json!({"subject": subject, "description": "d", "priority": priority}),
        )
        .await;
    }
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    let list = agent.get("/tickets?priority=URGENT").await;
    assert!(list.body.contains("Save as a view"));
    // Agents may not share.
    assert!(!list.body.contains("Share with the team"));

    // A nameless view is refused on its field, and the editor stays open with the choice.
    let r = agent
        .post(
            "/tickets/views",
            &[
                ("name", " "),
                ("priority", "URGENT"),
                ("columns", "created"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-name""#), "{}", r.body);
    assert!(r.body.contains(r#"id="view-editor" open"#));
    assert!(r.body.contains(r#"value="created" checked"#));

    let r = agent
        .post(
            "/tickets/views",
            &[
                ("name", "Urgent"),
                ("priority", "URGENT"),
                ("columns", "priority"),
                ("columns", "created"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let at = r.location().to_owned();
    assert!(at.starts_with("/tickets?saved="), "{at}");
    let id = at.trim_start_matches("/tickets?saved=").to_owned();
    let page = agent.get(&at).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("Printer on fire") && !body.contains("New mouse"));
    // Its columns, in its order; the sidebar lists it with its count.
    assert!(
        body.contains(
            r#"<th scope="col">Ticket</th>
        <th scope="col">Priority</th><th scope="col">Created</th>
"#
        ),
        "{body}"
    );
    assert!(!body.contains(r#"<th scope="col">Assignee</th>"#));
    assert!(body.contains("My views"));
    assert!(
        body.contains(&format!(
            r#"<a href="/tickets?saved={id}" aria-current="page"><span>Urgent</span> <span class="count">1<"#
        )),
        "{body}"
    );

    // Renamed, then deleted.
    let r = agent
        .post(
            &format!("/tickets/views/{id}"),
            &[("name", "Fires"), ("columns", "status")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = agent.get(&at).await;
    assert!(page.body.contains("<span>Fires</span>"));
    assert!(page.body.contains(r#"<th scope="col">Status</th>"#));
    let r = agent
        .post(&format!("/tickets/views/{id}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(agent.get(&at).await.status, StatusCode::NOT_FOUND);

    // An admin shares a view; the agent sees it under Team views and may not change it.
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@acme.test", "secure").await;
    assert!(
        admin
            .get("/tickets?view=open")
            .await
            .body
            .contains("Share with the team")
    );
    let r = admin
        .post(
            "/tickets/views",
            &[
                ("name", "Team fires"),
                ("priority", "URGENT"),
                ("shared", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let team_view = r.location().to_owned();
    let seen = agent.get("/tickets").await;
    assert!(seen.body.contains("Team views") && seen.body.contains("<span>Team fires</span>"));
    let opened = agent.get(&team_view).await;
    assert!(opened.body.contains("only an admin can change it"));
    let id = team_view.trim_start_matches("/tickets?saved=");
    let r = agent
        .post(&format!("/tickets/views/{id}"), &[("name", "Mine")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        agent
            .get("/tickets")
            .await
            .body
            .contains("<span>Team fires</span>")
    );
}
both!(saved_views_in_the_console);
