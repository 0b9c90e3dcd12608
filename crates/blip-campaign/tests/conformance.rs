//! The workspace's conformance suite, run against blip-campaign: no secret
//! leaks, honest retry advice, no blind retry after a closed connection,
//! `Retry-After` on paused time, hostile bytes.
#![allow(clippy::unwrap_used)]

#[path = "support/mod.rs"]
mod support;

use blip_campaign::mock::MockBlip;
use blip_campaign::{
    AudienceItem, Campaign, CampaignMessage, CampaignReport, CampaignSummary, Client,
    ClientBuilder, Collection, CommandResponse, DecodeError, ErrorCode,
};
use whatsapp_common::conformance::{Hooks, Profile, send_fn};

/// The key's base64 part: the header carries it after `Key `, and no text
/// may show it, with or without the prefix.
const KEY_BASE64: &str = "c2VjcmV0LWJsaXAta2V5OnRvcHNlY3JldA==";
const KEY: &str = "Key c2VjcmV0LWJsaXAta2V5OnRvcHNlY3JldA==";

/// Every LIME code `ErrorCode` names.
const CODES: [i64; 34] = [
    1, 21, 22, 23, 24, 25, 26, 27, 31, 32, 33, 34, 35, 41, 42, 43, 44, 51, 61, 62, 63, 64, 65, 66,
    67, 71, 81, 82, 83, 84, 85, 86, 87, 101,
];

/// The documented envelopes beside the full campaigns: the answers, and
/// the other commands as sent.
const ENVELOPES: [&str; 11] = [
    "v2_create_response.json",
    "research_command_success.json",
    "research_command_failure.json",
    "constructed_summaries_response.json",
    "constructed_audience_response.json",
    "constructed_messages_response.json",
    "constructed_report_response.json",
    "research_dispatch_request.json",
    "research_delete_request.json",
    "v2_create_whatsapp.json",
    "v2_create_rcs.json",
];

/// HTTP 429 is over the plan's commands per second, not processed; the
/// success is the documented answer to a create, the campaign entity in a
/// success envelope.
fn blip() -> Profile<MockBlip, ClientBuilder> {
    let samples = ENVELOPES.iter().chain(&support::FULL_CAMPAIGNS);
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
        decode,
        hooks: Hooks::default(),
    }
}

/// The envelope, and every typed resource through the client's own reading
/// and through the public envelope.
fn decode(bytes: &[u8]) {
    use blip_campaign::__fuzz::read_answer;
    let _ = read_answer::<Campaign>(bytes);
    let _ = read_answer::<Collection<CampaignSummary>>(bytes);
    let _ = read_answer::<Collection<AudienceItem>>(bytes);
    let _ = read_answer::<Collection<CampaignMessage>>(bytes);
    if let Err(e) = read_answer::<CampaignReport>(bytes) {
        let _ = format!("{e} {e:?}");
    }
    let Ok(envelope) = serde_json::from_slice::<CommandResponse>(bytes) else {
        return;
    };
    if let Some(reason) = &envelope.reason {
        let _ = reason.code.name();
    }
    if let Some(resource) = envelope.resource {
        let _ = DecodeError::json_value::<Collection<AudienceItem>>(200, resource.clone());
        let _ = DecodeError::json_value::<CampaignReport>(200, resource);
    }
}

whatsapp_common::conformance_suite!(blip());
