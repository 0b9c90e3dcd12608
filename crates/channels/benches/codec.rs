//! Encode a documented request, decode the documented answers, beside the
//! floor: `serde_json::Value` of the same bytes.
#![allow(missing_docs, clippy::unwrap_used)]

use channels::{Action, ApiError, Body, Item, Message, SendRequest, WebhookEvent};
use divan::Bencher;

/// The messages Bird returns: the answer to a send, its documented example.
const MESSAGES: &[&str] = &[
    "constructed_send_accepted.json",
    "message_status_example.json",
];
const WEBHOOK: &str = "inbound_webhook.json";
/// Bird's refusals: a 422 with `details`, a 404.
const REFUSALS: &[&str] = &["error_422_malformed.json", "error_404_not_found.json"];

fn main() {
    divan::main();
}

/// Times `decode` on the sample `name`, read before the clock starts.
fn decode<T>(bencher: Bencher, name: &str, decode: impl Fn(&[u8]) -> T + Sync) {
    let bytes = whatsapp_common::mock::fixture("channels", name).into_bytes();
    bencher.bench(|| decode(divan::black_box(&bytes)));
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

#[divan::bench(args = [MESSAGES, &[WEBHOOK], REFUSALS].concat())]
fn value_floor(bencher: Bencher, name: &str) {
    decode(bencher, name, |b| {
        serde_json::from_slice::<serde_json::Value>(b).unwrap()
    });
}

#[divan::bench(args = MESSAGES)]
fn message(bencher: Bencher, name: &str) {
    decode(bencher, name, |b| {
        serde_json::from_slice::<Message>(b).unwrap()
    });
}

#[divan::bench]
fn webhook(bencher: Bencher) {
    decode(bencher, WEBHOOK, |b| WebhookEvent::from_json(b).unwrap());
}

#[divan::bench(args = REFUSALS)]
fn refusal(bencher: Bencher, name: &str) {
    decode(bencher, name, ApiError::from_body);
}
