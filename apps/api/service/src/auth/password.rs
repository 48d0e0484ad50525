//! Argon2id password hashing on a small pool of dedicated threads (one per core), so a
//! login flood queues there instead of starving the rest of the API, and the 12 MiB of
//! each hash is reused by those few threads instead of being kept by many blocking-pool
//! threads — and handed back when no sign-in has come for a while.

use std::sync::Arc;
use std::time::Duration;

use std::cell::RefCell;

use argon2::password_hash::PasswordHasher as _;
use argon2::password_hash::phc::{Output, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::oneshot;

use crate::error::{ServiceError, ServiceResult};

type Task = Box<dyn FnOnce() + Send>;

/// How long a hashing thread keeps its Argon2 memory with nothing to do. A flood of
/// sign-ins reuses it (see [`MEMORY`]); a server between floods does not hold 12 MiB per
/// thread for nothing, which would add to every later peak of its memory.
const KEEP_MEMORY_IDLE: Duration = Duration::from_secs(2);

/// Threads that run hashing work in arrival order.
#[derive(Debug, Clone)]
struct HashPool {
    tasks: flume::Sender<Task>,
}

impl HashPool {
    fn new(threads: usize, keep_memory_idle: Duration) -> ServiceResult<Self> {
        // Every thread waits on the one queue with a timeout of its own: behind a shared
        // lock (std's single-consumer receiver), an idle thread holding memory would wait
        // for the lock, never time out, and keep its memory.
        let (tasks, queue) = flume::unbounded::<Task>();
        for i in 0..threads.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    loop {
                        let next = if holds_memory() {
                            queue.recv_timeout(keep_memory_idle)
                        } else {
                            queue
                                .recv()
                                .map_err(|_| flume::RecvTimeoutError::Disconnected)
                        };
                        match next {
                            Ok(task) => task(),
                            Err(flume::RecvTimeoutError::Timeout) => release_memory(),
                            Err(flume::RecvTimeoutError::Disconnected) => return,
                        }
                    }
                })
                .map_err(ServiceError::internal)?;
        }
        Ok(Self { tasks })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> ServiceResult<T> {
        let (done, result) = oneshot::channel();
        let task: Task = Box::new(move || {
            let _ = done.send(work());
        });
        self.tasks
            .send(task)
            .map_err(|_| ServiceError::Internal("the hashing pool stopped".into()))?;
        result.await.map_err(ServiceError::internal)
    }
}

#[derive(Debug, Clone)]
pub struct PasswordHasher {
    params: Params,
    pool: HashPool,
    /// A hash no password is known to match, verified against when the account does not
    /// exist so that unknown emails and wrong passwords take the same time.
    dummy: Arc<str>,
}

impl PasswordHasher {
    /// Argon2id's memory per hash, in KiB: OWASP's m = 12 MiB, t = 3, p = 1, which it
    /// names as giving the same defence as its m = 19 MiB, t = 2 (36 MiB of passes instead
    /// of 38, so about the same time per hash). The smaller block is what a server on one
    /// or two cores feels: each hashing thread holds it during a flood of sign-ins, and it
    /// was most of the server's peak memory (docs/performance.md).
    pub const MEMORY_KIB: u32 = 12 * 1024;
    /// Argon2id's passes over that memory.
    pub const PASSES: u32 = 3;

    /// Hashing on `concurrency` threads with [`Self::MEMORY_KIB`] and [`Self::PASSES`].
    /// Hashes made with other parameters still verify, and are rehashed at sign-in.
    pub fn new(concurrency: usize) -> ServiceResult<Self> {
        Self::with_params(Self::MEMORY_KIB, Self::PASSES, concurrency)
    }

    pub fn with_params(m_kib: u32, t: u32, concurrency: usize) -> ServiceResult<Self> {
        let params = Params::new(m_kib, t, 1, None).map_err(ServiceError::internal)?;
        let dummy = unmatchable_hash(&params)?;
        Ok(Self {
            params,
            pool: HashPool::new(concurrency, KEEP_MEMORY_IDLE)?,
            dummy: dummy.into(),
        })
    }

