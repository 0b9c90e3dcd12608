//! The shared pipeline and its retry loop against a local wiremock server.
#![allow(clippy::unwrap_used)]

use std::fmt;
use std::time::{Duration, Instant};

use whatsapp_common::http::{Method, Request, Response, SecretHeader};
use whatsapp_common::{
    Error, HttpClient, HttpConfig, Idempotency, Protocol, RawBody, Refusal, RetryClass,
    RetryPolicy, SendErrorKind, SendRetries, TransportErrorKind, VendorError,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A refusal that keeps its body's text.
#[derive(Debug)]
struct Refused(String);

impl Refusal for Refused {
    const VENDOR: &'static str = "test";
    type Code = ();
    fn code(&self) -> Option<()> {
        None
    }
    fn send_error_kind(&self, _status: u16) -> SendErrorKind {
        SendErrorKind::Vendor
    }
    fn describe(&self, status: u16, _body: &RawBody, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refused: HTTP {status}: {}", self.0)
    }
}

/// Classifies by status, except that `safe` is documented as "not processed".
struct Plain {
    safe: Option<u16>,
}

const PLAIN: Plain = Plain { safe: None };

impl Protocol for Plain {
    type ApiError = Refused;
    fn retry_class(&self, response: &Response) -> RetryClass {
        if Some(response.status()) == self.safe {
            RetryClass::Safe
        } else {
            RetryClass::from_status(response.status())
        }
    }
    fn refusal(&self, response: &Response) -> Refused {
        Refused(String::from_utf8_lossy(response.body()).into_owned())
    }
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

fn config(base: &str, retry: RetryPolicy) -> HttpConfig {
    let mut cfg = HttpConfig::default();
    cfg.set_base_url(base);
    cfg.set_retry_policy(retry);
    cfg.set_timeout(Duration::from_millis(500));
    cfg
}

fn client(base: &str, retry: RetryPolicy) -> HttpClient {
    HttpClient::new("test", config(base, retry), None).unwrap()
}

fn post(idem: Idempotency) -> Request {
    Request::new("send", Method::Post, "/send")
        .json_body(b"{}".to_vec())
        .idempotency(idem)
}

fn refusal(err: Error<Refused>) -> VendorError<Refused> {
    match err {
        Error::Vendor(v) => *v,
        other => panic!("{other:?}"),
    }
}

/// A server answering `first` `first_times` times and then `"ok"`, and a
/// client of it with fast retries.
async fn served(first: ResponseTemplate, first_times: u64) -> (MockServer, HttpClient) {
    let server = MockServer::start().await;
    sequence(&server, first, first_times).await;
    let c = client(&server.uri(), fast_retries());
    (server, c)
}

async fn sequence(server: &MockServer, first: ResponseTemplate, first_times: u64) {
    Mock::given(method("POST"))
        .and(path("/send"))
        .respond_with(first)
        .up_to_n_times(first_times)
        .with_priority(1)
        .named("failure first")
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/send"))
        .respond_with(ResponseTemplate::new(200).set_body_string("\"ok\""))
        .with_priority(2)
        .named("then success")
        .mount(server)
        .await;
}

#[tokio::test]
async fn retries_503_for_idempotent_requests() {
    let (server, c) = served(ResponseTemplate::new(503), 2).await;
    let resp = c
        .execute(&PLAIN, &post(Idempotency::Idempotent))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.attempts(), 3);
    assert_eq!(resp.body(), b"\"ok\"");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn does_not_retry_503_for_non_idempotent_requests() {
    let (server, c) = served(ResponseTemplate::new(503).set_body_string("busy"), 1).await;
    let err = refusal(
        c.execute(&PLAIN, &post(Idempotency::NotIdempotent))
            .await
            .unwrap_err(),
    );
    assert_eq!((err.status(), err.attempts()), (503, 1));
    assert_eq!(err.retry_class(), RetryClass::IfDeduplicated);
    assert_eq!(err.api().0, "busy");
    assert_eq!(err.to_string(), "refused: HTTP 503: busy");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn send_retries_if_deduplicated_retries_sends_that_may_have_been_processed() {
    let server = MockServer::start().await;
    sequence(&server, ResponseTemplate::new(503), 1).await;
    let mut cfg = config(&server.uri(), fast_retries());
    cfg.set_send_retries(SendRetries::IfDeduplicated);
    let c = HttpClient::new("test", cfg, None).unwrap();
    assert_eq!(c.send_retries(), SendRetries::IfDeduplicated);
    let value: String = c
        .call(&PLAIN, &post(Idempotency::NotIdempotent))
        .await
        .unwrap();
    assert_eq!(value, "ok");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn safe_answers_are_retried_for_non_idempotent_requests() {
    let (_server, c) = served(ResponseTemplate::new(429), 1).await;
    let resp = c
        .execute(
            &Plain { safe: Some(429) },
            &post(Idempotency::NotIdempotent),
        )
        .await
        .unwrap();
    assert_eq!((resp.status(), resp.attempts()), (200, 2));
}

#[tokio::test]
async fn gives_up_after_max_attempts() {
    let server = MockServer::start().await;
    sequence(&server, ResponseTemplate::new(502), 10).await;
    let c = client(&server.uri(), fast_retries().max_attempts(2));
    let err = refusal(
        c.execute(&PLAIN, &post(Idempotency::Idempotent))
            .await
            .unwrap_err(),
    );
    assert_eq!((err.status(), err.attempts()), (502, 2));
}

#[tokio::test]
async fn a_2xx_that_does_not_decode_is_final() {
    let (server, c) = served(ResponseTemplate::new(200).set_body_string("<html>"), 1).await;
    let err = c
        .call::<_, String>(&PLAIN, &post(Idempotency::Idempotent))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(err.retry_class(), RetryClass::Never);
    assert_eq!(err.status(), Some(200));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn honours_retry_after_and_hands_back_a_longer_one() {
    let (_server, c) = served(
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        1,
    )
    .await;
    let started = Instant::now();
    let resp = c
        .execute(&PLAIN, &post(Idempotency::Idempotent))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited out Retry-After"
    );

    // Above max_retry_after: not waited out, the 429 comes back with it.
    let (_server, c) = served(
        ResponseTemplate::new(429).insert_header("Retry-After", "3600"),
        1,
    )
    .await;
    let err = c
        .execute(&PLAIN, &post(Idempotency::Idempotent))
        .await
        .unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    let err = refusal(err);
    assert_eq!((err.status(), err.attempts()), (429, 1));
}

#[tokio::test]
async fn connect_errors_are_retried_even_when_not_idempotent() {
    // A port nothing listens on: bind, take the port, drop the listener.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = client(&format!("http://127.0.0.1:{port}"), fast_retries());
    let err = c
        .execute(&PLAIN, &post(Idempotency::NotIdempotent))
        .await
        .unwrap_err();
    assert_eq!(err.retry_class(), RetryClass::Safe);
    let Error::Transport(err) = err else {
        panic!("{err:?}")
    };
    assert_eq!(err.kind(), TransportErrorKind::Connect);
    assert_eq!(err.attempts(), 3);
    assert!(!err.request_may_have_been_sent());
}

#[tokio::test]
async fn timeouts_are_retried_only_when_idempotent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let c = client(&server.uri(), fast_retries());
    let transport = |e: Error<Refused>| match e {
        Error::Transport(t) => t,
        other => panic!("{other:?}"),
    };
    let err = c
        .execute(&PLAIN, &post(Idempotency::NotIdempotent))
        .await
        .unwrap_err();
    assert_eq!(err.retry_class(), RetryClass::IfDeduplicated);
    let err = transport(err);
    assert_eq!(err.kind(), TransportErrorKind::Timeout);
    assert_eq!(err.attempts(), 1);
    assert!(err.request_may_have_been_sent());

    let err = transport(
        c.execute(&PLAIN, &post(Idempotency::Idempotent))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (err.kind(), err.attempts()),
        (TransportErrorKind::Timeout, 3)
    );
}

#[tokio::test]
async fn operation_timeout_bounds_the_whole_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let mut cfg = HttpConfig::default();
    cfg.set_base_url(server.uri());
    cfg.set_retry_policy(
        RetryPolicy::default()
            .max_attempts(10)
            .initial_backoff(Duration::from_secs(1))
            .jitter(false),
    );
    cfg.set_operation_timeout(Duration::from_millis(300));
    let c = HttpClient::new("test", cfg, None).unwrap();
    let started = Instant::now();
    let err = c
        .execute(&PLAIN, &post(Idempotency::Idempotent))
        .await
        .unwrap_err();
    let Error::Transport(err) = err else {
        panic!("{err:?}")
    };
    assert_eq!(err.kind(), TransportErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn large_bodies_are_cut_at_the_limit() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_bytes(vec![b'x'; 2 * 1024 * 1024]))
        .mount(&server)
        .await;
    let mut cfg = HttpConfig::default();
    cfg.set_base_url(server.uri());
    cfg.set_max_response_bytes(64 * 1024);
    let c = HttpClient::new("test", cfg, None).unwrap();
    let err = refusal(
        c.execute(&PLAIN, &post(Idempotency::NotIdempotent))
            .await
            .unwrap_err(),
    );
    assert_eq!(err.status(), 500);
    assert!(err.raw_body().is_truncated());
    assert_eq!(err.api().0.len(), 64 * 1024);

    // At the limit exactly: not truncated.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'y'; 1024]))
        .mount(&server)
        .await;
    let mut cfg = HttpConfig::default();
    cfg.set_base_url(server.uri());
    cfg.set_max_response_bytes(1024);
    let c = HttpClient::new("test", cfg, None).unwrap();
    let resp = c
        .execute(&PLAIN, &post(Idempotency::NotIdempotent))
        .await
        .unwrap();
    assert!(!resp.is_truncated());
    assert_eq!(resp.body().len(), 1024);
}

#[tokio::test]
async fn secret_headers_reach_the_server_but_not_debug() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"token\":\"t0k3n-value\"}"))
        .mount(&server)
        .await;
    let c = client(&server.uri(), RetryPolicy::none());
    let auth = SecretHeader::new("Authorization", "Key s3cr3t-value").unwrap();
    let req = Request::new("read", Method::Get, "/r?key=q-s3cr3t")
        .with_secret(&auth)
        .json_body(b"{\"password\":\"b0dy-s3cr3t\"}".to_vec());
    let shown = format!("{req:?}");
    for secret in ["s3cr3t-value", "b0dy-s3cr3t", "q-s3cr3t"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(shown.contains("authorization"), "{shown}");
    let resp = c.execute(&PLAIN, &req).await.unwrap();
    let shown = format!("{resp:?}");
    assert!(!shown.contains("t0k3n-value"), "{shown}");
    assert!(shown.contains("body_bytes: 23"), "{shown}");
    let got = &server.received_requests().await.unwrap()[0];
    assert_eq!(got.headers["authorization"], "Key s3cr3t-value");
    assert!(
        got.headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("whatsapp-sdk-rs/")
    );
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("\"ok\""))
        .named("the host a redirect names")
        .mount(&elsewhere)
        .await;
    for status in [301, 302, 303, 307, 308] {
        let server = MockServer::start().await;
        let location = format!("{}/other?token=t0k3n", elsewhere.uri());
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(status).insert_header("location", location.as_str()),
            )
            .named("a redirect")
            .mount(&server)
            .await;
        let c = client(&server.uri(), fast_retries());
        let err = c
            .execute(&PLAIN, &post(Idempotency::Idempotent))
            .await
            .unwrap_err();
        assert_eq!(err.retry_class(), RetryClass::Never);
        let Error::Transport(t) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(t.kind(), TransportErrorKind::Redirect);
        assert!(!t.request_may_have_been_sent());
        let port = elsewhere.address().port();
        assert_eq!(
            t.redirect_host(),
            Some(format!("127.0.0.1:{port}").as_str())
        );
        assert!(!t.to_string().contains("t0k3n"), "{t}");
        assert!(t.to_string().contains(&format!("127.0.0.1:{port}")), "{t}");
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "{status}: not retried"
        );
    }
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "nothing reached the host the redirects named"
    );
}

