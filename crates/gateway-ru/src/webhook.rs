//! The gateway's callbacks, checked and read as vendor-neutral events
//! (feature `webhook`).
//!
//! The gateway POSTs delivery reports to `notifyUrl` (or the URL set up
//! with it) and inbound messages to the partner's URL
//! (<https://doc.rapporto.ru/>, "Статусы доставки" and "MO-сообщения").
//! It documents **no signature, secret or source addresses** for them, so
//! [`GatewayIntake`] checks what the application can arrange itself: a
//! [`SharedSecret`] it puts in the callback URL's query (for
//! `notifyUrl`, which it sets per send) or that a proxy adds as a header,
//! and, optionally, an [`IpAllowList`] of the addresses the gateway's
//! callbacks come from (ask the provider for them).
//!
//! | body | [`Event`] |
//! |---|---|
//! | a delivery report (`mtNum`, `status`, …) | [`Event::Delivery`]: `mtNum` as the vendor message id, `id` as the client reference, the status from [`delivery_status`] |
//! | an inbound message (`transactionId`, `sourceAddr`, …) | [`Event::Inbound`]: media with its caption, or text |
//! | anything else | [`Event::Other`] |
//!
//! The gateway redelivers nothing it documents, and gives no delivery id:
//! the receiver de-duplicates by the events' own ids (`mtNum` and the
//! status, the inbound `transactionId`).

use std::time::SystemTime;

use serde_json::Value;
use whatsapp_common::DecodeError;
use whatsapp_common::events::{
    DeliveryEvent, DeliveryStatus as Neutral, Event, InboundContent, InboundMessage as Inbound,
};
use whatsapp_common::webhook::{IpAllowList, SharedSecret, WebhookError, WebhookRequest};

use crate::{DeliveryState, DeliveryStatus, GatewayTimestamp, InboundMessage, VENDOR};

/// Where a callback carries the shared secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenIn {
    /// A query parameter of the callback URL (`…/delivery?token=…`).
    Query(String),
    /// A header (added by a proxy in front of the receiver).
    Header(String),
}

/// The gateway's side of the callbacks: a shared secret, an address
/// allow-list, or both. See [the module](self).
///
/// ```
/// use std::time::SystemTime;
/// use gateway_ru::webhook::{GatewayIntake, TokenIn};
/// use whatsapp_common::webhook::{Intake, SharedSecret, WebhookRequest};
///
/// let intake = GatewayIntake::new(SharedSecret::new("4f1c…random"), TokenIn::Query("token".into()));
/// let forged = WebhookRequest::new("https://example.com/hooks/gateway?token=guess", &[], b"{}");
/// assert!(intake.verify(&forged, SystemTime::now()).is_err());
/// let real = WebhookRequest::new("https://example.com/hooks/gateway?token=4f1c%E2%80%A6random", &[], b"{}");
/// assert!(intake.verify(&real, SystemTime::now()).is_ok());
/// ```
#[derive(Debug, Clone)]
pub struct GatewayIntake {
    secret: Option<(SharedSecret, TokenIn)>,
    allow: Option<IpAllowList>,
}

impl GatewayIntake {
    /// Accepts callbacks carrying `secret` where `token` says.
    pub fn new(secret: SharedSecret, token: TokenIn) -> Self {
        Self {
            secret: Some((secret, token)),
            allow: None,
        }
    }

    /// Accepts callbacks from the addresses `list` allows, with no secret.
    pub fn from_addresses(list: IpAllowList) -> Self {
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

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' => {
                match (
                    bytes.get(i + 1).and_then(|b| hex(*b)),
                    bytes.get(i + 2).and_then(|b| hex(*b)),
                ) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl whatsapp_common::webhook::Intake for GatewayIntake {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    fn verify(
        &self,
        request: &WebhookRequest<'_>,
        _now: SystemTime,
    ) -> Result<Option<String>, WebhookError> {
        if let Some((secret, token)) = &self.secret {
            let presented = match token {
                TokenIn::Query(name) => query_value(request.url, name),
                TokenIn::Header(name) => request.header(name).map(str::to_owned),
            };
            secret.check(presented.as_deref())?;
        }
        if let Some(allow) = &self.allow {
            allow.check(request)?;
        }
        Ok(None)
    }

    fn decode(&self, body: &[u8]) -> Result<Vec<Event>, DecodeError> {
        Ok(vec![decode_event(body)?])
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_found_and_decoded() {
        let url = "https://x/y?a=1&token=a%2Bb%20c+d&b";
        assert_eq!(query_value(url, "token").as_deref(), Some("a+b c d"));
        assert_eq!(query_value(url, "b").as_deref(), Some(""));
        assert_eq!(query_value(url, "c"), None);
        assert_eq!(query_value("https://x/y", "token"), None);
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%E2%9C%93"), "✓");
    }
}
