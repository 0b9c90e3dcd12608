//! Contract: token renewal under load and failure. One token call at a
//! time, its result (a token or an error) handed to every send that waited
//! for it; no send waits for more than that one call; the call is not
//! cancelled with the send that started it; whatever `Expires` says, the
//! cache neither panics nor fetches on every send; a token call that fails
//! in transit is a send that sent nothing.
//!
//! Where time has to pass, the tests run on paused tokio time against
//! servers on the test's own runtime, so a 93 s wait takes no real time.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use huawei_cec::mock::RecordedRequest;
use huawei_cec::{
    Client, ClientBuilder, Error, ErrorCode, ManualClock, Operation, RetryClass, RetryPolicy,
    SEND_PATH, SendErrorKind, TOKEN_PATH, TransportErrorKind, WhatsAppSender,
};
use support::{builder, request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;
use whatsapp_common::mock::{error_chain, http_ok_json, recorded};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The answer to a send, for servers that accept every one.
const SENT: &str = r#"{"messages":[],"bulkId":"b"}"#;

/// Reads one request (head and body) from `stream`: its path, or `None`
/// when the connection closed first.
async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    head.split(' ').nth(1).map(str::to_owned)
}

/// A CEC on the test's own runtime whose token call answers only when the
/// test opens the gate (never, for a blackholed endpoint), and whose send
/// always succeeds. It records the path of every request it read.
struct GatedCec {
    uri: String,
    paths: Arc<Mutex<Vec<String>>>,
    token_call_arrived: Arc<tokio::sync::Notify>,
    gate: Arc<tokio::sync::Semaphore>,
    _server: tokio::task::JoinHandle<()>,
}

impl GatedCec {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let uri = format!("http://{}", listener.local_addr().unwrap());
        let paths = Arc::new(Mutex::new(Vec::new()));
        let token_call_arrived = Arc::new(tokio::sync::Notify::new());
        let gate = Arc::new(tokio::sync::Semaphore::new(0));
        let (log, arrived, open) = (paths.clone(), token_call_arrived.clone(), gate.clone());
        let server = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (log, arrived, open) = (log.clone(), arrived.clone(), open.clone());
                tokio::spawn(async move {
                    let Some(path) = read_request(&mut stream).await else {
                        return;
                    };
                    log.lock().unwrap().push(path.clone());
                    let answer = if path == TOKEN_PATH.to_ascii_lowercase() {
                        arrived.notify_one();
                        let _open = open.acquire().await;
                        http_ok_json(r#"{"AccessToken":"gated-token","Expires":"600"}"#)
                    } else {
                        http_ok_json(SENT)
                    };
                    let _ = stream.write_all(&answer).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        Self {
            uri,
            paths,
            token_call_arrived,
            gate,
            _server: server,
        }
    }

    /// Lets every token call held so far, and every later one, answer.
    fn open(&self) {
        self.gate
            .add_permits(tokio::sync::Semaphore::MAX_PERMITS / 2);
    }

    fn token_calls(&self) -> usize {
        let token_path = TOKEN_PATH.to_ascii_lowercase();
        let paths = self.paths.lock().unwrap();
        paths.iter().filter(|p| **p == token_path).count()
    }

    fn sends(&self) -> usize {
        let send_path = SEND_PATH.to_ascii_lowercase();
        let paths = self.paths.lock().unwrap();
        paths.iter().filter(|p| **p == send_path).count()
    }
}

/// `n` sends on clones of `client` at once, and how long the last took
/// to come back.
async fn send_concurrently(client: &Client, n: usize) -> (Vec<Result<(), Error>>, Duration) {
    let started = Instant::now();
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.send(&request()).await.map(drop) })
        })
        .collect();
    let mut results = Vec::with_capacity(n);
    for t in tasks {
        results.push(t.await.unwrap());
    }
    (results, started.elapsed())
}

