//! Taking in a vendor's callbacks safely: the request as received
//! ([`WebhookRequest`]), the checks that refuse a forged one (a vendor's
//! signature, in its crate; a [`SharedSecret`] and an [`IpAllowList`]
//! where the vendor signs nothing), and de-duplication of redeliveries
//! ([`Deduplicator`], [`MemoryDeduplicator`]).
//!
//! Nothing here logs or prints a body, a signature or a key: errors name
//! what was wrong, never the values.
//!
//! ```
//! use whatsapp_common::webhook::{SharedSecret, WebhookRequest};
//!
//! let secret = SharedSecret::new("s3cr3t-token");
//! let headers = [("X-Callback-Token", "s3cr3t-token")];
//! let request = WebhookRequest::new("https://example.com/hooks/gateway", &headers, b"{}");
//! assert!(secret.check(request.header("x-callback-token")).is_ok());
//! assert!(secret.check(Some("guess")).is_err());
//! assert!(secret.check(None).is_err());
//! ```

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};

use crate::events::Event;
use subtle::ConstantTimeEq;

/// A callback request as the receiver got it: the full URL the vendor
/// called (scheme, host, path and query, as the vendor signed it), the
/// headers, the raw body bytes and, where known, the peer's address.
#[derive(Clone, Copy)]
pub struct WebhookRequest<'a> {
    /// The full request URL.
    pub url: &'a str,
    /// The headers, names in any case.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body, as received.
    pub body: &'a [u8],
    /// The peer's address, where the server knows it.
    pub remote_addr: Option<IpAddr>,
}

impl std::fmt::Debug for WebhookRequest<'_> {
    // Headers carry signatures and tokens, the body personal data: only
    // the shape is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookRequest")
            .field("headers", &self.headers.len())
            .field("body_len", &self.body.len())
            .field("remote_addr", &self.remote_addr)
            .finish_non_exhaustive()
    }
}

impl<'a> WebhookRequest<'a> {
    /// A request to `url` with `headers` and `body`, peer unknown.
    pub fn new(url: &'a str, headers: &'a [(&'a str, &'a str)], body: &'a [u8]) -> Self {
        Self {
            url,
            headers,
            body,
            remote_addr: None,
        }
    }

    /// The same request from `addr`.
    #[must_use]
    pub fn from_addr(mut self, addr: IpAddr) -> Self {
        self.remote_addr = Some(addr);
        self
    }

    /// The first value of header `name`, compared without case.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// Why a callback was refused before anything reached the application.
/// The text names what was wrong, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the check needs is missing.
    #[error("the callback has no {0} header")]
    MissingHeader(&'static str),
    /// A header is there but not of the documented form.
    #[error("the callback's {0} header is malformed")]
    MalformedHeader(&'static str),
    /// The signature does not match the body, URL and time: the request
    /// was not signed with this key, or was changed on the way.
    #[error("the callback's signature does not match: refused")]
    BadSignature,
    /// The signed time is outside the accepted window.
    #[error("the callback was signed {age_secs} s from now, outside the {window_secs} s window")]
    Stale {
        /// How far the signed time is from now, in seconds.
        age_secs: u64,
        /// The window, in seconds.
        window_secs: u64,
    },
    /// The shared secret is missing or wrong.
    #[error("the callback does not carry the shared secret: refused")]
    SecretMismatch,
    /// The peer's address is not on the allow-list (or unknown).
    #[error("the callback came from an address that is not allowed")]
    AddressNotAllowed,
}

/// A secret the application shares with a vendor that signs nothing: put
/// it in the callback URL's path or query, or in a header, where the
/// vendor's configuration lets you, and check it on every callback. The
/// comparison takes the same time whatever the input.
#[derive(Clone)]
pub struct SharedSecret(SecretString);

impl std::fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedSecret(***)")
    }
}

impl SharedSecret {
    /// The secret.
    pub fn new(secret: impl Into<SecretString>) -> Self {
        Self(secret.into())
    }

