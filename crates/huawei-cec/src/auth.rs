//! `tokenByAkSk` tokens: cached, renewed before they expire, fetched by one
//! task while every caller that needs one waits for its result.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use whatsapp_common::http::SecretHeader;
use whatsapp_common::{TransportError, TransportErrorKind};

use crate::{Error, Operation};

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
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
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

/// What one token fetch gave: the new token's header and generation, or
/// its failure. Cloned to every caller that waited for that fetch.
pub(crate) type Fetched = Result<(SecretHeader, u64), Arc<FetchFailure>>;

/// The token fetch in flight: its result appears here (`Some`) once, for
/// every caller holding a clone of the receiver.
pub(crate) type Renewal = tokio::sync::watch::Receiver<Option<Fetched>>;

/// Said of a send whose token call failed in transit.
const NOTHING_SENT: &str = "; nothing was sent, the message can be sent again";

/// A failed token fetch, for every caller that waited for it: each gets an
/// [`Error`] of its own from [`FetchFailure::error`], since a transport
/// error cannot be cloned.
#[derive(Debug)]
pub(crate) enum FetchFailure {
    /// A refusal, a decode error or bad input: cloned for every caller.
    Shared(Arc<Error>),
    /// A transport failure of the token call: its kind, attempts and text
    /// for every caller; the error itself for the first one that asks.
    Transport {
        whole: Mutex<Option<TransportError>>,
        kind: TransportErrorKind,
        attempts: u32,
        text: String,
    },
}

impl FetchFailure {
    /// The failure of a fetch that returned `error`.
    pub(crate) fn new(error: Error) -> Self {
        match error {
            Error::Transport(t) => Self::Transport {
                kind: t.kind(),
                attempts: t.attempts(),
                text: t.to_string(),
                whole: Mutex::new(Some(t)),
            },
            other => Self::Shared(Arc::new(other)),
        }
    }

    /// The error a send that waited for this fetch returns.
    ///
    /// A refusal, a decode error or bad input is the fetch's own error. A
    /// transport failure of the token call is a transport failure of the
    /// send that sent nothing, of the token call's kind and attempts, naming
    /// `tokenByAkSk` and saying nothing was sent, marked
    /// [`TransportError::nothing_sent`] (so
    /// [`RetryClass::Safe`](crate::RetryClass::Safe), and
    /// [`TransportError::request_may_have_been_sent`] false even after a
    /// timeout), the token call's error as its source (itself for the first
    /// caller, its text for the others). (A redirect or a request that could not be
    /// built stays [`RetryClass::Never`]: trying again changes nothing.)
    pub(crate) fn error(&self) -> Error {
        match self {
            Self::Transport {
                whole,
                kind,
                attempts,
                text,
            } => {
                let whole = whole.lock().unwrap_or_else(|p| p.into_inner()).take();
                let source = match whole {
                    Some(whole) => Box::new(whole) as Box<_>,
                    None => text.clone().into(),
                };
                no_token(*kind, *attempts, source)
            }
            Self::Shared(fetch) => match &**fetch {
                Error::Vendor(refused) => Error::Vendor(refused.clone()),
                Error::Decode(decode) => Error::Decode(decode.clone()),
                Error::Validation(invalid) => invalid.clone().into(),
                Error::Config(config) => config.clone().into(),
                // Not made by `new` (a transport failure is not shared);
                // copied like one if it were.
                other => {
                    let (kind, attempts) = match other {
                        Error::Transport(t) => (t.kind(), t.attempts()),
                        _ => (TransportErrorKind::Io, 1),
                    };
                    no_token(kind, attempts, other.to_string().into())
                }
            },
        }
    }
}

