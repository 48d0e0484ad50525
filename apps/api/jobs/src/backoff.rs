//! Retry delays: exponential from a base (5 s by default), capped at an hour, with ±20 %
//! jitter so that jobs that failed together do not retry together.

use std::time::Duration;

use rand::Rng;

pub fn delay(attempt: i32, base: Duration) -> Duration {
    let factor = 1u32 << attempt.clamp(1, 20).saturating_sub(1);
    let exact = base.saturating_mul(factor).min(Duration::from_secs(3600));
    exact.mul_f64(rand::rng().random_range(0.8..1.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_and_caps() {
        let base = Duration::from_secs(5);
        let d1 = delay(1, base).as_secs_f64();
        let d4 = delay(4, base).as_secs_f64();
        assert!((4.0..=6.0).contains(&d1), "{d1}");
        assert!((32.0..=48.0).contains(&d4), "{d4}");
        assert!(delay(30, base).as_secs_f64() <= 3600.0 * 1.2);
    }
}
