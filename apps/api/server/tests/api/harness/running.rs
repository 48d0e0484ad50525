//! How a test runs: on each backend (`both!`, `postgres_only!`), each on a database of its
//! own that a passing test drops, and never counted as passed without having run.

use std::future::Future;

use helpdesk::Config;
use helpdesk_storage::Store;

use super::{Backend, TestApp};

/// Runs `test` against a fresh app on `backend`. A PostgreSQL variant without
/// `TEST_DATABASE_URL` fails: outside CI the macros below mark it ignored instead (see
/// the crate's `build.rs`), so it never counts as passed without having run.
pub async fn run<F, Fut>(backend: Backend, tweak: fn(&mut Config), test: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    if backend == Backend::Postgres {
        require_postgres();
    }
    let app = TestApp::spawn(backend, tweak).await;
    let database = match backend {
        Backend::Postgres => app.config.database_url.as_ref().map(|u| u.0.clone()),
        Backend::Sqlite => None,
    };
    test(app).await;
    // A passed test's database goes; a failed one's stays to be looked at (`.ci/run` drops
    // what is left). A local run with `TEST_DATABASE_URL` left ~160 behind, over 1 GB.
    if let Some(url) = database {
        drop_postgres_database(&url).await;
    }
}

/// [`run`] on PostgreSQL with Redis, which the test needs as well.
pub async fn run_with_redis<F, Fut>(test: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    require_redis();
    run(Backend::Postgres, |_| {}, test).await;
}

/// A tweak: the worker runs in the server on both backends, polling often.
pub fn jobs_in_process(c: &mut Config) {
    c.jobs_in_process = Some(true);
    c.job_poll_ms = 20;
}

/// `CI` set to anything but empty, `0` or `false` (as `build.rs` reads it).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// Fails the test, naming the missing variable, when `TEST_DATABASE_URL` is unset.
pub fn require_postgres() {
    require_env("TEST_DATABASE_URL", "PostgreSQL");
}

/// Fails the test, naming the missing variable, when `TEST_REDIS_URL` is unset.
pub fn require_redis() {
    require_env("TEST_REDIS_URL", "Redis");
}

fn require_env(var: &str, what: &str) {
    if std::env::var_os(var).is_some() {
        return;
    }
    if in_ci() {
        panic!("CI must run the {what} variants: {var} is not set");
    }
    panic!(
        "{var} is not set: this {what} variant cannot run (outside CI, a build without it \
         marks the variant ignored)"
    );
}

/// Declares `name` as a test on every backend: `both!(name)` or `both!(name, tweak)`.
/// Without `TEST_DATABASE_URL` outside CI, the PostgreSQL variant is reported ignored.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        $crate::both!($name, |_| {});
    };
    ($name:ident, $tweak:expr) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                $crate::harness::run($crate::harness::Backend::Sqlite, $tweak, super::$name).await;
            }
            #[tokio::test]
            #[cfg_attr(
                no_test_postgres,
                ignore = "set TEST_DATABASE_URL to run on PostgreSQL"
            )]
            async fn postgres() {
                $crate::harness::run($crate::harness::Backend::Postgres, $tweak, super::$name)
                    .await;
            }
        }
    };
}

/// Declares `name` as a test on PostgreSQL + Redis only (several processes sharing a
/// database and a bus: not a SQLite setup). Reported ignored outside CI when either
/// `TEST_DATABASE_URL` or `TEST_REDIS_URL` is unset.
#[macro_export]
macro_rules! postgres_only {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            #[cfg_attr(
                any(no_test_postgres, no_test_redis),
                ignore = "set TEST_DATABASE_URL and TEST_REDIS_URL to run on PostgreSQL + Redis"
            )]
            async fn postgres() {
                $crate::harness::run_with_redis(super::$name).await;
            }
        }
    };
}

/// A new, empty `helpdesk_test_…` database next to `TEST_DATABASE_URL`'s; its URL.
pub async fn fresh_postgres_url() -> String {
    let name = format!("helpdesk_test_{}", uuid::Uuid::now_v7().simple());
    on_admin_connection(&format!("CREATE DATABASE {name}")).await;
    let admin_url = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL must name a database");
    format!("{base}/{name}")
}

/// Drops the database `url` names (`FORCE`: the stopped server's pool may still hold
/// connections).
pub async fn drop_postgres_database(url: &str) {
    let (_, name) = url
        .rsplit_once('/')
        .expect("a database URL names a database");
    on_admin_connection(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
}

/// Runs `sql` on the admin connection `TEST_DATABASE_URL` names.
async fn on_admin_connection(sql: &str) {
    let admin_url = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
    let admin = Store::connect(&admin_url, &Default::default())
        .await
        .expect("connect to TEST_DATABASE_URL");
    sea_orm::ConnectionTrait::execute_unprepared(admin.write(), sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    admin.close().await;
}
