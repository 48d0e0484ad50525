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
        let fields: Vec<String> = r.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap_or("").to_owned())
            .collect();
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
