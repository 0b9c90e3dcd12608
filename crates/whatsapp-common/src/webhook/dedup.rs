//! De-duplication of a vendor's redeliveries.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What a [`Deduplicator`] says of a delivery it is asked to begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Seen {
    /// Never seen (or seen and not handled): it is now under way, and the
    /// receiver must [`finish`](Deduplicator::finish) it.
    New,
    /// Handled already: acknowledge it, pass nothing on.
    Done,
    /// Under way in another request right now: ask the vendor to deliver
    /// it again later (a 5xx), so that it is not lost if that one fails.
    InProgress,
}

/// Remembers which deliveries were handled, so that a vendor's
/// redelivery of the same event reaches the application once. A delivery
/// is recorded as done only when the application handled it: one it
/// failed is forgotten, so the vendor's next try gets through.
#[async_trait::async_trait]
pub trait Deduplicator: Send + Sync {
    /// Starts the delivery `key`, unless it was handled or is under way.
    async fn begin(&self, key: &str) -> Seen;
    /// Ends the delivery `key` begun with [`Seen::New`]: recorded as done
    /// when `handled`, forgotten otherwise.
    async fn finish(&self, key: &str, handled: bool);
}

/// The default [`Deduplicator`]: in this process's memory, bounded in
/// size (the oldest entries go first) and in age (an entry older than
/// `max_age` is forgotten).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use std::time::Duration;
/// use whatsapp_common::webhook::{Deduplicator, MemoryDeduplicator, Seen};
///
/// let seen = MemoryDeduplicator::new(10_000, Duration::from_secs(48 * 3600));
/// assert_eq!(seen.begin("req-1").await, Seen::New);
/// assert_eq!(seen.begin("req-1").await, Seen::InProgress);
/// seen.finish("req-1", true).await;
/// assert_eq!(seen.begin("req-1").await, Seen::Done);
/// # }
/// ```
#[derive(Debug)]
pub struct MemoryDeduplicator {
    max_entries: usize,
    max_age: Duration,
    state: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    /// Key → (when begun, done).
    by_key: HashMap<String, (Instant, bool)>,
    /// Keys in the order they were begun, for eviction.
    order: VecDeque<(Instant, String)>,
}

impl MemoryDeduplicator {
    /// Keeps at most `max_entries` deliveries (at least one), each for at
    /// most `max_age`.
    pub fn new(max_entries: usize, max_age: Duration) -> Self {
        Self {
            max_entries: max_entries.max(1),
            max_age,
            state: Mutex::new(Entries::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many deliveries are remembered now.
    pub fn len(&self) -> usize {
        self.lock().by_key.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for MemoryDeduplicator {
    /// 100,000 deliveries for 72 hours: longer than vendors go on
    /// redelivering a failed callback.
    fn default() -> Self {
        Self::new(100_000, Duration::from_secs(72 * 3600))
    }
}

impl Entries {
    /// Forgets what is too old, then the oldest until there is room.
    fn evict(&mut self, now: Instant, max_age: Duration, max_entries: usize) {
        while let Some((at, key)) = self.order.front() {
            let expired = now.saturating_duration_since(*at) > max_age;
            let full = self.by_key.len() >= max_entries;
            if !expired && !full {
                break;
            }
            // An entry begun again later has a newer record: keep that one.
            if self.by_key.get(key).is_some_and(|(begun, _)| begun == at) {
                self.by_key.remove(key);
            }
            self.order.pop_front();
        }
    }
}

#[async_trait::async_trait]
impl Deduplicator for MemoryDeduplicator {
    async fn begin(&self, key: &str) -> Seen {
        let now = Instant::now();
        let mut entries = self.lock();
        entries.evict(now, self.max_age, usize::MAX);
        match entries.by_key.get(key) {
            Some((_, true)) => return Seen::Done,
            Some((_, false)) => return Seen::InProgress,
            None => {}
        }
        entries.evict(now, self.max_age, self.max_entries);
        entries.by_key.insert(key.to_owned(), (now, false));
        entries.order.push_back((now, key.to_owned()));
        Seen::New
    }

    async fn finish(&self, key: &str, handled: bool) {
        let mut entries = self.lock();
        if handled {
            if let Some(entry) = entries.by_key.get_mut(key) {
                entry.1 = true;
            }
        } else {
            entries.by_key.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_failed_delivery_is_forgotten_and_a_handled_one_remembered() {
        let d = MemoryDeduplicator::new(10, Duration::from_secs(60));
        assert_eq!(d.begin("a").await, Seen::New);
        d.finish("a", false).await;
        assert_eq!(d.begin("a").await, Seen::New, "the redelivery gets through");
        d.finish("a", true).await;
        assert_eq!(d.begin("a").await, Seen::Done);
    }

    #[tokio::test]
    async fn the_store_is_bounded_in_size() {
        let d = MemoryDeduplicator::new(3, Duration::from_secs(60));
        for k in ["a", "b", "c", "d"] {
            assert_eq!(d.begin(k).await, Seen::New);
            d.finish(k, true).await;
        }
        assert_eq!(d.len(), 3);
        assert_eq!(d.begin("a").await, Seen::New, "the oldest went first");
        assert_eq!(d.begin("d").await, Seen::Done);
    }

    #[tokio::test]
    async fn the_store_is_bounded_in_age() {
        let d = MemoryDeduplicator::new(10, Duration::from_millis(30));
        assert_eq!(d.begin("a").await, Seen::New);
        d.finish("a", true).await;
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(d.begin("a").await, Seen::New, "forgotten after max_age");
        assert_eq!(d.len(), 1);
    }
}