#[test]
fn plain_http_is_refused_except_to_this_machine() {
    let build = |url: &str, allow: bool| {
        let mut cfg = HttpConfig::default();
        cfg.set_base_url(url);
        cfg.set_allow_insecure_http(allow);
        HttpClient::new("test", cfg, None)
    };
    for local in [
        "http://127.0.0.1:9",
        "http://127.9.9.9/x",
        "http://localhost:8080",
        "http://LOCALHOST",
        "http://[::1]:5/y",
    ] {
        assert!(build(local, false).is_ok(), "{local}");
    }
    for remote in [
        "http://api.example.com",
        "http://10.0.0.1/send",
        "http://[2001:db8::1]/",
    ] {
        let err = build(remote, false).unwrap_err();
        assert_eq!(err.field(), "base_url");
        assert!(err.reason().contains("allow_insecure_http"), "{err}");
        assert!(build(remote, true).is_ok(), "{remote} when allowed");
    }
    assert!(build("https://api.example.com", false).is_ok());
}

#[test]
fn header_helpers_refuse_what_http_cannot_carry_without_a_panic() {
    let req = Request::new("r", Method::Get, "/")
        .header("X-Custom-Name", "v")
        .unwrap();
    assert!(format!("{req:?}").contains("x-custom-name"), "{req:?}");
    for (name, value) in [
        ("bad name", "v"),
        ("", "v"),
        ("x-ok", "line\nbreak"),
        ("é", "v"),
    ] {
        let err = Request::new("r", Method::Get, "/")
            .header(name, value)
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Request, "{name:?}");
    }
    assert!(SecretHeader::new("X-App-Key", "k").is_some());
    assert!(SecretHeader::new("x app key", "k").is_none());
    assert!(
        Request::new("r", Method::Post, "/")
            .body_with_type(b"x".to_vec(), "text/plain\r\nx-injected: 1")
            .is_err()
    );
}

