//! The `SendOperationalMessage` request as a server reads it, from either
//! format (feature `mock`): what the mock records, and what tests compare.

use serde::Deserialize;
use whatsapp_common::DecodeError;

use super::types::{DotNetDateTime, KeyValues};
use crate::codec;

/// A `SendOperationalMessage` request as a server reads it, from either
/// format: what the mock server records, and what tests compare.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ReceivedMessage {
    /// `scheduling`.
    pub scheduling: Option<ReceivedScheduling>,
    /// `segment`.
    pub segment: Option<ReceivedSegment>,
    /// `details`.
    pub details: Option<ReceivedDetails>,
    /// `design`.
    pub design: Option<ReceivedDesign>,
    /// `template`.
    pub template: Option<ReceivedTemplate>,
}

/// `scheduling` as received.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ReceivedScheduling {
    /// `is_sent`.
    pub is_sent: Option<bool>,
    /// `scheduled_date_utc`.
    pub scheduled_date_utc: Option<DotNetDateTime>,
}

/// `segment` as received.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ReceivedSegment {
    /// `mobiles`, as written.
    pub mobiles: Option<Vec<String>>,
}

/// `details` as received.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ReceivedDetails {
    /// `whatsapp_profile_id`.
    pub whatsapp_profile_id: Option<i64>,
}

/// `design` as received.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ReceivedDesign {
    /// `name`.
    pub name: Option<String>,
    /// `content`.
    pub content: Option<String>,
}

/// `template` as received.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ReceivedTemplate {
    /// `id`.
    pub id: Option<String>,
    /// `variables`, in order.
    pub variables: Option<KeyValues<String>>,
}

impl ReceivedMessage {
    /// Decodes a request body in JSON.
    pub fn from_json(body: &[u8]) -> Result<Self, DecodeError> {
        codec::decode_json(200, body)
    }

    /// Decodes a request body in DataContract XML (root
    /// `ApiWhatsAppCampaignSendOperationalMessageContainer`).
    pub fn from_xml(body: &[u8]) -> Result<Self, DecodeError> {
        codec::decode_xml(200, body, codec::SEND_REQUEST_ROOT)
    }
}
