//! Contract: send failures map to typed errors; retries follow the rules.

use crate::support;

use std::time::Duration;

use huawei_cec::mock::{MockCec, MockVendor, ResponseTemplate};
use huawei_cec::{Error, ErrorCode, Operation, RetryClass, SendRetries, TransportErrorKind};
use support::{builder, fixture, request};

#[tokio::test]
async fn documented_statuses_map_to_typed_errors() {
    for (status, code, retry_class) in [
        (400, ErrorCode::BadRequest, RetryClass::Never),
        (404, ErrorCode::NotFound, RetryClass::Never),
        (500, ErrorCode::ServerError, RetryClass::Never),
        (418, ErrorCode::Unknown(418), RetryClass::Never),
    ] {
        let cec = MockCec::start().await;
        cec.fail_next(ErrorCode::from_status(status), 1).await;
        let client = builder(&cec.uri()).build().unwrap();
        let err = client.send(&request()).await.unwrap_err();
        let Error::Vendor(a) = &err else {
            panic!("{status}: {err:?}")
        };
        assert_eq!((a.status(), a.code), (status, code));
        assert_eq!(a.operation, Operation::Send);
        assert!(a.raw_body().is_empty(), "CEC documents no error body");
        assert_eq!(err.retry_class(), retry_class, "{status}");
        assert_eq!(cec.sends().await.len(), 1, "{status}: not retried");
    }
}

#[tokio::test]
async fn the_omni_error_body_is_read_when_present() {
    let cec = MockCec::start().await;
    cec.respond_next(
        ResponseTemplate::new(400).set_body_string(fixture("research_infobip_error_400.json")),
        1,
    )
    .await;
    let client = builder(&cec.uri()).build().unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let Error::Vendor(a) = &err else {
        panic!("{err:?}")
    };
    let e = a.service_exception.as_ref().unwrap();
    assert_eq!(e.message_id.as_deref(), Some("BAD_REQUEST"));
    assert_eq!(e.text.as_deref(), Some("Bad request"));
    assert_eq!(
        err.to_string(),
        "CEC refused the send: HTTP 400 (incorrect request: check the request path and parameters): BAD_REQUEST Bad request"
    );
}

#[tokio::test]
async fn a_429_is_retried_with_the_same_ids() {
    let cec = MockCec::start().await;
    cec.respond_next(
        ResponseTemplate::new(429).insert_header("retry-after", "0"),
        1,
    )
    .await;
    let client = builder(&cec.uri()).build().unwrap();
    let req = request();
    client.send(&req).await.unwrap();
    let sends = cec.sends().await;
    assert_eq!(sends.len(), 2);
    assert_eq!(sends[0].body, sends[1].body);
    assert_eq!(sends[1].json().unwrap()["bulkId"], req.bulk_id());
}

#[tokio::test]
async fn a_503_is_retried_only_when_sends_are_deduplicated() {
    let cec = MockCec::start().await;
    cec.respond_next(
        ResponseTemplate::new(503).set_body_string("<html>busy</html>"),
        1,
    )
    .await;
    let client = builder(&cec.uri()).build().unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let Error::Vendor(a) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(a.code, ErrorCode::ServiceUnavailable);
    assert_eq!(err.retry_class(), RetryClass::IfDeduplicated);
    assert!(err.to_string().contains("<html>busy</html>"), "{err}");
    assert_eq!(cec.sends().await.len(), 1);

    let cec = MockCec::start().await;
    cec.fail_next(ErrorCode::ServiceUnavailable, 1).await;
    let client = builder(&cec.uri())
        .send_retries(SendRetries::IfDeduplicated)
        .build()
        .unwrap();
    let req = request();
    client.send(&req).await.unwrap();
    let sends = cec.sends().await;
    assert_eq!(sends.len(), 2);
    for s in &sends {
        let body = s.json().unwrap();
        assert_eq!(body["bulkId"], req.bulk_id());
        assert_eq!(
            body["destinations"][0]["messageId"],
            req.destinations()[0].message_id()
        );
    }
}

#[tokio::test]
async fn a_slow_send_times_out_without_a_blind_retry() {
    let cec = MockCec::start().await;
    cec.respond_next(
        ResponseTemplate::new(200).set_delay(Duration::from_secs(3)),
        5,
    )
    .await;
    let client = builder(&cec.uri())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Timeout);
    assert!(t.request_may_have_been_sent());
    assert_eq!(err.retry_class(), RetryClass::IfDeduplicated);
    assert_eq!(cec.sends().await.len(), 1);
}

#[tokio::test]
async fn bad_success_bodies_are_decode_errors() {
    for (body, path) in [
        ("<html>ok</html>", "."),
        (r#"{"messages":[{"to":{"phoneNumber":"1"}"#, "messages[0].?"),
        (
            r#"{"messages":[{"to":{},"status":{},"messageId":"x"}]}"#,
            "messages[0].to",
        ),
        (r#"{"messages":"none"}"#, "messages"),
    ] {
        let cec = MockCec::start().await;
        cec.respond_next(ResponseTemplate::new(200).set_body_string(body), 1)
            .await;
        let client = builder(&cec.uri()).build().unwrap();
        let err = client.send(&request()).await.unwrap_err();
        let Error::Decode(d) = &err else {
            panic!("{body}: {err:?}")
        };
        assert_eq!(d.path(), path, "{body}");
    }
}

#[tokio::test]
async fn unknown_fields_and_values_decode() {
    let cec = MockCec::start().await;
    let body = r#"{"messages":[{"to":{"phoneNumber":"41793026727","emailAddress":"x@y"},
        "status":{"groupId":9,"groupName":"NEW","id":777,"name":"NEW_STATE","description":"d","action":"retry later","extra":1},
        "messageId":"m"}],"bulkId":"b","price":1}"#;
    cec.respond_next(ResponseTemplate::new(200).set_body_string(body), 1)
        .await;
    let client = builder(&cec.uri()).build().unwrap();
    let r = client.send(&request()).await.unwrap();
    let s = &r.messages[0].status;
    assert_eq!(s.group_id, huawei_cec::StatusGroup::Unknown(9));
    assert_eq!(s.id, huawei_cec::StatusId::Unknown(777));
    assert_eq!(s.action.as_deref(), Some("retry later"));
}
