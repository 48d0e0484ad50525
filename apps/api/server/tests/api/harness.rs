//! `TestApp`: spawns the real server with its own database, and a small JSON client.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use helpdesk_domain::time::Clock;
use jiff::Timestamp;

use helpdesk::Config;
use helpdesk::config::Secret;
use helpdesk_storage::Store;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::oneshot;

mod running;

pub use running::{fresh_postgres_url, jobs_in_process, require_postgres, run, run_with_redis};

pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub backend: Backend,
    pub config: Config,
    /// The server's clock (shared with its replicas): real time until a test sets it.
    pub clock: Arc<TestClock>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    data_dir: PathBuf,
}

/// A clock tests move instead of sleeping: the real time until [`TestClock::set`], then
/// frozen where put.
#[derive(Debug, Default)]
pub struct TestClock(Mutex<Option<Timestamp>>);

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        self.0.lock().unwrap().unwrap_or_else(Timestamp::now)
    }
}

impl TestClock {
    pub fn set(&self, t: Timestamp) {
        *self.0.lock().unwrap() = Some(t);
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    /// Status, headers and the body as JSON (or as a string when it is not JSON).
    pub async fn read(res: reqwest::Response) -> Self {
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Resp {
            status,
            headers,
            body,
        }
    }

    /// The problem `code`, for error responses.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
    /// The `field`s of a validation problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn str(&self, key: &str) -> String {
        self.body[key]
            .as_str()
            .unwrap_or_else(|| panic!("no string {key} in {}", self.body))
            .to_owned()
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend, tweak: fn(&mut Config)) -> TestApp {
        Self::spawn_with(backend, tweak).await
    }

