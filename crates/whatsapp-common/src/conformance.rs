//! The conformance suite every vendor crate runs (feature `mock`).
//!
//! What must hold for every vendor, written once: no credential reaches a
//! `Debug`, an error message or a TRACE log on any error path; the retry
//! advice of every error equals what the retry loop did; a send is not
//! retried blindly after a connection closed under it; `Retry-After` is
//! waited out up to the cap and handed back beyond it (on paused tokio
//! time: no real sleeps); no hostile byte string makes a decoder panic or
//! the client return an untyped answer.
//!
//! A vendor crate describes itself with a [`Vendor`] and runs the suite
//! from one test file:
//!
//! ```ignore
//! #[derive(Clone)]
//! struct Gateway;
//! impl whatsapp_common::conformance::Vendor for Gateway { /* … */ }
//! whatsapp_common::conformance_suite!(Gateway);
//! ```
//!
//! The suite installs a process-wide TRACE subscriber writing to memory
//! ([`capture_logs`]), so every test in that binary logs where the secret
//! check looks.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::error::{Error, Refusal};
use crate::hostile::{Hostile, assert_no_panic};
use crate::mock::{
    CapturedLog, ClosingServer, MockVendor, RecordedRequest, ResponseTemplate, ScriptedServer,
    error_chain, http_response,
};
use crate::{RetryClass, RetryPolicy, SendError, SendRetries};

/// How the suite builds a client.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Settings {
    /// The retry policy (the suite's is fast and without jitter).
    pub retry: RetryPolicy,
    /// When sends are retried.
    pub send_retries: SendRetries,
    /// The per-attempt timeout.
    pub timeout: Duration,
    /// The response size limit, when the suite sets one.
    pub max_response_bytes: Option<usize>,
}

/// Attempts the suite's retry policy allows.
pub const MAX_ATTEMPTS: u32 = 3;

impl Settings {
    /// `builder` with these settings.
    pub fn apply<B: crate::http::HttpBuilder>(&self, builder: B) -> B {
        builder.with_http_config(|c| {
            c.set_retry_policy(self.retry);
            c.set_send_retries(self.send_retries);
            c.set_timeout(self.timeout);
            if let Some(n) = self.max_response_bytes {
                c.set_max_response_bytes(n);
            }
        })
    }

    /// [`MAX_ATTEMPTS`] attempts a few milliseconds apart, a 300 ms attempt
    /// timeout, sends retried as `send_retries` says.
    pub fn fast(send_retries: SendRetries) -> Self {
        Self {
            retry: RetryPolicy::default()
                .max_attempts(MAX_ATTEMPTS)
                .initial_backoff(Duration::from_millis(2))
                .max_backoff(Duration::from_millis(5))
                .jitter(false),
            send_retries,
            timeout: Duration::from_millis(300),
            max_response_bytes: None,
        }
    }
}

