//! Contract: Bird's documented errors are typed, and the contact read is
//! retried where a send is not. The generic fault cases (retry advice,
//! timeouts, closed connections, bounded bodies) are the conformance
//! suite's.

use crate::support;

use channels::mock::{MockVendor, ResponseTemplate};
use channels::{Error, ErrorCode, SendError, SendErrorKind};
use support::{CONTACT, Schema, builder, fixture, fixture_json, text};
use whatsapp_common::mock::ClosingServer;

#[tokio::test]
async fn documented_errors_are_typed() {
    let schema = Schema::load("ValidationError", false);
    schema.assert_valid(&fixture_json("error_422_malformed.json"), "422");
    Schema::load("RequestError", false)
        .assert_valid(&fixture_json("error_404_not_found.json"), "404");
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    bird.respond_next(
        ResponseTemplate::new(422).set_body_string(fixture("error_422_malformed.json")),
        1,
    )
    .await;
    let err = client.send(&text("hi")).await.unwrap_err();
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

    for (status, code, message) in [
        (400, "InvalidPayload", "bad"),
        (404, "NotFound", "channel not found"),
        (409, "Conflict", "conflicting conditions"),
    ] {
        let body = format!(r#"{{"code":"{code}","message":"{message}"}}"#);
        bird.respond_next(ResponseTemplate::new(status).set_body_string(body), 1)
            .await;
        let err = client.send(&text("hi")).await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.code(), Some(ErrorCode::from_wire(code)));
        assert_eq!(SendError::from(err).kind(), SendErrorKind::Vendor);
    }
    // 401, 403, 5xx: no documented body, maybe none at all.
    for (status, kind) in [
        (401, SendErrorKind::Auth),
        (403, SendErrorKind::Auth),
        (500, SendErrorKind::Vendor),
        (503, SendErrorKind::Vendor),
    ] {
        bird.respond_next(ResponseTemplate::new(status), 1).await;
        let err = client.send(&text("hi")).await.unwrap_err();
        let Error::Vendor(a) = &err else { panic!() };
        assert_eq!((a.status(), a.has_body()), (status, false));
        assert_eq!(
            err.to_string(),
            format!("Bird refused the request: HTTP {status}")
        );
        assert_eq!(SendError::from(err).kind(), kind, "{status}");
    }
}

#[tokio::test]
async fn the_mock_answers_each_code_with_its_documented_status() {
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    for code in [
        ErrorCode::InvalidPayload,
        ErrorCode::NotFound,
        ErrorCode::MalformedRequest,
    ] {
        bird.fail_next(code.clone(), 1).await;
        let err = client.send(&text("hi")).await.unwrap_err();
        let status = code.documented_http_status().unwrap_or(400);
        assert_eq!((err.status(), err.code()), (Some(status), Some(code)));
    }
}

/// A 503 and a closed connection may have been acted on: a send is tried
/// once (the conformance suite checks that), the contact read again.
#[tokio::test]
async fn the_contact_read_is_retried_where_a_send_is_not() {
    let bird = support::bird().await;
    bird.respond_next(ResponseTemplate::new(503), 1).await;
    let client = builder(&bird.uri()).build().unwrap();
    client.contact_channel_info(CONTACT, None).await.unwrap();
    assert_eq!(bird.requests().await.len(), 2);

    let server = ClosingServer::start(|_| None).unwrap();
    let client = builder(&server.uri()).build().unwrap();
    assert!(client.contact_channel_info(CONTACT, None).await.is_err());
    assert_eq!(server.closed(), 3, "reads are idempotent: 3 attempts");
}