    fn argon(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    pub async fn hash(&self, password: &str) -> ServiceResult<String> {
        let argon = self.argon();
        let pw = password.to_owned();
        self.pool
            .run(move || {
                argon
                    .hash_password(pw.as_bytes())
                    .map(|h| h.to_string())
                    .map_err(ServiceError::internal)
            })
            .await?
    }

    /// Whether `stored` was hashed with other parameters than today's (then login rehashes).
    pub fn needs_rehash(&self, stored: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(stored) else {
            return true;
        };
        match Params::try_from(&parsed) {
            Ok(p) => {
                parsed.algorithm.as_str() != "argon2id"
                    || p.m_cost() != self.params.m_cost()
                    || p.t_cost() != self.params.t_cost()
                    || p.p_cost() != self.params.p_cost()
            }
            Err(_) => true,
        }
    }

    /// Checks `password` against `stored`, or against the dummy hash when there is no
    /// account, so both paths cost one Argon2 verification.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> ServiceResult<bool> {
        let exists = stored.is_some();
        let hash = stored.map_or_else(|| self.dummy.to_string(), str::to_owned);
        let pw = password.to_owned();
        let ok = self
            .pool
            .run(move || verify_in_kept_memory(pw.as_bytes(), &hash))
            .await?;
        Ok(exists && ok)
    }
}

/// A PHC string under `params` with a random salt and a random output: verifying against
/// it is the same Argon2 work as against a real hash, and no password is known to give
/// that output. Making it hashes nothing, so start-up neither spends a hash's time nor
/// touches its memory (which showed as most of start-up's page faults).
fn unmatchable_hash(params: &Params) -> ServiceResult<String> {
    use rand::RngCore as _;
    let mut bytes = [0u8; 16 + Params::DEFAULT_OUTPUT_LEN];
    rand::rng().fill_bytes(&mut bytes);
    let salt = Salt::new(&bytes[..16]).map_err(ServiceError::internal)?;
    let output = Output::new(&bytes[16..]).map_err(ServiceError::internal)?;
    Ok(format!("$argon2id$v=19${params}${salt}${output}"))
}