/// One vendor crate, as the suite drives it.
#[async_trait::async_trait]
pub trait Vendor: Clone + Send + Sync + 'static {
    /// The crate's `ApiError`.
    type Api: Refusal;
    /// The crate's mock vendor.
    type Mock: MockVendor;
    /// The crate's client.
    type Client: fmt::Debug + Send + Sync;

    /// The credentials the suite's clients carry: none may appear in any
    /// `Debug`, `Display`, error chain or log line.
    fn secrets(&self) -> Vec<&'static str>;

    /// Starts the mock vendor, accepting [`Vendor::secrets`].
    async fn start_mock(&self) -> Self::Mock;

    /// A client holding [`Vendor::secrets`], pointed at `base_url`.
    fn client(&self, base_url: &str, settings: &Settings)
    -> Result<Self::Client, Error<Self::Api>>;

    /// The `Debug` of a client builder holding [`Vendor::secrets`].
    fn builder_debug(&self) -> String;

    /// Sends the crate's documented sample message.
    async fn send(&self, client: &Self::Client) -> Result<(), Error<Self::Api>>;

    /// The base URL for a server at `root` (`http://127.0.0.1:port`); the
    /// gateway, whose URI is issued per partner, appends a path.
    fn base_url(&self, root: &str) -> String {
        root.to_owned()
    }

    /// Whether `request` is a send, as opposed to an auxiliary call (a
    /// token fetch).
    fn is_send(&self, request: &RecordedRequest) -> bool {
        let _ = request;
        true
    }

    /// The full HTTP answer to an auxiliary call, when `request` is one.
    fn auxiliary(&self, request: &RecordedRequest) -> Option<Vec<u8>> {
        let _ = request;
        None
    }

    /// Every error code the vendor documents, as the mock's `fail_next`
    /// takes them.
    fn codes(&self) -> Vec<<Self::Mock as MockVendor>::Code>;

    /// The vendor's documented "throttled, not processed" answer (status
    /// and body), which a send retries whatever its settings; `None` where
    /// the vendor documents none.
    fn throttled(&self) -> Option<(u16, String)>;

    /// The vendor's documented success answer to a send (status and body).
    fn success(&self) -> (u16, String);

    /// Every documented sample the crate decodes (answers, callbacks).
    fn samples(&self) -> Vec<Vec<u8>>;

    /// Runs every decoder of the crate on `bytes`, ignoring the results.
    fn decode(&self, bytes: &[u8]);

    /// Sends the client makes beyond the loop's own attempts after this
    /// error (a token renewal and one resend after a 401).
    fn extra_sends(&self, error: &Error<Self::Api>) -> usize {
        let _ = error;
        0
    }
}

/// The process-wide log sink the suite checks: installed once, at TRACE,
/// as the global default subscriber.
pub fn capture_logs() -> &'static CapturedLog {
    static LOG: OnceLock<CapturedLog> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = CapturedLog::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        // Another subscriber set first keeps its place; the suite's checks
        // then read what reached this sink, and say so if nothing did.
        let _ = tracing::subscriber::set_global_default(subscriber);
        log
    })
}

/// An error's `Display` and `Debug` chain, and the same through the
/// vendor-neutral [`SendError`].
fn seen<E: Refusal>(e: Error<E>) -> String {
    let own = format!("{} || {e:?}", error_chain(&e));
    let neutral: SendError = e.into();
    format!("{own} || {} || {neutral:?}", error_chain(&neutral))
}

fn closing_server<V: Vendor>(v: &V) -> ClosingServer {
    let v = v.clone();
    ClosingServer::start(move |path| {
        let request = RecordedRequest {
            method: "POST".into(),
            path: path.to_owned(),
            query: None,
            headers: Vec::new(),
            body: Vec::new(),
        };
        v.auxiliary(&request)
    })
    .expect("a local server starts")
}

/// No credential in any `Debug`, `Display`, error chain or TRACE log, on
/// success and on every error path: each documented code, a 5xx page, an
/// undecodable 2xx, a timeout, a refused connection, a closed connection.
pub async fn secrets_never_leak<V: Vendor>(v: &V) {
    let log = capture_logs();
    let mock = v.start_mock().await;
    let settings = Settings::fast(SendRetries::IfNotProcessed);
    let client = v
        .client(&mock.uri(), &settings)
        .expect("the sample client builds");
    let mut seen_text = vec![v.builder_debug(), format!("{client:?}")];
    v.send(&client)
        .await
        .expect("the mock accepts the documented sample");
    for code in v.codes() {
        mock.fail_next(code, u64::from(MAX_ATTEMPTS)).await;
        if let Err(e) = v.send(&client).await {
            seen_text.push(seen(e));
        }
    }
    let answers = [
        ResponseTemplate::new(200).set_body_string("<html>not json</html>"),
        ResponseTemplate::new(500).set_body_string("<html><h1>500</h1></html>"),
        ResponseTemplate::new(200).set_delay(Duration::from_secs(2)),
    ];
    for answer in answers {
        mock.respond_next(answer, u64::from(MAX_ATTEMPTS)).await;
        if let Err(e) = v.send(&client).await {
            seen_text.push(seen(e));
        }
    }
    let dead = v
        .client(&v.base_url("http://127.0.0.1:9"), &settings)
        .expect("the client builds");
    seen_text.push(seen(v.send(&dead).await.expect_err("nothing listens")));
    let closing = closing_server(v);
    let cut = v
        .client(&v.base_url(&closing.uri()), &settings)
        .expect("the client builds");
    seen_text.push(seen(v.send(&cut).await.expect_err("the connection closes")));

    let logged = log.text();
    assert!(
        logged.contains("whatsapp.request") && logged.contains("retrying"),
        "the suite's subscriber saw the request spans and the retries"
    );
    for secret in v.secrets() {
        assert!(!logged.contains(secret), "a secret reached the logs");
        for text in &seen_text {
            assert!(!text.contains(secret), "a secret in {text}");
        }
    }
}

