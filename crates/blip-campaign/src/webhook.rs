//! Blip's callbacks to the bot, checked and read as vendor-neutral events
//! (feature `webhook`).
//!
//! Blip POSTs messages and notifications to the bot's two configured
//! HTTPS URLs (<https://docs.blip.ai/#using-http>). It **signs nothing**;
//! what it offers is to send *"custom headers"* the bot's owner sets in
//! the portal (or an OAuth 2.0 client-credentials token, whose header form
//! Blip does not document). [`BlipIntake`] checks a custom header holding
//! a [`SharedSecret`](whatsapp_common::webhook::SharedSecret), and optionally the peer's address
//! ([`IpAllowList`](whatsapp_common::webhook::IpAllowList)).
//!
//! | body | [`Event`] |
//! |---|---|
//! | a notification `{id, from, to, event, reason?}` (<https://docs.blip.ai/#notifications>) | [`Event::Delivery`], the status from [`delivery_status`], `reason` as the error |
//! | a message `{id, from, to, type, content}` | [`Event::Inbound`]: `text/plain`, media links, locations, replies |
//! | anything else | [`Event::Other`] |
//!
//! A notification's `id` is *"Identifier of the related message"*: it is
//! the event's vendor message id. Blip does not document which id the
//! notifications of a campaign's messages carry (the campaign's own id is
//! not said to be it), so these events carry no client reference; match a
//! campaign's outcome through [`Client::report`](crate::Client::report)
//! and the audience reads. Blip documents no redelivery nor a delivery id:
//! the receiver de-duplicates by each event's key (the message id, the
//! event and the notification as it came).

use serde::Deserialize;
use serde_json::Value;
use whatsapp_common::DecodeError;
use whatsapp_common::events::{
    DeliveryEvent, DeliveryStatus, Event, InboundContent, InboundMessage,
};
use whatsapp_common::webhook::{UnsignedFormat, UnsignedIntake};

use crate::VENDOR;

whatsapp_common::str_enum! {
    /// A LIME notification's `event`.
    pub enum NotificationEvent {
        /// The server accepted the message.
        Accepted = "accepted",
        /// The message format was validated (obsolete in LIME).
        Validated = "validated",
        /// The dispatch was authorized (obsolete in LIME).
        Authorized = "authorized",
        /// The message left the server toward the recipient.
        Dispatched = "dispatched",
        /// The recipient received it.
        Received = "received",
        /// The recipient read it.
        Consumed = "consumed",
        /// It failed: see `reason`.
        Failed = "failed",
        /// It was deleted.
        Deleted = "deleted",
    }
}

/// The neutral reading of a notification's event: `accepted` (and the
/// obsolete `validated`, `authorized`) accepted, `dispatched` sent,
/// `received` delivered, `consumed` read, `failed` failed; `deleted` and
/// any other value unknown.
pub fn delivery_status(event: &NotificationEvent) -> DeliveryStatus {
    match event {
        NotificationEvent::Accepted
        | NotificationEvent::Validated
        | NotificationEvent::Authorized => DeliveryStatus::Accepted,
        NotificationEvent::Dispatched => DeliveryStatus::Sent,
        NotificationEvent::Received => DeliveryStatus::Delivered,
        NotificationEvent::Consumed => DeliveryStatus::Read,
        NotificationEvent::Failed => DeliveryStatus::Failed,
        other => DeliveryStatus::Unknown(other.as_str().to_owned()),
    }
}

/// The format of Blip's callbacks: bodies read by [`decode_event`].
#[derive(Debug, Clone, Copy)]
pub struct BlipCallbacks;

impl UnsignedFormat for BlipCallbacks {
    const VENDOR: &'static str = VENDOR;

    fn decode(body: &[u8]) -> Result<Event, DecodeError> {
        decode_event(body)
    }
}

