//! Contract: send failures map to typed errors; retries follow the rules.

use crate::support;

use huawei_cec::mock::{MockVendor, ResponseTemplate};
use huawei_cec::{ErrorCode, Operation, RetryClass, SendRetries, StatusGroup, StatusId};
use support::{mock_cec, mock_cec_with, request};
use whatsapp_common::mock::fixture;

#[tokio::test]
async fn documented_statuses_map_to_typed_errors() {
    for (status, code, retry_class) in [
        (400, ErrorCode::BadRequest, RetryClass::Never),
        (404, ErrorCode::NotFound, RetryClass::Never),
        (500, ErrorCode::ServerError, RetryClass::Never),
        (
            503,
            ErrorCode::ServiceUnavailable,
            RetryClass::IfDeduplicated,
        ),
        (418, ErrorCode::Unknown(418), RetryClass::Never),
    ] {
        let (cec, client) = mock_cec().await;
        cec.fail_next(ErrorCode::from_status(status), 1).await;
        let err = client.send(&request()).await.unwrap_err();
        let a = err.vendor().unwrap_or_else(|| panic!("{status}: {err:?}"));
        assert_eq!((a.status(), a.code), (status, code));
        assert_eq!(a.operation, Operation::Send);
        assert!(a.raw_body().is_empty(), "CEC documents no error body");
        assert_eq!(err.retry_class(), retry_class, "{status}");
        assert_eq!(cec.sends().await.len(), 1, "{status}: not retried");
    }
}

#[tokio::test]
async fn a_refusal_gives_the_omni_error_or_quotes_the_body() {
    let omni = fixture("huawei-cec", "research_infobip_error_400.json");
    for (status, body, service_exception, message) in [
        (
            400,
            omni.as_str(),
            Some((Some("BAD_REQUEST"), Some("Bad request"))),
            "CEC refused the send: HTTP 400 (incorrect request: check the request path and parameters): BAD_REQUEST Bad request",
        ),
        (
            503,
            "<html>busy</html>",
            None,
            "CEC refused the send: HTTP 503 (service unavailable); body: <html>busy</html>",
        ),
    ] {
        let (cec, client) = mock_cec().await;
        cec.respond_next(ResponseTemplate::new(status).set_body_string(body), 1)
            .await;
        let err = client.send(&request()).await.unwrap_err();
        let a = err.vendor().unwrap_or_else(|| panic!("{err:?}"));
        let e = a.service_exception.as_ref();
        assert_eq!(
            e.map(|e| (e.message_id.as_deref(), e.text.as_deref())),
            service_exception
        );
        assert_eq!(err.to_string(), message);
    }
}

/// A retried send carries the same `bulkId` and message ids: after a 429
/// (refused before any processing) whatever the settings, after a 503 when
/// the account de-duplicates.
#[tokio::test]
async fn a_retried_send_carries_the_same_ids() {
    for (answer, send_retries) in [
        (
            ResponseTemplate::new(429).insert_header("retry-after", "0"),
            SendRetries::IfNotProcessed,
        ),
        (ResponseTemplate::new(503), SendRetries::IfDeduplicated),
    ] {
        let (cec, client) = mock_cec_with(send_retries).await;
        cec.respond_next(answer, 1).await;
        let req = request();
        client.send(&req).await.unwrap();
        let sends = cec.sends().await;
        assert_eq!(sends.len(), 2, "{send_retries:?}");
        assert_eq!(sends[0].body, sends[1].body);
        let body = sends[1].json().unwrap();
        assert_eq!(body["bulkId"], req.bulk_id());
        assert_eq!(
            body["destinations"][0]["messageId"],
            req.destinations()[0].message_id()
        );
    }
}

#[tokio::test]
async fn a_200_that_is_not_json_is_a_decode_error() {
    for body in [
        "<html>ok</html>",
        r#"{"messages":[{"to":{"phoneNumber":"1"}"#,
        "",
    ] {
        let (cec, client) = mock_cec().await;
        cec.respond_next(ResponseTemplate::new(200).set_body_string(body), 1)
            .await;
        let err = client.send(&request()).await.unwrap_err();
        let huawei_cec::Error::Decode(_) = &err else {
            panic!("{body}: {err:?}")
        };
        assert_eq!(err.retry_class(), RetryClass::Never);
        assert!(err.to_string().contains("do not send it again"), "{err}");
    }
}

/// CEC accepted the send: members its response table marks optional may be
/// missing, and a value of another type is left out with a warning naming
/// it; the send is `Ok`.
#[tokio::test]
async fn a_200_with_members_missing_or_of_another_type_is_accepted() {
    for (body, message_id, warning) in [
        (
            r#"{"messages":[{"to":{},"status":{},"messageId":"x"}]}"#,
            Some("x"),
            None,
        ),
        (r#"{"messages":[{"messageId":"x"}]}"#, Some("x"), None),
        (
            r#"{"messages":[{"status":{"groupId":"five"},"messageId":"x"}]}"#,
            Some("x"),
            Some("messages[0].status.groupId"),
        ),
        (
            r#"{"messages":[{"to":{"phoneNumber":1},"messageId":7}]}"#,
            None,
            Some("messages[0].messageId"),
        ),
        (
            r#"{"messages":"none","bulkId":"b"}"#,
            None,
            Some("messages"),
        ),
    ] {
        let (cec, client) = mock_cec().await;
        cec.respond_next(ResponseTemplate::new(200).set_body_string(body), 1)
            .await;
        let ok = client.send(&request()).await.unwrap();
        let id = ok.messages.first().and_then(|m| m.message_id.as_deref());
        assert_eq!(id, message_id, "{body}");
        let first = ok.warnings().first().map(|w| w.path());
        assert_eq!(first, warning, "{body}");
    }
}

#[tokio::test]
async fn unknown_fields_and_values_decode() {
    let (cec, client) = mock_cec().await;
    let body = r#"{"messages":[{"to":{"phoneNumber":"41793026727","emailAddress":"x@y"},
        "status":{"groupId":9,"groupName":"NEW","id":777,"name":"NEW_STATE","description":"d","action":"retry later","extra":1},
        "messageId":"m"}],"bulkId":"b","price":1}"#;
    cec.respond_next(ResponseTemplate::new(200).set_body_string(body), 1)
        .await;
    let r = client.send(&request()).await.unwrap();
    let s = r.messages[0].status.as_ref().unwrap();
    assert_eq!(s.group_id, Some(StatusGroup::Unknown(9)));
    assert_eq!(s.id, Some(StatusId::Unknown(777)));
    assert_eq!(s.action.as_deref(), Some("retry later"));
}
