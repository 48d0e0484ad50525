//! `/business-hours`: calendars validated by the SLA engine.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;

async fn calendars_are_validated_and_scoped(app: TestApp) {
    let team = app.team("Acme").await;
    let body = json!({
        "name": "Madrid office",
        "timezone": "Europe/Madrid",
        "weekly": {"mon": [["09:00","14:00"],["15:00","18:00"]], "fri": [["09:00","15:00"]], "sat": [["22:00","24:00"]], "sun": [["00:00","02:00"]]},
        "holidays": ["2026-12-25", "2026-01-06", "2026-12-25"]
    });
    let created = app.post("/business-hours", Some(&team.admin), body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(
        created.body["holidays"],
        json!(["2026-01-06", "2026-12-25"]),
        "sorted and deduplicated"
    );
    assert_eq!(
        created.body["weekly"]["mon"],
        json!([["09:00", "14:00"], ["15:00", "18:00"]])
    );
    assert!(
        created.body["weekly"].get("tue").is_none(),
        "closed days are absent"
    );
    let id = created.str("id");
    // Agents read, only admins write; customers see nothing.
    assert_eq!(
        app.get(&format!("/business-hours/{id}"), &team.agent)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/business-hours", &team.agent)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.post(
            "/business-hours",
            Some(&team.agent),
            json!({"name":"x","timezone":"UTC"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/business-hours", &team.alice).await.status,
        StatusCode::FORBIDDEN
    );
    for (bad, field) in [
        (json!({"name":"x","timezone":"Mars/Olympus"}), "timezone"),
        (
            json!({"name":"x","timezone":"UTC","weekly":{"mon":[["17:00","09:00"]]}}),
            "weekly.mon",
        ),
        (
            json!({"name":"x","timezone":"UTC","weekly":{"tue":[["09:00","13:00"],["12:00","18:00"]]}}),
            "weekly.tue",
        ),
        (
            json!({"name":"x","timezone":"UTC","weekly":{"wed":[["9:00","13:00"]]}}),
            "weekly.wed",
        ),
        (
            json!({"name":"x","timezone":"UTC","weekly":{"thu":[["09:00","24:30"]]}}),
            "weekly.thu",
        ),
        (
            json!({"name":"x","timezone":"UTC","weekly":{"funday":[["09:00","10:00"]]}}),
            "weekly.funday",
        ),
        (
            json!({"name":"x","timezone":"UTC","holidays":["25/12/2026"]}),
            "holidays[0]",
        ),
        (json!({"timezone":"UTC"}), "name"),
    ] {
        let r = app
            .post("/business-hours", Some(&team.admin), bad.clone())
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let fields = r.error_fields();
        assert!(
            fields.iter().any(|f| f == field || f.starts_with(field)),
            "{bad}: {fields:?}"
        );
    }
    let patched = app
        .patch(
            &format!("/business-hours/{id}"),
            &team.admin,
            json!({"timezone":"America/New_York","holidays":[]}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(patched.body["timezone"], "America/New_York");
    assert_eq!(
        patched.body["weekly"]["fri"],
        json!([["09:00", "15:00"]]),
        "untouched fields stay"
    );
    let bad_patch = app
        .patch(
            &format!("/business-hours/{id}"),
            &team.admin,
            json!({"weekly":{"mon":[["10:00","09:00"]]}}),
        )
        .await;
    assert_eq!(bad_patch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get(&format!("/business-hours/{id}"), &team.admin)
            .await
            .body["timezone"],
        "America/New_York"
    );
    assert_eq!(
        app.delete(&format!("/business-hours/{id}"), &team.admin)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/business-hours/{id}"), &team.admin)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
both!(calendars_are_validated_and_scoped);

async fn policies_validate_link_and_default(app: TestApp) {
    let team = app.team("Acme").await;
    let cal = app.post("/business-hours", Some(&team.admin), json!({"name":"Office","timezone":"Europe/Madrid","weekly":{"mon":[["09:00","17:00"]]}})).await.str("id");
    let body = json!({
        "name": "Gold",
        "business_hours_id": cal,
        "is_default": true,
        "targets": {"URGENT": {"first_response_minutes": 30, "next_response_minutes": 60, "resolution_minutes": 240}, "LOW": {"resolution_minutes": 2880}},
        "warn_at_percent": 75
    });
    let gold = app.post("/sla-policies", Some(&team.admin), body).await;
    assert_eq!(gold.status, StatusCode::CREATED, "{}", gold.body);
    assert_eq!(
        gold.body["pause_on"],
        json!({"first_response": [], "next_response": [], "resolution": ["PENDING", "ON_HOLD"]}),
        "default pauses"
    );
    assert_eq!(
        gold.body["targets"]["LOW"],
        json!({"resolution_minutes": 2880})
    );
    let gold_id = gold.str("id");
    // A second default takes the flag from the first.
    let silver = app
        .post(
            "/sla-policies",
            Some(&team.admin),
            json!({"name":"Silver","is_default":true,"pause_on":{"resolution":["PENDING"]}}),
        )
        .await;
    assert_eq!(silver.status, StatusCode::CREATED, "{}", silver.body);
    assert_eq!(
        app.get(&format!("/sla-policies/{gold_id}"), &team.agent)
            .await
            .body["is_default"],
        false
    );
    assert_eq!(
        silver.body["business_hours_id"],
        json!(null),
        "24x7 without a calendar"
    );
    for (bad, field) in [
        (
            json!({"name":"x","targets":{"CRITICAL":{"resolution_minutes":10}}}),
            "targets.CRITICAL",
        ),
        (
            json!({"name":"x","targets":{"HIGH":{"resolution_minutes":0}}}),
            "targets.HIGH.resolution_minutes",
        ),
        (
            json!({"name":"x","targets":{"HIGH":{"resolve_minutes":10}}}),
            "targets",
        ),
        (
            json!({"name":"x","pause_on":{"resolution":["CLOSED"]}}),
            "pause_on.resolution",
        ),
        (json!({"name":"x","warn_at_percent":100}), "warn_at_percent"),
        (
            json!({"name":"x","business_hours_id": uuid::Uuid::now_v7()}),
            "business_hours_id",
        ),
        (json!({"targets":{}}), "name"),
    ] {
        let r = app
            .post("/sla-policies", Some(&team.admin), bad.clone())
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
        let fields = r.error_fields();
        assert!(
            fields.iter().any(|f| f.starts_with(field)),
            "{bad}: {fields:?}"
        );
    }
    assert_eq!(
        app.post("/sla-policies", Some(&team.agent), json!({"name":"x"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Organizations may name a policy of their workspace; the calendar in use stays.
    let org = app
        .post(
            "/organizations",
            Some(&team.agent),
            json!({"name":"Client","sla_policy_id": gold_id}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED, "{}", org.body);
    let foreign = app.admin_token("Other").await;
    let theirs = app
        .post("/sla-policies", Some(&foreign), json!({"name":"Theirs"}))
        .await
        .str("id");
    let r = app
        .patch(
            &format!("/organizations/{}", org.str("id")),
            &team.agent,
            json!({"sla_policy_id": theirs}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.delete(&format!("/business-hours/{cal}"), &team.admin)
            .await
            .status,
        StatusCode::CONFLICT
    );
    let patched = app
        .patch(
            &format!("/sla-policies/{gold_id}"),
            &team.admin,
            json!({"business_hours_id": null, "warn_at_percent": 90}),
        )
        .await;
    assert_eq!(
        (
            patched.body["business_hours_id"].clone(),
            patched.body["warn_at_percent"].clone()
        ),
        (json!(null), json!(90))
    );
    assert_eq!(
        patched.body["targets"]["URGENT"]["first_response_minutes"], 30,
        "untouched fields stay"
    );
    assert_eq!(
        app.delete(&format!("/business-hours/{cal}"), &team.admin)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    // Deleting a policy unlinks the organizations that named it.
    assert_eq!(
        app.delete(&format!("/sla-policies/{gold_id}"), &team.admin)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/organizations/{}", org.str("id")), &team.agent)
            .await
            .body["sla_policy_id"],
        json!(null)
    );
}
both!(policies_validate_link_and_default);
