//! Encode the documented request, decode the documented samples, beside the
//! floor: `serde_json::Value` of the same bytes.
#![allow(missing_docs, clippy::unwrap_used)]

use divan::Bencher;
use gateway_ru::{
    DeliveryStatus, InboundMessage, InstantContent, ScheduleInfo, SendRequest, SendResponse, Ttl,
};
use serde::de::DeserializeOwned;
use whatsapp_common::mock::fixture;

fn main() {
    divan::main();
}

/// Every documented sample the crate decodes.
const SAMPLES: [&str; 4] = [
    "send_success_response.json",
    "send_error_response.json",
    "delivery_status_callback.json",
    "constructed_inbound_message_callback.json",
];

/// A type the crate decodes, with the sample it is benched on.
trait Decoded: DeserializeOwned {
    const SAMPLE: &'static str;
}

impl Decoded for SendResponse {
    const SAMPLE: &'static str = "send_success_response.json";
}

impl Decoded for DeliveryStatus {
    const SAMPLE: &'static str = "delivery_status_callback.json";
}

impl Decoded for InboundMessage {
    const SAMPLE: &'static str = "constructed_inbound_message_callback.json";
}

#[divan::bench]
fn build_and_encode_request() -> usize {
    let request = SendRequest::builder(
        "+72101234567".parse().unwrap(),
        InstantContent::text("hatsApp message text"),
    )
    .id("8770100")
    .use_time_diff(false)
    .schedule(
        ScheduleInfo::builder()
            .window("10:00", "20:00")
            .weekdays("12345")
            .build()
            .unwrap(),
    )
    .service_number("SENDER'S_NAME")
    .ttl(Ttl::minutes(1440).unwrap())
    .build()
    .unwrap();
    serde_json::to_vec(&request.message()).unwrap().len()
}

#[divan::bench(types = [SendResponse, DeliveryStatus, InboundMessage])]
fn decode_typed<T: Decoded>(bencher: Bencher) {
    let json = fixture("gateway-ru", T::SAMPLE);
    bencher.bench(|| serde_json::from_slice::<T>(divan::black_box(json.as_bytes())).unwrap());
}

#[divan::bench(args = SAMPLES)]
fn value_floor(bencher: Bencher, name: &str) {
    let json = fixture("gateway-ru", name);
    bencher.bench(|| {
        serde_json::from_slice::<serde_json::Value>(divan::black_box(json.as_bytes())).unwrap()
    });
}