    /// `Ok` when `presented` is the secret; [`WebhookError::SecretMismatch`]
    /// when it is missing or anything else.
    pub fn check(&self, presented: Option<&str>) -> Result<(), WebhookError> {
        let expected = self.0.expose_secret().as_bytes();
        let presented = presented.unwrap_or_default().as_bytes();
        // `ct_eq` of slices of other lengths is false without a timing
        // difference in the content; the length itself is not secret.
        if !expected.is_empty() && bool::from(expected.ct_eq(presented)) {
            Ok(())
        } else {
            Err(WebhookError::SecretMismatch)
        }
    }
}

/// Where a callback carries a [`SharedSecret`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretIn {
    /// A query parameter of the callback URL (`…/delivery?token=…`),
    /// percent-decoded before the comparison.
    Query(String),
    /// A header (one the vendor's configuration adds, or a proxy).
    Header(String),
}

/// The checks for a vendor that signs nothing: a [`SharedSecret`] where
/// the callback carries it, an [`IpAllowList`] of the vendor's addresses,
/// or both. A vendor crate's intake runs them.
///
/// ```
/// use whatsapp_common::webhook::{SecretIn, SharedSecret, UnsignedChecks, WebhookRequest};
///
/// let checks = UnsignedChecks::secret(SharedSecret::new("s3cret"), SecretIn::Query("token".into()));
/// let ok = WebhookRequest::new("https://example.com/hook?token=s3cret", &[], b"{}");
/// assert!(checks.check(&ok).is_ok());
/// let forged = WebhookRequest::new("https://example.com/hook?token=guess", &[], b"{}");
/// assert!(checks.check(&forged).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct UnsignedChecks {
    secret: Option<(SharedSecret, SecretIn)>,
    allow: Option<IpAllowList>,
}

impl UnsignedChecks {
    /// Requires `secret` where `place` says.
    pub fn secret(secret: SharedSecret, place: SecretIn) -> Self {
        Self {
            secret: Some((secret, place)),
            allow: None,
        }
    }

    /// Requires the peer's address to be on `list`, and no secret.
    pub fn addresses(list: IpAllowList) -> Self {
        Self {
            secret: None,
            allow: Some(list),
        }
    }

    /// Also requires the peer's address to be on `list`.
    #[must_use]
    pub fn allow_addresses(mut self, list: IpAllowList) -> Self {
        self.allow = Some(list);
        self
    }

    /// Runs the checks on `request`: the secret first, then the address.
    pub fn check(&self, request: &WebhookRequest<'_>) -> Result<(), WebhookError> {
        if let Some((secret, place)) = &self.secret {
            let presented = match place {
                SecretIn::Query(name) => query_value(request.url, name),
                SecretIn::Header(name) => request.header(name).map(str::to_owned),
            };
            secret.check(presented.as_deref())?;
        }
        match &self.allow {
            Some(allow) => allow.check(request),
            None => Ok(()),
        }
    }
}

/// The value of query parameter `name` in `url`, percent-decoded.
fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or_default();
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| percent_decode(v))
    })
}

/// `%XX` escapes and `+` decoded; a malformed escape is kept as it is.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            (b'+', _, _) => out.push(b' '),
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The addresses a vendor's callbacks may come from: single addresses and
/// CIDR ranges, IPv4 and IPv6. A request whose peer is unknown is refused.
///
/// ```
/// use whatsapp_common::webhook::IpAllowList;
///
/// let list = IpAllowList::parse(["203.0.113.0/24", "2001:db8::1"])?;
/// assert!(list.allows("203.0.113.77".parse()?));
/// assert!(!list.allows("198.51.100.1".parse()?));
/// assert!(list.allows("2001:db8::1".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpAllowList {
    ranges: Vec<(IpAddr, u8)>,
}

