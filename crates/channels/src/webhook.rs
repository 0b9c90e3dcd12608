//! Bird's webhooks, verified and read as vendor-neutral events (feature
//! `webhook`).
//!
//! [`BirdIntake`] checks each delivery exactly as Bird documents it
//! ("Verifying a webhook subscription",
//! <https://docs.bird.com/api/notifications-api/api-reference/webhook-subscriptions/verifying-a-webhook-subscription>):
//!
//! 1. base64-decode the `messagebird-signature` header;
//! 2. take the SHA-256 of the request body, as bytes;
//! 3. join the `messagebird-request-timestamp` header, the full request
//!    URL and that hash with `\n`;
//! 4. compute HMAC-SHA256 of that with the subscription's signing key;
//! 5. compare it with the signature (in constant time).
//!
//! Then the timestamp (Unix seconds) must lie within a window of now:
//! Bird retries a failed delivery *"at increasing intervals, for a period
//! of 8 hours"* (<https://docs.bird.com/api/notifications-api/retries>)
//! with its original timestamp, so the default window is a generous
//! [`DEFAULT_WINDOW`] (48 hours), settable with [`BirdIntake::window`].
//! Redeliveries are recognised by `messagebird-request-id`, which stays
//! the same over a delivery's attempts.
//!
//! The body `{"service": "channels", "event": …, "payload": …}` reads as:
//!
//! | event | payload | [`Event`] |
//! |---|---|---|
//! | `whatsapp.outbound` | the message ([`Message`]) | [`Event::Delivery`], status from [`delivery_status`] |
//! | `whatsapp.inbound` | the message | [`Event::Inbound`]: text, media, location, or a button reply |
//! | `whatsapp.interaction` | an interaction (`type`, `messageId`, `createdAt`) | a `read` is [`Event::Delivery`] with [`DeliveryStatus::Read`]; others [`Event::Other`] |
//! | anything else | | [`Event::Other`], kept as it came |
//!
//! Bird's page lists the families *inbound*, *outbound* and *interaction*;
//! the event names and the envelope are those Bird's deliveries carry in
//! public integrations (no Bird page shows a delivered example): see
//! docs/channels.md.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use whatsapp_common::events::{
    DeliveryEvent, DeliveryStatus, Event, InboundContent, InboundMessage,
    system_time_from_unix_millis,
};
use whatsapp_common::webhook::{Intake, WebhookError, WebhookRequest};
use whatsapp_common::{DecodeError, ExposeSecret, SecretString};

use crate::{Action, Body, Message, MessageStatus, ReplyToType, Timestamp, VENDOR};

/// How old a delivery's signed timestamp may be by default: 48 hours,
/// beyond Bird's 8 hours of retries (which keep the first timestamp).
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(48 * 3600);

/// How far ahead of this machine's clock a signed timestamp may be.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(5 * 60);

const SIGNATURE: &str = "messagebird-signature";
const TIMESTAMP: &str = "messagebird-request-timestamp";
const REQUEST_ID: &str = "messagebird-request-id";

/// Bird's side of a webhook subscription: its signing key, checked on
/// every delivery. See [the module](self).
///
/// ```
/// use std::time::SystemTime;
/// use channels::webhook::BirdIntake;
/// use whatsapp_common::webhook::{Intake, WebhookRequest};
///
/// let intake = BirdIntake::new("the subscription's signing key");
/// let headers = [("messagebird-signature", "bm90IGEgc2lnbmF0dXJl"), ("messagebird-request-timestamp", "1719823259")];
/// let request = WebhookRequest::new("https://example.com/hooks/bird", &headers, b"{}");
/// assert!(intake.verify(&request, SystemTime::now()).is_err());
/// ```
#[derive(Clone)]
pub struct BirdIntake {
    key: SecretString,
    window: Duration,
}

impl std::fmt::Debug for BirdIntake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BirdIntake")
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

impl BirdIntake {
    /// Checks deliveries signed with `signing_key` (the subscription's
    /// `signingKey`).
    pub fn new(signing_key: impl Into<SecretString>) -> Self {
        Self {
            key: signing_key.into(),
            window: DEFAULT_WINDOW,
        }
    }

    /// Accepts deliveries signed at most `window` ago (and at most
    /// [`MAX_CLOCK_SKEW`] ahead).
    #[must_use]
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// Bird's signature of `body` sent to `url` at `timestamp`, as the
    /// `messagebird-signature` header carries it (base64): for a test's
    /// own deliveries, such as the mock's.
    pub fn sign(&self, timestamp: &str, url: &str, body: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD
            .encode(self.mac(timestamp, url, body).finalize().into_bytes())
    }