    /// [`spawn`](Self::spawn) with a tweak that may capture (a port the test chose).
    pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let data_dir =
            std::env::temp_dir().join(format!("helpdesk-test-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&data_dir).unwrap();
        let mut config = Config::defaults();
        config.data_dir = data_dir.clone();
        config.jwt_secret = Some(Secret(JWT_SECRET.into()));
        config.rate_limit_per_ip = 10_000;
        config.rate_limit_per_account = 10_000;
        config.rate_limit_messages_per_author = 10_000;
        config.rate_limit_messages_per_ticket = 10_000;
        config.db_max_connections = 5;
        config.export_lag_ms = 0;
        if backend == Backend::Postgres {
            config.database_url = Some(Secret(fresh_postgres_url().await));
            if let Ok(redis) = std::env::var("TEST_REDIS_URL") {
                config.redis_url = Some(Secret(redis));
                config.redis_prefix = format!("test-{}", uuid::Uuid::now_v7().simple());
            }
        }
        tweak(&mut config);
        Self::start(backend, config, data_dir, Arc::default()).await
    }

    /// A server on `config` as given (its data dir included), on the test clock.
    pub async fn spawn_config(backend: Backend, config: Config) -> TestApp {
        let data_dir = config.data_dir.clone();
        std::fs::create_dir_all(&data_dir).unwrap();
        Self::start(backend, config, data_dir, Arc::default()).await
    }

    /// Another API server on the same database (and Redis): a second replica.
    pub async fn replica(&self) -> TestApp {
        let data_dir =
            std::env::temp_dir().join(format!("helpdesk-test-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&data_dir).unwrap();
        Self::start(
            self.backend,
            self.config.clone(),
            data_dir,
            self.clock.clone(),
        )
        .await
    }

    async fn start(
        backend: Backend,
        config: Config,
        data_dir: PathBuf,
        clock: Arc<TestClock>,
    ) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(helpdesk::serve_with_clock(
            config.clone(),
            listener,
            async {
                let _ = stopped.await;
            },
            clock.clone(),
        ));
        let client = reqwest::Client::new();
        let base = format!("http://{addr}");
        // The server migrates before it accepts; wait until it answers.
        for _ in 0..200 {
            if client.get(format!("{base}/health")).send().await.is_ok() {
                break;
            }
            assert!(!server.is_finished(), "server exited during start-up");
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        let store = helpdesk::connect(&config).await.unwrap();
        TestApp {
            base,
            client,
            store,
            backend,
            config,
            clock,
            stop: Some(stop),
            server: Some(server),
            data_dir,
        }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let url = if path.starts_with('/') && !path.starts_with("/api/") && !is_service(path) {
            format!("{}/api/v1{path}", self.base)
        } else {
            format!("{}{path}", self.base)
        };
        let mut req = self.client.request(method, url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        Resp::read(res).await
    }

    /// The application layer on the test's database and clock, publishing to a bus of its
    /// own (the server's stream clients do not see what it publishes).
    pub fn service(&self) -> helpdesk_service::Service {
        let bus = helpdesk_service::EventBus::local(Arc::new(tokio::sync::Notify::new()));
        let settings = helpdesk_service::ServiceSettings {
            public_url: self.config.public_url.clone(),
            export_lag: std::time::Duration::from_millis(self.config.export_lag_ms),
            webhook_allow_private: self.config.webhook_allow_private,
            webhook_failure_limit: i32::try_from(self.config.webhook_failure_limit).unwrap_or(10),
            // The server's key, so mail this service writes threads like the server's.
            thread_key: helpdesk_domain::inbound::ThreadKey::derive(JWT_SECRET.as_bytes()),
            // And its key, so it opens the secrets the server sealed.
            secret_key: helpdesk_service::secret_box::SecretKey::from_bytes(
                helpdesk::secret::secret_key(&self.config).unwrap(),
            ),
            ..helpdesk_service::ServiceSettings::default()
        };
        let cache = Arc::new(helpdesk_service::auth_cache::AuthCache::new(
            std::time::Duration::ZERO,
            1,
        ));
        let blobs = Arc::new(helpdesk_service::blob::LocalDisk::new(
            self.data_dir.join("attachments"),
        ));
        // The tests' own use cases hash no passwords: the cheapest parameters keep this
        // constructor instant, so a sweep runs right after the clock moves.
        let hasher =
            helpdesk_service::auth::password::PasswordHasher::with_params(8, 1, 1).unwrap();
        helpdesk_service::Service::new(
            self.store.clone(),
            self.clock.clone(),
            bus,
            cache,
            blobs,
            hasher,
            settings,
        )
    }

    /// One pass of the SLA sweep at the test clock's instant, as the scheduled job runs
    /// it; returns the warnings and breaches it recorded.
    pub async fn sla_sweep(&self) -> usize {
        helpdesk_jobs::handlers::sla::SlaSweep {
            service: self.service(),
        }
        .sweep()
        .await
        .unwrap()
    }

    /// The workspace of a user's token.
    pub async fn workspace_id(&self, token: &str) -> helpdesk_domain::WorkspaceId {
        let me = self.get("/auth/me", token).await;
        helpdesk_domain::WorkspaceId::from_uuid(
            me.body["workspace"]["id"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap(),
        )
    }

    /// One pass of the scheduled automation rules at the test clock's instant.
    pub async fn automations_pass(&self) {
        helpdesk_jobs::handlers::automation::ScheduledRules {
            service: self.service(),
        }
        .pass()
        .await
        .unwrap();
    }

    /// Polls `check` (a GET of `path`) until it holds, for work the worker does after a
    /// request returns; fails after 10 s.
    pub async fn eventually(
        &self,
        path: &str,
        token: &str,
        check: impl Fn(&Value) -> bool,
    ) -> Value {
        let mut last = Value::Null;
        for _ in 0..400 {
            last = self.get(path, token).await.body;
            if check(&last) {
                return last;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("{path} never matched: {last}");
    }

    /// Waits until the worker has nothing left to do at the test clock's instant: no job
    /// running, none queued or awaiting a retry that is due. The positive signal to wait
    /// for before asserting that something did not happen; fails after 10 s.
    pub async fn jobs_drained(&self) {
        use helpdesk_storage::entities::job::{Column, Entity as Jobs};
        use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter};
        let mut busy = 0;
        for _ in 0..400 {
            let now = helpdesk_domain::time::to_micros(self.clock.now());
            busy = Jobs::find()
                .filter(
                    Condition::any().add(Column::State.eq("running")).add(
                        Condition::all()
                            .add(Column::State.is_in(["queued", "failed"]))
                            .add(Column::RunAt.lte(now)),
                    ),
                )
                .count(self.store.write())
                .await
                .unwrap();
            if busy == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the job queue never drained: {busy} jobs still to run");
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.request(Method::GET, path, Some(token), None).await
    }
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.request(Method::POST, path, token, Some(body)).await
    }
    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Resp {
        self.request(Method::PATCH, path, Some(token), Some(body))
            .await
    }
    pub async fn delete(&self, path: &str, token: &str) -> Resp {
        self.request(Method::DELETE, path, Some(token), None).await
    }

    /// A raw GET of `path` (as the API hands it out, e.g. an attachment's `url`).
    pub async fn download(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// A multipart upload of one file (and optionally a message id).
    pub async fn upload(
        &self,
        path: &str,
        token: &str,
        name: &str,
        content_type: &str,
        bytes: Vec<u8>,
        message_id: Option<&str>,
    ) -> Resp {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(content_type)
            .unwrap();
        let mut form = reqwest::multipart::Form::new().part("file", part);
        if let Some(m) = message_id {
            form = form.text("message_id", m.to_owned());
        }
        let res = self
            .client
            .post(format!("{}/api/v1{path}", self.base))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        Resp::read(res).await
    }

    /// Registers a workspace; returns the whole response body.
    pub async fn register(&self, workspace: &str, email: &str, password: &str) -> Value {
        let r = self
            .post("/auth/register", None, json!({"workspace_name": workspace, "admin_email": email, "admin_password": password}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.body
    }

    /// Registers a workspace and returns its admin's access token.
    pub async fn admin_token(&self, workspace: &str) -> String {
        let email = format!("admin@{}.test", workspace.to_lowercase().replace(' ', "-"));
        self.register(workspace, &email, "secure").await["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Creates a user with a password as `admin` and logs it in; returns (user id, token).
    pub async fn user_token(&self, admin: &str, email: &str, role: &str) -> (String, String) {
        let r = self
            .post(
                "/users",
                Some(admin),
                json!({"email": email, "name": email, "role": role, "password": "password1"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.str("id");
        let me = self.get("/auth/me", admin).await;
        let slug = me.body["workspace"]["slug"].as_str().unwrap().to_owned();
        let l = self
            .post(
                "/auth/login",
                None,
                json!({"email": email, "password": "password1", "workspace": slug}),
            )
            .await;
        assert_eq!(l.status, StatusCode::OK, "{}", l.body);
        (id, l.str("access_token"))
    }
}

/// A workspace with an admin, an agent and two customers, with their tokens and ids.
pub struct Team {
    pub admin: String,
    pub agent: String,
    pub agent_id: String,
    pub alice: String,
    pub alice_id: String,
    pub bob: String,
    pub bob_id: String,
}

impl TestApp {
    pub async fn team(&self, name: &str) -> Team {
        let admin = self.admin_token(name).await;
        let domain = name.to_lowercase();
        let (agent_id, agent) = self
            .user_token(&admin, &format!("agent@{domain}.test"), "AGENT")
            .await;
        let (alice_id, alice) = self
            .user_token(&admin, &format!("alice@{domain}-client.test"), "CUSTOMER")
            .await;
        let (bob_id, bob) = self
            .user_token(&admin, &format!("bob@{domain}-other.test"), "CUSTOMER")
            .await;
        Team {
            admin,
            agent,
            agent_id,
            alice,
            alice_id,
            bob,
            bob_id,
        }
    }

    /// The messages of `kind` to `email` in workspace `ws`, once there are at least `n`
    /// (work such as a reset request's lookup runs after the answer); fails after 10 s.
    pub async fn wait_mails(
        &self,
        ws: helpdesk_domain::WorkspaceId,
        email: &str,
        kind: &str,
        n: usize,
    ) -> Vec<helpdesk_storage::repo::outbox::OutboxMessage> {
        let mut found = Vec::new();
        for _ in 0..400 {
            found = helpdesk_storage::repo::outbox::for_recipient(self.store.read(), ws, email)
                .await
                .unwrap();
            found.retain(|m| m.kind == kind);
            if found.len() >= n {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("{} {kind} mail(s) to {email}, not {n}", found.len());
    }

    /// The token of the newest link of `kind` mailed to `email` in `token`'s workspace.
    pub async fn mailed_token(&self, token: &str, email: &str, kind: &str) -> String {
        let ws = self.workspace_id(token).await;
        let mails = helpdesk_storage::repo::outbox::for_recipient(self.store.read(), ws, email)
            .await
            .unwrap();
        let mail = mails
            .iter()
            .rev()
            .find(|m| m.kind == kind)
            .unwrap_or_else(|| panic!("no {kind} mail to {email}"));
        mail.body
            .split("token=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .expect("a link with a token")
            .to_owned()
    }

    /// Confirms the admin email of `admin`'s workspace, as its admin would from the mail.
    pub async fn verify_workspace(&self, admin: &str) {
        let me = self.get("/auth/me", admin).await;
        let email = me.body["email"].as_str().unwrap().to_owned();
        let token = self.mailed_token(admin, &email, "email_verification").await;
        let r = self
            .post("/auth/verify-email", None, json!({"token": token}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["confirmed"], "workspace");
    }

    /// Posts a raw email to the intake (`query`: `""` or `?mailbox_id=…`) as `token`.
    pub async fn deliver_mail(&self, token: &str, query: &str, raw: &str) -> Resp {
        let res = self
            .client
            .post(format!("{}/api/v1/inbound/email{query}", self.base))
            .bearer_auth(token)
            .header("content-type", "message/rfc822")
            .body(raw.to_owned())
            .send()
            .await
            .unwrap();
        Resp::read(res).await
    }

    /// Delivers `raw` and waits until its job has run; returns the inbound message.
    pub async fn mail_processed(&self, admin: &str, query: &str, raw: &str) -> Value {
        let r = self.deliver_mail(admin, query, raw).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let id = r.str("id");
        self.eventually(&format!("/inbound/{id}"), admin, |m| {
            m["state"] != "PENDING"
        })
        .await
    }

    /// Opens a ticket as `token`; returns its body.
    pub async fn ticket(&self, token: &str, body: Value) -> Value {
        let r = self.post("/tickets", Some(token), body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.body
    }
}

fn is_service(path: &str) -> bool {
    ["/health", "/ready", "/metrics", "/docs"]
        .iter()
        .any(|p| path.starts_with(p))
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}
