//! Faults: a connection closed before any answer, Retry-After honoured and
//! capped, a slow Blip, a 2 MB body bounded.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use blip_campaign::{Client, Error, ErrorExt};
use whatsapp_common::TransportErrorKind;
use whatsapp_common::mock::ClosingServer;
use wiremock::ResponseTemplate;

fn client(uri: &str) -> Client {
    Client::builder("Key dGVzdA==")
        .base_url(uri)
        .timeout(Duration::from_millis(500))
        .retry_policy(
            blip_campaign::RetryPolicy::default().initial_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_closed_set_is_not_retried_but_a_closed_get_is() {
    let server = ClosingServer::start(|_| None).unwrap();
    let c = client(&server.uri());
    let err = c.cancel_campaign("x").await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Io);
    assert_eq!(server.closed(), 1);
    assert!(c.report("x").await.is_err());
    assert_eq!(server.closed(), 4);
}

#[tokio::test]
async fn retry_after_slowness_and_big_bodies() {
    let blip = blip_campaign::mock::MockBlip::start().await;
    blip.respond_next(
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
    )
    .await;
    let c = client(&blip.uri());
    let started = Instant::now();
    c.cancel_campaign("x").await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    blip.respond_next(
        ResponseTemplate::new(429).insert_header("retry-after", "3600"),
        1,
    )
    .await;
    assert_eq!(
        c.cancel_campaign("x").await.unwrap_err().retry_after(),
        Some(Duration::from_secs(3600))
    );

    blip.respond_next(
        ResponseTemplate::new(200).set_delay(Duration::from_secs(3)),
        1,
    )
    .await;
    let err = c.cancel_campaign("x").await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind() == TransportErrorKind::Timeout),
        "{err:?}"
    );

    blip.respond_next(
        ResponseTemplate::new(200).set_body_string("z".repeat(2 * 1024 * 1024)),
        1,
    )
    .await;
    let small = Client::builder("Key dGVzdA==")
        .base_url(blip.uri())
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    let err = small.cancel_campaign("x").await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}