/// The loop's attempts, where the error records them.
fn attempts<E>(e: &Error<E>) -> Option<u32> {
    match e {
        Error::Transport(t) => Some(t.attempts()),
        Error::Vendor(v) => Some(v.attempts()),
        _ => None,
    }
}

/// Asserts that `err`'s advice is what the loop did: as many attempts as
/// the class allows, each one seen by the server.
fn assert_advice<V: Vendor>(
    v: &V,
    case: &str,
    send_retries: SendRetries,
    err: &Error<V::Api>,
    sends: usize,
) {
    let harmless = send_retries == SendRetries::IfDeduplicated;
    let class = err.retry_class();
    let expected = if class.allows_retry(harmless) {
        MAX_ATTEMPTS
    } else {
        1
    };
    if let Some(n) = attempts(err) {
        assert_eq!(
            n, expected,
            "{case} with {send_retries:?}: {class:?} but the loop made {n} attempts: {err}"
        );
    } else {
        assert_eq!(
            class,
            RetryClass::Never,
            "{case}: an error without attempts is final"
        );
    }
    assert_eq!(
        sends,
        expected as usize + v.extra_sends(err),
        "{case} with {send_retries:?}: the server saw {sends} sends for advice {class:?}: {err}"
    );
}

/// For each documented code, 429, 5xx pages, an undecodable and a cut 2xx,
/// a timeout and a refused connection, under both [`SendRetries`]
/// settings: [`Error::retry_class`] says what the loop did.
pub async fn retry_advice_matches_what_the_loop_did<V: Vendor>(v: &V) {
    for send_retries in [SendRetries::IfNotProcessed, SendRetries::IfDeduplicated] {
        let settings = Settings::fast(send_retries);
        enum Case<C> {
            Answer(String, ResponseTemplate),
            Code(C),
        }
        let mut cases = Vec::new();
        for status in [429, 500, 502, 503, 504] {
            let page = ResponseTemplate::new(status).set_body_string("<html>busy</html>");
            cases.push(Case::Answer(format!("an HTTP {status} page"), page));
        }
        cases.push(Case::Answer(
            "an undecodable 2xx".into(),
            ResponseTemplate::new(200).set_body_string("<html>ok</html>"),
        ));
        cases.push(Case::Answer(
            "no answer in time".into(),
            ResponseTemplate::new(200).set_delay(Duration::from_secs(1)),
        ));
        cases.extend(v.codes().into_iter().map(Case::Code));
        for case in cases {
            let mock = v.start_mock().await;
            let name = match case {
                Case::Answer(name, answer) => {
                    mock.respond_next(answer, 100).await;
                    name
                }
                Case::Code(code) => {
                    mock.fail_next(code, 100).await;
                    "a documented code".to_owned()
                }
            };
            let client = v
                .client(&mock.uri(), &settings)
                .expect("the sample client builds");
            let Err(err) = v.send(&client).await else {
                panic!("{name}: the send succeeded");
            };
            let sends = mock
                .requests()
                .await
                .iter()
                .filter(|r| v.is_send(r))
                .count();
            assert_advice(v, &name, send_retries, &err, sends);
        }
        // A 2xx longer than the client reads: accepted, so never resent.
        let mock = v.start_mock().await;
        let mut cut = settings.clone();
        cut.max_response_bytes = Some(8);
        let client = v.client(&mock.uri(), &cut).expect("the client builds");
        let err = v.send(&client).await.expect_err("a cut body");
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
        let sends = mock
            .requests()
            .await
            .iter()
            .filter(|r| v.is_send(r))
            .count();
        assert_advice(v, "a cut 2xx", send_retries, &err, sends);
        // Nothing listens: the request never left.
        let dead = v
            .client(&v.base_url("http://127.0.0.1:9"), &settings)
            .expect("the client builds");
        let err = v.send(&dead).await.expect_err("nothing listens");
        assert_eq!(err.retry_class(), RetryClass::Safe, "{err}");
        assert_eq!(attempts(&err), Some(MAX_ATTEMPTS), "{err}");
    }
}

