//! A contact's channel details: is the 24-hour customer-service window
//! open?

use serde::Deserialize;

use super::time::Timestamp;

/// The channel details of a contact: is the 24-hour window open?
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ContactChannelInfo {
    /// When the customer-service window closes; `None` when none is open.
    /// Required on the wire (it may be `null`).
    #[serde(deserialize_with = "required_nullable")]
    pub service_window_expire_at: Option<Timestamp>,
    /// Whether the session never expires.
    #[serde(default)]
    pub is_permanent_session: Option<bool>,
    /// Channel metadata.
    #[serde(default)]
    pub metadata: Option<std::collections::BTreeMap<String, String>>,
}

impl ContactChannelInfo {
    /// Whether a non-template message can be sent at `now_unix_millis`.
    pub fn is_window_open_at(&self, now_unix_millis: i64) -> bool {
        self.is_permanent_session == Some(true)
            || self
                .service_window_expire_at
                .as_ref()
                .is_some_and(|t| t.unix_millis() > now_unix_millis)
    }

    /// Whether a non-template message can be sent now.
    pub fn is_window_open(&self) -> bool {
        self.is_window_open_at(whatsapp_common::time::unix_millis_now())
    }
}

fn required_nullable<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Timestamp>, D::Error> {
    Option::<Timestamp>::deserialize(d)
}
