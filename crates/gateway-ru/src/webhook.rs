//! The gateway's callbacks, checked and read as vendor-neutral events
//! (feature `webhook`).
//!
//! The gateway POSTs delivery reports to `notifyUrl` (or the URL set up
//! with it) and inbound messages to the partner's URL
//! (<https://doc.rapporto.ru/>, "Статусы доставки" and "MO-сообщения").
//! It documents **no signature, secret or source addresses** for them, so
//! [`GatewayIntake`] checks what the application can arrange itself: a
//! [`SharedSecret`](whatsapp_common::webhook::SharedSecret) it puts in the callback URL's query (for
//! `notifyUrl`, which it sets per send) or that a proxy adds as a header,
//! and, optionally, an [`IpAllowList`](whatsapp_common::webhook::IpAllowList) of the addresses the gateway's
//! callbacks come from (ask the provider for them).
//!
//! | body | [`Event`] |
//! |---|---|
//! | a delivery report (`mtNum`, `status`, …) | [`Event::Delivery`]: `mtNum` as the vendor message id, `id` as the client reference, the status from [`delivery_status`] |
//! | an inbound message (`transactionId`, `sourceAddr`, …) | [`Event::Inbound`]: media with its caption, or text |
//! | anything else | [`Event::Other`] |
//!
//! The gateway documents no redelivery and gives no delivery id: the
//! receiver de-duplicates by each event's key (`mtNum`, the status and the
//! report as it came: a cascade's steps, reported under one `mtNum`, are
//! events of their own).

use std::time::SystemTime;

use serde_json::Value;
use whatsapp_common::DecodeError;
use whatsapp_common::events::{
    DeliveryEvent, DeliveryStatus as Neutral, Event, InboundContent, InboundMessage as Inbound,
};
use whatsapp_common::webhook::{UnsignedFormat, UnsignedIntake};

use crate::{DeliveryState, DeliveryStatus, GatewayTimestamp, InboundMessage, VENDOR};

/// The format of the gateway's callbacks: bodies read by [`decode_event`].
#[derive(Debug, Clone, Copy)]
pub struct GatewayCallbacks;

impl UnsignedFormat for GatewayCallbacks {
    const VENDOR: &'static str = VENDOR;

    fn decode(body: &[u8]) -> Result<Event, DecodeError> {
        decode_event(body)
    }
}

/// The gateway's side of the callbacks: a shared secret, an address
/// allow-list, or both ([`UnsignedChecks`](whatsapp_common::webhook::UnsignedChecks)). See [the module](self).
///
/// ```
/// use std::time::SystemTime;
/// use gateway_ru::webhook::GatewayIntake;
/// use whatsapp_common::webhook::{Intake, SecretIn, SharedSecret, WebhookRequest};
///
/// let intake = GatewayIntake::new(SharedSecret::new("4f1c…random"), SecretIn::Query("token".into()));
/// let forged = WebhookRequest::new("https://example.com/hooks/gateway?token=guess", &[], b"{}");
/// assert!(intake.verify(&forged, SystemTime::now()).is_err());
/// let real = WebhookRequest::new("https://example.com/hooks/gateway?token=4f1c%E2%80%A6random", &[], b"{}");
/// assert!(intake.verify(&real, SystemTime::now()).is_ok());
/// ```
pub type GatewayIntake = UnsignedIntake<GatewayCallbacks>;

/// The neutral reading of a report's `status`: 0 sent, 2 delivered, 5
/// failed (see `errorCode`), 9 read; any other value unknown.
pub fn delivery_status(state: &DeliveryState) -> Neutral {
    match state {
        DeliveryState::Sent => Neutral::Sent,
        DeliveryState::Delivered => Neutral::Delivered,
        DeliveryState::Undelivered => Neutral::Failed,
        DeliveryState::Read => Neutral::Read,
        other => Neutral::Unknown(other.as_i64().to_string()),
    }
}

fn time(t: Option<&GatewayTimestamp>) -> Option<SystemTime> {
    let seconds = u64::try_from(t?.unix_seconds()).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::from_secs(seconds))
}

/// Reads one callback body as its [`Event`]: a delivery report, an
/// inbound message, or [`Event::Other`]. Only a body that is not JSON is
/// an error.
pub fn decode_event(body: &[u8]) -> Result<Event, DecodeError> {
    let raw: Value = DecodeError::json(200, body, false)?;
    if raw.get("mtNum").is_some()
        && raw.get("status").is_some()
        && let Ok(report) = serde_json::from_value::<DeliveryStatus>(raw.clone())
    {
        return Ok(Event::Delivery(delivery(&report, raw)));
    }
    if raw.get("transactionId").is_some()
        && let Ok(message) = serde_json::from_value::<InboundMessage>(raw.clone())
    {
        return Ok(Event::Inbound(inbound(&message, raw)));
    }
    Ok(Event::Other {
        vendor: VENDOR,
        kind: None,
        raw,
    })
}

fn delivery(report: &DeliveryStatus, raw: Value) -> DeliveryEvent {
    let status = delivery_status(&report.status);
    let mut event = DeliveryEvent::new(VENDOR, status, report.status.as_i64().to_string());
    event.vendor_message_id = Some(report.mt_num.clone()).filter(|s| !s.is_empty());
    event.client_reference = Some(report.id.clone()).filter(|s| !s.is_empty());
    event.recipient = Some(report.dest_addr.clone()).filter(|s| !s.is_empty());
    event.occurred_at = time(report.done_date.as_ref().or(report.submit_date.as_ref()));
    if report.error_number().is_some_and(|n| n != 0) || event.status.is_failure() {
        event.error_code = Some(report.error_code.clone()).filter(|s| !s.trim().is_empty());
        event.error_description = report.whatsapp_error().map(|e| format!("{e:?}"));
    }
    event.raw = raw;
    event
}

fn inbound(message: &InboundMessage, raw: Value) -> Inbound {
    let content = match (&message.media_url, &message.message) {
        (Some(url), caption) => InboundContent::Media {
            url: Some(url.clone()),
            mime_type: None,
            caption: caption.clone(),
        },
        (None, Some(text)) => InboundContent::Text { text: text.clone() },
        (None, None) => InboundContent::Other,
    };
    let mut event = Inbound::new(VENDOR, content);
    event.vendor_message_id = Some(message.transaction_id.clone());
    event.from = Some(message.source_addr.clone());
    event.received_at = time(message.received_date.as_ref());
    event.raw = raw;
    event
}