impl IpAllowList {
    /// Parses `entries`, each an address (`203.0.113.7`) or a range
    /// (`203.0.113.0/24`, `2001:db8::/32`). An entry that is neither is
    /// refused with a message naming it.
    pub fn parse<I, S>(entries: I) -> Result<Self, String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut ranges = Vec::new();
        for entry in entries {
            let entry = entry.as_ref().trim();
            let (addr, bits) = match entry.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (entry, None),
            };
            let addr: IpAddr = addr
                .parse()
                .map_err(|_| format!("{entry:?} is not an IP address or CIDR range"))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits =
                match bits {
                    None => max,
                    Some(b) => b.parse::<u8>().ok().filter(|b| *b <= max).ok_or_else(|| {
                        format!("{entry:?}: the prefix length must be 0 to {max}")
                    })?,
                };
            ranges.push((addr, bits));
        }
        Ok(Self { ranges })
    }

    /// Whether `addr` is on the list. An IPv4-mapped IPv6 address
    /// (`::ffff:203.0.113.7`) is taken as its IPv4 address.
    pub fn allows(&self, addr: IpAddr) -> bool {
        let addr = match addr {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
            v4 => v4,
        };
        self.ranges
            .iter()
            .any(|(net, bits)| in_range(addr, *net, *bits))
    }

    /// `Ok` when the request's peer is on the list;
    /// [`WebhookError::AddressNotAllowed`] when it is not, or is unknown.
    pub fn check(&self, request: &WebhookRequest<'_>) -> Result<(), WebhookError> {
        match request.remote_addr {
            Some(addr) if self.allows(addr) => Ok(()),
            _ => Err(WebhookError::AddressNotAllowed),
        }
    }
}

fn in_range(addr: IpAddr, net: IpAddr, bits: u8) -> bool {
    let (a, n, width) = match (addr, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => (u128::from(u32::from(a)), u128::from(u32::from(n)), 32),
        (IpAddr::V6(a), IpAddr::V6(n)) => (u128::from(a), u128::from(n), 128),
        _ => return false,
    };
    if bits == 0 {
        return true;
    }
    let shift = width - u32::from(bits);
    (a >> shift) == (n >> shift)
}

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

/// One vendor's side of a callback: how its requests are told from forged
/// ones, and how its bodies read as [`Event`]s. Each vendor crate that has
/// callbacks implements it (feature `webhook`); a receiver (such as the
/// `whatsapp-receiver` crate's router) runs every request through it.
pub trait Intake: Send + Sync + 'static {
    /// The vendor crate's name, as in [`Event`]s.
    fn vendor(&self) -> &'static str;

    /// Checks that `request` comes from the vendor (its signature, a
    /// shared secret, the peer's address), at `now`. `Ok` carries the
    /// vendor's id for this delivery where it gives one (Bird's
    /// `messagebird-request-id`), which the receiver de-duplicates on;
    /// without one, each event's own ids are used
    /// ([`Event::dedup_key`]).
    fn verify(
        &self,
        request: &WebhookRequest<'_>,
        now: std::time::SystemTime,
    ) -> Result<Option<String>, WebhookError>;

    /// Reads a verified body as the events it carries, in order.
    fn decode(&self, body: &[u8]) -> Result<Vec<Event>, crate::DecodeError>;

    /// What the receiver answers a verified body that does not decode:
    /// `true` acknowledges it (2xx: the vendor would only send the same
    /// bytes again), `false` refuses it (4xx). The body is never logged.
    fn acknowledge_undecodable(&self) -> bool {
        true
    }
}

impl Event {
    /// The key a redelivery of this event shares with the first delivery
    /// when the vendor gives no delivery id: the vendor, the message id
    /// (where the event names one), the status for a status change, and a
    /// hash of the event as it came, so that two events that differ in
    /// anything (a cascade's steps reported under one message id, say) are
    /// two, and only the same event sent again is one.
    pub fn dedup_key(&self) -> String {
        let (vendor, id, what, raw) = match self {
            Event::Delivery(d) => (
                d.vendor,
                d.vendor_message_id.as_deref(),
                d.vendor_status.as_str(),
                &d.raw,
            ),
            Event::Inbound(m) => (m.vendor, m.vendor_message_id.as_deref(), "in", &m.raw),
            Event::Other { vendor, raw, .. } => (*vendor, None, "other", raw),
        };
        // serde_json's map is ordered by key: the same event gives the
        // same text, whatever order its members came in.
        let text = raw.to_string();
        format!(
            "{vendor}:{}:{what}:{:016x}",
            id.unwrap_or("-"),
            fnv1a(text.as_bytes())
        )
    }
}

