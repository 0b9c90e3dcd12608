//! `tokenByAkSk` tokens: cached, renewed before they expire, fetched by one
//! caller while the others wait.

use std::fmt;
use std::time::{Duration, Instant};

use whatsapp_common::http::SecretHeader;

/// Where the client reads the time for token expiry: the system clock in
/// production; in tests, a clock that moves only when told (`ManualClock`
/// with the `mock` feature).
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current instant.
    fn now(&self) -> Instant;
}

/// The system's monotonic clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// A clock that moves only when told, for tests of token expiry (feature
/// `mock`).
///
/// ```
/// use std::time::Duration;
/// use huawei_cec::{Clock, ManualClock};
/// let clock = ManualClock::new();
/// let t0 = clock.now();
/// clock.advance(Duration::from_secs(600));
/// assert_eq!(clock.now() - t0, Duration::from_secs(600));
/// ```
#[cfg(feature = "mock")]
#[derive(Debug)]
pub struct ManualClock {
    start: Instant,
    offset: std::sync::Mutex<Duration>,
}

#[cfg(feature = "mock")]
impl ManualClock {
    /// A clock standing at the moment it was made.
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
            offset: std::sync::Mutex::new(Duration::ZERO),
        }
    }

    /// Moves the clock forward by `d`.
    pub fn advance(&self, d: Duration) {
        let mut offset = self.offset.lock().unwrap_or_else(|p| p.into_inner());
        *offset += d;
    }
}

#[cfg(feature = "mock")]
impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(feature = "mock")]
impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + *self.offset.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A token in the cache.
#[derive(Debug, Clone)]
pub(crate) struct CachedToken {
    /// `Authorization: Bearer <token>`, built once per token.
    pub(crate) header: SecretHeader,
    pub(crate) renew_at: Instant,
    /// Increases with every token fetched, so a caller that saw a 401 with
    /// token N renews only if the cache still holds N.
    pub(crate) generation: u64,
}

/// When to renew a token that lives `lifetime`: `margin` before it expires,
/// but never later than halfway through a short-lived token.
pub(crate) fn renew_after(lifetime: Duration, margin: Duration) -> Duration {
    lifetime.saturating_sub(margin.min(lifetime / 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_point() {
        let s = Duration::from_secs;
        assert_eq!(renew_after(s(3600), s(60)), s(3540));
        assert_eq!(renew_after(s(600), s(60)), s(540));
        assert_eq!(renew_after(s(60), s(60)), s(30));
        assert_eq!(renew_after(s(0), s(60)), s(0));
    }
}
