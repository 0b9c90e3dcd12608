//! Encode the documented request and decode the documented responses in
//! both formats, beside the floors: `serde_json::Value` for JSON, and a bare
//! quick-xml event scan (which builds nothing) for XML.
#![allow(missing_docs, clippy::unwrap_used)]

use activetrail::{
    Client, DotNetDateTime, Format, OperationalMessage, Scheduling, SendResponse, TemplateRef,
};

const JSON: &str = include_str!("../../../fixtures/activetrail/send_response.json");
const XML: &str = include_str!("../../../fixtures/activetrail/send_response.xml");

fn main() {
    divan::main();
}

fn message() -> OperationalMessage {
    OperationalMessage::template(
        1,
        TemplateRef::new("sample string 1")
            .variable("sample string 1", "sample string 2")
            .variable("sample string 3", "sample string 4"),
    )
    .name("sample string 1")
    .content("sample string 2")
    .scheduling(Scheduling::new(
        true,
        Some(DotNetDateTime::parse("2016-12-24T14:12:12").unwrap()),
    ))
    .to("+972501234567".parse().unwrap())
    .to("+972521234567".parse().unwrap())
    .build()
    .unwrap()
}

#[divan::bench(args = [Format::Json, Format::Xml])]
fn encode_request(bencher: divan::Bencher, format: Format) {
    let client = Client::builder("t").format(format).build().unwrap();
    let m = message();
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
