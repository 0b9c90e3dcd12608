//! Contract: every documented error code maps to its typed error, answers
//! outside the documentation keep what they carry, and a retry resends the
//! same `id`.

use gateway_ru::mock::{MockGateway, MockVendor, error_body};
use gateway_ru::{Error, ErrorCode, RetryClass, RetryPolicy, SendRetries};
use serde_json::Value;
use whatsapp_common::mock::{fixture, fixture_json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{builder, request};

/// The page a proxy in front of the gateway answers with.
const PROXY_PAGE: &str = "<html><body><h1>502 Bad Gateway</h1></body></html>";

/// A server answering every POST with `status` and `body`.
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
    let server = answering(400, &fixture("gateway-ru", "send_error_response.json")).await;
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
    let table = fixture_json("gateway-ru", "constructed_error_table.json");
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

/// An unknown code is kept as `Unknown`; a body that is not the error
/// document (a proxy's page) leaves the code unset. Either way the body is
/// kept and shown.
#[tokio::test]
async fn answers_outside_the_documentation_keep_what_they_carry() {
    for (status, body, code, shown) in [
        (
            418,
            r#"{"error":{"code":4242,"description":"new"},"extra":1}"#,
            Some(ErrorCode::Unknown(4242)),
            "error 4242 (new)",
        ),
        (502, PROXY_PAGE, None, "<h1>502 Bad Gateway</h1>"),
    ] {
        let server = answering(status, body).await;
        let client = builder(&server.uri()).build().unwrap();
        let err = client.send(&request()).await.unwrap_err();
        let Error::Vendor(g) = &err else {
            panic!("{err:?}")
        };
        assert_eq!((g.status(), g.code), (status, code));
        assert_eq!(g.raw_body().text(), body);
        assert!(err.to_string().contains(shown), "{err}");
    }
}

/// The gateway's duplicate control keys on `id`, so a retry is the same
/// request: after code 3 whatever `send_retries` says, after a proxy's 502
/// page only when sends are deduplicated.
#[tokio::test]
async fn a_retry_resends_the_same_id() {
    let throttled =
        ResponseTemplate::new(429).set_body_json(error_body(ErrorCode::TooManyConnections, None));
    let page = ResponseTemplate::new(502).set_body_string(PROXY_PAGE);
    for (first, send_retries) in [
        (throttled, SendRetries::IfNotProcessed),
        (page, SendRetries::IfDeduplicated),
    ] {
        let gateway = MockGateway::start().await;
        gateway.respond_next(first, 1).await;
        let client = builder(&gateway.uri())
            .send_retries(send_retries)
            .build()
            .unwrap();
        let req = request();
        let ok = client.send(&req).await.unwrap();
        assert_eq!(ok.mt_num.as_deref(), Some("107930572"));
        assert_eq!(ok.id.as_deref(), Some(req.id()));
        let sent = gateway.requests().await;
        assert_eq!(sent.len(), 2, "{send_retries:?}");
        assert_eq!(sent[0].body, sent[1].body, "the retry is the same request");
        assert_eq!(
            sent[1].json().unwrap()["id"],
            Value::String(req.id().into())
        );
    }
}

#[tokio::test]
async fn a_200_that_is_not_json_is_a_decode_error() {
    for body in ["<html>ok</html>", r#"{"mtNum": "1079"#, ""] {
        let server = answering(200, body).await;
        let client = builder(&server.uri()).build().unwrap();
        let err = client.send(&request()).await.unwrap_err();
        let Error::Decode(d) = &err else {
            panic!("{body}: {err:?}")
        };
        assert_eq!(d.status(), 200);
        assert_eq!(err.retry_class(), RetryClass::Never);
        assert!(err.to_string().contains("accepted the request"), "{err}");
        assert!(err.to_string().contains("do not send it again"), "{err}");
    }
}

/// The gateway accepted the message: a member missing or of another type
/// is `None` with a warning naming it, never an error to resend on.
#[tokio::test]
async fn a_200_with_members_missing_or_of_another_type_is_accepted() {
    for (body, mt_num, id, warning) in [
        (r#"{"id":"1"}"#, None, Some("1"), None),
        (
            r#"{"mtNum": 107930572, "id":"1"}"#,
            None,
            Some("1"),
            Some("mtNum"),
        ),
        (
            r#"{"mtNum":"107930572","id":[1]}"#,
            Some("107930572"),
            None,
            Some("id"),
        ),
        (r#"[1]"#, None, None, Some("[0]")),
        (r#""ok""#, None, None, Some(".")),
    ] {
        let server = answering(200, body).await;
        let client = builder(&server.uri()).build().unwrap();
        let ok = client.send(&request()).await.unwrap();
        assert_eq!(
            (ok.mt_num.as_deref(), ok.id.as_deref()),
            (mt_num, id),
            "{body}"
        );
        let paths: Vec<&str> = ok.warnings().iter().map(|w| w.path()).collect();
        assert_eq!(paths.first().copied(), warning, "{body}");
    }
}

#[tokio::test]
async fn unknown_response_fields_are_ignored() {
    let server = answering(200, r#"{"mtNum":"1","id":"2","price":{"amount":1}}"#).await;
    let client = builder(&server.uri()).build().unwrap();
    let ok = client.send(&request()).await.unwrap();
    assert_eq!(
        (ok.mt_num.as_deref(), ok.id.as_deref()),
        (Some("1"), Some("2"))
    );
}