/// What every send that got no token from a blackholed endpoint must be: a
/// failure of the send that sent nothing, naming the token call, safe to
/// make again, through `WhatsAppSender` too.
fn assert_sent_nothing(err: &Error) {
    let Error::Transport(t) = err else {
        panic!("{err:?}")
    };
    // The token call's own kind: it timed out.
    assert_eq!(t.kind(), TransportErrorKind::Timeout, "{err}");
    assert!(!t.request_may_have_been_sent(), "{err}");
    assert_eq!(err.retry_class(), RetryClass::Safe, "{err}");
    let text = err.to_string();
    assert!(text.contains("tokenByAkSk"), "{text}");
    assert!(text.contains("nothing was sent"), "{text}");
    assert!(!text.contains("may have"), "{text}");
    // The token call's own failure is the source.
    assert!(
        error_chain(err).contains("timed out"),
        "{}",
        error_chain(err)
    );
}

/// The issue's case: 100 sends at once against a token endpoint that takes
/// the request and never answers. One token request, and every send fails
/// when the operation timeout ends it (10 s), not one after the other (it
/// was 100 × 10 s, one token request each).
#[tokio::test(start_paused = true)]
async fn a_blackholed_token_call_fails_every_waiting_send_within_one_operation_timeout() {
    let cec = GatedCec::start().await;
    let client = builder(&cec.uri)
        .timeout(Duration::from_secs(30))
        .operation_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let (results, elapsed) = send_concurrently(&client, 100).await;
    assert!(
        elapsed >= Duration::from_secs(10) && elapsed < Duration::from_secs(11),
        "the last send came back after {elapsed:?}"
    );
    for result in &results {
        assert_sent_nothing(result.as_ref().unwrap_err());
    }
    assert_eq!(cec.token_calls(), 1, "one token call for 100 sends");
    assert_eq!(cec.sends(), 0);
}

/// The same with the default timeouts and retries: one token call of 3
/// attempts of 30 s (and up to 3 s of backoff) for all 100 sends, not 100
/// of them in turn (hours).
#[tokio::test(start_paused = true)]
async fn with_the_default_timeouts_every_send_waits_for_one_token_call() {
    let cec = GatedCec::start().await;
    let client = Client::builder(support::APP_KEY, support::APP_SECRET)
        .base_url(&cec.uri)
        .build()
        .unwrap();
    let (results, elapsed) = send_concurrently(&client, 100).await;
    assert!(
        elapsed >= Duration::from_secs(90) && elapsed < Duration::from_secs(94),
        "the last send came back after {elapsed:?}"
    );
    for result in &results {
        assert_sent_nothing(result.as_ref().unwrap_err());
    }
    assert_eq!(cec.token_calls(), 3, "one token call: 3 attempts");
}

/// A server answering the token call with `answer`, and every send with
/// success.
async fn token_server(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(answer)
        .named("tokenByAkSk")
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(SEND_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string(SENT))
        .named("sendWhatsappMessage")
        .mount(&server)
        .await;
    server
}

async fn requests_to(server: &MockServer, path: &str) -> usize {
    let requests: Vec<RecordedRequest> = recorded(server).await;
    requests.iter().filter(|r| r.path == path).count()
}

/// A token call refused (500, 401: final answers, not retried): the 20
/// sends that waited for it all get its refusal, from one token call; the
/// next round of sends makes one more.
#[tokio::test]
async fn a_refused_token_call_is_handed_to_every_waiting_send() {
    for (status, code) in [
        (500, ErrorCode::ServerError),
        (401, ErrorCode::Unauthorized),
    ] {
        let server = token_server(ResponseTemplate::new(status)).await;
        let client = builder(&server.uri()).build().unwrap();
        for round in 1..=2 {
            let (results, _) = send_concurrently(&client, 20).await;
            for result in results {
                let err = result.unwrap_err();
                let a = err.vendor().unwrap_or_else(|| panic!("{err:?}"));
                let refused = (a.status(), a.operation, a.code);
                assert_eq!(refused, (status, Operation::Token, code));
                assert_eq!(err.retry_class(), RetryClass::Never);
            }
            let token_calls = requests_to(&server, TOKEN_PATH).await;
            assert_eq!(
                token_calls, round,
                "HTTP {status}: one token call per round"
            );
        }
        assert_eq!(requests_to(&server, SEND_PATH).await, 0);
    }
}