    fn mac(&self, timestamp: &str, url: &str, body: &[u8]) -> Hmac<Sha256> {
        let key = self.key.expose_secret().as_bytes();
        // HMAC takes a key of any length.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
        mac.update(timestamp.as_bytes());
        mac.update(b"\n");
        mac.update(url.as_bytes());
        mac.update(b"\n");
        mac.update(&Sha256::digest(body));
        mac
    }
}

impl Intake for BirdIntake {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    /// The signature first (nothing is read from a request that fails
    /// it), then the timestamp's window. `Ok` carries the
    /// `messagebird-request-id`, where given.
    fn verify(
        &self,
        request: &WebhookRequest<'_>,
        now: SystemTime,
    ) -> Result<Option<String>, WebhookError> {
        let signature = request
            .header(SIGNATURE)
            .ok_or(WebhookError::MissingHeader(SIGNATURE))?;
        let timestamp = request
            .header(TIMESTAMP)
            .ok_or(WebhookError::MissingHeader(TIMESTAMP))?;
        let signature = base64::engine::general_purpose::STANDARD
            .decode(signature.trim())
            .map_err(|_| WebhookError::MalformedHeader(SIGNATURE))?;
        self.mac(timestamp, request.url, request.body)
            .verify_slice(&signature)
            .map_err(|_| WebhookError::BadSignature)?;
        let signed: u64 = timestamp
            .trim()
            .parse()
            .map_err(|_| WebhookError::MalformedHeader(TIMESTAMP))?;
        let now = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let (age, limit) = if signed <= now {
            (now - signed, self.window)
        } else {
            (signed - now, MAX_CLOCK_SKEW)
        };
        if age > limit.as_secs() {
            return Err(WebhookError::Stale {
                age_secs: age,
                window_secs: limit.as_secs(),
            });
        }
        Ok(request.header(REQUEST_ID).map(str::to_owned))
    }

    fn decode(&self, body: &[u8]) -> Result<Vec<Event>, DecodeError> {
        Ok(vec![decode_event(body)?])
    }
}

/// The webhook envelope, its payload kept as JSON until the event says
/// what it is.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    event: Option<String>,
    #[serde(default)]
    payload: Value,
}

/// Reads one delivery's body as its [`Event`]. Only a body that is not a
/// JSON object is an error; a payload that does not fit its model is read
/// leniently (as [`Message`] is) or kept as [`Event::Other`].
pub fn decode_event(body: &[u8]) -> Result<Event, DecodeError> {
    let raw: Value = DecodeError::json(200, body, false)?;
    let envelope: Envelope = DecodeError::json_value(200, raw.clone())?;
    let kind = envelope.event.unwrap_or_default();
    let other = |raw: Value| Event::Other {
        vendor: VENDOR,
        kind: Some(kind.clone()),
        raw,
    };
    let event = if kind.ends_with(".outbound") {
        match message(&envelope.payload) {
            Some(m) => Event::Delivery(delivery(&m, raw)),
            None => other(raw),
        }
    } else if kind.ends_with(".inbound") {
        match message(&envelope.payload) {
            Some(m) => Event::Inbound(inbound(&m, raw)),
            None => other(raw),
        }
    } else if kind.ends_with(".interaction") {
        interaction(&envelope.payload, &raw).unwrap_or_else(|| other(raw))
    } else {
        other(raw)
    };
    Ok(event)
}

fn message(payload: &Value) -> Option<Message> {
    whatsapp_common::accepted::lenient::<Message>(payload.clone())
        .ok()
        .map(Message::from)
}

/// The neutral reading of Bird's message status: `accepted`,
/// `processing` and `scheduled` are [`DeliveryStatus::Accepted`]; `sent`,
/// `delivered` as named; `rejected`, `sending_failed`, `delivery_failed`
/// and `skipped` (never sent) are [`DeliveryStatus::Failed`]; `deleted`
/// and any other value [`DeliveryStatus::Unknown`]. (Bird reports a read
/// as an interaction, not a status.)
pub fn delivery_status(status: &MessageStatus) -> DeliveryStatus {
    match status {
        MessageStatus::Accepted | MessageStatus::Processing | MessageStatus::Scheduled => {
            DeliveryStatus::Accepted
        }
        MessageStatus::Sent => DeliveryStatus::Sent,
        MessageStatus::Delivered => DeliveryStatus::Delivered,
        MessageStatus::Rejected
        | MessageStatus::SendingFailed
        | MessageStatus::DeliveryFailed
        | MessageStatus::Skipped => DeliveryStatus::Failed,
        other => DeliveryStatus::Unknown(other.as_str().to_owned()),
    }
}

