//! Contract: Bird's documented errors are typed, and the retry rules hold
//! on the wire.

use crate::support;

use std::time::Duration;

use channels::mock::{MockBird, MockVendor, ResponseTemplate};
use channels::{Body, Error, ErrorCode, RetryClass, SendRequest, TransportErrorKind};
use support::{Schema, builder, fixture, fixture_json};
use whatsapp_common::mock::ClosingServer;

const CONTACT: &str = "40d5c607-d73d-4d39-bc7f-5416cdb61ee8";

fn text() -> SendRequest {
    SendRequest::builder("+31612345678".parse().unwrap(), Body::text("hi"))
        .build()
        .unwrap()
}

#[tokio::test]
async fn documented_errors_are_typed() {
    let schema = Schema::load("ValidationError", false);
    schema.assert_valid(&fixture_json("error_422_malformed.json"), "422");
    Schema::load("RequestError", false)
        .assert_valid(&fixture_json("error_404_not_found.json"), "404");
    let bird = MockBird::start().await;
    let client = builder(&bird.uri()).build().unwrap();
    bird.respond_next(
        ResponseTemplate::new(422).set_body_string(fixture("error_422_malformed.json")),
        1,
    )
    .await;
    let err = client.send(&text()).await.unwrap_err();
    let Error::Vendor(a) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(a.status(), 422);
    assert_eq!(a.code, Some(ErrorCode::MalformedRequest));
    assert_eq!(
        a.message.as_deref(),
        Some("One or more fields provided in the request body are malformed")
    );
    assert_eq!(
        a.details.as_ref().unwrap()[".name"],
        ["Property 'name' is missing"]
    );
    assert!(
        err.to_string()
            .contains(".name: Property 'name' is missing"),
        "{err}"
    );
    assert_eq!(err.retry_class(), RetryClass::Never);

    for (status, body) in [
        (400, r#"{"code":"InvalidPayload","message":"bad"}"#),
        (404, r#"{"code":"NotFound","message":"channel not found"}"#),
        (
            409,
            r#"{"code":"Conflict","message":"conflicting conditions"}"#,
        ),
    ] {
        bird.respond_next(ResponseTemplate::new(status).set_body_string(body), 1)
            .await;
        let err = client.send(&text()).await.unwrap_err();
        let Error::Vendor(a) = &err else { panic!() };
        assert_eq!(a.status(), status);
        assert!(err.code().is_some());
    }
    // 401, 403, 5xx: no documented body, maybe none at all.
    for status in [401, 403, 500, 503] {
        bird.respond_next(ResponseTemplate::new(status), 1).await;
        let err = client.send(&text()).await.unwrap_err();
        let Error::Vendor(a) = &err else { panic!() };
        assert_eq!((a.status(), a.has_body()), (status, false));
        // What the loop acted on: a 503 may have been processed (retried
        // only where that is harmless), the others are final. Either way
        // this send was tried once.
        let class = if status == 503 {
            RetryClass::IfDeduplicated
        } else {
            RetryClass::Never
        };
        assert_eq!((err.retry_class(), err.attempts()), (class, Some(1)));
        assert_eq!(
            err.to_string(),
            format!("Bird refused the request: HTTP {status}")
        );
    }
}

#[tokio::test]
async fn retries_follow_birds_rules() {
    // 429: Bird says the request was not processed; retried even for a send.
    let bird = MockBird::start().await;
    bird.respond_next(ResponseTemplate::new(429), 1).await;
    let client = builder(&bird.uri()).build().unwrap();
    client.send(&text()).await.unwrap();
    let sends = bird.sent_bodies().await;
    assert_eq!(sends.len(), 2);
    assert_eq!(sends[0], sends[1]);

    // 503 on a send: not retried (no idempotency key).
    let bird = MockBird::start().await;
    bird.respond_next(ResponseTemplate::new(503), 1).await;
    let client = builder(&bird.uri()).build().unwrap();
    assert!(client.send(&text()).await.is_err());
    assert_eq!(bird.requests().await.len(), 1);

    // 503 on the contact read: retried.
    bird.respond_next(ResponseTemplate::new(503), 1).await;
    client.contact_channel_info(CONTACT, None).await.unwrap();
    assert_eq!(bird.requests().await.len(), 3);

    // A slow Bird: a timeout, not blindly retried.
    bird.respond_next(
        ResponseTemplate::new(202).set_delay(Duration::from_secs(3)),
        5,
    )
    .await;
    let slow = builder(&bird.uri())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = slow.send(&text()).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Timeout);
    assert_eq!(bird.requests().await.len(), 4);
}

#[tokio::test]
async fn broken_answers_are_decode_errors() {
    for (body, path) in [
        ("<html>", "."),
        (
            r#"{"id":"x","channelId":"y","status":"accepted","lastStatusAt":"yesterday","createdAt":"2025-10-24T00:41:22Z","updatedAt":"2025-10-24T00:41:22Z"}"#,
            "lastStatusAt",
        ),
        (r#"{"id":"x""#, "?"),
    ] {
        let bird = MockBird::start().await;
        bird.respond_next(ResponseTemplate::new(202).set_body_string(body), 1)
            .await;
        let err = builder(&bird.uri())
            .build()
            .unwrap()
            .send(&text())
            .await
            .unwrap_err();
        let Error::Decode(d) = &err else {
            panic!("{body}: {err:?}")
        };
        assert_eq!(d.path(), path, "{body}");
    }
}

#[tokio::test]
async fn every_documented_code_comes_back_typed_with_its_status() {
    let bird = MockBird::start().await;
    let client = builder(&bird.uri()).build().unwrap();
    for code in [
        ErrorCode::InvalidPayload,
        ErrorCode::NotFound,
        ErrorCode::MalformedRequest,
    ] {
        bird.fail_next(code.clone(), 1).await;
        let err = client.send(&text()).await.unwrap_err();
        let status = code.documented_http_status().unwrap_or(400);
        assert_eq!((err.status(), err.code()), (Some(status), Some(code)));
        assert_eq!(err.retry_class(), RetryClass::Never);
        let neutral: channels::SendError = err.into();
        assert_eq!(neutral.kind(), channels::SendErrorKind::Vendor);
    }
    bird.respond_next(ResponseTemplate::new(401), 1).await;
    let neutral: channels::SendError = client.send(&text()).await.unwrap_err().into();
    assert_eq!(neutral.kind(), channels::SendErrorKind::Auth);
}

#[tokio::test]
async fn a_closed_send_is_not_retried_but_a_closed_read_is() {
    let server = ClosingServer::start(|_| None).unwrap();
    let client = builder(&server.uri()).build().unwrap();
    let err = client.send(&text()).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Io);
    assert_eq!(server.closed(), 1);
    assert!(client.contact_channel_info(CONTACT, None).await.is_err());
    assert_eq!(server.closed(), 4, "reads are idempotent: 3 attempts");
}

#[tokio::test]
async fn a_big_error_body_is_bounded() {
    let bird = MockBird::start().await;
    bird.respond_next(
        ResponseTemplate::new(502).set_body_string("y".repeat(2 * 1024 * 1024)),
        1,
    )
    .await;
    let client = builder(&bird.uri())
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    let Error::Vendor(a) = client.send(&text()).await.unwrap_err() else {
        panic!()
    };
    assert!(a.raw_body().is_truncated());
}
