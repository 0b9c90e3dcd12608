//! The idempotency ledger: reference → the first outcome, so a resend of
//! the same reference returns that outcome instead of sending again.
//!
//! A send first *claims* its reference (an "in flight" mark with a
//! lifetime of its own); when it ends, the router *records* the outcome —
//! accepted, refused, or may have been delivered — or *releases* the claim
//! when nothing was sent anywhere, so a later send of that reference goes
//! out.
//!
//! **The one window it cannot close**: a process that crashes after the
//! vendor accepted a message and before the outcome is recorded leaves
//! only the in-flight mark. Until the mark expires
//! ([`LedgerConfig::in_flight_ttl`]) a resend of that reference is refused
//! as in flight; after it, a resend goes out and may deliver the message
//! a second time. A vendor that de-duplicates by reference closes it on
//! its side.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

pub use crate::limit::BackendError;

/// How a routed send ended, as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// A sender's vendor accepted the message.
    Accepted {
        /// The sender's name in the router.
        sender: String,
        /// The vendor's id for the message, where it gave one.
        vendor_message_id: Option<String>,
        /// The vendor said it had already accepted this reference.
        already_accepted: bool,
    },
    /// The vendor took the message and will deliver nothing.
    Refused {
        /// The sender's name in the router.
        sender: String,
        /// The error, as its `Display` shows it.
        error: String,
    },
    /// The vendor may have accepted the message (a timeout after the
    /// request left, a 5xx, an answer that would not decode).
    MayHaveBeenDelivered {
        /// The sender's name in the router.
        sender: String,
        /// The error, as its `Display` shows it.
        error: String,
    },
}

impl Outcome {
    /// The sender the outcome came from.
    pub fn sender(&self) -> &str {
        match self {
            Self::Accepted { sender, .. }
            | Self::Refused { sender, .. }
            | Self::MayHaveBeenDelivered { sender, .. } => sender,
        }
    }
}

/// What claiming a reference found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Claim {
    /// The reference is new: it is now in flight, for this send.
    Fresh,
    /// Another send of this reference is in flight (here or in another
    /// process sharing the ledger).
    InFlight,
    /// The reference was sent before, with this outcome.
    Recorded(Outcome),
}

/// How long a ledger keeps what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerConfig {
    /// How long an outcome is kept: a resend within it returns the first
    /// outcome.
    pub ttl: Duration,
    /// How long an in-flight mark lasts when no outcome replaces it (the
    /// process crashed mid-send).
    pub in_flight_ttl: Duration,
}

impl Default for LedgerConfig {
    /// Outcomes for 24 hours, in-flight marks for 10 minutes.
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(24 * 3600),
            in_flight_ttl: Duration::from_secs(600),
        }
    }
}

/// Where the router keeps reference → first outcome.
///
/// [`MemoryLedger`] keeps it in this process; the `redis` feature's
/// backend in Redis, shared by every router on the same server and prefix.
#[async_trait::async_trait]
pub trait Ledger: Send + Sync + fmt::Debug {
    /// Claims `reference` for a send, atomically: at most one claimer gets
    /// [`Claim::Fresh`].
    async fn claim(&self, reference: &str) -> Result<Claim, BackendError>;

    /// Records how the claimed send of `reference` ended.
    async fn record(&self, reference: &str, outcome: &Outcome) -> Result<(), BackendError>;

    /// Gives the claim of `reference` up: nothing was sent.
    async fn release(&self, reference: &str) -> Result<(), BackendError>;
}

#[derive(Debug)]
enum Entry {
    InFlight,
    Done(Outcome),
}

#[derive(Debug)]
struct Slot {
    entry: Entry,
    expires: Instant,
    /// Which claim of the reference made the slot.
    stamp: u64,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<String, Slot>,
    /// References in the order they were claimed, with the stamp of that
    /// claim, for eviction.
    order: VecDeque<(String, u64)>,
    next_stamp: u64,
}

impl Entries {
    /// Forgets the oldest claim; its slot goes too unless a later claim of
    /// the reference made it.
    fn pop_oldest(&mut self) {
        if let Some((reference, stamp)) = self.order.pop_front()
            && self.map.get(&reference).is_some_and(|s| s.stamp == stamp)
        {
            self.map.remove(&reference);
        }
    }

    fn insert(&mut self, reference: &str, entry: Entry, expires: Instant) {
        self.next_stamp += 1;
        let stamp = self.next_stamp;
        self.map.insert(
            reference.to_owned(),
            Slot {
                entry,
                expires,
                stamp,
            },
        );
        self.order.push_back((reference.to_owned(), stamp));
    }
}

/// The ledger in this process: bounded in size (the oldest claims go
/// first) and in age.
#[derive(Debug)]
pub struct MemoryLedger {
    config: LedgerConfig,
    capacity: usize,
    entries: Mutex<Entries>,
}

impl MemoryLedger {
    /// Room for 100 000 references, kept as [`LedgerConfig::default`] says.
    pub fn new() -> Self {
        Self::with_capacity(100_000, LedgerConfig::default())
    }