/// The error of a send whose token call failed in transit with `source`, a
/// transport error of `kind` after `attempts`.
fn no_token(
    kind: TransportErrorKind,
    attempts: u32,
    source: Box<dyn std::error::Error + Send + Sync>,
) -> Error {
    let token_call = Operation::Token.as_str();
    let message = format!("no token from {token_call}{NOTHING_SENT}");
    TransportError::new(kind, message, Some(source))
        .with_attempts(attempts)
        .nothing_sent()
        .into()
}

/// How long to keep a token: `Expires` as the service granted it, at most
/// the lifetime asked for with `X-Token-Expire` (itself at most
/// [`MAX_TOKEN_LIFETIME_SECS`](crate::MAX_TOKEN_LIFETIME_SECS)), so that
/// no value, however large, can overflow the clock. Without `Expires`, or
/// with `Expires: "0"`, the asked-for lifetime: a zero lifetime would make
/// every send fetch a token, so `0` is read as "not said".
pub(crate) fn lifetime(granted: Option<Duration>, asked: Duration) -> Duration {
    match granted {
        Some(granted) if !granted.is_zero() => granted.min(asked),
        _ => asked,
    }
}

/// When to renew a token that lives `lifetime`: `margin` before it expires,
/// but never later than halfway through a short-lived token.
pub(crate) fn renew_after(lifetime: Duration, margin: Duration) -> Duration {
    lifetime.saturating_sub(margin.min(lifetime / 2))
}

/// The instant a token fetched at `fetched_at` is due for renewal; never
/// panics (a clock at the end of its range renews at once).
pub(crate) fn renew_at(fetched_at: Instant, lifetime: Duration, margin: Duration) -> Instant {
    fetched_at
        .checked_add(renew_after(lifetime, margin))
        .unwrap_or(fetched_at)
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
        let now = Instant::now();
        assert_eq!(renew_at(now, s(600), s(60)), now + s(540));
        // Past the clock's range: renewed at once, no panic.
        assert_eq!(renew_at(now, Duration::MAX, Duration::ZERO), now);
    }

    #[test]
    fn a_failed_fetch_gives_every_waiter_an_error_that_sent_nothing() {
        for kind in [TransportErrorKind::Connect, TransportErrorKind::Timeout] {
            let failed = TransportError::new(kind, "no answer", None).with_attempts(3);
            let failure = FetchFailure::new(failed.into());
            for waiter in 0..3 {
                let error = failure.error();
                let Error::Transport(t) = &error else {
                    panic!("{error:?}")
                };
                assert_eq!((t.kind(), t.attempts()), (kind, 3), "{error}");
                assert!(!t.request_may_have_been_sent(), "{error}");
                assert_eq!(error.retry_class(), crate::RetryClass::Safe, "{error}");
                let text = error.to_string();
                assert!(text.contains(": no token from tokenByAkSk; nothing was sent"));
                assert!(text.ends_with("(after 3 attempts)"), "{text}");
                // The token call's error is the source: itself for the
                // first waiter, its text for the others.
                let source = std::error::Error::source(&error).unwrap();
                assert!(
                    source
                        .to_string()
                        .ends_with(": no answer (after 3 attempts)")
                );
                let own = source.downcast_ref::<TransportError>().is_some();
                assert_eq!(own, waiter == 0, "{source:?}");
            }
        }

        let redirect = TransportError::new(TransportErrorKind::Redirect, "to host x", None);
        let failure = FetchFailure::new(redirect.into());
        for _ in 0..2 {
            let error = failure.error();
            assert_eq!(error.retry_class(), crate::RetryClass::Never, "{error}");
        }
    }

    #[test]
    fn granted_lifetime() {
        let s = Duration::from_secs;
        assert_eq!(lifetime(Some(s(100)), s(3600)), s(100));
        assert_eq!(lifetime(Some(s(7200)), s(3600)), s(3600));
        assert_eq!(lifetime(Some(s(u64::MAX)), s(600)), s(600));
        assert_eq!(lifetime(Some(s(0)), s(600)), s(600));
        assert_eq!(lifetime(None, s(600)), s(600));
    }
}
