//! The workspace's conformance suite, run against channels: no secret
//! leaks, honest retry advice, no blind retry after a closed connection,
//! `Retry-After` on paused time, hostile bytes.
#![allow(clippy::unwrap_used)]

#[path = "support/mod.rs"]
mod support;

use channels::mock::{CHANNEL_ID, MockBird, WORKSPACE_ID, error_body};
use channels::{
    ApiError, BatchAccepted, Body, Client, ClientBuilder, ContactChannelInfo, DecodeError,
    ErrorCode, Message, SendRequest, WebhookEvent,
};
use whatsapp_common::conformance::{Hooks, Profile, send_fn};

const ACCESS_KEY: &str = "AccessKEY-7fd3a9c2e1";

/// Bird documents that a 429 "has not been processed and can be retried",
/// but not its body: the throttled answer is in Bird's error shape.
fn bird() -> Profile<MockBird, ClientBuilder> {
    let throttled = error_body(
        &ErrorCode::from_wire("TooManyRequests"),
        "Too Many Requests",
    );
    let samples = [
        "inbound_webhook.json",
        "message_status_example.json",
        "constructed_send_accepted.json",
        "constructed_contact_channel_info.json",
        "constructed_batch_accepted.json",
        "error_422_malformed.json",
        "error_404_not_found.json",
        "examples/list_message_with_sections_and_custom_button_label.json",
    ];
    Profile {
        builder: Box::new(|| Client::builder(ACCESS_KEY, WORKSPACE_ID, CHANNEL_ID)),
        credentials: Box::new(|| ACCESS_KEY.into()),
        secrets: vec![ACCESS_KEY],
        send: send_fn(|client: Client| async move {
            let to = "+31612345678".parse()?;
            let request = SendRequest::builder(to, Body::text("hi")).build()?;
            client.send(&request).await.map(drop)
        }),
        codes: vec![
            ErrorCode::InvalidPayload,
            ErrorCode::NotFound,
            ErrorCode::MalformedRequest,
        ],
        throttled: Some((429, throttled.to_string())),
        success: (202, support::fixture("constructed_send_accepted.json")),
        samples: samples.map(|n| support::fixture(n).into_bytes()).to_vec(),
        decode: |bytes| {
            let _ = WebhookEvent::from_json(bytes);
            let _ = DecodeError::json::<Message>(200, bytes, false);
            let _ = serde_json::from_slice::<ContactChannelInfo>(bytes);
            let _ = serde_json::from_slice::<BatchAccepted>(bytes);
            let _ = serde_json::from_slice::<Body>(bytes);
            let _ = ApiError::from_body(bytes);
        },
        hooks: Hooks::default(),
    }
}

whatsapp_common::conformance_suite!(bird());
