//! The gateway's answer to a send.

use serde::Deserialize;

/// HTTP 200 answer to a send: the gateway accepted the message.
///
/// Acceptance is not delivery: the outcome comes later as a
/// [`DeliveryStatus`](crate::DeliveryStatus) callback to your `notifyUrl`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SendResponse {
    /// `mtNum`: the gateway's id for the message chain (cascade steps share it).
    pub mt_num: String,
    /// `id`: your partner-side id, echoed when the request carried one.
    #[serde(default)]
    pub id: Option<String>,
}