fn time(t: Option<&Timestamp>) -> Option<SystemTime> {
    t.and_then(|t| system_time_from_unix_millis(t.unix_millis()))
}

fn nonempty(s: Option<&String>) -> Option<String> {
    s.filter(|s| !s.is_empty()).cloned()
}

fn delivery(m: &Message, raw: Value) -> DeliveryEvent {
    let status = m
        .status
        .clone()
        .unwrap_or_else(|| MessageStatus::from_wire(""));
    let mut event = DeliveryEvent::new(VENDOR, delivery_status(&status), status.as_str());
    event.vendor_message_id = m.id.clone();
    event.client_reference = nonempty(m.reference.as_ref());
    event.recipient = m
        .receiver
        .as_ref()
        .and_then(|r| r.contacts.as_ref())
        .and_then(|c| c.first())
        .and_then(|c| c.identifier_value.clone());
    event.occurred_at = time(m.last_status_at.as_ref().or(m.updated_at.as_ref()));
    if let Some(f) = &m.failure {
        event.error_code = f.code.map(|c| c.to_string());
        event.error_description = f.description.clone();
    }
    if event.error_description.is_none() && event.status.is_failure() {
        event.error_description = nonempty(m.reason.as_ref());
    }
    event.raw = raw;
    event
}

fn inbound(m: &Message, raw: Value) -> InboundMessage {
    let clicked = m
        .reply_to
        .as_ref()
        .is_some_and(|r| r.reply_type == ReplyToType::Click);
    let mut message = InboundMessage::new(VENDOR, content(m.body.as_ref(), clicked));
    message.vendor_message_id = m.id.clone();
    message.from = m
        .sender
        .as_ref()
        .and_then(|s| s.contact.as_ref())
        .and_then(|c| c.identifier_value.clone());
    message.received_at = time(m.created_at.as_ref());
    message.raw = raw;
    message
}

fn content(body: Option<&Body>, clicked: bool) -> InboundContent {
    match body {
        Some(Body::Text { text }) => {
            let postback = text.actions.iter().find_map(|a| match a {
                Action::Postback { postback } => Some(postback),
                _ => None,
            });
            match postback {
                Some(p) if clicked => InboundContent::ButtonReply {
                    payload: p.payload.clone(),
                    text: Some(p.text.clone()),
                },
                _ => InboundContent::Text {
                    text: text.text.clone(),
                },
            }
        }
        Some(Body::Image { image }) => InboundContent::Media {
            url: image.images.first().map(|i| i.media_url.clone()),
            mime_type: None,
            caption: image.text.clone(),
        },
        Some(Body::File { file }) => {
            let first = file.files.first();
            InboundContent::Media {
                url: first.map(|f| f.media_url.clone()),
                mime_type: first.map(|f| f.content_type.clone()),
                caption: file
                    .text
                    .clone()
                    .or_else(|| first.and_then(|f| f.filename.clone())),
            }
        }
        Some(Body::Location { location }) => InboundContent::Location {
            latitude: location.coordinates.latitude,
            longitude: location.coordinates.longitude,
            label: location
                .location
                .as_ref()
                .and_then(|p| p.label.clone().or_else(|| p.address.clone())),
        },
        _ => InboundContent::Other,
    }
}

/// A `read` interaction as a delivery event; `None` for any other.
fn interaction(payload: &Value, raw: &Value) -> Option<Event> {
    if payload["type"].as_str() != Some("read") {
        return None;
    }
    let mut event = DeliveryEvent::new(VENDOR, DeliveryStatus::Read, "read");
    event.vendor_message_id = payload["messageId"].as_str().map(str::to_owned);
    event.client_reference = payload["messageReference"]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    event.occurred_at = payload["createdAt"]
        .as_str()
        .and_then(|t| Timestamp::parse(t).ok())
        .and_then(|t| system_time_from_unix_millis(t.unix_millis()));
    event.raw = raw.clone();
    Some(Event::Delivery(event))
}