    /// Room for `capacity` references (at least one), kept as `config`
    /// says.
    pub fn with_capacity(capacity: usize, config: LedgerConfig) -> Self {
        Self {
            config,
            capacity: capacity.max(1),
            entries: Mutex::default(),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Default for MemoryLedger {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait::async_trait]
impl Ledger for MemoryLedger {
    async fn claim(&self, reference: &str) -> Result<Claim, BackendError> {
        let now = Instant::now();
        let mut e = self.entries();
        if let Some(slot) = e.map.get(reference)
            && slot.expires > now
        {
            return Ok(match &slot.entry {
                Entry::InFlight => Claim::InFlight,
                Entry::Done(outcome) => Claim::Recorded(outcome.clone()),
            });
        }
        // Drop what has expired from the front, then the oldest while full.
        while let Some((oldest, stamp)) = e.order.front() {
            let stale = e
                .map
                .get(oldest)
                .is_none_or(|s| s.stamp != *stamp || s.expires <= now);
            if !stale && e.map.len() < self.capacity {
                break;
            }
            e.pop_oldest();
        }
        if e.order.len() > 2 * self.capacity {
            // Released claims behind a live one: drop their places.
            let Entries { map, order, .. } = &mut *e;
            order.retain(|(r, stamp)| map.get(r).is_some_and(|s| s.stamp == *stamp));
        }
        e.insert(reference, Entry::InFlight, now + self.config.in_flight_ttl);
        Ok(Claim::Fresh)
    }

    async fn record(&self, reference: &str, outcome: &Outcome) -> Result<(), BackendError> {
        let expires = Instant::now() + self.config.ttl;
        let mut e = self.entries();
        match e.map.get_mut(reference) {
            Some(slot) => {
                slot.entry = Entry::Done(outcome.clone());
                slot.expires = expires;
            }
            None => e.insert(reference, Entry::Done(outcome.clone()), expires),
        }
        Ok(())
    }

    async fn release(&self, reference: &str) -> Result<(), BackendError> {
        let mut e = self.entries();
        if e.map
            .get(reference)
            .is_some_and(|s| matches!(s.entry, Entry::InFlight))
        {
            // Its place in `order` goes when it reaches the front.
            e.map.remove(reference);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(id: &str) -> Outcome {
        Outcome::Accepted {
            sender: "a".into(),
            vendor_message_id: Some(id.into()),
            already_accepted: false,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_reference_is_claimed_once_and_then_returns_its_outcome() {
        let l = MemoryLedger::new();
        assert_eq!(l.claim("r").await.ok(), Some(Claim::Fresh));
        assert_eq!(l.claim("r").await.ok(), Some(Claim::InFlight));
        assert!(l.record("r", &accepted("m1")).await.is_ok());
        assert_eq!(
            l.claim("r").await.ok(),
            Some(Claim::Recorded(accepted("m1")))
        );
        // A release after an outcome changes nothing.
        assert!(l.release("r").await.is_ok());
        assert_eq!(
            l.claim("r").await.ok(),
            Some(Claim::Recorded(accepted("m1")))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_released_claim_can_be_claimed_again() {
        let l = MemoryLedger::new();
        assert_eq!(l.claim("r").await.ok(), Some(Claim::Fresh));
        assert!(l.release("r").await.is_ok());
        assert_eq!(l.claim("r").await.ok(), Some(Claim::Fresh));
    }

    #[tokio::test(start_paused = true)]
    async fn marks_and_outcomes_expire() {
        let config = LedgerConfig {
            ttl: Duration::from_secs(60),
            in_flight_ttl: Duration::from_secs(5),
        };
        let l = MemoryLedger::with_capacity(10, config);
        assert_eq!(l.claim("crashed").await.ok(), Some(Claim::Fresh));
        tokio::time::advance(Duration::from_millis(4_999)).await;
        assert_eq!(l.claim("crashed").await.ok(), Some(Claim::InFlight));
        tokio::time::advance(Duration::from_millis(1)).await;
        assert_eq!(l.claim("crashed").await.ok(), Some(Claim::Fresh));
        assert!(l.record("crashed", &accepted("m")).await.is_ok());
        tokio::time::advance(Duration::from_secs(59)).await;
        assert!(matches!(l.claim("crashed").await, Ok(Claim::Recorded(_))));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(l.claim("crashed").await.ok(), Some(Claim::Fresh));
    }

    #[tokio::test(start_paused = true)]
    async fn the_oldest_reference_goes_when_full() {
        let l = MemoryLedger::with_capacity(2, LedgerConfig::default());
        for r in ["a", "b", "c"] {
            assert_eq!(l.claim(r).await.ok(), Some(Claim::Fresh));
        }
        assert_eq!(l.entries().map.len(), 2);
        assert_eq!(l.claim("b").await.ok(), Some(Claim::InFlight));
        assert_eq!(l.claim("c").await.ok(), Some(Claim::InFlight));
        assert_eq!(l.claim("a").await.ok(), Some(Claim::Fresh), "evicted");
    }

    #[test]
    fn outcomes_keep_their_json_shape() {
        let json = serde_json::to_value(accepted("m1")).ok();
        assert_eq!(
            json,
            Some(serde_json::json!({
                "outcome": "accepted", "sender": "a",
                "vendor_message_id": "m1", "already_accepted": false
            }))
        );
    }
}
