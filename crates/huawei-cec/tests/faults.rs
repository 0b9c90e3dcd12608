//! Faults: a connection closed before any answer, Retry-After honoured and
//! capped.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use huawei_cec::{Error, ErrorExt, SendRequest, WhatsAppMessage};
use whatsapp_common::TransportErrorKind;
use whatsapp_common::mock::{ClosingServer, http_ok_json};
use wiremock::ResponseTemplate;

fn request() -> SendRequest {
    SendRequest::builder(WhatsAppMessage::text("hi"))
        .to("+41793026727".parse().unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_closed_send_is_not_blindly_retried() {
    // The token call is answered; the send's connection is cut.
    let server = ClosingServer::start(|path| {
        path.contains("tokenByAkSk")
            .then(|| http_ok_json(r#"{"AccessToken":"t","Expires":"600"}"#))
    })
    .unwrap();
    let client = support::builder(&server.uri()).build().unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Io);
    assert_eq!(server.closed(), 1);

    let server = ClosingServer::start(|path| {
        path.contains("tokenByAkSk")
            .then(|| http_ok_json(r#"{"AccessToken":"t","Expires":"600"}"#))
    })
    .unwrap();
    let client = support::builder(&server.uri())
        .idempotent_sends(true)
        .build()
        .unwrap();
    assert!(client.send(&request()).await.is_err());
    assert_eq!(
        server.closed(),
        3,
        "with idempotent sends, the same ids are retried"
    );
}

#[tokio::test]
async fn retry_after_is_honoured_and_capped() {
    let cec = huawei_cec::mock::MockCec::start().await;
    cec.respond_next_sends(
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
    )
    .await;
    let client = support::builder(&cec.uri()).build().unwrap();
    let started = Instant::now();
    client.send(&request()).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    cec.respond_next_sends(
        ResponseTemplate::new(429).insert_header("retry-after", "3600"),
        1,
    )
    .await;
    let err = client.send(&request()).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
}
