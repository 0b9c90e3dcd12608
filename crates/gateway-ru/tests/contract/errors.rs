//! Contract: every documented error code maps to its typed error, and the
//! retry rules hold on the wire.

use crate::support;

use std::time::Duration;

use gateway_ru::TransportErrorKind;
use gateway_ru::mock::{MockGateway, MockVendor};
use gateway_ru::{
    Error, ErrorCode, InstantContent, RetryClass, RetryPolicy, SendRequest, SendRetries,
};
use serde_json::Value;
use support::{builder, fixture, fixture_json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn request() -> SendRequest {
    SendRequest::builder("+79211234567".parse().unwrap(), InstantContent::text("hi"))
        .build()
        .unwrap()
}

async fn answering(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_string(body))
        .named("fixed answer")
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn documented_error_sample_decodes_every_value() {
    let server = answering(400, &fixture("send_error_response.json")).await;
    let client = builder(&server.uri()).build().unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let Error::Vendor(g) = &err else {
        panic!("expected a gateway error, got {err:?}")
    };
    assert_eq!(g.status(), 400);
    assert_eq!(g.code, Some(ErrorCode::InvalidRequest));
    assert_eq!(g.description.as_deref(), Some("Invalid request"));
    assert_eq!(
        g.extended_description.as_deref(),
        Some("Message is too long (2024 symbols). WHATSAPP message max length is 1000 symbols.")
    );
    assert_eq!(err.retry_class(), RetryClass::Never);
    assert_eq!(
        err.to_string(),
        "gateway refused the request: HTTP 400, error 4 (Invalid request): Message is too long (2024 symbols). WHATSAPP message max length is 1000 symbols."
    );
}

#[tokio::test]
async fn every_documented_code_maps_to_its_typed_error() {
    let table = fixture_json("constructed_error_table.json");
    let rows = table.as_array().unwrap();
    assert_eq!(rows.len(), 12, "codes 1-11 and 100");
    for row in rows {
        let code = row["code"].as_i64().unwrap();
        let status = row["httpStatus"].as_u64().unwrap() as u16;
        let description = row["description"].as_str().unwrap();
        let body = serde_json::json!({"error": {"code": code, "description": description}});
        let server = answering(status, &body.to_string()).await;
        let client = builder(&server.uri())
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let err = client.send(&request()).await.unwrap_err();
        let Error::Vendor(g) = &err else {
            panic!("code {code}: {err:?}")
        };
        let typed = ErrorCode::from_i64(code);
        assert!(
            !matches!(typed, ErrorCode::Unknown(_)),
            "code {code} is documented"
        );
        assert_eq!(g.code, Some(typed), "code {code}");
        assert_eq!(g.status(), status);
        assert_eq!(typed.documented_http_status(), Some(status), "code {code}");
        assert_eq!(typed.description(), description, "code {code}");
        assert_eq!(g.description.as_deref(), Some(description));
        assert_eq!(
            err.retry_class() == RetryClass::Safe,
            matches!(code, 1 | 3),
            "code {code}"
        );
        assert_eq!(g.is_already_sent(), code == 10, "code {code}");
        assert_eq!(typed.is_auth(), matches!(code, 2 | 5 | 6), "code {code}");
    }
}

#[tokio::test]
async fn unknown_code_is_kept() {
    let server = answering(
        418,
        r#"{"error":{"code":4242,"description":"new"},"extra":1}"#,
    )
    .await;
    let client = builder(&server.uri()).build().unwrap();
    let err = client.send(&request()).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Unknown(4242)));
    assert!(err.to_string().contains("error 4242 (new)"), "{err}");
}

#[tokio::test]
async fn code_3_is_retried_with_the_same_id_whatever_send_retries_says() {
    let gateway = MockGateway::start().await;
    gateway.fail_next(ErrorCode::TooManyConnections, 1).await;
    let client = builder(&gateway.uri()).build().unwrap();
    let req = request();
    let ok = client.send(&req).await.unwrap();
    assert_eq!(ok.id.as_deref(), Some(req.id()));
    let sent = gateway.requests().await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body, "the retry is the same request");
    assert_eq!(
        sent[1].json().unwrap()["id"],
        Value::String(req.id().into())
    );
}

