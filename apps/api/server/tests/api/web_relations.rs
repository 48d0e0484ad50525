//! Ticket relations on the console's ticket page, without JavaScript: copying someone on
//! the ticket, linking (a refused link says why on its field), resolving a parent with its
//! children, splitting a message off and merging — each through the page's forms.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;
use crate::web_client::Browser;

async fn relations_from_the_ticket_page(app: TestApp) {
    let t = app.team("Acme").await;
    let open = |subject: &'static str| {
        let (app, alice) = (&app, t.alice.clone());
        async move {
            app.ticket(&alice, json!({"subject": subject, "description": "d"}))
                .await["number"]
                .as_i64()
                .unwrap()
        }
    };
    let (outage, child, dup) = (
        open("VPN down").await,
        open("No VPN").await,
        open("VPN again").await,
    );
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@acme.test", "password1").await;
    let page = agent.get(&format!("/tickets/{outage}")).await;
    assert!(page.body.contains("Linked tickets"), "{}", page.body);

    // Copy someone; they are listed with a way to remove them.
    let r = agent
        .post(
            &format!("/tickets/{outage}/participants"),
            &[("email", "carol@acme-client.test")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = agent.get(&format!("/tickets/{outage}")).await;
    assert!(page.body.contains("carol@acme-client.test"));
    let r = agent
        .post(
            &format!("/tickets/{outage}/participants"),
            &[("email", "not an address")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-copy""#), "{}", r.body);

    // Link a child; a link to itself is refused on the field.
    let r = agent
        .post(
            &format!("/tickets/{outage}/links"),
            &[("ticket", &format!("#{child}")), ("kind", "CHILD")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = agent
        .post(
            &format!("/tickets/{outage}/links"),
            &[("ticket", &outage.to_string()), ("kind", "RELATED")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-link""#), "{}", r.body);
    let page = agent.get(&format!("/tickets/{child}")).await;
    assert!(
        page.body.contains(&format!("#{outage} VPN down")),
        "{}",
        page.body
    );

    // A reply that would resolve the parent is held with its text kept.
    let r = agent
        .post(
            &format!("/tickets/{outage}/messages"),
            &[
                ("body", "All fixed"),
                ("visibility", "public"),
                ("then_status", "RESOLVED"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("open child tickets") && r.body.contains("All fixed</textarea>"),
        "{}",
        r.body
    );
    // Resolving the parent names the open child; ticking the box resolves both.
    let page = agent.get(&format!("/tickets/{outage}")).await;
    assert!(page.body.contains("Also resolve its open child tickets"));
    let version =
        app.get(&format!("/tickets/{outage}"), &t.agent).await.body["version"].to_string();
    let fields = |extra: Option<(&'static str, &'static str)>| {
        let mut f = vec![
            ("status", "RESOLVED"),
            ("priority", "MEDIUM"),
            ("assignee_id", ""),
            ("tags", ""),
        ];
        f.extend(extra);
        f
    };
    let mut f = fields(None);
    f.push(("version", &version));
    let r = agent.post(&format!("/tickets/{outage}/fields"), &f).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains(&format!("#{child} No VPN")), "{}", r.body);
    let mut f = fields(Some(("resolve_children", "on")));
    f.push(("version", &version));
    let r = agent.post(&format!("/tickets/{outage}/fields"), &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for n in [outage, child] {
        assert_eq!(
            app.get(&format!("/tickets/{n}"), &t.agent).await.body["status"],
            "RESOLVED"
        );
    }

    // Split a customer's message off into a ticket of its own.
    let m = app
        .post(
            &format!("/tickets/{dup}/messages"),
            Some(&t.alice),
            json!({"body": "Also the printer"}),
        )
        .await
        .str("id");
    let page = agent.get(&format!("/tickets/{dup}")).await;
    assert!(page.body.contains("Split into a new ticket"));
    let r = agent
        .post(
            &format!("/tickets/{dup}/messages/{m}/split"),
            &[("subject", "Printer")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let split = agent.get(r.location()).await;
    assert!(split.body.contains("Printer"), "{}", split.body);
    assert!(split.body.contains("Also the printer"));

    // Merge the duplicate into the outage: the page goes to the target, which shows the
    // copied opening marked with where it came from; the source says where it went.
    let r = agent
        .post(&format!("/tickets/{dup}/merge"), &[("into", "nope")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-into""#), "{}", r.body);
    let r = agent
        .post(
            &format!("/tickets/{dup}/merge"),
            &[("into", &child.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/tickets/{child}"));
    let target = agent.get(&format!("/tickets/{child}")).await;
    assert!(
        target
            .body
            .contains(&format!(r#"from <a href="/tickets/{dup}">#{dup}</a>"#)),
        "{}",
        target.body
    );
    let source = agent.get(&format!("/tickets/{dup}")).await;
    assert!(
        source
            .body
            .contains(&format!("Merged into <a href=\"/tickets/{child}\">")),
        "{}",
        source.body
    );
    assert!(!source.body.contains(r#"class="composer""#));
    // The customer's view of the source points to the target too.
    let mut alice = Browser::new(&app);
    alice.sign_in("alice@acme-client.test", "password1").await;
    let mine = alice.get(&format!("/tickets/{dup}")).await;
    assert!(
        mine.body.contains(&format!("request #{child}")),
        "{}",
        mine.body
    );
}
both!(relations_from_the_ticket_page);