/// A connection closed after the request was written: one attempt by
/// default (the vendor may have acted on it), every attempt when the
/// caller declared that the vendor de-duplicates.
pub async fn closed_connection_is_not_blindly_retried<V: Vendor>(v: &V) {
    for (send_retries, expected) in [
        (SendRetries::IfNotProcessed, 1),
        (SendRetries::IfDeduplicated, MAX_ATTEMPTS as usize),
    ] {
        let server = closing_server(v);
        let client = v
            .client(&v.base_url(&server.uri()), &Settings::fast(send_retries))
            .expect("the client builds");
        let err = v.send(&client).await.expect_err("the connection closes");
        let Error::Transport(t) = &err else {
            panic!("{err:?}")
        };
        assert!(t.request_may_have_been_sent(), "{t}");
        assert_eq!(err.retry_class(), RetryClass::IfDeduplicated);
        assert_eq!(server.closed(), expected, "{send_retries:?}");
        assert_advice(v, "a closed connection", send_retries, &err, expected);
    }
}

/// `Retry-After` within the cap is waited out, then the send succeeds;
/// beyond the cap it is not waited for but handed back in the error. Run
/// on paused time (`#[tokio::test(start_paused = true)]`): the waits take
/// no real time.
pub async fn retry_after_is_honoured_and_capped<V: Vendor>(v: &V) {
    let (status, body, send_retries) = match v.throttled() {
        Some((status, body)) => (status, body, SendRetries::IfNotProcessed),
        // No documented "not processed" answer: a bare 429 is retried only
        // for a caller who declared that the vendor de-duplicates.
        None => (429, String::new(), SendRetries::IfDeduplicated),
    };
    let (ok_status, ok_body) = v.success();
    for (retry_after, waited_out) in [(7u64, true), (3600, false)] {
        let sends = Arc::new(AtomicUsize::new(0));
        let (v2, counter, body, ok_body) =
            (v.clone(), sends.clone(), body.clone(), ok_body.clone());
        let server = ScriptedServer::start(move |request| {
            if let Some(answer) = v2.auxiliary(request) {
                return answer;
            }
            let after = retry_after.to_string();
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                http_response(status, &[("retry-after", &after)], &body)
            } else {
                http_response(ok_status, &[], &ok_body)
            }
        })
        .await
        .expect("a local server starts");
        let mut settings = Settings::fast(send_retries);
        settings.timeout = Duration::from_secs(60);
        let client = v
            .client(&v.base_url(&server.uri()), &settings)
            .expect("the client builds");
        let started = tokio::time::Instant::now();
        let result = v.send(&client).await;
        let waited = started.elapsed();
        if waited_out {
            result.expect("the send succeeds after the wait");
            assert!(
                waited >= Duration::from_secs(retry_after)
                    && waited < Duration::from_secs(retry_after + 1),
                "waited {waited:?} for Retry-After: {retry_after}"
            );
            assert_eq!(sends.load(Ordering::SeqCst), 2);
        } else {
            let err = result.expect_err("a wait beyond the cap is handed back");
            assert_eq!(err.retry_after(), Some(Duration::from_secs(retry_after)));
            assert_eq!(attempts(&err), Some(1), "{err}");
            assert!(waited < Duration::from_secs(1), "waited {waited:?}");
            assert_eq!(sends.load(Ordering::SeqCst), 1);
        }
    }
}

