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

use std::net::IpAddr;

use secrecy::{ExposeSecret, SecretString};

use crate::events::Event;
use subtle::ConstantTimeEq;

mod dedup;
mod unsigned;

pub use dedup::{Deduplicator, MemoryDeduplicator, Seen};
pub use unsigned::{IpAllowList, UnsignedChecks, UnsignedFormat, UnsignedIntake};

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
}
