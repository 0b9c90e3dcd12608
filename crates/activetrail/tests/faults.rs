//! Faults: a connection closed before any answer, Retry-After honoured and
//! capped, a 2 MB error body bounded.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use activetrail::{Error, ErrorExt, Format, OperationalMessage, TemplateRef};
use whatsapp_common::TransportErrorKind;
use whatsapp_common::mock::ClosingServer;
use wiremock::ResponseTemplate;

fn message() -> OperationalMessage {
    OperationalMessage::template(7, TemplateRef::new("t"))
        .to("+972501234567".parse().unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_closed_connection_is_not_blindly_retried() {
    let server = ClosingServer::start(|_| None).unwrap();
    let client = support::builder(&server.uri(), Format::Xml)
        .build()
        .unwrap();
    let err = client.send(&message()).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (t.kind(), t.request_may_have_been_sent()),
        (TransportErrorKind::Io, true)
    );
    assert_eq!(server.closed(), 1);
}

#[tokio::test]
async fn retry_after_and_big_bodies() {
    let at = activetrail::mock::MockActiveTrail::start().await;
    at.respond_next(
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
    )
    .await;
    let client = support::builder(&at.uri(), Format::Json)
        .retry_sends(true)
        .build()
        .unwrap();
    let started = Instant::now();
    client.send(&message()).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    at.respond_next(
        ResponseTemplate::new(429).insert_header("retry-after", "3600"),
        1,
    )
    .await;
    let err = client.send(&message()).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));

    at.respond_next(
        ResponseTemplate::new(500).set_body_string("x".repeat(2 * 1024 * 1024)),
        1,
    )
    .await;
    let client = support::builder(&at.uri(), Format::Json)
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    let err = client.send(&message()).await.unwrap_err();
    let Error::Api(a) = &err else {
        panic!("{err:?}")
    };
    assert!(a.raw_body.is_truncated());
    assert!(err.to_string().len() < 2048);
}
