//! Starting each process kind: `serve` (with the worker and scheduler in-process in the
//! embedded default), `worker`, `scheduler` and `migrate`.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use std::sync::Arc;

use helpdesk_domain::PasswordPolicy;
use helpdesk_domain::inbound::ThreadKey;
use helpdesk_domain::time::{Clock, SystemClock};
use helpdesk_http::auth::AuthCache;
use helpdesk_http::auth::{JwtKeys, PasswordHasher};
use helpdesk_http::{AppState, HttpSettings, Inner};
use helpdesk_service::blob::LocalDisk;
use helpdesk_service::ratelimit::Limits;
use helpdesk_service::secret_box::SecretKey;
use helpdesk_service::{EventBus, Service, ServiceSettings};
use helpdesk_storage::Store;
use helpdesk_storage::db::PoolSize;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

use crate::config::Config;

/// Connects to the configured database, creating the data directory for SQLite.
pub async fn connect(config: &Config) -> anyhow::Result<Store> {
    if !config.is_postgres() {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "HELPDESK_DATA_DIR: cannot create {}",
                config.data_dir.display()
            )
        })?;
    }
    let pool = PoolSize {
        max_connections: config.db_max_connections,
        ..PoolSize::default()
    };
    Store::connect(&config.database_url(), &pool)
        .await
        .context("DATABASE_URL: cannot connect to the database")
}

/// Stops a process that would run on a schema older than its code (or none): it says
/// once what is wrong and which command fixes it, instead of failing every query.
pub async fn require_schema(store: &Store) -> anyhow::Result<()> {
    let pending = store
        .pending_migrations()
        .await
        .context("cannot read the schema version")?;
    if pending > 0 {
        anyhow::bail!(
            "the database schema is missing or older than this binary ({pending} migration(s) \
             not applied): run `helpdesk migrate` first"
        );
    }
    Ok(())
}

pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let store = connect(config).await?;
    store.migrate().await.context("migrations failed")?;
    tracing::info!("migrations applied");
    store.close().await;
    Ok(())
}

fn redis_client(config: &Config) -> anyhow::Result<redis::Client> {
    let url = config.redis_url.as_ref().map_or("", |u| u.0.as_str());
    redis::Client::open(url).context("REDIS_URL is not a valid Redis URL")
}

/// A lazily connecting, self-healing Redis connection: the server starts and serves when
/// Redis is down (rate limits fall back to in-process, live events and wake-ups to this
/// process, `/ready` reports it), and uses Redis again once it answers.
async fn redis(config: &Config) -> anyhow::Result<Option<redis::aio::ConnectionManager>> {
    if config.redis_url.is_none() {
        return Ok(None);
    }
    let client = redis_client(config)?;
    let settings = redis::aio::ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_millis(500)))
        .set_response_timeout(Some(Duration::from_millis(500)))
        .set_number_of_retries(2)
        .set_max_delay(Duration::from_millis(500));
    let conn = redis::aio::ConnectionManager::new_lazy_with_config(client, settings)
        .context("REDIS_URL: cannot set up the Redis connection")?;
    Ok(Some(conn))
}