#[tokio::test]
async fn code_1_is_retried_then_given_up_with_a_typed_error() {
    let gateway = MockGateway::start().await;
    gateway.fail_next(ErrorCode::ServiceUnavailable, 10).await;
    let client = builder(&gateway.uri()).build().unwrap();
    let err = client.send(&request()).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::ServiceUnavailable));
    assert_eq!(err.retry_class(), RetryClass::Safe);
    assert_eq!(
        gateway.requests().await.len(),
        3,
        "the default policy's 3 attempts"
    );
}

#[tokio::test]
async fn a_502_is_retried_only_when_sends_are_deduplicated() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let gateway = MockGateway::start().await;
    gateway
        .respond_next(ResponseTemplate::new(502).set_body_string(html), 1)
        .await;
    let client = builder(&gateway.uri()).build().unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let Error::Vendor(g) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((g.status(), g.code), (502, None));
    assert!(g.raw_body().text().contains("502 Bad Gateway"));
    assert!(
        err.to_string().contains("<h1>502 Bad Gateway</h1>"),
        "{err}"
    );
    assert_eq!(gateway.requests().await.len(), 1, "not retried");

    let gateway = MockGateway::start().await;
    gateway
        .respond_next(ResponseTemplate::new(502).set_body_string(html), 1)
        .await;
    let client = builder(&gateway.uri())
        .send_retries(SendRetries::IfDeduplicated)
        .build()
        .unwrap();
    let req = request();
    let ok = client.send(&req).await.unwrap();
    assert_eq!(ok.mt_num, "107930572");
    let sent = gateway.requests().await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].json().unwrap()["id"], sent[1].json().unwrap()["id"]);
    assert_eq!(
        sent[1].json().unwrap()["id"],
        Value::String(req.id().into())
    );
}

#[tokio::test]
async fn a_slow_gateway_times_out_without_a_blind_retry() {
    let gateway = MockGateway::start().await;
    gateway
        .respond_next(
            ResponseTemplate::new(200)
                .set_body_string(fixture("send_success_response.json"))
                .set_delay(Duration::from_secs(3)),
            5,
        )
        .await;
    let client = builder(&gateway.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Timeout);
    assert!(t.request_may_have_been_sent());
    assert_eq!(t.attempts(), 1);
    assert_eq!(gateway.requests().await.len(), 1);
}

#[tokio::test]
async fn a_200_that_is_not_json_is_a_decode_error() {
    for (body, path) in [
        ("<html>ok</html>", "."),
        (r#"{"mtNum": "1079"#, "mtNum"),
        (r#"{"id":"1"}"#, "."),
        (r#"{"mtNum": 107930572}"#, "mtNum"),
        ("", "."),
    ] {
        let server = answering(200, body).await;
        let client = builder(&server.uri()).build().unwrap();
        let err = client.send(&request()).await.unwrap_err();
        let Error::Decode(d) = &err else {
            panic!("{body}: {err:?}")
        };
        assert_eq!(d.status(), 200);
        assert_eq!(d.path(), path, "{body}");
        assert_eq!(err.retry_class(), RetryClass::Never);
    }
}

#[tokio::test]
async fn unknown_response_fields_are_ignored() {
    let server = answering(200, r#"{"mtNum":"1","id":"2","price":{"amount":1}}"#).await;
    let client = builder(&server.uri()).build().unwrap();
    let ok = client.send(&request()).await.unwrap();
    assert_eq!((ok.mt_num.as_str(), ok.id.as_deref()), ("1", Some("2")));
}

#[tokio::test]
async fn a_huge_error_body_is_bounded() {
    let server = answering(500, &"x".repeat(2 * 1024 * 1024)).await;
    let client = builder(&server.uri())
        .max_response_bytes(256 * 1024)
        .build()
        .unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let Error::Vendor(g) = &err else {
        panic!("{err:?}")
    };
    assert!(g.raw_body().is_truncated());
    assert!(g.raw_body().as_bytes().len() <= whatsapp_common::RAW_BODY_LIMIT);
    assert!(err.to_string().len() < 1024);
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = builder(&format!("http://127.0.0.1:{port}/send"))
        .build()
        .unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Connect);
    assert!(!t.request_may_have_been_sent());
    assert_eq!(err.retry_class(), RetryClass::Safe);
}
