//! The mock's webhook deliveries (features `mock` and `webhook`): Bird's
//! `whatsapp.outbound` status events for the messages it accepted,
//! signed as Bird signs them.

use serde_json::json;
use whatsapp_common::mock::post_callback;

use super::{MockBird, lock};
use crate::webhook::BirdIntake;
use crate::{MessageStatus, Timestamp};

/// Where and how the mock delivers webhooks, as a Bird webhook
/// subscription says: the URL the subscription names (and Bird signs),
/// the address the mock actually posts to (the receiver on this machine),
/// and the subscription's signing key.
#[derive(Clone)]
pub struct Subscription {
    /// The URL the subscription names: the one signed.
    pub url: String,
    /// Where the mock posts: `http://127.0.0.1:…`.
    pub post_to: String,
    /// The subscription's `signingKey`.
    pub signing_key: String,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("url", &self.url)
            .field("post_to", &self.post_to)
            .finish_non_exhaustive()
    }
}

impl MockBird {
    /// Moves every outgoing message the mock accepted (single sends and
    /// batch messages not rejected) to `status` and delivers one signed
    /// `whatsapp.outbound` webhook for each, as Bird does: the envelope
    /// `{service, event, payload}` with the message, the headers
    /// `messagebird-signature`, `messagebird-request-timestamp` (now, Unix
    /// seconds) and `messagebird-request-id`. Returns the receiver's
    /// answer to each, in order.
    ///
    /// # Errors
    ///
    /// When a post cannot be made (see
    /// [`whatsapp_common::mock::post_callback`]).
    pub async fn deliver_status_webhooks(
        &self,
        subscription: &Subscription,
        status: MessageStatus,
    ) -> Result<Vec<u16>, String> {
        let now = whatsapp_common::time::unix_millis_now();
        let at = Timestamp::from_unix_millis(now);
        let deliveries: Vec<(String, Vec<u8>)> = {
            let mut state = lock(&self.state);
            state
                .messages
                .iter_mut()
                .filter(|m| m["direction"] == "outgoing" && m["status"] != "rejected")
                .map(|m| {
                    m["status"] = json!(status.as_str());
                    m["lastStatusAt"] = json!(at.as_str());
                    m["updatedAt"] = json!(at.as_str());
                    let id = m["id"].as_str().unwrap_or_default();
                    let request_id = format!("{id}:{}", status.as_str());
                    let body = json!({
                        "service": "channels",
                        "event": "whatsapp.outbound",
                        "payload": m,
                    });
                    (request_id, serde_json::to_vec(&body).unwrap_or_default())
                })
                .collect()
        };
        let intake = BirdIntake::new(subscription.signing_key.clone());
        let timestamp = (now / 1000).to_string();
        let mut answers = Vec::with_capacity(deliveries.len());
        for (request_id, body) in deliveries {
            let signature = intake.sign(&timestamp, &subscription.url, &body);
            let headers = [
                ("messagebird-signature", signature.as_str()),
                ("messagebird-request-timestamp", timestamp.as_str()),
                ("messagebird-request-id", request_id.as_str()),
            ];
            answers.push(post_callback(&subscription.post_to, &headers, &body).await?);
        }
        Ok(answers)
    }
}
