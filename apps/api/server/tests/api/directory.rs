//! Organizations (with domain-based joining) and assets.

use reqwest::StatusCode;
use serde_json::json;

use crate::both;
use crate::harness::TestApp;

async fn organizations_and_domain_join(app: TestApp) {
    let admin = app.admin_token("MSP").await;
    let (_, agent) = app.user_token(&admin, "agent@msp.test", "AGENT").await;
    let org = app.post("/organizations", Some(&agent), json!({"name":"Client Co","domains":["Client.com","@client.com","client.io"],"notes":"VIP"})).await;
    assert_eq!(org.status, StatusCode::CREATED, "{}", org.body);
    assert_eq!(org.body["domains"], json!(["client.com", "client.io"]));
    let org_id = org.str("id");
    let clash = app
        .post(
            "/organizations",
            Some(&agent),
            json!({"name":"Other","domains":["client.io"]}),
        )
        .await;
    assert_eq!(clash.status, StatusCode::CONFLICT);
    let bad = app
        .post(
            "/organizations",
            Some(&agent),
            json!({"name":"","domains":["not a domain"]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let no_name = app
        .post("/organizations", Some(&agent), json!({"domains":[]}))
        .await;
    assert_eq!(no_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    let sla = app
        .post(
            "/organizations",
            Some(&agent),
            json!({"name":"S","sla_policy_id": uuid::Uuid::now_v7()}),
        )
        .await;
    assert_eq!(sla.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A customer with a matching domain joins; an explicit null keeps it out.
    let joined = app
        .post(
            "/users",
            Some(&admin),
            json!({"email":"bob@CLIENT.com","name":"Bob","role":"CUSTOMER"}),
        )
        .await;
    assert_eq!(joined.body["organization_id"], json!(org_id));
    let kept_out = app
        .post(
            "/users",
            Some(&admin),
            json!({"email":"eve@client.com","name":"Eve","role":"CUSTOMER","organization_id":null}),
        )
        .await;
    assert_eq!(kept_out.body["organization_id"], json!(null));
    let staff = app
        .post(
            "/users",
            Some(&admin),
            json!({"email":"tech@client.com","name":"Tech","role":"AGENT"}),
        )
        .await;
    assert_eq!(staff.body["organization_id"], json!(null));
    let members = app
        .get(&format!("/users?organization_id={org_id}"), &agent)
        .await;
    assert_eq!(members.body["items"].as_array().unwrap().len(), 1);

    let patched = app
        .patch(
            &format!("/organizations/{org_id}"),
            &agent,
            json!({"name":"Client Company","domains":["client.com"],"notes":null}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(patched.body["domains"], json!(["client.com"]));
    assert_eq!(patched.body["notes"], json!(null));
    let list = app.get("/organizations?q=company", &agent).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);

    let del = app
        .delete(&format!("/organizations/{org_id}"), &agent)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/organizations/{org_id}"), &agent)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let bob = app
        .get(&format!("/users/{}", joined.str("id")), &admin)
        .await;
    assert_eq!(bob.body["organization_id"], json!(null));
}
both!(organizations_and_domain_join);

async fn assets_belong_to_organizations(app: TestApp) {
    let admin = app.admin_token("MSP").await;
    let (_, customer) = app.user_token(&admin, "c@else.test", "CUSTOMER").await;
    let org = app
        .post("/organizations", Some(&admin), json!({"name":"Client"}))
        .await
        .str("id");
    let asset = app
        .post("/assets", Some(&admin), json!({"organization_id": org, "name":"Reception PC","kind":"Desktop","hostname":"rec-01","os":"Windows 11","remote_access_id":"123 456 789"}))
        .await;
    assert_eq!(asset.status, StatusCode::CREATED, "{}", asset.body);
    assert_eq!(asset.body["kind"], "desktop");
    let id = asset.str("id");
    let missing = app.post("/assets", Some(&admin), json!({"name":"X"})).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let foreign_org = app
        .post(
            "/assets",
            Some(&admin),
            json!({"organization_id": uuid::Uuid::now_v7(), "name":"X","kind":"laptop"}),
        )
        .await;
    assert_eq!(foreign_org.status, StatusCode::UNPROCESSABLE_ENTITY);
    let patched = app
        .patch(
            &format!("/assets/{id}"),
            &admin,
            json!({"hostname": null, "serial":"SN1"}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(patched.body["hostname"], json!(null));
    assert_eq!(patched.body["serial"], "SN1");
    let list = app
        .get(&format!("/assets?organization_id={org}&q=sn1"), &admin)
        .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.get("/assets", &customer).await.status,
        StatusCode::FORBIDDEN
    );
    // An organization with assets cannot be deleted.
    let del_org = app.delete(&format!("/organizations/{org}"), &admin).await;
    assert_eq!(del_org.status, StatusCode::CONFLICT);
    assert_eq!(
        app.delete(&format!("/assets/{id}"), &admin).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&format!("/assets/{id}"), &admin).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&format!("/organizations/{org}"), &admin)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
}
both!(assets_belong_to_organizations);