#[test]
fn base_url_is_checked() {
    let build = |url: Option<&str>, default: Option<&str>| {
        let mut cfg = HttpConfig::default();
        if let Some(u) = url {
            cfg.set_base_url(u);
        }
        HttpClient::new("test", cfg, default)
    };
    assert_eq!(build(None, None).unwrap_err().field(), "base_url");
    assert!(build(Some("ftp://x"), None).is_err());
    assert!(build(Some("not a url"), None).is_err());
    assert!(build(Some("https://user:pw@host"), None).is_err());
    for with_extra in [
        "https://api.example/v1?tenant=1",
        "https://api.example/v1#part",
        "https://api.example/?",
    ] {
        let err = build(Some(with_extra), None).unwrap_err();
        assert!(
            err.reason().contains("query or a fragment"),
            "{with_extra}: {err}"
        );
    }
    // A path's own trailing `/` is kept where the base URL itself is the
    // endpoint (a partner URI).
    let c = build(Some("https://partner.example/send/"), None).unwrap();
    assert_eq!(
        c.endpoint("").unwrap().as_str(),
        "https://partner.example/send/"
    );
    assert_eq!(
        c.endpoint("/x").unwrap().as_str(),
        "https://partner.example/send/x"
    );
    assert_eq!(
        build(None, Some("https://api.example/"))
            .unwrap()
            .base_url(),
        "https://api.example"
    );
    assert_eq!(
        build(Some("http://127.0.0.1:9/x/"), Some("https://d"))
            .unwrap()
            .base_url(),
        "http://127.0.0.1:9/x"
    );
}

