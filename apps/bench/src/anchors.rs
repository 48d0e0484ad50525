//! Anchors measured in the same run: what the database and the CPU can do on their own, so
//! each of our figures is reported as a ratio to its anchor.

use std::time::{Duration, Instant};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use helpdesk_storage::Store;
use sea_orm::ConnectionTrait;

use crate::report::Anchor;
use crate::sql;

/// Argon2id verifications per second on all cores, with the server's parameters.
pub fn argon2_verifies(duration: Duration) -> anyhow::Result<Anchor> {
    use helpdesk_http::auth::PasswordHasher as Policy;
    let params = Params::new(Policy::MEMORY_KIB, Policy::PASSES, 1, None)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let hash = argon
        .hash_password(b"benchpass")
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .to_string();
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let total: u64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let hash = hash.clone();
                s.spawn(move || {
                    let mut n = 0u64;
                    while Instant::now() < deadline {
                        if let Ok(parsed) = PasswordHash::new(&hash) {
                            let _ = Argon2::default().verify_password(b"benchpass", &parsed);
                        }
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    Ok(Anchor {
        name: "argon2id_verify".into(),
        per_second: total as f64 / started.elapsed().as_secs_f64(),
    })
}

/// SQLite: the bare statements of a ticket creation in a single-writer loop, and the bare
/// filtered first page on `readers` concurrent connections.
pub async fn sqlite(
    store: &Store,
    duration: Duration,
    readers: usize,
) -> anyhow::Result<Vec<Anchor>> {
    let fx = sql::BareSql::load(store).await?;
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let mut creates = 0u64;
    while Instant::now() < deadline {
        let tx = store.begin().await?;
        for stmt in fx.create_statements() {
            tx.execute_raw(stmt).await?;
        }
        tx.commit().await?;
        creates += 1;
    }
    let create = Anchor {
        name: "sqlite_create_tx".into(),
        per_second: creates as f64 / started.elapsed().as_secs_f64(),
    };
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let tasks = (0..readers).map(|_| {
        let store = store.clone();
        let list = fx.list_statement.clone();
        tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                store.read().query_all_raw(list.clone()).await?;
                n += 1;
            }
            Ok::<_, anyhow::Error>(n)
        })
    });
    let mut lists = 0u64;
    for t in futures::future::join_all(tasks).await {
        lists += t??;
    }
    let list = Anchor {
        name: "sqlite_list_query".into(),
        per_second: lists as f64 / started.elapsed().as_secs_f64(),
    };
    // Remove what the create loop wrote, so the data set stays as seeded.
    store.write().execute_unprepared(&fx.cleanup_sql()).await?;
    Ok(vec![create, list])
}
