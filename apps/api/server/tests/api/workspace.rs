//! `/workspace`: name and settings (auto-close days, time zone, default SLA, branding).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

async fn workspace_settings(app: TestApp) {
    let team = app.team("Acme").await;
    let got = app.get("/workspace", &team.admin).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(
        got.body["settings"],
        json!({"auto_close_days": 4, "timezone": "UTC", "branding": {}, "csat_enabled": false})
    );
    assert_eq!(got.body["default_sla_policy_id"], Value::Null);
    assert_eq!(
        app.get("/workspace", &team.agent).await.status,
        StatusCode::FORBIDDEN
    );
    let policy = app
        .post(
            "/sla-policies",
            Some(&team.admin),
            json!({"name": "Std", "targets": {}}),
        )
        .await
        .str("id");
    let other = app.team("Other").await;
    let theirs = app
        .post(
            "/sla-policies",
            Some(&other.admin),
            json!({"name": "Theirs", "targets": {}}),
        )
        .await
        .str("id");
    for (body, field) in [
        (json!({"auto_close_days": 0}), "auto_close_days"),
        (json!({"timezone": "Mars/Base"}), "timezone"),
        (
            json!({"branding": {"primary_color": "red"}}),
            "branding.primary_color",
        ),
        // Too light for links and buttons on white.
        (
            json!({"branding": {"primary_color": "#FFE066"}}),
            "branding.primary_color",
        ),
        (
            json!({"branding": {"logo_url": "http://x.test/a.png"}}),
            "branding.logo_url",
        ),
        (
            json!({"default_sla_policy_id": theirs}),
            "default_sla_policy_id",
        ),
        (json!({"colour": "red"}), "colour"),
    ] {
        let r = app.patch("/workspace", &team.admin, body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(r.error_fields(), [field], "{}", r.body);
    }
    let set = app
        .patch(
            "/workspace",
            &team.admin,
            json!({"name": "Acme IT", "timezone": "Europe/Madrid",
            "branding": {"primary_color": "#1A2B3C", "logo_url": "https://acme.test/logo.png"},
            "default_sla_policy_id": policy}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(set.body["name"], "Acme IT");
    assert_eq!(set.body["default_sla_policy_id"], policy.as_str());
    assert_eq!(
        app.get(&format!("/sla-policies/{policy}"), &team.admin)
            .await
            .body["is_default"],
        true
    );
    assert_eq!(
        app.get("/auth/me", &team.admin).await.body["workspace"]["name"],
        "Acme IT"
    );
    // Reports count days in the workspace's zone.
    let o = app
        .get(
            "/reports/overview?from=2027-01-01&to=2027-01-01",
            &team.agent,
        )
        .await;
    assert_eq!(o.body["from"], "2026-12-31T23:00:00Z");
    let none = app
        .patch(
            "/workspace",
            &team.admin,
            json!({"default_sla_policy_id": null}),
        )
        .await;
    assert_eq!(none.body["default_sla_policy_id"], Value::Null);
}
both!(workspace_settings);
