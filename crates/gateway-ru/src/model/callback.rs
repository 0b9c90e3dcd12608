//! What the gateway POSTs to you: delivery reports and inbound messages.
//!
//! Deserialize the request body of your web handler into these types and
//! answer HTTP 200.
//!
//! ```
//! use gateway_ru::{DeliveryState, DeliveryStatus};
//! let body = br#"{"id":"8770599","mtNum":"107930572","status":2,"type":"WHATSAPP",
//!   "doneDate":"2019-05-05T10:20:35+0300","submitDate":"2019-05-05T10:19:55+0300",
//!   "sourceAddr":"SHOP","destAddr":"72101234567","partCount":"001","errorCode":"0",
//!   "mccMnc":"25012","trafficType":1}"#;
//! let report = DeliveryStatus::from_json(body)?;
//! assert_eq!(report.status, DeliveryState::Delivered);
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::Deserialize;

use super::request::MessageType;
use super::timestamp::{GatewayTimestamp, empty_as_none};

whatsapp_common::int_enum! {
    /// `status` of a delivery report.
    pub enum DeliveryState {
        /// `0`: handed to the operator; the final state is not known yet.
        Sent = 0,
        /// `2`: delivered (final).
        Delivered = 2,
        /// `5`: not delivered or rejected (final; see `errorCode`).
        Undelivered = 5,
        /// `9`: read (final; not reported for SMS and flashing calls).
        Read = 9,
    }
}

impl DeliveryState {
    /// Whether no further report will follow for this message.
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Delivered | Self::Undelivered | Self::Read)
    }
}

whatsapp_common::int_enum! {
    /// `trafficType` of a delivery report.
    pub enum TrafficType {
        /// `0`: advertising.
        Advertising = 0,
        /// `1`: transactional.
        Transactional = 1,
        /// `2`: service.
        Service = 2,
        /// `5`: informational.
        Informational = 5,
        /// `6`: authorization.
        Authorization = 6,
        /// `7`: templated advertising.
        TemplatedAdvertising = 7,
    }
}

whatsapp_common::int_enum! {
    /// WhatsApp reasons in `errorCode` when `status` is 5.
    pub enum WhatsAppDeliveryError {
        /// `3`: call barred.
        CallBarred = 3,
        /// `6`: teleservice not provisioned (no WhatsApp on this number).
        TeleserviceNotProvisioned = 6,
        /// `7`: timeout (the lifetime ran out).
        Timeout = 7,
        /// `10`: filtered.
        Filtered = 10,
    }
}

/// A delivery report, POSTed to `notifyUrl` (or the URL set up with the
/// gateway) as the message moves on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeliveryStatus {
    /// Your partner-side id; empty when the message was not sent.
    #[serde(default)]
    pub id: String,
    /// The gateway's message chain id (`mtNum` of the send response).
    pub mt_num: String,
    /// Where the message is.
    pub status: DeliveryState,
    /// Which channel this report is about (a cascade reports each step).
    #[serde(rename = "type")]
    pub message_type: MessageType,
    /// When the final state was reached; `None` while undelivered.
    #[serde(default, deserialize_with = "empty_as_none::deserialize")]
    pub done_date: Option<GatewayTimestamp>,
    /// When the gateway sent the message.
    #[serde(default, deserialize_with = "empty_as_none::deserialize")]
    pub submit_date: Option<GatewayTimestamp>,
    /// Sender name.
    #[serde(default)]
    pub source_addr: String,
    /// Recipient number, as the gateway writes it.
    #[serde(default)]
    pub dest_addr: String,
    /// Message text, when reported.
    #[serde(default)]
    pub text: Option<String>,
    /// Number of parts, as a string (`"001"`).
    #[serde(default)]
    pub part_count: String,
    /// Error code, as a string (`"0"` when none).
    #[serde(default)]
    pub error_code: String,
    /// Mobile network (`"25012"`: MCC 250, MNC 12), as a string.
    #[serde(default)]
    pub mcc_mnc: String,
    /// The traffic class the message was billed as.
    #[serde(default)]
    pub traffic_type: Option<TrafficType>,
}

impl DeliveryStatus {
    /// Decodes a report from the callback's body.
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(body)
    }

    /// `part_count` as a number.
    pub fn parts(&self) -> Option<u32> {
        self.part_count.trim().parse().ok()
    }

    /// `error_code` as a number (`0` means no error).
    pub fn error_number(&self) -> Option<i64> {
        self.error_code.trim().parse().ok()
    }

    /// The WhatsApp failure reason, for an undelivered WhatsApp message.
    pub fn whatsapp_error(&self) -> Option<WhatsAppDeliveryError> {
        if self.status != DeliveryState::Undelivered || self.message_type != MessageType::WhatsApp {
            return None;
        }
        self.error_number().map(WhatsAppDeliveryError::from_i64)
    }
}

/// An inbound WhatsApp message (a reply from the subscriber), POSTed to the
/// URL set up with the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InboundMessage {
    /// The gateway's id for this inbound message.
    pub transaction_id: String,
    /// Your sender name or number the subscriber wrote to.
    pub dest_addr: String,
    /// The subscriber's number.
    pub source_addr: String,
    /// Channel (`WHATSAPP`).
    #[serde(rename = "type")]
    pub message_type: MessageType,
    /// Text, or the caption of a media message.
    #[serde(default)]
    pub message: Option<String>,
    /// Number of parts.
    #[serde(
        default,
        deserialize_with = "whatsapp_common::__private::deserialize_opt_int"
    )]
    pub part_count: Option<i64>,
    /// When the gateway received it.
    #[serde(default, deserialize_with = "empty_as_none::deserialize")]
    pub received_date: Option<GatewayTimestamp>,
    /// Where to fetch attached media, if any.
    #[serde(default, rename = "mediaURL")]
    pub media_url: Option<String>,
}

impl InboundMessage {
    /// Decodes an inbound message from the callback's body.
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(body)
    }
}