/// The application layer over `store`, publishing to `events`, hashing passwords on one
/// thread per core.
pub fn service(
    config: &Config,
    store: Store,
    events: EventBus,
    auth_cache: Arc<AuthCache>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Service> {
    let settings = ServiceSettings {
        public_url: config.public_url.clone(),
        export_lag: Duration::from_millis(config.export_lag_ms),
        webhook_allow_private: config.webhook_allow_private,
        webhook_failure_limit: i32::try_from(config.webhook_failure_limit).unwrap_or(10),
        password_policy: PasswordPolicy {
            min_len: usize::try_from(config.password_min_length).unwrap_or(6),
            ..PasswordPolicy::default()
        },
        refresh_ttl: Duration::from_secs(config.refresh_token_ttl),
        session_max_age: Duration::from_secs(config.session_max_age),
        limits: Limits {
            per_address: config.rate_limit_per_ip,
            per_account: config.rate_limit_per_account,
            messages_per_author: config.rate_limit_messages_per_author,
            messages_per_ticket: config.rate_limit_messages_per_ticket,
        },
        mail_per_hour: config.mail_per_hour,
        // Every process derives the same key: replicas and workers share the secret.
        thread_key: ThreadKey::derive(crate::secret::jwt_secret(config)?.0.as_bytes()),
        inbound_per_sender_hour: config.inbound_per_sender_hour,
        secret_key: SecretKey::from_bytes(crate::secret::secret_key(config)?),
        ..ServiceSettings::default()
    };
    let blobs = Arc::new(LocalDisk::new(config.data_dir.join("attachments")));
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let hasher = PasswordHasher::new(cores).map_err(|e| anyhow::anyhow!("password hasher: {e}"))?;
    let service = Service::new(store, clock, events, auth_cache, blobs, hasher, settings);
    service.set_mail_probe(Arc::new(helpdesk_mailin::Probe::new(crate::mailin::trust(
        config,
    )?)));
    Ok(service)
}

async fn state(
    config: &Config,
    service: Service,
    redis: Option<redis::aio::ConnectionManager>,
) -> anyhow::Result<AppState> {
    let secret = crate::secret::jwt_secret(config)?;
    let settings = HttpSettings {
        body_limit: usize::try_from(config.body_limit).unwrap_or(1 << 20),
        request_timeout: Duration::from_secs(config.request_timeout),
        trusted_proxies: match usize::try_from(config.trusted_proxies).unwrap_or(0) {
            0 if config.trust_forwarded_for => 1,
            n => n,
        },
        attachment_limit: usize::try_from(config.attachment_limit).unwrap_or(10 << 20),
        streams_per_caller: usize::try_from(config.streams_per_user).unwrap_or(5),
        streams_per_workspace: usize::try_from(config.streams_per_workspace).unwrap_or(200),
        metrics_token_sha256: config
            .metrics_token
            .as_ref()
            .map(|t| HttpSettings::token_digest(&t.0)),
        metrics_on_main: config.metrics_bind.is_none(),
    };
    let streams = helpdesk_http::live::slots::StreamSlots::new(
        settings.streams_per_caller,
        settings.streams_per_workspace,
    );
    Ok(AppState::new(Inner {
        settings,
        jwt: JwtKeys::new(
            secret.0.as_bytes(),
            i64::try_from(config.access_token_ttl).unwrap_or(900),
        ),
        redis,
        service,
        streams,
    }))
}

/// A future that resolves once `rx` turns true.
async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|stop| *stop).await;
}

/// The live-event bus: through Redis when configured (its subscriber runs until `stop`),
/// else in-process (and worker wake-ups through PostgreSQL's `NOTIFY`). Also carries worker
/// wake-ups and auth-cache evictions.
fn event_bus(
    config: &Config,
    store: &Store,
    redis: Option<redis::aio::ConnectionManager>,
    wake: Arc<Notify>,
    auth_cache: Arc<AuthCache>,
    stop: watch::Receiver<bool>,
    background: &mut Vec<tokio::task::JoinHandle<()>>,
) -> anyhow::Result<EventBus> {
    Ok(match redis {
        Some(conn) => {
            let bus = EventBus::with_redis(conn, config.redis_prefix.clone(), wake);
            let client = redis_client(config)?;
            background.push(tokio::spawn(bus.clone().run_subscriber(
                client,
                auth_cache,
                stopped(stop),
            )));
            bus
        }
        None => EventBus::local(wake).with_pg_wakeups(store.clone()),
    })
}

/// Serves on `listener` until `shutdown` resolves, then drains requests and stops the
/// in-process worker and scheduler.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    serve_with_clock(config, listener, shutdown, Arc::new(SystemClock)).await
}