/// 64-bit FNV-1a: a stable hash (the same in every process and version)
/// for de-duplication keys; not a defence against forgery, which the
/// intake's checks are.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedup_keys_tell_events_apart_and_match_the_same_event() {
        use crate::events::{DeliveryEvent, DeliveryStatus};
        let event = |raw: serde_json::Value| {
            let mut d =
                DeliveryEvent::new("v", DeliveryStatus::Delivered, "2").vendor_message_id("m");
            d.raw = raw;
            Event::Delivery(d)
        };
        let a = event(serde_json::json!({"type": "WHATSAPP", "mtNum": "m"}));
        let same = event(serde_json::json!({"mtNum": "m", "type": "WHATSAPP"}));
        let other = event(serde_json::json!({"type": "SMS", "mtNum": "m"}));
        assert_eq!(
            a.dedup_key(),
            same.dedup_key(),
            "member order does not matter"
        );
        assert_ne!(a.dedup_key(), other.dedup_key());
        assert!(a.dedup_key().starts_with("v:m:2:"));
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(
            fnv1a(b"a"),
            0xaf63_dc4c_8601_ec8c,
            "the published FNV-1a test value"
        );
    }

    #[test]
    fn query_values_are_found_and_decoded() {
        let url = "https://x/y?a=1&token=a%2Bb%20c+d&b";
        assert_eq!(query_value(url, "token").as_deref(), Some("a+b c d"));
        assert_eq!(query_value(url, "b").as_deref(), Some(""));
        assert_eq!(query_value(url, "c"), None);
        assert_eq!(query_value("https://x/y", "token"), None);
        assert_eq!(
            query_value("https://x/y?token=v#frag", "token").as_deref(),
            Some("v")
        );
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%E2%9C%93"), "✓");
    }

    #[test]
    fn a_secret_matches_only_itself() {
        let s = SharedSecret::new("abc");
        assert_eq!(s.check(Some("abc")), Ok(()));
        for wrong in [Some("abd"), Some("ab"), Some("abcd"), Some(""), None] {
            assert_eq!(
                s.check(wrong),
                Err(WebhookError::SecretMismatch),
                "{wrong:?}"
            );
        }
        let empty = SharedSecret::new("");
        assert_eq!(empty.check(Some("")), Err(WebhookError::SecretMismatch));
        assert!(!format!("{s:?}").contains("abc"));
    }

    #[test]
    fn the_allow_list_matches_ranges_on_both_sides() {
        let list = IpAllowList::parse(["10.1.0.0/16", "192.0.2.5", "2001:db8::/32"]).unwrap();
        let allows = |a: &str| list.allows(a.parse().unwrap());
        assert!(allows("10.1.0.0") && allows("10.1.255.255"));
        assert!(!allows("10.0.255.255") && !allows("10.2.0.0"));
        assert!(allows("192.0.2.5") && !allows("192.0.2.6"));
        assert!(allows("2001:db8:ffff::1") && !allows("2001:db9::1"));
        assert!(allows("::ffff:10.1.2.3"), "IPv4-mapped");
        assert!(
            IpAllowList::parse(["0.0.0.0/0"])
                .unwrap()
                .allows("8.8.8.8".parse().unwrap())
        );
        for bad in ["10.0.0.0/33", "::/129", "host.example", "10.0.0.0/x"] {
            assert!(IpAllowList::parse([bad]).is_err(), "{bad}");
        }
        let unknown = WebhookRequest::new("u", &[], b"");
        assert_eq!(list.check(&unknown), Err(WebhookError::AddressNotAllowed));
        let known = unknown.from_addr("10.1.2.3".parse().unwrap());
        assert_eq!(list.check(&known), Ok(()));
    }

    #[test]
    fn headers_are_found_without_case_and_never_shown() {
        let headers = [("Messagebird-Signature", "sig"), ("a", "1")];
        let r = WebhookRequest::new("https://x/y", &headers, b"body");
        assert_eq!(r.header("messagebird-signature"), Some("sig"));
        assert_eq!(r.header("missing"), None);
        let shown = format!("{r:?}");
        assert!(
            !shown.contains("sig") && !shown.contains("body\""),
            "{shown}"
        );
    }

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
