//! Encode the documented request, decode the documented response, beside
//! the floor: `serde_json::Value` of the same bytes.
#![allow(missing_docs, clippy::unwrap_used)]

use gateway_ru::{DeliveryStatus, InstantContent, ScheduleInfo, SendRequest, SendResponse, Ttl};

const RESPONSE: &str = include_str!("../../../fixtures/gateway-ru/send_success_response.json");
const CALLBACK: &str = include_str!("../../../fixtures/gateway-ru/delivery_status_callback.json");

fn main() {
    divan::main();
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

#[divan::bench]
fn decode_response_typed() -> SendResponse {
    serde_json::from_str(divan::black_box(RESPONSE)).unwrap()
}

#[divan::bench]
fn decode_response_value_floor() -> serde_json::Value {
    serde_json::from_slice(divan::black_box(RESPONSE.as_bytes())).unwrap()
}

#[divan::bench]
fn decode_callback_typed() -> DeliveryStatus {
    DeliveryStatus::from_json(divan::black_box(CALLBACK.as_bytes())).unwrap()
}

#[divan::bench]
fn decode_callback_value_floor() -> serde_json::Value {
    serde_json::from_slice(divan::black_box(CALLBACK.as_bytes())).unwrap()
}