/// [`serve`] on a given clock: the API, the in-process worker and the scheduler all read
/// time from it, so tests can move time instead of sleeping.
pub async fn serve_with_clock(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    let store = connect(&config).await?;
    if config.skip_migrations {
        require_schema(&store).await?;
    } else {
        store.migrate().await.context("migrations failed")?;
    }
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut background = Vec::new();
    let redis = redis(&config).await?;
    let auth_cache = Arc::new(AuthCache::new(Duration::from_secs(30), 100_000));
    let wake = Arc::new(Notify::new());
    let events = event_bus(
        &config,
        &store,
        redis.clone(),
        wake.clone(),
        auth_cache.clone(),
        stop_rx.clone(),
        &mut background,
    )?;
    let service = service(
        &config,
        store.clone(),
        events,
        auth_cache.clone(),
        clock.clone(),
    )?;
    let state = state(&config, service.clone(), redis).await?;
    if let Some(addr) = config.metrics_bind {
        let metrics = TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot bind HELPDESK_METRICS_BIND {addr}"))?;
        tracing::info!(%addr, "serving /metrics");
        let app = helpdesk_http::metrics_app(state.clone());
        let stop_rx = stop_rx.clone();
        background.push(tokio::spawn(async move {
            let served = axum::serve(metrics, app)
                .with_graceful_shutdown(stopped(stop_rx))
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "metrics listener failed");
            }
        }));
    }
    let pages = helpdesk_web::router(web_state(&config, service.clone(), &state));
    let app = helpdesk_http::build(state, pages);
    if config.jobs_in_process() {
        let worker = crate::jobs::worker(&config, &service, wake.clone())?;
        let scheduler = crate::jobs::scheduler(&config, &store, wake.clone(), clock)?;
        background.push(tokio::spawn(worker.run(stopped(stop_rx.clone()))));
        background.push(tokio::spawn(scheduler.run(stopped(stop_rx.clone()))));
        background.push(crate::mailin::fetchers(&config, &service, stop_rx.clone())?);
    }
    if let Some(task) = crate::mailin::listener(&config, &service, stop_rx.clone()).await? {
        background.push(task);
    }
    let addr = listener.local_addr().ok();
    tracing::info!(?addr, backend = ?store.backend(), "serving");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .context("server error")?;
    let _ = stop_tx.send(true);
    for task in background {
        let _ = task.await;
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// The web app's state: cookies are `Secure` when the public URL is https, and the client
/// address comes from the same proxies the API trusts.
fn web_state(config: &Config, service: Service, api: &AppState) -> helpdesk_web::WebState {
    let settings = helpdesk_web::WebSettings {
        secure_cookies: config.public_url.starts_with("https://"),
        trusted_proxies: api.settings.trusted_proxies,
        attachment_limit: api.settings.attachment_limit,
    };
    helpdesk_web::WebState::new(service, settings, api.streams.clone())
}

/// `helpdesk worker`: runs jobs, woken through Redis when configured, else through
/// PostgreSQL's `LISTEN` (and by polling on either).
pub async fn run_worker(
    mut config: Config,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    // A connection for each running job, the heartbeat, the completions, the listener.
    let needed = u32::try_from(config.worker_concurrency).unwrap_or(u32::MAX / 2) + 4;
    config.db_max_connections = config.db_max_connections.max(needed);
    let store = connect(&config).await?;
    require_schema(&store).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut background = Vec::new();
    let wake = Arc::new(Notify::new());
    let redis = redis(&config).await?;
    if redis.is_none() {
        let (store, wake, stop) = (store.clone(), wake.clone(), stopped(stop_rx.clone()));
        background.push(tokio::spawn(async move {
            store.listen_for_jobs(wake, stop).await;
        }));
    }
    let unused_cache = Arc::new(AuthCache::new(Duration::ZERO, 1));
    let events = event_bus(
        &config,
        &store,
        redis,
        wake.clone(),
        unused_cache.clone(),
        stop_rx.clone(),
        &mut background,
    )?;
    let service = service(
        &config,
        store.clone(),
        events,
        unused_cache,
        Arc::new(SystemClock),
    )?;
    background.push(crate::mailin::fetchers(&config, &service, stop_rx.clone())?);
    crate::jobs::worker(&config, &service, wake)?
        .run(shutdown)
        .await;
    let _ = stop_tx.send(true);
    for task in background {
        let _ = task.await;
    }
    store.close().await;
    Ok(())
}

/// `helpdesk scheduler`: fires the schedules; the jobs it enqueues wake workers through
/// Redis when configured.
pub async fn run_scheduler(
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let store = connect(&config).await?;
    require_schema(&store).await?;
    let wake = Arc::new(Notify::new());
    // The jobs it enqueues wake workers in other processes through PostgreSQL.
    let forward = {
        let (store, wake) = (store.clone(), wake.clone());
        tokio::spawn(async move {
            loop {
                wake.notified().await;
                if let Err(e) = store.notify_workers().await {
                    tracing::debug!(error = %e, "job wake-up not sent");
                }
            }
        })
    };
    crate::jobs::scheduler(&config, &store, wake, Arc::new(SystemClock))?
        .run(shutdown)
        .await;
    forward.abort();
    store.close().await;
    Ok(())
}
