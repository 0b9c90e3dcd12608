//! Rate limits per sender: a [`Quota`], the [`RateLimiter`] that keeps it
//! (in process by default, [`InProcessLimiter`]; shared across processes
//! with the `redis` feature), and the [`presets`] the vendors document.
//!
//! Both backends run the same GCRA (generic cell rate algorithm): a quota
//! of `n` per period lets one send through every `period / n`, so at most
//! `n` go out in any window of one period; a burst of `b` lets up to `b`
//! through at once after a quiet spell, and at most `n + b - 1` in any
//! window.

use std::collections::HashMap;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::clock::{Clock, Reference};
use governor::nanos::Nanos;
use tokio::time::Instant;

/// How many sends one sender may make per period.
///
/// ```
/// use std::num::NonZeroU32;
/// use std::time::Duration;
/// use whatsapp_router::limit::Quota;
///
/// let quota = Quota::per_second(NonZeroU32::new(50).expect("not zero"));
/// assert_eq!(quota.emission_interval(), Duration::from_millis(20));
/// assert_eq!(quota.burst().get(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quota {
    count: NonZeroU32,
    period: Duration,
    burst: NonZeroU32,
}

impl Quota {
    /// `count` sends per `period`, evenly spaced (a burst of one). `None`
    /// when `period` is zero.
    pub fn new(count: NonZeroU32, period: Duration) -> Option<Self> {
        (!period.is_zero()).then_some(Self {
            count,
            period,
            burst: NonZeroU32::MIN,
        })
    }

    /// `count` sends per second, evenly spaced.
    pub const fn per_second(count: NonZeroU32) -> Self {
        Self {
            count,
            period: Duration::from_secs(1),
            burst: NonZeroU32::MIN,
        }
    }

    /// The same quota, letting up to `burst` sends through at once after a
    /// quiet spell: at most `count + burst - 1` in any window of one period.
    #[must_use]
    pub const fn allow_burst(mut self, burst: NonZeroU32) -> Self {
        self.burst = burst;
        self
    }

    /// Sends per period.
    pub fn count(&self) -> NonZeroU32 {
        self.count
    }

    /// The period.
    pub fn period(&self) -> Duration {
        self.period
    }

    /// Sends let through at once after a quiet spell.
    pub fn burst(&self) -> NonZeroU32 {
        self.burst
    }

    /// The time one send takes from the budget: `period / count`, at
    /// least one nanosecond.
    pub fn emission_interval(&self) -> Duration {
        (self.period / self.count.get()).max(Duration::from_nanos(1))
    }

    fn to_governor(self) -> governor::Quota {
        // `with_period` refuses only a zero period, and the interval is at
        // least one nanosecond.
        governor::Quota::with_period(self.emission_interval())
            .unwrap_or_else(|| governor::Quota::per_second(NonZeroU32::MAX))
            .allow_burst(self.burst)
    }
}

/// The vendors' documented rate limits, as quotas. Vendors not named here
/// document none (docs/router.md lists the pages checked).
pub mod presets {
    use super::Quota;
    use std::num::NonZeroU32;

    const fn n(v: u32) -> NonZeroU32 {
        match NonZeroU32::new(v) {
            Some(v) => v,
            None => NonZeroU32::MIN,
        }
    }

    /// Bird Channels API, POST requests (sends) per workspace: 500 per
    /// second (docs.bird.com/api/channels-api/rate-limit).
    pub const BIRD_POST: Quota = Quota::per_second(n(500));
    /// Bird Channels API, GET requests (reads) per workspace: 50 per second
    /// (docs.bird.com/api/channels-api/rate-limit).
    pub const BIRD_GET: Quota = Quota::per_second(n(50));
    /// Blip commands (the campaign API is commands) on a free plan: 48 per
    /// second (Blip's throughput page).
    pub const BLIP_COMMANDS_FREE: Quota = Quota::per_second(n(48));
    /// Blip commands on a paid plan: 200 per second.
    pub const BLIP_COMMANDS_PAID: Quota = Quota::per_second(n(200));
    /// Blip messages on a free plan: 3 per second.
    pub const BLIP_MESSAGES_FREE: Quota = Quota::per_second(n(3));
    /// Blip messages on a paid plan: 50 per second.
    pub const BLIP_MESSAGES_PAID: Quota = Quota::per_second(n(50));
}

