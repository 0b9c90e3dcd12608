//! Hostile bytes: the XML reader, both response decoders and the request
//! reader answer with a typed error, never a panic or a hang.
#![allow(clippy::unwrap_used)]

mod support;

use activetrail::{ReceivedMessage, SendResponse};
use whatsapp_common::hostile::{Hostile, assert_no_panic};

#[test]
fn xml_and_json_decoders_never_panic() {
    let samples = [
        support::fixture("send_response.xml"),
        support::fixture("send_request.xml"),
        support::fixture("send_response.json"),
        support::fixture("send_request.json"),
    ];
    let refs: Vec<&[u8]> = samples.iter().map(|s| s.as_bytes()).collect();
    let inputs = Hostile::new(0x6174_7261).inputs(&refs, 4_000);
    assert_no_panic(&inputs, |b| {
        let _ = activetrail::xml::parse(b);
        let _ = SendResponse::from_xml(b);
        let _ = SendResponse::from_json(b);
        let _ = ReceivedMessage::from_xml(b);
        let _ = ReceivedMessage::from_json(b);
    });
}

#[test]
fn deep_and_wide_documents_are_refused_quickly() {
    let deep = "<a>".repeat(100_000);
    let err = activetrail::xml::parse(deep.as_bytes()).unwrap_err();
    assert!(err.message.contains("deeper"), "{err}");
    let wide = format!(
        "<r>{}</r>",
        "<x/>".repeat(activetrail::xml::MAX_ELEMENTS + 1)
    );
    assert!(
        activetrail::xml::parse(wide.as_bytes())
            .unwrap_err()
            .message
            .contains("elements")
    );
}