/// Arbitrary bytes and mutations of every documented sample: no decoder
/// panics.
pub fn decoders_never_panic<V: Vendor>(v: &V) {
    let samples = v.samples();
    let refs: Vec<&[u8]> = samples.iter().map(Vec::as_slice).collect();
    let inputs = Hostile::new(0x5ee1_c0de).inputs(&refs, 3_000);
    let v = std::panic::AssertUnwindSafe(v);
    assert_no_panic(&inputs, |b| v.decode(b));
}

/// Hostile bodies under common statuses: the client answers each with a
/// success, a decode error for a 2xx, or the vendor's typed refusal with
/// the status it got; never a panic, never an untyped error.
pub async fn the_client_types_every_hostile_answer<V: Vendor>(v: &V) {
    let mock = v.start_mock().await;
    let mut settings = Settings::fast(SendRetries::IfNotProcessed);
    settings.retry = RetryPolicy::none();
    let client = v.client(&mock.uri(), &settings).expect("the client builds");
    let samples = v.samples();
    let refs: Vec<&[u8]> = samples.iter().map(Vec::as_slice).collect();
    let inputs = Hostile::new(11).inputs(&refs, 60);
    for (i, body) in inputs.into_iter().enumerate() {
        let status = [200, 202, 400, 404, 409, 422, 429, 500, 503][i % 9];
        mock.respond_next(ResponseTemplate::new(status).set_body_bytes(body), 1)
            .await;
        let ok = (200..300).contains(&status);
        match v.send(&client).await {
            Ok(()) => assert!(ok, "case {i}: HTTP {status} taken as a success"),
            Err(Error::Decode(d)) => {
                assert!(ok, "case {i}: HTTP {status} as a decode error");
                assert_eq!(d.status(), status);
            }
            Err(Error::Vendor(e)) => assert_eq!(e.status(), status, "case {i}"),
            Err(other) => panic!("case {i}: HTTP {status}: {other:?}"),
        }
    }
}

/// The suite as test functions, for a vendor crate's test file:
/// `whatsapp_common::conformance_suite!(MyVendor);` where `MyVendor` is a
/// value implementing [`Vendor`]. Needs `tokio` with `macros`, `rt` and
/// `test-util` among the crate's dev-dependencies.
#[macro_export]
macro_rules! conformance_suite {
    ($vendor:expr) => {
        #[tokio::test]
        async fn secrets_never_leak() {
            $crate::conformance::secrets_never_leak(&$vendor).await;
        }

        #[tokio::test]
        async fn retry_advice_matches_what_the_loop_did() {
            $crate::conformance::retry_advice_matches_what_the_loop_did(&$vendor).await;
        }

        #[tokio::test]
        async fn a_closed_connection_is_not_blindly_retried() {
            $crate::conformance::closed_connection_is_not_blindly_retried(&$vendor).await;
        }

        #[tokio::test(start_paused = true)]
        async fn retry_after_is_honoured_and_capped() {
            $crate::conformance::retry_after_is_honoured_and_capped(&$vendor).await;
        }

        #[test]
        fn decoders_never_panic_on_hostile_bytes() {
            $crate::conformance::decoders_never_panic(&$vendor);
        }

        #[tokio::test]
        async fn the_client_types_every_hostile_answer() {
            $crate::conformance::the_client_types_every_hostile_answer(&$vendor).await;
        }
    };
}
