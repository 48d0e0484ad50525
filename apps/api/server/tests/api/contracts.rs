//! Contracts and billing, against figures worked out by hand: a 10-hour prepaid block over
//! January and February, a time-and-materials contract after it, a monthly retainer; time
//! logged across period boundaries in the workspace's time zone (New York), edited and
//! deleted; alerts once per period; the billing report in JSON and CSV.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both;
use crate::harness::TestApp;

struct Shop {
    app: TestApp,
    admin: String,
    agent: String,
    alice: String,
}

impl Shop {
    async fn ticket(&self, org: &str) -> String {
        let body = json!({"subject": "Work", "description": "d", "requester_id": self.alice, "organization_id": org});
        self.app.ticket(&self.agent, body).await["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn log(&self, ticket: &str, minutes: i64, at: &str, billable: bool) -> String {
        let r = self
            .app
            .post(
                &format!("/tickets/{ticket}/time-entries"),
                Some(&self.agent),
                json!({"minutes": minutes, "started_at": at, "billable": billable}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.str("id")
    }

    async fn contract(&self, org: &str, body: Value) -> crate::harness::Resp {
        self.app
            .post(
                &format!("/organizations/{org}/contracts"),
                Some(&self.admin),
                body,
            )
            .await
    }

    async fn usage(&self, contract: &str, day: &str) -> Value {
        let r = self
            .app
            .get(
                &format!("/contracts/{contract}/usage?period={day}"),
                &self.agent,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body
    }

    async fn alerts(&self) -> Vec<String> {
        let ws = self.app.workspace_id(&self.admin).await;
        helpdesk_storage::repo::outbox::for_recipient(self.app.store.read(), ws, "admin@acme.test")
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.kind == "contract_alert")
            .map(|m| m.subject)
            .collect()
    }
}

/// organization, contract, period start, billable, included, overage, amount.
type BillingLine = (
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
    i64,
    Option<i64>,
);

fn figures(u: &Value) -> [i64; 5] {
    let n = |k: &str| u[k].as_i64().unwrap_or(-1);
    [
        n("included_minutes"),
        n("used_minutes"),
        n("remaining_minutes"),
        n("overage_minutes"),
        n("amount_cents"),
    ]
}

async fn prepaid_hours_and_billing(app: TestApp) {
    // The clock stands in mid-March; the alerts follow the entries' days, not the clock.
    app.clock.set("2027-03-15T12:00:00Z".parse().unwrap());
    let team = app.team("Acme").await;
    // A rule on the alert: the ticket whose time used the block up is tagged.
    let rule = app
        .post(
            "/automations",
            Some(&team.admin),
            json!({"name": "Block used up", "trigger": "contract.exhausted",
                "actions": [{"type": "add_tag", "tag": "block-used-up"}]}),
        )
        .await;
    assert_eq!(rule.status, StatusCode::CREATED, "{}", rule.body);
    let r = app
        .patch(
            "/workspace",
            &team.admin,
            json!({"timezone": "America/New_York"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let org = |name: &'static str| {
        let (app, admin) = (&app, team.admin.clone());
        async move {
            app.post("/organizations", Some(&admin), json!({"name": name}))
                .await
                .str("id")
        }
    };
    let (client, retained, other) = (
        org("Client Co").await,
        org("Retained Ltd").await,
        org("Other, \"Org\"").await,
    );
    let shop = Shop {
        app,
        admin: team.admin.clone(),
        agent: team.agent.clone(),
        alice: team.alice_id.clone(),
    };

    // Refusals: agents may not write contracts; fields are checked together.
    let block = json!({"name": "10 hours", "kind": "PREPAID_HOURS", "included_minutes": 600, "period": "NONE",
        "starts_on": "2027-01-01", "ends_on": "2027-02-28", "hourly_rate_cents": 9000, "currency": "EUR"});
    let r = shop
        .app
        .post(
            &format!("/organizations/{client}/contracts"),
            Some(&shop.agent),
            block.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = shop.contract(&client, json!({"kind": "RETAINER", "period": "NONE", "starts_on": "2027-02-30", "currency": "eur", "alert_at_percent": 0})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut bad = r.error_fields();
    bad.sort();
    assert_eq!(
        bad,
        [
            "alert_at_percent",
            "currency",
            "included_minutes",
            "name",
            "period",
            "starts_on"
        ]
    );
    let prepaid = shop.contract(&client, block).await;
    assert_eq!(prepaid.status, StatusCode::CREATED, "{}", prepaid.body);
    let a = prepaid.str("id");
    // Overlapping contracts are refused; the next one starts after.
    let tm = json!({"name": "T&M", "kind": "TIME_AND_MATERIALS", "starts_on": "2027-02-15", "hourly_rate_cents": 6000, "currency": "EUR"});
    assert_eq!(
        shop.contract(&client, tm.clone()).await.status,
        StatusCode::CONFLICT
    );
    let mut tm = tm;
    tm["starts_on"] = json!("2027-03-01");
    let c = shop.contract(&client, tm).await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let c = c.str("id");
    let ret = shop
        .contract(&retained, json!({"name": "Retainer", "kind": "RETAINER", "included_minutes": 60, "period": "MONTH",
            "starts_on": "2027-01-01", "hourly_rate_cents": 12000, "currency": "USD", "alert_at_percent": 50}))
        .await
        .str("id");

    let t1 = shop.ticket(&client).await;
    let t2 = shop.ticket(&client).await;
    shop.log(&t1, 240, "2027-01-10T15:00:00Z", true).await;
    shop.log(&t1, 60, "2027-01-20T15:00:00Z", false).await;
    // 03:00 UTC on 1 February is still 31 January in New York.
    shop.log(&t1, 200, "2027-02-01T03:00:00Z", true).await;
    assert_eq!(shop.alerts().await, Vec::<String>::new());
    shop.log(&t2, 100, "2027-02-10T12:00:00Z", true).await; // 540 of 600: 90 %
    let e5 = shop.log(&t2, 30, "2027-02-11T12:00:00Z", true).await;
    let e6 = shop.log(&t2, 90, "2027-02-20T12:00:00Z", true).await; // 660
    assert_eq!(
        figures(&shop.usage(&a, "2027-02-15").await),
        [600, 660, 0, 60, 9000]
    );
    assert_eq!(
        shop.alerts().await,
        [
            "Contract \"10 hours\" reached 80%",
            "Contract \"10 hours\" is used up"
        ]
    );
    let ev = shop
        .app
        .get(&format!("/tickets/{t2}/events"), &shop.agent)
        .await
        .body;
    let kinds: Vec<&str> = ev
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .filter(|k| k.starts_with("contract."))
        .collect();
    assert_eq!(kinds, ["contract.threshold", "contract.exhausted"]);
    shop.app
        .eventually(&format!("/tickets/{t2}"), &shop.agent, |t| {
            t["tags"] == json!(["block-used-up"])
        })
        .await;

    // Edited and deleted entries are counted at once; no alert is sent twice.
    let r = shop
        .app
        .patch(
            &format!("/tickets/{t2}/time-entries/{e6}"),
            &shop.agent,
            json!({"minutes": 30}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        figures(&shop.usage(&a, "2027-01-01").await),
        [600, 600, 0, 0, 0]
    );
    let r = shop
        .app
        .delete(&format!("/tickets/{t2}/time-entries/{e5}"), &shop.agent)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        figures(&shop.usage(&a, "2027-01-01").await),
        [600, 570, 30, 0, 0]
    );
    shop.log(&t2, 45, "2027-03-01T04:00:00Z", true).await; // 23:00 on 28 February in New York: the block
    assert_eq!(
        figures(&shop.usage(&a, "2027-02-28").await),
        [600, 615, 0, 15, 2250]
    );
    assert_eq!(shop.alerts().await.len(), 2);

    // Time and materials from March: every minute at the rate, March has 31 days.
    shop.log(&t1, 75, "2027-03-05T15:00:00Z", true).await;
    shop.log(&t1, 20, "2027-04-01T03:30:00Z", true).await; // 23:30 on 31 March (EDT)
    shop.log(&t1, 10, "2027-04-01T04:30:00Z", true).await; // 00:30 on 1 April: the next period
    let march = shop.usage(&c, "2027-03-31").await;
    assert_eq!(figures(&march), [0, 95, 0, 0, 9500]);
    assert_eq!(
        (march["period_start"].clone(), march["period_end"].clone()),
        (json!("2027-03-01"), json!("2027-03-31"))
    );
    let r = shop
        .app
        .get(
            &format!("/contracts/{a}/usage?period=2027-03-01"),
            &shop.agent,
        )
        .await;
    assert_eq!(r.error_fields(), ["period"]);

    // A retainer alerts once per monthly period: January's two, February's threshold.
    let t3 = shop.ticket(&retained).await;
    shop.log(&t3, 40, "2027-01-05T15:00:00Z", true).await;
    shop.log(&t3, 30, "2027-01-06T15:00:00Z", true).await;
    shop.log(&t3, 5, "2027-01-07T15:00:00Z", true).await;
    shop.log(&t3, 31, "2027-02-03T15:00:00Z", true).await;
    assert_eq!(shop.alerts().await.len(), 5);
    assert_eq!(
        figures(&shop.usage(&ret, "2027-01-31").await),
        [60, 75, 0, 15, 3000]
    );

    // Time of an organization without a contract is listed on its own.
    let t4 = shop.ticket(&other).await;
    shop.log(&t4, 50, "2027-02-02T15:00:00Z", true).await;

    let rows = shop
        .app
        .get(
            "/reports/billing?from=2027-01-01&to=2027-03-31",
            &shop.agent,
        )
        .await
        .body;
    let got: Vec<BillingLine> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().map(str::to_owned);
            let n = |k: &str| r[k].as_i64().unwrap();
            (
                s("organization").unwrap(),
                s("contract"),
                s("period_start"),
                n("billable_minutes"),
                n("included_minutes"),
                n("overage_minutes"),
                r["amount_cents"].as_i64(),
            )
        })
        .collect();
    let row = |o: &str, c: Option<&str>, p: Option<&str>, used, inc, over, amount| {
        (
            o.to_owned(),
            c.map(str::to_owned),
            p.map(str::to_owned),
            used,
            inc,
            over,
            amount,
        )
    };
    assert_eq!(
        got,
        [
            row(
                "Client Co",
                Some("10 hours"),
                Some("2027-01-01"),
                615,
                600,
                15,
                Some(2250)
            ),
            row(
                "Client Co",
                Some("T&M"),
                Some("2027-03-01"),
                95,
                0,
                0,
                Some(9500)
            ),
            row("Other, \"Org\"", None, None, 50, 0, 0, None),
            row(
                "Retained Ltd",
                Some("Retainer"),
                Some("2027-01-01"),
                75,
                60,
                15,
                Some(3000)
            ),
            row(
                "Retained Ltd",
                Some("Retainer"),
                Some("2027-02-01"),
                31,
                60,
                0,
                Some(0)
            ),
            row(
                "Retained Ltd",
                Some("Retainer"),
                Some("2027-03-01"),
                0,
                60,
                0,
                Some(0)
            ),
        ]
    );
    let csv = shop
        .app
        .client
        .get(format!(
            "{}/api/v1/reports/billing?from=2027-01-01&to=2027-03-31",
            shop.app.base
        ))
        .bearer_auth(&shop.agent)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "organization_id,organization,contract_id,contract,kind,period_start,period_end,billable_minutes,included_minutes,remaining_minutes,overage_minutes,amount_cents,currency"
    );
    assert_eq!(
        lines[3],
        format!("{other},\"Other, \"\"Org\"\"\",,,,,,50,0,0,0,,")
    );
    assert!(
        lines[1].ends_with(",PREPAID_HOURS,2027-01-01,2027-02-28,615,600,0,15,2250,EUR"),
        "{}",
        lines[1]
    );
}
both!(prepaid_hours_and_billing, crate::harness::jobs_in_process);
