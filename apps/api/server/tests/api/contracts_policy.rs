//! A contract's SLA policy: the organization's new tickets get it while the contract is
//! in force (its dates in the workspace's time zone), over the organization's own.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;

/// A contract's SLA policy applies to the organization's new tickets while it is in force
/// (in the workspace's time zone), over the organization's own policy.
async fn contract_policy_applies(app: TestApp) {
    let team = app.team("Acme").await;
    let cal = app
        .post("/business-hours", Some(&team.admin), json!({"name": "24x7", "timezone": "UTC",
            "weekly": {"mon": [["00:00","24:00"]], "tue": [["00:00","24:00"]], "wed": [["00:00","24:00"]],
                "thu": [["00:00","24:00"]], "fri": [["00:00","24:00"]], "sat": [["00:00","24:00"]], "sun": [["00:00","24:00"]]}}))
        .await;
    assert_eq!(cal.status, StatusCode::CREATED, "{}", cal.body);
    let policy = |name: &'static str, minutes: i64| {
        let (app, admin, cal) = (&app, team.admin.clone(), cal.str("id"));
        async move {
            let r = app
                .post(
                    "/sla-policies",
                    Some(&admin),
                    json!({"name": name, "business_hours_id": cal,
                    "targets": {"MEDIUM": {"first_response_minutes": minutes}}}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            r.str("id")
        }
    };
    let (basic, gold) = (policy("Basic", 480).await, policy("Gold", 30).await);
    let org = app
        .post(
            "/organizations",
            Some(&team.admin),
            json!({"name": "Client Co", "sla_policy_id": basic}),
        )
        .await
        .str("id");
    let open = || {
        let (app, agent, alice, org) =
            (&app, team.agent.clone(), team.alice_id.clone(), org.clone());
        async move {
            let t = app
                .ticket(&agent, json!({"subject": "s", "description": "d", "requester_id": alice, "organization_id": org}))
                .await;
            t["sla"]["policy_id"].as_str().unwrap().to_owned()
        }
    };
    app.clock.set("2027-05-10T12:00:00Z".parse().unwrap());
    assert_eq!(open().await, basic);
    let r = app
        .post(&format!("/organizations/{org}/contracts"), Some(&team.admin), json!({"name": "Gold", "kind": "RETAINER",
            "included_minutes": 600, "starts_on": "2027-05-11", "currency": "EUR", "sla_policy_id": gold}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Not yet in force today; from its first day it is.
    assert_eq!(open().await, basic);
    app.clock.set("2027-05-11T00:30:00Z".parse().unwrap());
    assert_eq!(open().await, gold);
}
both!(contract_policy_applies);
