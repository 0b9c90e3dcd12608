//! What a vendor tells the application after a send, in one shape for
//! every vendor: a [`DeliveryEvent`] (a message's status changed) or an
//! [`InboundMessage`] (a contact wrote), read from the vendor's callback
//! by its crate.
//!
//! Each vendor crate maps its documented callbacks here; what a vendor
//! sends that has no neutral meaning is kept, never dropped: an unknown
//! status is [`DeliveryStatus::Unknown`] with the vendor's value, an
//! unknown content [`InboundContent::Other`], and every event carries the
//! vendor's event as it came ([`DeliveryEvent::raw`]).
//!
//! ```
//! use whatsapp_common::events::{DeliveryEvent, DeliveryStatus};
//!
//! let event = DeliveryEvent::new("channels", DeliveryStatus::Delivered, "delivered")
//!     .vendor_message_id("b7a8a4b2-6c1d-4e0f-9a3b-000000000001")
//!     .client_reference("order-1042");
//! assert!(event.status.is_final());
//! assert_eq!(event.client_reference.as_deref(), Some("order-1042"));
//! ```

use std::time::SystemTime;

use serde_json::Value;

/// Where a message is, in words every vendor's statuses map to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeliveryStatus {
    /// The vendor took the message and will try to send it.
    Accepted,
    /// Handed to WhatsApp.
    Sent,
    /// On the contact's device.
    Delivered,
    /// The contact opened it.
    Read,
    /// It will not be delivered: see the event's error code and
    /// description.
    Failed,
    /// Its validity ran out before it could be delivered.
    Expired,
    /// A status with no neutral meaning: the vendor's value, as sent.
    Unknown(String),
}

impl DeliveryStatus {
    /// Whether no further status will follow for a delivery that ended
    /// here: delivered, read, failed or expired.
    ///
    /// (A delivered message may still be read later; a read is the last.)
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Delivered | Self::Read | Self::Failed | Self::Expired
        )
    }

    /// Whether the message will not be delivered: failed or expired.
    pub fn is_failure(&self) -> bool {
        matches!(self, Self::Failed | Self::Expired)
    }

    /// The neutral name: `accepted`, `sent`, `delivered`, `read`,
    /// `failed`, `expired`, or the vendor's value of an unknown status.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Accepted => "accepted",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Read => "read",
            Self::Failed => "failed",
            Self::Expired => "expired",
            Self::Unknown(v) => v,
        }
    }
}

impl std::fmt::Display for DeliveryStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A message's status changed: which message (the references the SDK
/// returned at send time), to what, when, and why it failed where it did.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DeliveryEvent {
    /// The vendor crate's name (`"channels"`, …), as in
    /// [`SendReceipt::vendor`](crate::SendReceipt::vendor).
    pub vendor: &'static str,
    /// The vendor's id for the message, as in
    /// [`SendReceipt::vendor_message_id`](crate::SendReceipt::vendor_message_id),
    /// where the callback carries it.
    pub vendor_message_id: Option<String>,
    /// The reference the send carried, as in
    /// [`SendReceipt::client_reference`](crate::SendReceipt::client_reference),
    /// where the callback carries it.
    pub client_reference: Option<String>,
    /// The contact the message went to, as the vendor names it (a phone
    /// number, mostly), where the callback says.
    pub recipient: Option<String>,
    /// The neutral status.
    pub status: DeliveryStatus,
    /// The vendor's own status value, as sent.
    pub vendor_status: String,
    /// When the status changed, as the vendor says.
    pub occurred_at: Option<SystemTime>,
    /// The vendor's error code, for a failure that has one.
    pub error_code: Option<String>,
    /// The vendor's description of the failure.
    pub error_description: Option<String>,
    /// The vendor's event as it came (JSON).
    pub raw: Value,
}

