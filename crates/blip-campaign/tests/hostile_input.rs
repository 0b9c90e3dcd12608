//! Hostile bytes: envelopes and every read answer are typed errors, never
//! panics, through the client's own decoding path.
#![allow(clippy::unwrap_used)]

use blip_campaign::mock::MockBlip;
use blip_campaign::{Client, CommandResponse, Error};
use whatsapp_common::hostile::{Hostile, assert_no_panic};
use wiremock::ResponseTemplate;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../fixtures/blip-campaign/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn envelopes_never_panic() {
    let samples = [
        fixture("v2_create_response.json"),
        fixture("research_command_failure.json"),
        fixture("constructed_audience_response.json"),
        fixture("constructed_report_response.json"),
    ];
    let refs: Vec<&[u8]> = samples.iter().map(|s| s.as_bytes()).collect();
    let inputs = Hostile::new(0x626c_6970).inputs(&refs, 3_000);
    assert_no_panic(&inputs, |b| {
        let _ = serde_json::from_slice::<CommandResponse>(b);
    });
}

#[tokio::test]
async fn the_client_types_every_hostile_answer() {
    let blip = MockBlip::start().await;
    let client = Client::builder("Key dGVzdA==")
        .base_url(blip.uri())
        .retry_policy(blip_campaign::RetryPolicy::none())
        .build()
        .unwrap();
    let samples = [
        fixture("constructed_report_response.json"),
        fixture("constructed_audience_response.json"),
    ];
    let refs: Vec<&[u8]> = samples.iter().map(|s| s.as_bytes()).collect();
    for (i, body) in Hostile::new(13).inputs(&refs, 80).into_iter().enumerate() {
        blip.respond_next(ResponseTemplate::new(200).set_body_bytes(body), 1)
            .await;
        let outcome = if i % 2 == 0 {
            client.report("c").await.map(|_| ())
        } else {
            client.audience("c").await.map(|_| ())
        };
        match outcome {
            Ok(()) | Err(Error::Decode(_)) | Err(Error::Command { .. }) => {}
            Err(other) => panic!("case {i}: {other:?}"),
        }
    }
}
