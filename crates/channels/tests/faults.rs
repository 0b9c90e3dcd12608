//! Faults: a connection closed before any answer, Retry-After honoured and
//! capped, a 2 MB error body bounded.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use channels::{Body, Error, ErrorExt, SendRequest};
use whatsapp_common::TransportErrorKind;
use whatsapp_common::mock::ClosingServer;
use wiremock::ResponseTemplate;

fn request() -> SendRequest {
    SendRequest::builder("+31612345678".parse().unwrap(), Body::text("hi"))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_closed_send_is_not_retried_but_a_closed_read_is() {
    let server = ClosingServer::start(|_| None).unwrap();
    let client = support::builder(&server.uri()).build().unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Io);
    assert_eq!(server.closed(), 1);
    assert!(
        client
            .contact_channel_info("40d5c607-d73d-4d39-bc7f-5416cdb61ee8", None)
            .await
            .is_err()
    );
    assert_eq!(server.closed(), 4, "reads are idempotent: 3 attempts");
}

#[tokio::test]
async fn retry_after_and_big_bodies() {
    let bird = channels::mock::MockBird::start().await;
    bird.fail_next(
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
    )
    .await;
    let client = support::builder(&bird.uri()).build().unwrap();
    let started = Instant::now();
    client.send(&request()).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    bird.fail_next(
        ResponseTemplate::new(429).insert_header("retry-after", "3600"),
        1,
    )
    .await;
    let err = client.send(&request()).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));

    bird.fail_next(
        ResponseTemplate::new(502).set_body_string("y".repeat(2 * 1024 * 1024)),
        1,
    )
    .await;
    let client = support::builder(&bird.uri())
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    let Error::Api(a) = client.send(&request()).await.unwrap_err() else {
        panic!()
    };
    assert!(a.raw_body.is_truncated());
}