/// Blip's side of the bot's callback URLs: a custom header with a shared
/// secret, an address allow-list, or both ([`UnsignedChecks`](whatsapp_common::webhook::UnsignedChecks)). See
/// [the module](self).
///
/// ```
/// use std::time::SystemTime;
/// use blip_campaign::webhook::BlipIntake;
/// use whatsapp_common::webhook::{Intake, SecretIn, SharedSecret, WebhookRequest};
///
/// // In the portal: HTTP Endpoints → Custom Headers → X-Bot-Secret.
/// let intake = BlipIntake::new(SharedSecret::new("7d2e…random"), SecretIn::Header("X-Bot-Secret".into()));
/// let headers = [("x-bot-secret", "7d2e…random")];
/// let request = WebhookRequest::new("https://example.com/blip/notifications", &headers, b"{}");
/// assert!(intake.verify(&request, SystemTime::now()).is_ok());
/// ```
pub type BlipIntake = UnsignedIntake<BlipCallbacks>;

#[derive(Deserialize)]
struct Reason {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
struct Notification {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    from: Option<String>,
    event: NotificationEvent,
    #[serde(default)]
    reason: Option<Reason>,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(rename = "type")]
    content_type: String,
    #[serde(default)]
    content: Value,
}

/// A LIME address without its instance: `551199991111@0mn.io/1823…` →
/// `551199991111@0mn.io`.
fn identity(address: &str) -> String {
    address.split('/').next().unwrap_or(address).to_owned()
}

/// Reads one callback body as its [`Event`]: a notification, a message,
/// or [`Event::Other`]. Only a body that is not JSON is an error.
pub fn decode_event(body: &[u8]) -> Result<Event, DecodeError> {
    let raw: Value = DecodeError::json(200, body, false)?;
    if raw.get("event").is_some()
        && let Ok(n) = serde_json::from_value::<Notification>(raw.clone())
    {
        return Ok(Event::Delivery(notification(n, raw)));
    }
    if raw.get("content").is_some()
        && let Ok(m) = serde_json::from_value::<Message>(raw.clone())
    {
        return Ok(Event::Inbound(message(m, raw)));
    }
    Ok(Event::Other {
        vendor: VENDOR,
        kind: None,
        raw,
    })
}

fn notification(n: Notification, raw: Value) -> DeliveryEvent {
    let mut event = DeliveryEvent::new(VENDOR, delivery_status(&n.event), n.event.as_str());
    event.vendor_message_id = n.id;
    // A notification from the contact's node names the recipient; the
    // server's (`postmaster@…`) does not.
    event.recipient = n
        .from
        .as_deref()
        .filter(|f| !f.starts_with("postmaster@"))
        .map(identity);
    if let Some(reason) = n.reason {
        event.error_code = reason.code.map(|c| c.to_string());
        event.error_description = reason.description;
    }
    event.raw = raw;
    event
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn message(m: Message, raw: Value) -> InboundMessage {
    let c = &m.content;
    let content = match m.content_type.as_str() {
        "text/plain" => match c.as_str() {
            Some(t) => InboundContent::Text { text: t.to_owned() },
            None => InboundContent::Other,
        },
        "application/vnd.lime.media-link+json" => InboundContent::Media {
            url: text(&c["uri"]),
            mime_type: text(&c["type"]),
            caption: text(&c["text"]).or_else(|| text(&c["title"])),
        },
        "application/vnd.lime.location+json" => {
            match (c["latitude"].as_f64(), c["longitude"].as_f64()) {
                (Some(latitude), Some(longitude)) => InboundContent::Location {
                    latitude,
                    longitude,
                    label: text(&c["text"]),
                },
                _ => InboundContent::Other,
            }
        }
        // A reply to one of the bot's messages (a quick reply's option):
        // the option's text; which message it answers stays in `raw`
        // (`content.inReplyTo`).
        "application/vnd.lime.reply+json" => InboundContent::ButtonReply {
            payload: None,
            text: text(&c["replied"]["value"]),
        },
        _ => InboundContent::Other,
    };
    let mut event = InboundMessage::new(VENDOR, content);
    event.vendor_message_id = m.id;
    event.from = m.from.as_deref().map(identity);
    event.raw = raw;
    event
}
