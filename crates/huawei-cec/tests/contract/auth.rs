//! Contract: tokens are cached, renewed before expiry, fetched once for many
//! concurrent callers, renewed once after a 401, and never leak: the
//! token's own leak paths, which the conformance suite (it walks the send's
//! error paths) does not.
//!
//! The log sink is the process-wide TRACE subscriber of the conformance
//! suite, so every test of this binary logs where the checks look.

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use huawei_cec::mock::{MockCec, MockVendor, RecordedRequest};
use huawei_cec::{
    Client, Error, ErrorCode, ManualClock, Operation, RetryClass, SendError, SendErrorKind,
};
use support::{builder, mock_cec, request};
use whatsapp_common::conformance::capture_logs;
use whatsapp_common::mock::{error_chain, recorded};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn bearer(r: &RecordedRequest) -> String {
    r.header("authorization").unwrap().to_owned()
}

/// A server answering the token call with `answer` (and nothing else).
async fn token_server(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(huawei_cec::TOKEN_PATH))
        .respond_with(answer)
        .named("tokenByAkSk")
        .mount(&server)
        .await;
    server
}

/// How many requests `server` received for `path`.
async fn requests_to(server: &MockServer, path: &str) -> usize {
    let requests = recorded(server).await;
    requests.iter().filter(|r| r.path == path).count()
}

/// A mock CEC and a client asking for 600 s tokens (renewed 60 s before
/// they expire, the default) on a clock moved by hand, after one send.
async fn sent_once_on_a_manual_clock() -> (MockCec, Client, Arc<ManualClock>) {
    let cec = MockCec::start().await;
    let clock = Arc::new(ManualClock::new());
    let client = builder(&cec.uri())
        .token_lifetime(Duration::from_secs(600))
        .clock(clock.clone())
        .build()
        .unwrap();
    client.send(&request()).await.unwrap();
    assert_eq!(cec.token_calls(), 1);
    (cec, client, clock)
}