thread_local! {
    /// A hashing thread's Argon2 memory, kept from one verification to the next:
    /// allocating 19 MiB afresh each time cost the kernel about as much time again as
    /// the hash itself (page faults and zeroing, seen with `perf`), halving sign-ins per
    /// second. Argon2 writes every block before it reads it, so what a previous hash
    /// left there does not matter.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

fn holds_memory() -> bool {
    MEMORY.with(|m| m.try_borrow().is_ok_and(|m| m.capacity() > 0))
}

/// Frees this thread's Argon2 memory (blocks this large go straight back to the system).
fn release_memory() {
    MEMORY.with(|m| {
        if let Ok(mut m) = m.try_borrow_mut() {
            *m = Vec::new();
        }
    });
}

/// Whether `password` hashes to the PHC string `stored` (with the algorithm, version and
/// parameters it names), in this thread's kept memory; the outputs are compared in
/// constant time.
fn verify_in_kept_memory(password: &[u8], stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm.as_str()) else {
        return false;
    };
    let Ok(version) = parsed
        .version
        .map_or(Ok(Version::default()), Version::try_from)
    else {
        return false;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    let hashed = MEMORY.with(|memory| {
        let Ok(mut memory) = memory.try_borrow_mut() else {
            return false;
        };
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        argon
            .hash_password_into_with_memory(password, salt, &mut out, &mut memory[..blocks])
            .is_ok()
    });
    hashed && Output::new(&out).is_ok_and(|computed| &computed == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_verify_and_rehash() {
        let weak = PasswordHasher::with_params(1024, 1, 1).unwrap_or_else(|e| panic!("{e}"));
        let strong = PasswordHasher::with_params(2048, 1, 1).unwrap_or_else(|e| panic!("{e}"));
        let hash = weak.hash("secure").await.unwrap_or_default();
        assert!(hash.starts_with("$argon2id$"));
        assert!(weak.verify("secure", Some(&hash)).await.unwrap_or(false));
        assert!(!weak.verify("wrong!", Some(&hash)).await.unwrap_or(true));
        assert!(!weak.verify("secure", None).await.unwrap_or(true));
        // The stand-in for a missing account names today's parameters and a full-length
        // output, so checking against it is a whole verification.
        let dummy = PasswordHash::new(&weak.dummy).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(dummy.algorithm.as_str(), "argon2id");
        assert_eq!(
            dummy.hash.map(|h| h.len()),
            Some(Params::DEFAULT_OUTPUT_LEN)
        );
        assert!(!weak.needs_rehash(&weak.dummy));
        assert!(!weak.needs_rehash(&hash));
        assert!(strong.needs_rehash(&hash));
        // A hash is checked with the parameters it names, in memory kept from a larger
        // one (one hashing thread, so the same memory), and against the reference
        // implementation's answer.
        let big = strong.hash("secure").await.unwrap_or_default();
        for (password, stored) in [("secure", &big), ("secure", &hash), ("wrong!", &hash)] {
            let kept = strong.verify(password, Some(stored)).await.unwrap_or(false);
            let reference = PasswordHash::new(stored).is_ok_and(|h| {
                use argon2::password_hash::PasswordVerifier as _;
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            });
            assert_eq!(kept, reference, "{password} against {stored}");
            assert_eq!(kept, password == "secure");
        }
        assert!(
            !strong
                .verify("secure", Some("$argon2id$garbage"))
                .await
                .unwrap_or(true)
        );
        let other_salt = weak.hash("secure").await.unwrap_or_default();
        assert_ne!(other_salt, hash, "salted");
        assert!(
            strong
                .verify("secure", Some(&other_salt))
                .await
                .unwrap_or(false)
        );
    }

    type Work = Arc<dyn Fn() + Send + Sync>;

    /// Runs `work` on each of the pool's two threads at once (a barrier keeps either thread
    /// from taking both), and returns what each thread's Argon2 memory holds afterwards.
    async fn on_both_threads(
        pool: &HashPool,
        work: impl Fn() + Send + Sync + 'static,
    ) -> Vec<usize> {
        let barrier = Arc::new(std::sync::Barrier::new(2));
        let work: Work = Arc::new(work);
        let each = |barrier: Arc<std::sync::Barrier>, work: Work| {
            pool.run(move || {
                barrier.wait();
                work();
                MEMORY.with(|m| m.borrow().capacity())
            })
        };
        let (a, b) = tokio::join!(each(barrier.clone(), work.clone()), each(barrier, work));
        vec![a.unwrap_or(usize::MAX), b.unwrap_or(usize::MAX)]
    }

    #[tokio::test]
    async fn idle_hashing_threads_let_their_memory_go() {
        let idle = Duration::from_millis(200);
        let pool = HashPool::new(2, idle).unwrap_or_else(|e| panic!("{e}"));
        let weak = PasswordHasher::with_params(1024, 1, 1).unwrap_or_else(|e| panic!("{e}"));
        let hash = weak.hash("secure").await.unwrap_or_default();
        assert_eq!(
            on_both_threads(&pool, || ()).await,
            vec![0, 0],
            "nothing hashed yet"
        );
        let verified = on_both_threads(&pool, move || {
            assert!(verify_in_kept_memory(b"secure", &hash));
        })
        .await;
        assert!(
            verified.iter().all(|blocks| *blocks >= 1024),
            "{verified:?}"
        );
        // Work that follows at once finds the memory still there…
        let kept = on_both_threads(&pool, || ()).await;
        assert!(kept.iter().all(|blocks| *blocks >= 1024), "{kept:?}");
        // …and after the idle time both threads have let it go, though each waited on the
        // queue while the other did.
        tokio::time::sleep(idle * 4).await;
        assert_eq!(on_both_threads(&pool, || ()).await, vec![0, 0]);
    }
}
