//! The message as Bird returns it (the 202 answer to a send) and sends it
//! in webhooks: typed where the schema types it, unknown values kept.

use serde::Deserialize;
use serde_json::{Map, Value};
use whatsapp_common::DecodeWarning;

use super::body::Body;
use super::request::ReplyTo;
use super::time::Timestamp;

whatsapp_common::str_enum! {
    /// Status of a message.
    pub enum MessageStatus {
        /// Accepted by the Channels API.
        Accepted = "accepted",
        /// Rejected.
        Rejected = "rejected",
        /// Being processed.
        Processing = "processing",
        /// Waiting for `scheduledFor`.
        Scheduled = "scheduled",
        /// Handed to the platform.
        Sent = "sent",
        /// Could not be handed to the platform.
        SendingFailed = "sending_failed",
        /// Delivered.
        Delivered = "delivered",
        /// Handed to the platform, not delivered.
        DeliveryFailed = "delivery_failed",
        /// Deleted.
        Deleted = "deleted",
        /// Skipped.
        Skipped = "skipped",
    }
}

impl MessageStatus {
    /// Whether no further status will follow.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Rejected
                | Self::SendingFailed
                | Self::Delivered
                | Self::DeliveryFailed
                | Self::Deleted
                | Self::Skipped
        )
    }
}

whatsapp_common::str_enum! {
    /// Direction of a message.
    pub enum Direction {
        /// Received from a contact.
        Incoming = "incoming",
        /// Sent to a contact.
        Outgoing = "outgoing",
    }
}

/// A connector (the channel's own address).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ConnectorInfo {
    /// `id`.
    pub id: Option<String>,
    /// `identifierValue`.
    pub identifier_value: Option<String>,
    /// `annotations`.
    pub annotations: Option<Map<String, Value>>,
    /// `types`.
    pub types: Option<Vec<String>>,
}

/// A contact as Bird describes it in a message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ContactInfo {
    /// `id`.
    pub id: Option<String>,
    /// `identifierKey`.
    pub identifier_key: Option<String>,
    /// `identifierValue`.
    pub identifier_value: Option<String>,
    /// `type`.
    #[serde(rename = "type")]
    pub contact_type: Option<String>,
    /// `countryCode`.
    pub country_code: Option<String>,
    /// `platformAddress`.
    pub platform_address: Option<String>,
    /// `platformAddressSelector`.
    pub platform_address_selector: Option<String>,
    /// `identifiers`.
    pub identifiers: Option<Vec<Value>>,
    /// `annotations`.
    pub annotations: Option<Map<String, Value>>,
}

/// `sender` or `receiver` of a message: a connector, one contact, or contacts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Party {
    /// `connector`.
    pub connector: Option<ConnectorInfo>,
    /// `contact`.
    pub contact: Option<ContactInfo>,
    /// `contacts`.
    pub contacts: Option<Vec<ContactInfo>>,
}

/// `parts[]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Part {
    /// The platform's id (`wamid.…` on WhatsApp).
    pub platform_reference: Option<String>,
}

/// `failure.source`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct FailureSource {
    /// `code`.
    pub code: Option<String>,
    /// `name` (`whatsapp`, `pre-processing`, `accounting`, …).
    pub name: Option<String>,
}

/// `failure`: why a message failed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Failure {
    /// Bird's code.
    pub code: Option<i64>,
    /// Description.
    pub description: Option<String>,
    /// Where the failure came from.
    pub source: Option<FailureSource>,
}

/// `origin`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Origin {
    /// `type`.
    #[serde(rename = "type")]
    pub origin_type: Option<String>,
    /// `id`.
    pub id: Option<String>,
}

/// A message as Bird returns it (202 on send) and sends it in webhooks.
///
/// Read leniently from an accepted send: every member is optional, and a
/// value that does not fit its type is left out and named in
/// [`Message::warnings`], never an error that would have the message sent
/// again.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Message {
    /// `id`.
    #[serde(default)]
    pub id: Option<String>,
    /// `channelId`.
    #[serde(default)]
    pub channel_id: Option<String>,
    /// `sender`.
    #[serde(default)]
    pub sender: Option<Party>,
    /// `receiver`.
    #[serde(default)]
    pub receiver: Option<Party>,
    /// `body`. A body that does not fit the schema's shape for its type
    /// (Bird's own samples have `{"type": "text"}` alone) reads as
    /// [`Body::Unknown`] rather than failing the whole message.
    #[serde(default, deserialize_with = "lenient_body")]
    pub body: Option<Body>,
    /// `template`, as JSON.
    #[serde(default)]
    pub template: Option<Value>,
    /// `meta`, as JSON.
    #[serde(default)]
    pub meta: Option<Map<String, Value>>,
    /// `reference`.
    #[serde(default)]
    pub reference: Option<String>,
    /// `parts`.
    #[serde(default)]
    pub parts: Option<Vec<Part>>,
    /// `status`.
    #[serde(default)]
    pub status: Option<MessageStatus>,
    /// `reason`.
    #[serde(default)]
    pub reason: Option<String>,
    /// `direction`.
    #[serde(default)]
    pub direction: Option<Direction>,
    /// `origin`.
    #[serde(default)]
    pub origin: Option<Origin>,
    /// `replyTo`.
    #[serde(default)]
    pub reply_to: Option<ReplyTo>,
    /// `lastStatusAt`.
    #[serde(default)]
    pub last_status_at: Option<Timestamp>,
    /// `createdAt`.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// `updatedAt`.
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
    /// `details`: more about the status.
    #[serde(default)]
    pub details: Option<String>,
    /// `failure`.
    #[serde(default)]
    pub failure: Option<Failure>,
    /// `tags`.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// `shortLinks`.
    #[serde(default)]
    pub short_links: Option<Value>,
    /// `scheduledFor`.
    #[serde(default)]
    pub scheduled_for: Option<Timestamp>,
    /// `batchId` (seen in webhooks, not in the schema).
    #[serde(default)]
    pub batch_id: Option<String>,
    /// `chargeableUnits` (seen in webhooks, not in the schema).
    #[serde(default)]
    pub chargeable_units: Option<i64>,
    /// `context` (seen in webhooks, not in the schema).
    #[serde(default)]
    pub context: Option<Value>,
    #[serde(skip)]
    warnings: Vec<DecodeWarning>,
}

whatsapp_common::keeps_warnings!(Message);

/// The body is taken as its JSON text (checked, not built into a tree) and
/// then read as a [`Body`], so that a body of the wrong shape becomes
/// [`Body::Unknown`] without failing the message around it.
fn lenient_body<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Body>, D::Error> {
    let raw = Option::<Box<serde_json::value::RawValue>>::deserialize(d)?;
    Ok(raw.map(|raw| serde_json::from_str(raw.get()).unwrap_or(Body::Unknown)))
}
