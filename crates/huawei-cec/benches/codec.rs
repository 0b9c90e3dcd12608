//! Encode the documented request, decode the documented responses, beside
//! the floor: `serde_json::Value` of the same bytes.
#![allow(missing_docs, clippy::unwrap_used)]

use huawei_cec::{SendRequest, SendResponse, TemplateMessage, TokenResponse, WhatsAppMessage};

const RESPONSE: &str = include_str!("../../../fixtures/huawei-cec/send_response.json");
const TOKEN: &str = include_str!("../../../fixtures/huawei-cec/research_token_response.json");

fn main() {
    divan::main();
}

#[divan::bench]
fn build_and_encode_request() -> usize {
    let request = SendRequest::builder(WhatsAppMessage::template(
        TemplateMessage::new("1", "zh_CN").unwrap(),
    ))
    .bulk_id("2853BC8B21D23F473AB9AE41B75F34FC18D322B91B01F60FAF206ACEBA9EF7BD")
    .to_with_id(
        "+15512348467".parse().unwrap(),
        "46dbab11-f9cc-4d32-852b-cbba988b7d08",
    )
    .build()
    .unwrap();
    serde_json::to_vec(&request).unwrap().len()
}

#[divan::bench]
fn decode_response_typed() -> SendResponse {
    serde_json::from_str(divan::black_box(RESPONSE)).unwrap()
}

#[divan::bench]
fn decode_response_value_floor() -> serde_json::Value {
    serde_json::from_slice(divan::black_box(RESPONSE.as_bytes())).unwrap()
}

#[divan::bench]
fn decode_token_typed() -> TokenResponse {
    serde_json::from_str(divan::black_box(TOKEN)).unwrap()
}

#[divan::bench]
fn decode_token_value_floor() -> serde_json::Value {
    serde_json::from_slice(divan::black_box(TOKEN.as_bytes())).unwrap()
}
