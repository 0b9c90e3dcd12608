//! Encode a documented request, decode the documented messages, beside the
//! floor: `serde_json::Value` of the same bytes.
#![allow(missing_docs, clippy::unwrap_used)]

use channels::{Action, Body, Item, Message, SendRequest, WebhookEvent};

const ACCEPTED: &str = include_str!("../../../fixtures/channels/constructed_send_accepted.json");
const WEBHOOK: &str = include_str!("../../../fixtures/channels/inbound_webhook.json");

fn main() {
    divan::main();
}

#[divan::bench]
fn build_and_encode_list_request() -> usize {
    let p = |n: u32| {
        Action::postback(
            format!("Postback action {n}"),
            format!("postback-action-payload-{n}"),
        )
    };
    let body = Body::list(
        "List text",
        vec![
            Item::section("Section 1", vec![p(1), p(2)]),
            Item::section("Section 2", vec![p(3), p(4)]),
        ],
    );
    let request = SendRequest::builder("+31612345678".parse().unwrap(), body)
        .build()
        .unwrap();
    serde_json::to_vec(&request).unwrap().len()
}

#[divan::bench]
fn decode_message_typed() -> Message {
    serde_json::from_str(divan::black_box(ACCEPTED)).unwrap()
}

#[divan::bench]
fn decode_message_value_floor() -> serde_json::Value {
    serde_json::from_slice(divan::black_box(ACCEPTED.as_bytes())).unwrap()
}

#[divan::bench]
fn decode_webhook_typed() -> WebhookEvent {
    WebhookEvent::from_json(divan::black_box(WEBHOOK.as_bytes())).unwrap()
}

#[divan::bench]
fn decode_webhook_value_floor() -> serde_json::Value {
    serde_json::from_slice(divan::black_box(WEBHOOK.as_bytes())).unwrap()
}
