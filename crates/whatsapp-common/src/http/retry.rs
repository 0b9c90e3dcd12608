//! Retry policy: exponential backoff with jitter, `Retry-After`, and the rule
//! that only what is safe is retried.

use std::hash::{BuildHasher, Hasher, RandomState};
use std::time::{Duration, SystemTime};

/// Whether sending the same request twice can do harm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Idempotency {
    /// Replaying the request has no further effect: a read, a token call.
    /// Retried after any transient failure.
    Idempotent,
    /// A send, or another call that acts (creates, dispatches, cancels):
    /// replaying it may act twice unless the vendor de-duplicates it.
    /// Retried after a failure that leaves open whether the vendor acted on
    /// it only when the client was built with
    /// [`SendRetries::IfDeduplicated`](super::SendRetries::IfDeduplicated).
    NotIdempotent,
}

/// When to try a request again and how long to wait.
///
/// Defaults follow the AWS SDKs: 3 attempts in all, backoff from 1 s doubling
/// to a 20 s cap with full jitter; a `Retry-After` longer than 20 s is not
/// waited out but handed back to the caller in the error.
///
/// ```
/// use std::time::Duration;
/// use whatsapp_common::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(200));
/// assert_eq!(policy.get_max_attempts(), 5);
/// let never = RetryPolicy::none();
/// assert_eq!(never.get_max_attempts(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(20),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// One attempt, never retried.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Wait before the first retry; doubles on each further one.
    #[must_use]
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// Longest computed backoff.
    #[must_use]
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Longest `Retry-After` the client waits out by itself; a longer one
    /// ends the retries and is reported in the error's `retry_after()`.
    #[must_use]
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// Whether backoff is randomised (full jitter). On by default so that
    /// many clients failing at once do not retry in lockstep.
    #[must_use]
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// Attempts in all.
    pub fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest `Retry-After` waited out.
    pub fn get_max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The wait before retry number `retry` (1 for the first retry), without
    /// a `Retry-After`: `initial * 2^(retry-1)`, capped, times a random
    /// factor in [0, 1) when jitter is on.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(31);
        let base = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        if !self.jitter {
            return base;
        }
        base.mul_f64(random_unit())
    }

    /// The wait before the next attempt given the server's `Retry-After`:
    /// `None` when the server asked for longer than `max_retry_after`. A
    /// `Retry-After` of zero (or a date already past) gives the ordinary
    /// backoff, not an instant retry; any other is waited out with up to a
    /// tenth more (at most a second) when jitter is on, so that clients
    /// told the same pause do not return in lockstep.
    pub fn wait_for(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        match retry_after {
            Some(d) if d > self.max_retry_after => None,
            Some(d) if d.is_zero() => Some(self.backoff(retry)),
            Some(d) if self.jitter => {
                let spread = (d / 10).min(Duration::from_secs(1));
                Some(d + spread.mul_f64(random_unit()))
            }
            Some(d) => Some(d),
            None => Some(self.backoff(retry)),
        }
    }
}