impl DeliveryEvent {
    /// An event of `vendor` with `status` (the neutral reading of
    /// `vendor_status`); every other member empty.
    pub fn new(
        vendor: &'static str,
        status: DeliveryStatus,
        vendor_status: impl Into<String>,
    ) -> Self {
        Self {
            vendor,
            vendor_message_id: None,
            client_reference: None,
            recipient: None,
            status,
            vendor_status: vendor_status.into(),
            occurred_at: None,
            error_code: None,
            error_description: None,
            raw: Value::Null,
        }
    }

    /// With the vendor's message id.
    #[must_use]
    pub fn vendor_message_id(mut self, id: impl Into<String>) -> Self {
        self.vendor_message_id = Some(id.into());
        self
    }

    /// With the send's client reference.
    #[must_use]
    pub fn client_reference(mut self, reference: impl Into<String>) -> Self {
        self.client_reference = Some(reference.into());
        self
    }
}

/// What a contact sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum InboundContent {
    /// Text.
    Text {
        /// The text.
        text: String,
    },
    /// An image, a document, audio or video.
    Media {
        /// Where the vendor serves it.
        url: Option<String>,
        /// Its MIME type, where given.
        mime_type: Option<String>,
        /// Its caption or file name, where given.
        caption: Option<String>,
    },
    /// A location.
    Location {
        /// Latitude, degrees.
        latitude: f64,
        /// Longitude, degrees.
        longitude: f64,
        /// Its name or address, where given.
        label: Option<String>,
    },
    /// A tap on a button or list item of a message the application sent.
    ButtonReply {
        /// The button's payload or id, where given.
        payload: Option<String>,
        /// The button's text.
        text: Option<String>,
    },
    /// Anything else: the vendor's content stays in
    /// [`InboundMessage::raw`].
    Other,
}

/// A message a contact sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct InboundMessage {
    /// The vendor crate's name.
    pub vendor: &'static str,
    /// The vendor's id for the message.
    pub vendor_message_id: Option<String>,
    /// Who sent it, as the vendor names them (a phone number, mostly).
    pub from: Option<String>,
    /// What was sent.
    pub content: InboundContent,
    /// When, as the vendor says.
    pub received_at: Option<SystemTime>,
    /// The vendor's event as it came (JSON).
    pub raw: Value,
}

impl InboundMessage {
    /// A message of `vendor` with `content`; every other member empty.
    pub fn new(vendor: &'static str, content: InboundContent) -> Self {
        Self {
            vendor,
            vendor_message_id: None,
            from: None,
            content,
            received_at: None,
            raw: Value::Null,
        }
    }
}

/// One event of a callback: a status change, a contact's message, or an
/// event with no neutral meaning (kept as it came).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A message's status changed.
    Delivery(DeliveryEvent),
    /// A contact wrote.
    Inbound(InboundMessage),
    /// Anything else the vendor sends to the same address.
    Other {
        /// The vendor crate's name.
        vendor: &'static str,
        /// The vendor's name for the event, where it has one.
        kind: Option<String>,
        /// The event as it came.
        raw: Value,
    },
}

/// A time given as Unix milliseconds, as a [`SystemTime`]; `None` before
/// the epoch.
pub fn system_time_from_unix_millis(unix_millis: i64) -> Option<SystemTime> {
    let millis = u64::try_from(unix_millis).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::from_millis(millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_say_whether_they_end_and_fail() {
        use DeliveryStatus::*;
        let cases = [
            (Accepted, false, false),
            (Sent, false, false),
            (Delivered, true, false),
            (Read, true, false),
            (Failed, true, true),
            (Expired, true, true),
            (Unknown("queued".into()), false, false),
        ];
        for (status, last, failure) in cases {
            assert_eq!(
                (status.is_final(), status.is_failure()),
                (last, failure),
                "{status}"
            );
        }
        assert_eq!(Unknown("queued".into()).to_string(), "queued");
    }

    #[test]
    fn unix_millis_become_system_times() {
        let t = system_time_from_unix_millis(1_700_000_000_123).unwrap();
        let since = t.duration_since(SystemTime::UNIX_EPOCH).unwrap();
        assert_eq!(since.as_millis(), 1_700_000_000_123);
        assert_eq!(system_time_from_unix_millis(-1), None);
    }
}