/// A vendor that documents 429 as "not processed".
const NOT_PROCESSED_429: Plain = Plain { safe: Some(429) };

/// Under `SendRetries::IfDeduplicated`, a send that got a 504 and then,
/// on its retry, a 429 ends with a 429 (its own class `Safe`): but the
/// first attempt may have reached the vendor, and the error says so over
/// every attempt. Sending it elsewhere would deliver it twice.
#[tokio::test]
async fn a_refusal_after_an_attempt_that_may_have_reached_may_have_been_delivered() {
    use whatsapp_common::{SendError, SendFailure};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/send"))
        .respond_with(ResponseTemplate::new(504))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/send"))
        .respond_with(ResponseTemplate::new(429))
        .with_priority(2)
        .mount(&server)
        .await;
    let mut cfg = config(&server.uri(), fast_retries().max_attempts(2));
    cfg.set_send_retries(SendRetries::IfDeduplicated);
    let c = HttpClient::new("test", cfg, None).unwrap();
    let err = c
        .execute(&NOT_PROCESSED_429, &post(Idempotency::NotIdempotent))
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.retry_class()),
        (Some(429), RetryClass::Safe)
    );
    assert!(err.vendor().unwrap().earlier_attempt_may_have_reached());
    assert_eq!(err.failure(), SendFailure::MayHaveBeenDelivered);
    let send = SendError::from(err);
    assert_eq!(send.failure(), SendFailure::MayHaveBeenDelivered);

    // A 429 alone: not processed.
    let server = MockServer::start().await;
    sequence(&server, ResponseTemplate::new(429), 5).await;
    let c = client(&server.uri(), fast_retries().max_attempts(1));
    let err = c
        .execute(&NOT_PROCESSED_429, &post(Idempotency::NotIdempotent))
        .await
        .unwrap_err();
    assert_eq!(err.failure(), SendFailure::NotProcessed);
    assert!(!err.vendor().unwrap().earlier_attempt_may_have_reached());
}

