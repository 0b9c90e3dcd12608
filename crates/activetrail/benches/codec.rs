//! Encode the documented request and decode the documented responses in
//! both formats, beside the floors: `serde_json::Value` for JSON, and a bare
//! quick-xml event scan (which builds nothing) for XML.
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use activetrail::{Client, Format, SendResponse};

const JSON: &str = include_str!("../../../fixtures/activetrail/send_response.json");
const XML: &str = include_str!("../../../fixtures/activetrail/send_response.xml");

fn main() {
    divan::main();
}

#[divan::bench(args = [Format::Json, Format::Xml])]
fn encode_request(bencher: divan::Bencher, format: Format) {
    let client = Client::builder("t").format(format).build().unwrap();
    let m = support::documented_message();
    bencher.bench(|| client.encode(divan::black_box(&m)).unwrap().len());
}

#[divan::bench]
fn decode_json_typed() -> SendResponse {
    SendResponse::from_json(divan::black_box(JSON.as_bytes())).unwrap()
}

#[divan::bench]
fn decode_json_value_floor() -> serde_json::Value {
    serde_json::from_slice(divan::black_box(JSON.as_bytes())).unwrap()
}

#[divan::bench]
fn decode_xml_typed() -> SendResponse {
    SendResponse::from_xml(divan::black_box(XML.as_bytes())).unwrap()
}

#[divan::bench]
fn decode_xml_event_scan_floor() -> usize {
    let mut reader = quick_xml::NsReader::from_str(divan::black_box(XML));
    let mut events = 0;
    loop {
        match reader.read_resolved_event() {
            Ok((_, quick_xml::events::Event::Eof)) | Err(_) => break,
            Ok(_) => events += 1,
        }
    }
    events
}
