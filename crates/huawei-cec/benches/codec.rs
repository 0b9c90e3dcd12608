//! Encode the documented request, decode the documented answers, beside
//! the floor: `serde_json::Value` of the same bytes.
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use divan::{Bencher, black_box};
use huawei_cec::{SendResponse, TokenResponse};
use serde::de::DeserializeOwned;

fn main() {
    divan::main();
}

#[divan::bench]
fn build_and_encode_request() -> usize {
    serde_json::to_vec(&support::documented_request())
        .unwrap()
        .len()
}

/// Every documented answer as a `serde_json::Value`: the floor.
#[divan::bench(args = support::SAMPLES)]
fn value_floor(bencher: Bencher, sample: &str) {
    decode::<serde_json::Value>(bencher, sample);
}

#[divan::bench]
fn send_response_typed(bencher: Bencher) {
    decode::<SendResponse>(bencher, "send_response.json");
}

#[divan::bench]
fn token_response_typed(bencher: Bencher) {
    decode::<TokenResponse>(bencher, "research_token_response.json");
}

/// Decodes the fixture `sample` as a `T`.
fn decode<T: DeserializeOwned>(bencher: Bencher, sample: &str) {
    let bytes = whatsapp_common::mock::fixture("huawei-cec", sample).into_bytes();
    bencher.bench(|| serde_json::from_slice::<T>(black_box(&bytes)).unwrap());
}
