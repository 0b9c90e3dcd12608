//! Hostile bytes, from arbitrary to mutated documented samples: every
//! decoder answers with a typed error, never a panic.
#![allow(clippy::unwrap_used)]

mod support;

use gateway_ru::{DeliveryStatus, Error, InboundMessage, SendResponse};
use whatsapp_common::hostile::{Hostile, assert_no_panic};
use wiremock::ResponseTemplate;

const CASES: usize = 3_000;

#[test]
fn callbacks_and_responses_never_panic() {
    let samples = [
        support::fixture("send_success_response.json"),
        support::fixture("send_error_response.json"),
        support::fixture("delivery_status_callback.json"),
        support::fixture("constructed_inbound_message_callback.json"),
    ];
    let refs: Vec<&[u8]> = samples.iter().map(|s| s.as_bytes()).collect();
    let inputs = Hostile::new(0x6761_7465).inputs(&refs, CASES);
    assert_no_panic(&inputs, |b| {
        let _ = DeliveryStatus::from_json(b);
        let _ = InboundMessage::from_json(b);
        let _ = whatsapp_common::DecodeError::json::<SendResponse>(200, b, false);
    });
}

#[tokio::test]
async fn the_client_types_every_hostile_answer() {
    let gateway = gateway_ru::mock::MockGateway::start().await;
    let client = support::builder(&gateway.uri())
        .retry_policy(gateway_ru::RetryPolicy::none())
        .build()
        .unwrap();
    let request = gateway_ru::SendRequest::builder(
        "+79211234567".parse().unwrap(),
        gateway_ru::InstantContent::text("hi"),
    )
    .build()
    .unwrap();
    let sample = support::fixture("send_error_response.json");
    let inputs = Hostile::new(11).inputs(&[sample.as_bytes()], 60);
    for (i, body) in inputs.into_iter().enumerate() {
        let status = [200, 400, 409, 429, 500, 503][i % 6];
        gateway
            .respond_next(ResponseTemplate::new(status).set_body_bytes(body), 1)
            .await;
        match client.send(&request).await {
            Ok(_) => assert_eq!(status, 200),
            Err(Error::Decode(_)) => assert_eq!(status, 200),
            Err(Error::Gateway(g)) => assert_eq!(g.status, status),
            Err(other) => panic!("case {i}: {other:?}"),
        }
    }
}