/// `n` sends on clones of `client` at once; each must succeed.
async fn send_concurrently(client: &Client, n: usize) {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.send(&request()).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn the_token_is_reused_until_the_renewal_margin_then_renewed() {
    let (cec, client, clock) = sent_once_on_a_manual_clock().await;
    // 539 s later: still inside the token's life minus the margin.
    clock.advance(Duration::from_secs(539));
    client.send(&request()).await.unwrap();
    assert_eq!(cec.token_calls(), 1);
    // 540 s: due for renewal.
    clock.advance(Duration::from_secs(1));
    client.send(&request()).await.unwrap();
    assert_eq!(cec.token_calls(), 2);
    let sends = cec.sends().await;
    assert_eq!(bearer(&sends[0]), "Bearer mock-token-1");
    assert_eq!(bearer(&sends[1]), "Bearer mock-token-1");
    assert_eq!(bearer(&sends[2]), "Bearer mock-token-2");
    // The token call asked for the configured lifetime.
    let token_call = &cec.requests().await[0];
    assert_eq!(token_call.header("x-token-expire"), Some("600"));
}

#[tokio::test]
async fn the_lifetime_the_service_grants_wins_over_the_one_asked_for() {
    let server = token_server(ResponseTemplate::new(200).set_body_string(
        r#"{"AccessToken":"short","ApplyType":"Bearer","CreateTime":"1","Expires":"100"}"#,
    ))
    .await;
    Mock::given(method("POST"))
        .and(path(huawei_cec::SEND_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"messages":[],"bulkId":"b"}"#))
        .mount(&server)
        .await;
    let clock = Arc::new(ManualClock::new());
    let client = builder(&server.uri()).clock(clock.clone()).build().unwrap();
    client.send(&request()).await.unwrap();
    // 100 s lifetime, 60 s margin capped at half: renew after 50 s.
    clock.advance(Duration::from_secs(49));
    client.send(&request()).await.unwrap();
    clock.advance(Duration::from_secs(1));
    client.send(&request()).await.unwrap();
    let token_calls = requests_to(&server, huawei_cec::TOKEN_PATH).await;
    assert_eq!(token_calls, 2);
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_retries_the_same_send_once() {
    let (cec, client) = mock_cec().await;
    client.send(&request()).await.unwrap();
    cec.expire_tokens();
    let req = request();
    let ok = client.send(&req).await.unwrap();
    assert_eq!(ok.bulk_id.as_deref(), Some(req.bulk_id()));
    assert_eq!(cec.token_calls(), 2);
    let sends = cec.sends().await;
    assert_eq!(sends.len(), 3);
    assert_eq!(bearer(&sends[1]), "Bearer mock-token-1");
    assert_eq!(bearer(&sends[2]), "Bearer mock-token-2");
    assert_eq!(sends[1].body, sends[2].body, "the retry is the same send");
}

#[tokio::test]
async fn a_second_401_is_a_typed_unauthorized_error() {
    let (cec, client) = mock_cec().await;
    cec.fail_next(ErrorCode::Unauthorized, 2).await;
    let err = client.send(&request()).await.unwrap_err();
    let a = err.vendor().unwrap_or_else(|| panic!("{err:?}"));
    let refused = (a.status(), a.operation, a.code);
    assert_eq!(refused, (401, Operation::Send, ErrorCode::Unauthorized));
    assert_eq!(err.retry_class(), RetryClass::Never);
    assert_eq!(cec.token_calls(), 2, "one renewal, not a loop");
    assert_eq!(cec.sends().await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_sends_on_an_expired_token_make_one_token_call() {
    let (cec, client, clock) = sent_once_on_a_manual_clock().await;
    clock.advance(Duration::from_secs(3600));

    send_concurrently(&client, 64).await;
    assert_eq!(cec.token_calls(), 2, "64 concurrent sends, one renewal");
    let sends = cec.sends().await;
    assert_eq!(sends.len(), 65);
    assert!(
        sends[1..]
            .iter()
            .all(|s| bearer(s) == "Bearer mock-token-2")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_401s_renew_once() {
    let (cec, client) = mock_cec().await;
    client.send(&request()).await.unwrap();
    cec.expire_tokens();
    send_concurrently(&client, 32).await;
    assert_eq!(
        cec.token_calls(),
        2,
        "every 401 saw generation 1; one renewal"
    );
}

#[tokio::test]
async fn refused_credentials_are_a_typed_auth_error_with_the_body_kept() {
    let server = token_server(
        ResponseTemplate::new(401)
            .set_body_string(r#"{"error_code":"APIG.1002","error_msg":"Incorrect app key"}"#),
    )
    .await;
    let client = builder(&server.uri()).build().unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let a = err.vendor().unwrap_or_else(|| panic!("{err:?}"));
    let refused = (a.status(), a.operation, a.code);
    assert_eq!(refused, (401, Operation::Token, ErrorCode::Unauthorized));
    assert!(a.raw_body().text().contains("APIG.1002"));
    assert!(
        err.to_string().contains("tokenByAkSk failed: HTTP 401"),
        "{err}"
    );
    assert_eq!(SendError::from(err).kind(), SendErrorKind::Auth);
    // Nothing was sent.
    let sends = requests_to(&server, huawei_cec::SEND_PATH).await;
    assert_eq!(sends, 0);
}

#[tokio::test]
async fn a_200_without_a_token_is_a_decode_error_that_quotes_nothing() {
    let logs = capture_logs();
    for body in [
        r#"{"ApplyType":"Bearer"}"#,
        r#"{"AccessToken":""}"#,
        "<html>",
        r#"{"AccessToken":"leak-me""#,
        // A token no header can carry: refused on arrival, never sent.
        r#"{"AccessToken":"leak-me\r\nX-Injected: 1","Expires":"600"}"#,
    ] {
        let server = token_server(ResponseTemplate::new(200).set_body_string(body)).await;
        let client = builder(&server.uri()).build().unwrap();
        let err = client.send(&request()).await.unwrap_err();
        let Error::Decode(d) = &err else {
            panic!("{body}: {err:?}")
        };
        assert_eq!(d.status(), 200);
        assert!(d.body().is_empty());
        assert_eq!(err.retry_class(), RetryClass::Never);
        let seen = format!("{err:?} {}", error_chain(&err));
        let neutral = error_chain(&SendError::from(err));
        for text in [seen, neutral] {
            assert!(!text.contains("leak-me"), "{text}");
        }
        let sends = requests_to(&server, huawei_cec::SEND_PATH).await;
        assert_eq!(sends, 0, "{body}");
    }
    assert!(!logs.text().contains("leak-me"));
}

/// The app secret and the tokens reach CEC, where they belong, and nowhere
/// else: not a fetched `TokenResponse`, not the refusal of wrong
/// credentials, not a log line.
#[tokio::test]
async fn the_credentials_reach_cec_and_nowhere_else() {
    const SECRET: &str = "App-SECRET-77c1d0";
    let logs = capture_logs();
    let cec = MockCec::start_with_credentials("app-key", SECRET).await;
    let client = |secret| {
        Client::builder("app-key", secret)
            .base_url(cec.uri())
            .build()
            .unwrap()
    };
    client(SECRET).send(&request()).await.unwrap();
    let fetched = client(SECRET).fetch_token().await.unwrap();
    let wrong = client("other").send(&request()).await.unwrap_err();
    let refused = wrong.api().map(|a| a.operation);
    assert_eq!(refused, Some(Operation::Token), "{wrong:?}");
    assert_eq!(wrong.code(), Some(ErrorCode::Unauthorized));

    let logged = logs.text();
    assert!(logged.contains("new token"), "token renewals were logged");
    for text in [format!("{fetched:?}"), error_chain(&wrong), logged] {
        assert!(!text.contains(SECRET), "secret in {text}");
        assert!(!text.contains("mock-token-"), "token in {text}");
    }
    let requests = cec.requests().await;
    assert_eq!(requests[0].json().unwrap()["app_secret"], SECRET);
    let sent = requests[1].header("authorization");
    assert_eq!(sent, Some("Bearer mock-token-1"));
}

#[tokio::test]
async fn a_token_answer_cut_short_is_a_decode_error_and_nothing_is_sent() {
    let cec = MockCec::start().await;
    let client = builder(&cec.uri()).max_response_bytes(64).build().unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.status(), 200);
    assert!(d.message().contains("max_response_bytes"), "{err}");
    assert!(d.body().is_empty(), "the cut answer holds the token");
    assert!(!format!("{err} {err:?}").contains("mock-token-"), "{err:?}");
    assert_eq!(err.retry_class(), RetryClass::Never);
    assert_eq!(cec.token_calls(), 1, "a cut answer is not fetched again");
    assert!(cec.sends().await.is_empty());
}