/// What a [`RateLimiter`] answers for one permit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Admission {
    /// The permit is taken: send now.
    Granted,
    /// No permit now; one may be free after this long.
    RetryIn(Duration),
}

/// A rate limiter's backend failed; no permit was taken.
#[derive(Debug, thiserror::Error)]
#[error("rate limiter backend: {message}")]
pub struct BackendError {
    message: String,
}

impl BackendError {
    /// A backend failure described by `message` (which must hold no
    /// secret: it is shown in errors).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// Keeps one budget per key (the sender's name). The router asks for a
/// permit before each attempt and waits for one until the send's
/// deadline.
///
/// Implement it to keep budgets elsewhere; [`InProcessLimiter`] keeps them
/// in this process, and the `redis` feature's backend in Redis, shared by
/// every process that uses the same server and prefix.
#[async_trait::async_trait]
pub trait RateLimiter: Send + Sync + fmt::Debug {
    /// Takes one permit under `quota` for `key` now, or says how long until
    /// one may be free.
    async fn try_acquire(&self, key: &str, quota: Quota) -> Result<Admission, BackendError>;
}

/// Budgets in this process, through the `governor` crate, on tokio's clock
/// (so tests on paused time see them).
#[derive(Debug, Default)]
pub struct InProcessLimiter {
    budgets: Mutex<HashMap<String, Arc<Budget>>>,
}

type GovernorLimiter = governor::RateLimiter<
    governor::state::NotKeyed,
    governor::state::InMemoryState,
    TokioClock,
    governor::middleware::NoOpMiddleware<TokioInstant>,
>;

struct Budget {
    quota: Quota,
    clock: TokioClock,
    limiter: GovernorLimiter,
}

impl fmt::Debug for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Budget")
            .field("quota", &self.quota)
            .finish_non_exhaustive()
    }
}

impl InProcessLimiter {
    /// No budgets yet: each key's is made at its first permit.
    pub fn new() -> Self {
        Self::default()
    }

    fn budget(&self, key: &str, quota: Quota) -> Arc<Budget> {
        let mut budgets = self
            .budgets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match budgets.get(key) {
            Some(b) if b.quota == quota => Arc::clone(b),
            _ => {
                let clock = TokioClock::starting_now();
                let b = Arc::new(Budget {
                    quota,
                    clock,
                    limiter: governor::RateLimiter::direct_with_clock(quota.to_governor(), clock),
                });
                budgets.insert(key.to_owned(), Arc::clone(&b));
                b
            }
        }
    }
}

#[async_trait::async_trait]
impl RateLimiter for InProcessLimiter {
    async fn try_acquire(&self, key: &str, quota: Quota) -> Result<Admission, BackendError> {
        let budget = self.budget(key, quota);
        Ok(match budget.limiter.check() {
            Ok(()) => Admission::Granted,
            Err(not_until) => Admission::RetryIn(not_until.wait_time_from(budget.clock.now())),
        })
    }
}

/// Takes a permit for `key` under `quota`, waiting until `deadline` at the
/// latest: `Ok(false)` when none is free by then (then nothing may be
/// sent). What the router does before each attempt, for callers that send
/// outside it (a vendor's batch call) under the same budget.
pub async fn acquire(
    limiter: &dyn RateLimiter,
    key: &str,
    quota: Quota,
    deadline: Instant,
) -> Result<bool, BackendError> {
    loop {
        match limiter.try_acquire(key, quota).await? {
            Admission::Granted => return Ok(true),
            Admission::RetryIn(wait) => {
                let at = Instant::now() + wait;
                if at > deadline {
                    return Ok(false);
                }
                tokio::time::sleep_until(at).await;
            }
        }
    }
}

