//! Hostile bytes: every decoder answers with a typed error, never a panic.
#![allow(clippy::unwrap_used)]

mod support;

use huawei_cec::{Error, SendResponse, TokenResponse};
use whatsapp_common::hostile::{Hostile, assert_no_panic};
use wiremock::ResponseTemplate;

#[test]
fn responses_never_panic() {
    let samples = [
        support::fixture("send_response.json"),
        support::fixture("research_token_response.json"),
        support::fixture("research_infobip_response.json"),
        support::fixture("research_infobip_error_400.json"),
    ];
    let refs: Vec<&[u8]> = samples.iter().map(|s| s.as_bytes()).collect();
    let inputs = Hostile::new(0x6875_6177).inputs(&refs, 3_000);
    assert_no_panic(&inputs, |b| {
        let _ = serde_json::from_slice::<TokenResponse>(b);
        let _ = whatsapp_common::DecodeError::json::<SendResponse>(200, b, false);
    });
}

#[tokio::test]
async fn the_client_types_every_hostile_answer() {
    let cec = huawei_cec::mock::MockCec::start().await;
    let client = support::builder(&cec.uri())
        .retry_policy(huawei_cec::RetryPolicy::none())
        .build()
        .unwrap();
    let request = huawei_cec::SendRequest::builder(huawei_cec::WhatsAppMessage::text("hi"))
        .to("+41793026727".parse().unwrap())
        .build()
        .unwrap();
    let sample = support::fixture("research_infobip_error_400.json");
    let inputs = Hostile::new(12).inputs(&[sample.as_bytes()], 60);
    for (i, body) in inputs.into_iter().enumerate() {
        let status = [200, 400, 404, 500, 502][i % 5];
        cec.respond_next_sends(ResponseTemplate::new(status).set_body_bytes(body), 1)
            .await;
        match client.send(&request).await {
            Ok(_) | Err(Error::Decode(_)) => assert_eq!(status, 200),
            Err(Error::Api(a)) => assert_eq!(a.status, status),
            Err(other) => panic!("case {i}: {other:?}"),
        }
    }
}
