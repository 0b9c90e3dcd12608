//! The workspace's conformance suite, run against blip-campaign: no secret
//! leaks, honest retry advice, no blind retry after a closed connection,
//! `Retry-After` on paused time, hostile bytes.
#![allow(clippy::unwrap_used)]

#[path = "support/mod.rs"]
mod support;

use blip_campaign::mock::MockBlip;
use blip_campaign::{Client, ClientBuilder, ErrorCode};
use support::KEY;
use whatsapp_common::conformance::{Hooks, Profile, send_fn};

/// The key's base64 part: the header carries it after `Key `, and no text
/// may show it, with or without the prefix.
const KEY_BASE64: &str = "c2VjcmV0LWJsaXAta2V5OnRvcHNlY3JldA==";

/// Every LIME code `ErrorCode` names.
const CODES: [i64; 34] = [
    1, 21, 22, 23, 24, 25, 26, 27, 31, 32, 33, 34, 35, 41, 42, 43, 44, 51, 61, 62, 63, 64, 65, 66,
    67, 71, 81, 82, 83, 84, 85, 86, 87, 101,
];

/// The documented commands beside the full campaigns.
const COMMANDS: [&str; 4] = [
    "research_dispatch_request.json",
    "research_delete_request.json",
    "v2_create_whatsapp.json",
    "v2_create_rcs.json",
];

/// HTTP 429 is over the plan's commands per second, not processed; the
/// success is the documented answer to a create, the campaign entity in a
/// success envelope.
fn blip() -> Profile<MockBlip, ClientBuilder> {
    let samples = support::ANSWERS.iter().chain(&COMMANDS);
    let samples = samples.chain(&support::FULL_CAMPAIGNS);
    Profile {
        builder: Box::new(|| Client::builder(KEY)),
        credentials: Box::new(|| KEY.into()),
        secrets: vec![KEY_BASE64],
        send: send_fn(|client: Client| async move {
            let campaign = support::full_campaign("full_individual_whatsapp.json");
            client.create_full_campaign(&campaign).await.map(drop)
        }),
        codes: CODES.map(ErrorCode::from_i64).to_vec(),
        throttled: Some((429, String::new())),
        success: (200, support::fixture("v2_create_response.json")),
        samples: samples.map(|n| support::fixture(n).into_bytes()).collect(),
        // Every typed resource through the client's own reading and through
        // the public envelope.
        decode: blip_campaign::__fuzz::decode_every_way,
        hooks: Hooks::default(),
    }
}

whatsapp_common::conformance_suite!(blip());
