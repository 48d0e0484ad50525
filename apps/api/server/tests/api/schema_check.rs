//! A process started on a database its binary has not migrated says so once and stops,
//! naming the command that fixes it, instead of failing every query forever.

use std::time::Duration;

use helpdesk::Config;

fn unmigrated() -> Config {
    let dir = std::env::temp_dir().join(format!("helpdesk-test-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut config = Config::defaults();
    config.data_dir = dir;
    config
}

async fn refuses(what: &str, run: impl std::future::Future<Output = anyhow::Result<()>>) {
    let out = tokio::time::timeout(Duration::from_secs(10), run)
        .await
        .unwrap_or_else(|_| panic!("{what} kept running on an unmigrated database"));
    let err = format!("{:#}", out.expect_err(what));
    assert!(err.contains("helpdesk migrate"), "{what}: {err}");
    assert!(err.contains("schema"), "{what}: {err}");
}

#[tokio::test]
async fn worker_scheduler_and_unmigrated_serve_stop_with_a_clear_error() {
    refuses(
        "worker",
        helpdesk::run_worker(unmigrated(), std::future::pending()),
    )
    .await;
    refuses(
        "scheduler",
        helpdesk::run_scheduler(unmigrated(), std::future::pending()),
    )
    .await;
    let mut config = unmigrated();
    config.skip_migrations = true;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    refuses(
        "serve --skip-migrations",
        helpdesk::serve(config, listener, std::future::pending()),
    )
    .await;
    // After `migrate`, the same database is accepted.
    let config = unmigrated();
    helpdesk::migrate(&config).await.unwrap();
    let store = helpdesk::connect(&config).await.unwrap();
    helpdesk::launch::require_schema(&store).await.unwrap();
}
