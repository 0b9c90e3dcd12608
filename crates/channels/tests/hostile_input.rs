//! Hostile bytes: every decoder answers with a typed error, never a panic.
#![allow(clippy::unwrap_used)]

mod support;

use channels::{Body, ContactChannelInfo, ErrorBody, Message, WebhookEvent};
use whatsapp_common::hostile::{Hostile, assert_no_panic};

#[test]
fn messages_webhooks_and_errors_never_panic() {
    let samples = [
        support::fixture("inbound_webhook.json"),
        support::fixture("message_status_example.json"),
        support::fixture("constructed_send_accepted.json"),
        support::fixture("constructed_contact_channel_info.json"),
        support::fixture("error_422_malformed.json"),
        support::fixture("examples/list_message_with_sections_and_custom_button_label.json"),
    ];
    let refs: Vec<&[u8]> = samples.iter().map(|s| s.as_bytes()).collect();
    let inputs = Hostile::new(0x6269_7264).inputs(&refs, 4_000);
    assert_no_panic(&inputs, |b| {
        let _ = WebhookEvent::from_json(b);
        let _ = whatsapp_common::DecodeError::json::<Message>(200, b, false);
        let _ = serde_json::from_slice::<ContactChannelInfo>(b);
        let _ = serde_json::from_slice::<ErrorBody>(b);
        let _ = serde_json::from_slice::<Body>(b);
    });
}
