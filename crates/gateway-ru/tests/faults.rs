//! Faults: a connection closed before any answer, Retry-After honoured and
//! capped.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use gateway_ru::{Error, ErrorExt, InstantContent, SendRequest};
use whatsapp_common::TransportErrorKind;
use whatsapp_common::mock::ClosingServer;
use wiremock::ResponseTemplate;

fn request() -> SendRequest {
    SendRequest::builder("+79211234567".parse().unwrap(), InstantContent::text("hi"))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_closed_connection_is_not_blindly_retried() {
    let server = ClosingServer::start(|_| None).unwrap();
    let client = support::builder(&format!("{}/send", server.uri()))
        .build()
        .unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Io);
    assert!(t.request_may_have_been_sent());
    assert_eq!(
        server.closed(),
        1,
        "one attempt: the gateway may have acted on it"
    );

    // With duplicate control, the same id makes a retry safe.
    let server = ClosingServer::start(|_| None).unwrap();
    let client = support::builder(&format!("{}/send", server.uri()))
        .duplicate_control(true)
        .build()
        .unwrap();
    assert!(client.send(&request()).await.is_err());
    assert_eq!(server.closed(), 3);
}

#[tokio::test]
async fn retry_after_is_honoured_and_capped() {
    let gateway = gateway_ru::mock::MockGateway::start().await;
    let body = gateway_ru::mock::error_body(gateway_ru::ErrorCode::TooManyConnections, None);
    gateway
        .respond_next(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(body.clone()),
            1,
        )
        .await;
    let client = support::builder(&gateway.uri()).build().unwrap();
    let started = Instant::now();
    client.send(&request()).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));

    gateway
        .respond_next(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "3600")
                .set_body_json(body),
            1,
        )
        .await;
    let started = Instant::now();
    let err = client.send(&request()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "not waited out");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(err.is_retryable());
}