/// A float in [0, 1) from the standard library's randomly keyed hasher; good
/// enough to spread retries, and no extra dependency.
fn random_unit() -> f64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or_default(),
    );
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Parses a `Retry-After` header value: delay-seconds or an HTTP date.
///
/// Lenient where servers are sloppy: a decimal number of seconds is read
/// (rounded up to the millisecond), and a number too large for any clock is
/// the longest wait there is, so it is handed back rather than ignored.
///
/// ```
/// use std::time::Duration;
/// use whatsapp_common::parse_retry_after;
/// assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
/// assert_eq!(parse_retry_after("1.5"), Some(Duration::from_millis(1500)));
/// assert_eq!(parse_retry_after("99999999999999999999999"), Some(Duration::MAX));
/// assert_eq!(parse_retry_after("soon"), None);
/// ```
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let (whole, fraction) = match value.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (value, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(whole) && fraction.is_none_or(digits) {
        let Ok(secs) = whole.parse::<u64>() else {
            return Some(Duration::MAX);
        };
        let millis = fraction.map_or(0, |f| {
            // The first three digits, rounded up by any digit after them.
            let mut ms: u32 = f
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(3)
                .fold(0, |n, b| n * 10 + u32::from(b - b'0'));
            if f.bytes().skip(3).any(|b| b != b'0') {
                ms += 1;
            }
            ms
        });
        return Some(
            Duration::from_secs(secs).saturating_add(Duration::from_millis(u64::from(millis))),
        );
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let p = RetryPolicy::default().jitter(false);
        assert_eq!(p.backoff(1), Duration::from_secs(1));
        assert_eq!(p.backoff(2), Duration::from_secs(2));
        assert_eq!(p.backoff(3), Duration::from_secs(4));
        assert_eq!(p.backoff(6), Duration::from_secs(20));
        assert_eq!(p.backoff(200), Duration::from_secs(20));
    }

    #[test]
    fn jitter_stays_below_the_base() {
        let p = RetryPolicy::default();
        let samples: Vec<_> = (0..200).map(|_| p.backoff(3)).collect();
        assert!(samples.iter().all(|d| *d < Duration::from_secs(4)));
        // Not all the same: the jitter is random.
        assert!(samples.iter().any(|d| *d != samples[0]));
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let p = RetryPolicy::default()
            .max_retry_after(Duration::from_secs(10))
            .jitter(false);
        assert_eq!(
            p.wait_for(1, Some(Duration::from_secs(10))),
            Some(Duration::from_secs(10))
        );
        assert_eq!(p.wait_for(1, Some(Duration::from_secs(11))), None);
        assert_eq!(p.wait_for(1, Some(Duration::MAX)), None);
        assert!(p.wait_for(1, None).is_some());
        // Zero is no pause at all: the ordinary backoff, not a hammering retry.
        assert_eq!(p.wait_for(2, Some(Duration::ZERO)), Some(p.backoff(2)));
    }

    #[test]
    fn retry_after_gets_jitter_above_it_never_below() {
        let p = RetryPolicy::default();
        let asked = Duration::from_secs(5);
        let waits: Vec<_> = (0..200)
            .map(|_| p.wait_for(1, Some(asked)).unwrap())
            .collect();
        assert!(
            waits
                .iter()
                .all(|w| *w >= asked && *w <= asked + Duration::from_millis(500))
        );
        assert!(waits.iter().any(|w| *w != waits[0]), "spread");
        let long = p.wait_for(1, Some(Duration::from_secs(20))).unwrap();
        assert!(
            long <= Duration::from_secs(21),
            "at most a second more: {long:?}"
        );
        let zero = p.wait_for(1, Some(Duration::ZERO)).unwrap();
        assert!(zero < Duration::from_secs(1), "{zero:?}");
    }

    #[test]
    fn parses_retry_after_forms() {
        assert_eq!(parse_retry_after(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let d = parse_retry_after(&future).unwrap();
        assert!(
            d > Duration::from_secs(25) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after(""), None);
        assert_eq!(parse_retry_after("0"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("2.25"), Some(Duration::from_millis(2250)));
        assert_eq!(parse_retry_after("0.0001"), Some(Duration::from_millis(1)));
        assert_eq!(parse_retry_after("3."), None);
        assert_eq!(parse_retry_after(".5"), None);
        assert_eq!(parse_retry_after("1e3"), None);
        assert_eq!(
            parse_retry_after("18446744073709551616"),
            Some(Duration::MAX),
            "beyond u64: the longest wait, handed back"
        );
        assert_eq!(
            parse_retry_after("18446744073709551615.9"),
            Some(Duration::new(u64::MAX, 900_000_000))
        );
    }

    #[test]
    fn at_least_one_attempt() {
        assert_eq!(RetryPolicy::default().max_attempts(0).get_max_attempts(), 1);
    }
}
