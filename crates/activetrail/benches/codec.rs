//! Encode the documented request and decode the documented responses in
//! both formats, beside the floors of every sample: `serde_json::Value` for
//! JSON, and a bare quick-xml event scan (which builds nothing) for XML.
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use activetrail::{Client, Format, SendResponse};

const SAMPLES: [&str; 4] = [
    "send_request.json",
    "send_request.xml",
    "send_response.json",
    "send_response.xml",
];

fn main() {
    divan::main();
}

#[divan::bench(args = [Format::Json, Format::Xml])]
fn encode_request(bencher: divan::Bencher, format: Format) {
    let client = Client::builder("t").format(format).build().unwrap();
    let m = support::documented_message();
    bencher.bench(|| client.encode(divan::black_box(&m)).unwrap().len());
}

#[divan::bench(args = [Format::Json, Format::Xml])]
fn decode_response(bencher: divan::Bencher, format: Format) {
    let name = match format {
        Format::Json => "send_response.json",
        _ => "send_response.xml",
    };
    let body = support::fixture(name);
    bencher.bench(|| SendResponse::decode(format, divan::black_box(body.as_bytes())).unwrap());
}

/// What reading the sample costs before any typed model: a
/// `serde_json::Value`, or counting the XML events.
#[divan::bench(args = SAMPLES)]
fn value_floor(bencher: divan::Bencher, name: &str) {
    let body = support::fixture(name);
    if name.ends_with(".json") {
        bencher.bench(|| {
            serde_json::from_slice::<serde_json::Value>(divan::black_box(body.as_bytes())).unwrap()
        });
    } else {
        bencher.bench(|| {
            let mut reader = quick_xml::NsReader::from_str(divan::black_box(&body));
            let mut events = 0usize;
            loop {
                match reader.read_resolved_event() {
                    Ok((_, quick_xml::events::Event::Eof)) | Err(_) => break events,
                    Ok(_) => events += 1,
                }
            }
        });
    }
}