/// A transient refusal of the token call (503, retried as a read) means no
/// message went out: safe to send again, through the neutral trait too.
#[tokio::test]
async fn a_transient_token_refusal_is_safe_to_send_again() {
    let server = token_server(ResponseTemplate::new(503)).await;
    let client = builder(&server.uri()).build().unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let a = err.vendor().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!((a.operation, a.attempts()), (Operation::Token, 3));
    assert_eq!(err.retry_class(), RetryClass::Safe);
    let to = "+41793026727".parse().unwrap();
    let neutral = client.send_text(&to, "hi").await.unwrap_err();
    assert_eq!(
        (neutral.kind(), neutral.retry_class()),
        (SendErrorKind::Auth, RetryClass::Safe)
    );
    assert_eq!(requests_to(&server, SEND_PATH).await, 0);
}

/// The send that started the token call is dropped while the call is in
/// flight: the call goes on, the next send waits for it instead of making
/// its own, and the token is cached.
#[tokio::test]
async fn dropping_the_send_that_started_the_token_call_does_not_cancel_it() {
    let cec = GatedCec::start().await;
    let client = builder(&cec.uri).build().unwrap();
    let c = client.clone();
    let first = tokio::spawn(async move { c.send(&request()).await.map(drop) });
    cec.token_call_arrived.notified().await;
    first.abort();
    assert!(first.await.unwrap_err().is_cancelled());

    let c = client.clone();
    let second = tokio::spawn(async move { c.send(&request()).await.map(drop) });
    // Let the second send reach its wait for the token before the call
    // answers.
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    cec.open();
    second.await.unwrap().unwrap();
    client.send(&request()).await.unwrap();
    assert_eq!(cec.token_calls(), 1, "the first call was not cancelled");
    assert_eq!(cec.sends(), 2);
}

/// A client on a clock moved by hand, of a server granting tokens with
/// `Expires: expires`, asking for the default 3600 s.
async fn granted(expires: &str) -> (MockServer, Client, Arc<ManualClock>) {
    let body = format!(r#"{{"AccessToken":"t","ApplyType":"Bearer","Expires":"{expires}"}}"#);
    let server = token_server(ResponseTemplate::new(200).set_body_string(body)).await;
    let clock = Arc::new(ManualClock::new());
    let client: ClientBuilder = builder(&server.uri()).clock(clock.clone());
    (server, client.build().unwrap(), clock)
}

/// `Expires` past any clock's range (it used to panic adding it to the
/// clock), past what was asked for, absent as a number, or `"0"` (it used
/// to fetch a token on every send): the token is kept for the lifetime
/// asked for, renewed 60 s before its end.
#[tokio::test]
async fn any_expires_is_kept_at_most_the_lifetime_asked_for_and_zero_means_not_said() {
    for expires in [
        "18446744073709551615",
        "99999999999999999999999",
        "7200",
        "0",
        "soon",
    ] {
        let (server, client, clock) = granted(expires).await;
        for _ in 0..5 {
            client.send(&request()).await.unwrap();
        }
        assert_eq!(requests_to(&server, TOKEN_PATH).await, 1, "{expires}");
        clock.advance(Duration::from_secs(3539));
        client.send(&request()).await.unwrap();
        assert_eq!(requests_to(&server, TOKEN_PATH).await, 1, "{expires}");
        clock.advance(Duration::from_secs(1));
        client.send(&request()).await.unwrap();
        assert_eq!(requests_to(&server, TOKEN_PATH).await, 2, "{expires}");
    }
}

/// A token call that timed out: the send's error and the neutral
/// `SendError` both say nothing was sent and that sending again is safe.
#[tokio::test(start_paused = true)]
async fn a_token_call_timeout_is_safe_to_send_again_through_the_sender_too() {
    let cec = GatedCec::start().await;
    let client = builder(&cec.uri)
        .timeout(Duration::from_secs(2))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.send(&request()).await.unwrap_err();
    assert_sent_nothing(&err);

    let to = "+41793026727".parse().unwrap();
    let neutral = client.send_text(&to, "hi").await.unwrap_err();
    assert_eq!(neutral.kind(), SendErrorKind::Transport);
    assert_eq!(neutral.retry_class(), RetryClass::Safe);
    let text = neutral.to_string();
    assert!(text.contains("nothing was sent"), "{text}");
    assert!(!text.contains("may have"), "{text}");
    let typed = neutral.vendor_error_as::<Error>().unwrap();
    assert_sent_nothing(typed);
    assert_eq!(cec.token_calls(), 2);
    assert_eq!(cec.sends(), 0);
}
