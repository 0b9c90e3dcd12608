//! The workspace's conformance suite, run against activetrail in both wire
//! formats: no secret leaks, honest retry advice, no blind retry after a
//! closed connection, `Retry-After` on paused time, hostile bytes.
#![allow(clippy::unwrap_used)]

#[path = "support/mod.rs"]
mod support;

use activetrail::mock::MockActiveTrail;
use activetrail::{Client, ClientBuilder, ErrorCode, Format, ReceivedMessage, SendResponse};
use whatsapp_common::conformance::{Hooks, Profile, send_fn};

const TOKEN: &str = "0XSECRET9F3A7C";

/// ActiveTrail, with clients in one wire format. ActiveTrail documents no
/// rate limit and no "not processed" answer.
fn activetrail(format: Format) -> Profile<MockActiveTrail, ClientBuilder> {
    let success = match format {
        Format::Xml => "send_response.xml",
        _ => "send_response.json",
    };
    let samples = [
        "send_response.json",
        "send_response.xml",
        "send_request.json",
        "send_request.xml",
    ];
    Profile {
        builder: Box::new(move || Client::builder(TOKEN).format(format)),
        credentials: Box::new(|| TOKEN.into()),
        secrets: vec![TOKEN],
        send: send_fn(
            |client: Client| async move { client.send(&support::message()).await.map(drop) },
        ),
        codes: ErrorCode::DOCUMENTED.to_vec(),
        throttled: None,
        success: (200, support::fixture(success)),
        samples: samples.map(|n| support::fixture(n).into_bytes()).to_vec(),
        decode: |bytes| {
            let _ = activetrail::xml::parse(bytes);
            let _ = SendResponse::from_json(bytes);
            let _ = SendResponse::from_xml(bytes);
            let _ = ReceivedMessage::from_json(bytes);
            let _ = ReceivedMessage::from_xml(bytes);
        },
        hooks: Hooks {
            // The shared mutation test reads the documented success as
            // JSON; the XML one is mutated element by element in
            // tests/contract/lenient.rs.
            lenient_success: format == Format::Json,
            ..Hooks::default()
        },
    }
}

mod json {
    use super::*;
    whatsapp_common::conformance_suite!(activetrail(Format::Json));
}

mod xml {
    use super::*;
    whatsapp_common::conformance_suite!(activetrail(Format::Xml));
}
