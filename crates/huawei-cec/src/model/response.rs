//! The `sendWhatsappMessage` response.

use serde::Deserialize;
use whatsapp_common::DecodeWarning;

whatsapp_common::int_enum! {
    /// Status group of a message (`status.groupId`), as in the OMNI API
    /// CEC proxies.
    pub enum StatusGroup {
        /// `0`: accepted.
        Accepted = 0,
        /// `1`: pending (on its way).
        Pending = 1,
        /// `2`: undeliverable.
        Undeliverable = 2,
        /// `3`: delivered.
        Delivered = 3,
        /// `4`: expired.
        Expired = 4,
        /// `5`: rejected.
        Rejected = 5,
    }
}

whatsapp_common::int_enum! {
    /// Status of a message (`status.id`), as in the OMNI API CEC proxies.
    pub enum StatusId {
        /// `2` DELIVERED_TO_OPERATOR (intermediate).
        DeliveredToOperator = 2,
        /// `3` PENDING_WAITING_DELIVERY.
        PendingWaitingDelivery = 3,
        /// `4` UNDELIVERABLE_REJECTED_OPERATOR.
        UndeliverableRejectedOperator = 4,
        /// `5` DELIVERED_TO_HANDSET (final).
        DeliveredToHandset = 5,
        /// `6` REJECTED_NETWORK.
        RejectedNetwork = 6,
        /// `7` PENDING_ENROUTE.
        PendingEnroute = 7,
        /// `8` REJECTED_PREFIX_MISSING.
        RejectedPrefixMissing = 8,
        /// `9` UNDELIVERABLE_NOT_DELIVERED.
        UndeliverableNotDelivered = 9,
        /// `10` REJECTED_DND.
        RejectedDnd = 10,
        /// `11` REJECTED_SOURCE.
        RejectedSource = 11,
        /// `12` REJECTED_NOT_ENOUGH_CREDITS.
        RejectedNotEnoughCredits = 12,
        /// `13` REJECTED_SENDER.
        RejectedSender = 13,
        /// `14` REJECTED_DESTINATION_BLOCKLISTED.
        RejectedDestinationBlocklisted = 14,
        /// `15` EXPIRED_EXPIRED.
        ExpiredExpired = 15,
        /// `17` REJECTED_PREPAID_PACKAGE_EXPIRED.
        RejectedPrepaidPackageExpired = 17,
        /// `18` REJECTED_DESTINATION_NOT_REGISTERED.
        RejectedDestinationNotRegistered = 18,
        /// `19` REJECTED_ROUTE_NOT_AVAILABLE.
        RejectedRouteNotAvailable = 19,
        /// `20` REJECTED_FLOODING_FILTER.
        RejectedFloodingFilter = 20,
        /// `21` REJECTED_SYSTEM_ERROR.
        RejectedSystemError = 21,
        /// `23` REJECTED_DUPLICATE_MESSAGE_ID.
        RejectedDuplicateMessageId = 23,
        /// `24` REJECTED_INVALID_UDH.
        RejectedInvalidUdh = 24,
        /// `25` REJECTED_MESSAGE_TOO_LONG.
        RejectedMessageTooLong = 25,
        /// `26` PENDING_ACCEPTED.
        PendingAccepted = 26,
        /// `29` EXPIRED_DLR_UNKNOWN.
        ExpiredDlrUnknown = 29,
        /// `31` UNDELIVERABLE_NOT_SENT.
        UndeliverableNotSent = 31,
        /// `51` MISSING_TO.
        MissingTo = 51,
        /// `52` REJECTED_DESTINATION.
        RejectedDestination = 52,
    }
}

/// Where a message stands, in three words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Accepted or on its way; a final state comes later.
    Pending,
    /// Delivered.
    Delivered,
    /// Will not be delivered (undeliverable, expired, rejected).
    Failed,
    /// A status group this version does not know.
    Unknown,
}

/// `status`: a message's state when the send was accepted. Every member is
/// optional: CEC's response table marks them so, and a value that does not
/// fit is left out (see [`SendResponse::warnings`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct SendStatus {
    /// `groupId`.
    pub group_id: Option<StatusGroup>,
    /// `groupName`.
    pub group_name: Option<String>,
    /// `id`.
    pub id: Option<StatusId>,
    /// `name`.
    pub name: Option<String>,
    /// `description`: readable text.
    pub description: Option<String>,
    /// `action`: what to do about an error, when given.
    pub action: Option<String>,
}

impl SendStatus {
    /// Pending, delivered or failed, from the status group;
    /// [`Outcome::Unknown`] for a group this version does not know or none.
    pub fn outcome(&self) -> Outcome {
        match self.group_id {
            Some(StatusGroup::Accepted | StatusGroup::Pending) => Outcome::Pending,
            Some(StatusGroup::Delivered) => Outcome::Delivered,
            Some(StatusGroup::Undeliverable | StatusGroup::Expired | StatusGroup::Rejected) => {
                Outcome::Failed
            }
            Some(StatusGroup::Unknown(_)) | None => Outcome::Unknown,
        }
    }
}

/// `to`: the destination as the service echoes it (possibly masked).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct SentTo {
    /// `phoneNumber`, as returned (not re-validated: it may be masked).
    pub phone_number: Option<String>,
}

/// One message of the response. Every member is optional, as in CEC's
/// response table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct MessageResult {
    /// `to`.
    pub to: Option<SentTo>,
    /// `status`.
    pub status: Option<SendStatus>,
    /// `messageId`.
    pub message_id: Option<String>,
}

impl MessageResult {
    /// Pending, delivered or failed, from `status`;
    /// [`Outcome::Unknown`] without one.
    pub fn outcome(&self) -> Outcome {
        self.status
            .as_ref()
            .map_or(Outcome::Unknown, SendStatus::outcome)
    }
}

/// HTTP 200 answer to a send.
///
/// This is an acceptance, not a delivery: `status` says where each message
/// stood when it was accepted (usually pending). CEC documents no delivery
/// callback for this API.
///
/// Read leniently, since CEC accepted the request: every member is
/// optional (CEC's response table marks them so), and a value that does
/// not fit its type is left out and named in [`SendResponse::warnings`]
/// rather than failing a send that went out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct SendResponse {
    /// `messages`: one per destination.
    pub messages: Vec<MessageResult>,
    /// `bulkId`.
    pub bulk_id: Option<String>,
    #[serde(skip)]
    warnings: Vec<DecodeWarning>,
}

whatsapp_common::keeps_warnings!(SendResponse);
