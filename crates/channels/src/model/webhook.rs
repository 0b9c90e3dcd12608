//! The webhook envelope Bird POSTs to you: `{service, event, payload}`.

use serde::Deserialize;

use super::message::Message;

/// A webhook delivery: `{service, event, payload}` with the message.
///
/// ```
/// use channels::WebhookEvent;
/// let body = br#"{"service":"channels","event":"whatsapp.inbound","payload":{
///   "id":"7b9ef840-361f-4aee-9fbb-8c870ceaa620","channelId":"8e046034-bca7-5124-89d0-1a64c1cbe819",
///   "status":"delivered","lastStatusAt":"2025-10-24T00:41:22.522Z",
///   "createdAt":"2025-10-24T00:41:22.23Z","updatedAt":"2025-10-24T00:41:22.522Z"}}"#;
/// let event = WebhookEvent::from_json(body)?;
/// assert_eq!(event.event, "whatsapp.inbound");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// `service` (`channels`).
    pub service: String,
    /// `event` (`whatsapp.inbound`, `whatsapp.outbound`).
    pub event: String,
    /// The message.
    pub payload: Message,
}

impl WebhookEvent {
    /// Decodes a webhook request body.
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(body)
    }
}