/// tokio's clock for governor, counting from when its budget was made
/// (on the runtime that uses it: a paused clock counts paused time).
#[derive(Debug, Clone, Copy)]
struct TokioClock {
    epoch: Instant,
}

impl TokioClock {
    fn starting_now() -> Self {
        Self {
            epoch: Instant::now(),
        }
    }
}

/// An instant on a [`TokioClock`], as nanoseconds since its epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct TokioInstant(u64);

impl Clock for TokioClock {
    type Instant = TokioInstant;
    fn now(&self) -> TokioInstant {
        let since = Instant::now().saturating_duration_since(self.epoch);
        TokioInstant(u64::try_from(since.as_nanos()).unwrap_or(u64::MAX))
    }
}

impl std::ops::Add<Nanos> for TokioInstant {
    type Output = Self;
    fn add(self, other: Nanos) -> Self {
        Self(self.0.saturating_add(other.as_u64()))
    }
}

impl Reference for TokioInstant {
    fn duration_since(&self, earlier: Self) -> Nanos {
        Nanos::from(self.0.saturating_sub(earlier.0))
    }
    fn saturating_sub(&self, duration: Nanos) -> Self {
        Self(self.0.checked_sub(duration.as_u64()).unwrap_or(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: u32) -> NonZeroU32 {
        NonZeroU32::new(v).unwrap_or(NonZeroU32::MIN)
    }

    #[tokio::test(start_paused = true)]
    async fn a_quota_of_n_per_second_lets_n_through_in_any_second() {
        let limiter = InProcessLimiter::new();
        let quota = Quota::per_second(n(5));
        let start = Instant::now();
        let mut granted = Vec::new();
        while granted.len() < 12 {
            match limiter.try_acquire("a", quota).await {
                Ok(Admission::Granted) => granted.push(start.elapsed()),
                Ok(Admission::RetryIn(d)) => tokio::time::sleep(d).await,
                Err(e) => panic!("{e}"),
            }
        }
        for (i, t) in granted.iter().enumerate() {
            let in_window = granted[i..]
                .iter()
                .filter(|u| **u < *t + Duration::from_secs(1))
                .count();
            assert!(in_window <= 5, "{in_window} sends within a second of {t:?}");
        }
        // Evenly spaced: the twelfth at 11 × 200 ms.
        assert_eq!(granted[11], Duration::from_millis(2200));
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_lets_that_many_through_at_once() {
        let limiter = InProcessLimiter::new();
        let quota = Quota::per_second(n(5)).allow_burst(n(3));
        for _ in 0..3 {
            assert_eq!(
                limiter.try_acquire("a", quota).await.ok(),
                Some(Admission::Granted)
            );
        }
        assert_eq!(
            limiter.try_acquire("a", quota).await.ok(),
            Some(Admission::RetryIn(Duration::from_millis(200)))
        );
        // Another key has its own budget.
        assert_eq!(
            limiter.try_acquire("b", quota).await.ok(),
            Some(Admission::Granted)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn acquire_waits_up_to_the_deadline_and_no_longer() {
        let limiter = InProcessLimiter::new();
        let quota = Quota::per_second(n(2));
        let now = Instant::now();
        assert!(matches!(acquire(&limiter, "a", quota, now).await, Ok(true)));
        // The next permit is 500 ms away: a deadline 499 ms out gets none,
        // without waiting.
        let soon = now + Duration::from_millis(499);
        assert!(matches!(
            acquire(&limiter, "a", quota, soon).await,
            Ok(false)
        ));
        assert_eq!(Instant::now(), now);
        let later = now + Duration::from_millis(500);
        assert!(matches!(
            acquire(&limiter, "a", quota, later).await,
            Ok(true)
        ));
        assert_eq!(Instant::now(), later);
    }

    #[test]
    fn a_zero_period_is_no_quota() {
        assert_eq!(Quota::new(n(1), Duration::ZERO), None);
        let q = Quota::new(n(3), Duration::from_secs(60));
        assert_eq!(
            q.map(|q| q.emission_interval()),
            Some(Duration::from_secs(20))
        );
    }
}
