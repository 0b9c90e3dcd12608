//! Rate limits and the idempotency ledger in Redis (feature `redis`), so
//! every process that uses the same server and prefix shares one budget per
//! sender and one record of each reference.
//!
//! - The limiter runs the same GCRA as the in-process one, in a Lua script,
//!   on the Redis server's clock (`TIME`), so the processes' clocks do not
//!   matter. A budget's key is `{prefix}:rate:{sender}`.
//! - The ledger claims a reference with `SET … NX PX` (one claimer wins),
//!   records an outcome as JSON and releases a claim only while it is still
//!   in flight. A reference's key is `{prefix}:ref:{reference}`.
//!
//! ```no_run
//! use std::sync::Arc;
//! use whatsapp_router::{Router, redis::RedisBackend, ledger::LedgerConfig};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let backend = Arc::new(
//!     RedisBackend::connect("redis://127.0.0.1:6379/", "shop", LedgerConfig::default()).await?,
//! );
//! let builder = Router::builder()
//!     .rate_limiter(backend.clone())
//!     .ledger(backend);
//! # let _ = builder; Ok(()) }
//! ```

use std::fmt;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::ledger::{Claim, Ledger, LedgerConfig, Outcome};
use crate::limit::{Admission, BackendError, Quota, RateLimiter};

/// The value of a claimed reference with no outcome yet.
const IN_FLIGHT: &str = "in-flight";

/// GCRA on the server's clock, in microseconds. KEYS[1]: the budget;
/// ARGV[1]: the emission interval; ARGV[2]: the burst tolerance (burst − 1
/// intervals). Returns 0 when the permit is taken, else the microseconds
/// until one may be free.
const GCRA: &str = r"
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allowed_at = tat - tolerance
if now < allowed_at then return allowed_at - now end
local new_tat = tat + interval
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil((new_tat - now) / 1000) + 1)
return 0
";

/// Deletes KEYS[1] only while it holds ARGV[1].
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

/// A [`RateLimiter`] and a [`Ledger`] on one Redis server.
#[derive(Clone)]
pub struct RedisBackend {
    connection: ConnectionManager,
    prefix: String,
    config: LedgerConfig,
    gcra: redis::Script,
    release: redis::Script,
}

impl fmt::Debug for RedisBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may carry a password: it is not kept.
        f.debug_struct("RedisBackend")
            .field("prefix", &self.prefix)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn backend_error(what: &str, e: &redis::RedisError) -> BackendError {
    // The error's kind and category, never the URL or a value.
    BackendError::new(format!("redis {what}: {:?} ({})", e.kind(), e.category()))
}

impl RedisBackend {
    /// Connects to the server at `url` (`redis://host:port/db`); keys
    /// start with `prefix`; the ledger keeps outcomes as `config` says.
    /// The connection reconnects by itself after a failure; connecting and
    /// each command give up after two seconds (a permit or a claim that
    /// does not come is a backend error: nothing is sent).
    pub async fn connect(
        url: &str,
        prefix: impl Into<String>,
        config: LedgerConfig,
    ) -> Result<Self, BackendError> {
        let client = redis::Client::open(url).map_err(|e| backend_error("url", &e))?;
        let options = ConnectionManagerConfig::new()
            .set_number_of_retries(2)
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)));
        let connection = ConnectionManager::new_with_config(client, options)
            .await
            .map_err(|e| backend_error("connect", &e))?;
        Ok(Self {
            connection,
            prefix: prefix.into(),
            config,
            gcra: redis::Script::new(GCRA),
            release: redis::Script::new(RELEASE),
        })
    }

    fn key(&self, kind: &str, name: &str) -> String {
        format!("{}:{kind}:{name}", self.prefix)
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1)
}

#[async_trait::async_trait]
impl RateLimiter for RedisBackend {
    async fn try_acquire(&self, key: &str, quota: Quota) -> Result<Admission, BackendError> {
        let interval = micros(quota.emission_interval());
        let tolerance = interval.saturating_mul(u64::from(quota.burst().get() - 1));
        let mut c = self.connection.clone();
        let wait: u64 = self
            .gcra
            .key(self.key("rate", key))
            .arg(interval)
            .arg(tolerance)
            .invoke_async(&mut c)
            .await
            .map_err(|e| backend_error("rate limit", &e))?;
        Ok(match wait {
            0 => Admission::Granted,
            w => Admission::RetryIn(Duration::from_micros(w)),
        })
    }
}

#[async_trait::async_trait]
impl Ledger for RedisBackend {
    async fn claim(&self, reference: &str) -> Result<Claim, BackendError> {
        let key = self.key("ref", reference);
        let mut c = self.connection.clone();
        let set: Option<String> = redis::cmd("SET")
            .arg(&key)
            .arg(IN_FLIGHT)
            .arg("NX")
            .arg("PX")
            .arg(millis(self.config.in_flight_ttl))
            .query_async(&mut c)
            .await
            .map_err(|e| backend_error("claim", &e))?;
        if set.is_some() {
            return Ok(Claim::Fresh);
        }
        let held: Option<String> = redis::cmd("GET")
            .arg(&key)
            .query_async(&mut c)
            .await
            .map_err(|e| backend_error("claim", &e))?;
        Ok(match held.as_deref() {
            // Gone between the two commands (expired, released): someone
            // else's claim was just ending; treat it as in flight.
            None | Some(IN_FLIGHT) => Claim::InFlight,
            Some(json) => match serde_json::from_str(json) {
                Ok(outcome) => Claim::Recorded(outcome),
                Err(_) => return Err(BackendError::new("redis claim: an unreadable outcome")),
            },
        })
    }

    async fn record(&self, reference: &str, outcome: &Outcome) -> Result<(), BackendError> {
        let json = serde_json::to_string(outcome)
            .map_err(|_| BackendError::new("an outcome that would not encode"))?;
        let mut c = self.connection.clone();
        redis::cmd("SET")
            .arg(self.key("ref", reference))
            .arg(json)
            .arg("PX")
            .arg(millis(self.config.ttl))
            .query_async::<()>(&mut c)
            .await
            .map_err(|e| backend_error("record", &e))
    }

    async fn release(&self, reference: &str) -> Result<(), BackendError> {
        let mut c = self.connection.clone();
        self.release
            .key(self.key("ref", reference))
            .arg(IN_FLIGHT)
            .invoke_async::<i64>(&mut c)
            .await
            .map(drop)
            .map_err(|e| backend_error("release", &e))
    }
}