/// Each kind of failure and what it means for the message.
#[tokio::test]
async fn every_failure_says_what_it_means_for_the_message() {
    use whatsapp_common::{SendError, SendFailure, ValidationError};
    let answer = |status: u16| async move {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_string("x"))
            .mount(&server)
            .await;
        let c = client(&server.uri(), fast_retries().max_attempts(1));
        let err = c
            .call::<_, serde_json::Value>(&PLAIN, &post(Idempotency::NotIdempotent))
            .await;
        (err.unwrap_err().failure(), server)
    };
    assert_eq!(answer(400).await.0, SendFailure::Refused);
    assert_eq!(answer(503).await.0, SendFailure::MayHaveBeenDelivered);
    assert_eq!(
        answer(200).await.0,
        SendFailure::MayHaveBeenDelivered,
        "a 2xx that would not decode"
    );

    // Nothing listens: the request never left.
    let c = client("http://127.0.0.1:9", fast_retries().max_attempts(1));
    let err = c
        .execute(&PLAIN, &post(Idempotency::NotIdempotent))
        .await
        .unwrap_err();
    assert_eq!(err.failure(), SendFailure::NotProcessed, "{err}");

    // No answer in time: it may have been delivered.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let c = client(&server.uri(), fast_retries().max_attempts(1));
    let err = c
        .execute(&PLAIN, &post(Idempotency::NotIdempotent))
        .await
        .unwrap_err();
    assert_eq!(err.failure(), SendFailure::MayHaveBeenDelivered, "{err}");

    let invalid: Error<Refused> = ValidationError::new("text", "empty").into();
    assert_eq!(invalid.failure(), SendFailure::NotProcessed);
    assert_eq!(
        SendError::from(invalid).failure(),
        SendFailure::NotProcessed
    );
    assert_eq!(
        SendError::unsupported("test", "template").failure(),
        SendFailure::NotProcessed
    );
}
