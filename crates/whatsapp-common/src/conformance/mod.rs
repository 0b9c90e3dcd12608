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
//! A vendor crate describes itself with a [`Profile`] (its builder, its
//! mock's credentials, its sample send, its documented codes and samples)
//! and runs the suite from one test file:
//!
//! ```ignore
//! fn gateway() -> Profile<MockGateway, ClientBuilder> { Profile { /* … */ } }
//! whatsapp_common::conformance_suite!(gateway());
//! ```
//!
//! The suite installs a process-wide TRACE subscriber writing to memory
//! ([`capture_logs`]), so every test in that binary logs where the secret
//! check looks.

mod mutations;
mod profile;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub use mutations::member_mutations;
pub use profile::{Drivable, Hooks, Profile, SendFn, send_fn};

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

/// The response limit of the "cut 2xx" case: the documented success answer
/// is padded past it.
const CUT_AT: usize = 4096;

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

fn closing_server(auxiliary: fn(&RecordedRequest) -> Option<Vec<u8>>) -> ClosingServer {
    ClosingServer::start(move |path| {
        let request = RecordedRequest {
            method: "POST".into(),
            path: path.to_owned(),
            query: None,
            headers: Vec::new(),
            body: Vec::new(),
        };
        auxiliary(&request)
    })
    .expect("a local server starts")
}

/// No credential in any `Debug`, `Display`, error chain or TRACE log, on
/// success and on every error path: each documented code, a 5xx page, an
/// undecodable 2xx, a timeout, a refused connection, a closed connection.
pub async fn secrets_never_leak<M: MockVendor, B: Drivable>(p: &Profile<M, B>) {
    let log = capture_logs();
    let mock = p.mock().await;
    let settings = Settings::fast(SendRetries::IfNotProcessed);
    let client = p
        .client_of(&mock, &settings)
        .expect("the sample client builds");
    let mut seen_text = vec![format!("{:?}", (p.builder)()), format!("{client:?}")];
    p.send(&client)
        .await
        .expect("the mock accepts the documented sample");
    for code in p.codes.clone() {
        mock.fail_next(code, u64::from(MAX_ATTEMPTS)).await;
        if let Err(e) = p.send(&client).await {
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
        if let Err(e) = p.send(&client).await {
            seen_text.push(seen(e));
        }
    }
    let dead = p
        .client("http://127.0.0.1:9", &settings)
        .expect("the client builds");
    seen_text.push(seen(p.send(&dead).await.expect_err("nothing listens")));
    let closing = closing_server(p.hooks.auxiliary);
    let cut = p
        .client(&closing.uri(), &settings)
        .expect("the client builds");
    seen_text.push(seen(p.send(&cut).await.expect_err("the connection closes")));

    let logged = log.text();
    assert!(
        logged.contains("whatsapp.request") && logged.contains("retrying"),
        "the suite's subscriber saw the request spans and the retries"
    );
    for secret in &p.secrets {
        assert!(!logged.contains(secret), "a secret reached the logs");
        for text in &seen_text {
            assert!(!text.contains(secret), "a secret in {text}");
        }
    }
}

/// Asserts that `err`'s advice is what the loop did: as many attempts as
/// the class allows, each one seen by the server.
fn assert_advice<M: MockVendor, B: Drivable>(
    p: &Profile<M, B>,
    case: &str,
    send_retries: SendRetries,
    err: &Error<B::Api>,
    sends: usize,
) {
    let harmless = send_retries == SendRetries::IfDeduplicated;
    let class = err.retry_class();
    let expected = if class.allows_retry(harmless) {
        MAX_ATTEMPTS
    } else {
        1
    };
    if let Some(n) = err.attempts() {
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
        expected as usize + (p.hooks.extra_sends)(err),
        "{case} with {send_retries:?}: the server saw {sends} sends for advice {class:?}: {err}"
    );
}

/// For each documented code, 429, 5xx pages, an undecodable and a cut 2xx,
/// a timeout and a refused connection, under both [`SendRetries`]
/// settings: [`Error::retry_class`] says what the loop did.
pub async fn retry_advice_matches_what_the_loop_did<M: MockVendor, B: Drivable>(p: &Profile<M, B>) {
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
        // A 2xx longer than the client reads: accepted, so never resent.
        // Every other answer (a token, say) fits in the limit.
        let (status, body) = &p.success;
        let long = format!("{body}{}", " ".repeat(2 * CUT_AT));
        cases.push(Case::Answer(
            "a cut 2xx".into(),
            ResponseTemplate::new(*status).set_body_string(long),
        ));
        cases.extend(p.codes.iter().cloned().map(Case::Code));
        for case in cases {
            let mock = p.mock().await;
            let mut settings = settings.clone();
            let name = match case {
                Case::Answer(name, answer) => {
                    if name == "a cut 2xx" {
                        settings.max_response_bytes = Some(CUT_AT);
                    }
                    mock.respond_next(answer, 100).await;
                    name
                }
                Case::Code(code) => {
                    mock.fail_next(code, 100).await;
                    "a documented code".to_owned()
                }
            };
            let client = p
                .client_of(&mock, &settings)
                .expect("the sample client builds");
            let Err(err) = p.send(&client).await else {
                panic!("{name}: the send succeeded");
            };
            if name == "a cut 2xx" {
                assert!(matches!(err, Error::Decode(_)), "{err:?}");
            }
            let sends = p.sends(&mock.requests().await);
            assert_advice(p, &name, send_retries, &err, sends);
        }
        // Nothing listens: the request never left.
        let dead = p
            .client("http://127.0.0.1:9", &settings)
            .expect("the client builds");
        let err = p.send(&dead).await.expect_err("nothing listens");
        assert_eq!(err.retry_class(), RetryClass::Safe, "{err}");
        assert_eq!(err.attempts(), Some(MAX_ATTEMPTS), "{err}");
    }
}

/// A connection closed after the request was written: one attempt by
/// default (the vendor may have acted on it), every attempt when the
/// caller declared that the vendor de-duplicates.
pub async fn closed_connection_is_not_blindly_retried<M: MockVendor, B: Drivable>(
    p: &Profile<M, B>,
) {
    for (send_retries, expected) in [
        (SendRetries::IfNotProcessed, 1),
        (SendRetries::IfDeduplicated, MAX_ATTEMPTS as usize),
    ] {
        let server = closing_server(p.hooks.auxiliary);
        let client = p
            .client(&server.uri(), &Settings::fast(send_retries))
            .expect("the client builds");
        let err = p.send(&client).await.expect_err("the connection closes");
        let Error::Transport(t) = &err else {
            panic!("{err:?}")
        };
        assert!(t.request_may_have_been_sent(), "{t}");
        assert_eq!(err.retry_class(), RetryClass::IfDeduplicated);
        assert_eq!(server.closed(), expected, "{send_retries:?}");
        assert_advice(p, "a closed connection", send_retries, &err, expected);
    }
}

/// `Retry-After` within the cap is waited out, then the send succeeds;
/// beyond the cap it is not waited for but handed back in the error. Run
/// on paused time (`#[tokio::test(start_paused = true)]`): the waits take
/// no real time.
pub async fn retry_after_is_honoured_and_capped<M: MockVendor, B: Drivable>(p: &Profile<M, B>) {
    let (status, body, send_retries) = match &p.throttled {
        Some((status, body)) => (*status, body.clone(), SendRetries::IfNotProcessed),
        // No documented "not processed" answer: a bare 429 is retried only
        // for a caller who declared that the vendor de-duplicates.
        None => (429, String::new(), SendRetries::IfDeduplicated),
    };
    let (ok_status, ok_body) = p.success.clone();
    for (retry_after, waited_out) in [(7u64, true), (3600, false)] {
        let sends = Arc::new(AtomicUsize::new(0));
        let (auxiliary, counter) = (p.hooks.auxiliary, sends.clone());
        let (body, ok_body) = (body.clone(), ok_body.clone());
        let server = ScriptedServer::start(move |request| {
            if let Some(answer) = auxiliary(request) {
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
        let client = p
            .client(&server.uri(), &settings)
            .expect("the client builds");
        let started = tokio::time::Instant::now();
        let result = p.send(&client).await;
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
            assert_eq!(err.attempts(), Some(1), "{err}");
            assert!(waited < Duration::from_secs(1), "waited {waited:?}");
            assert_eq!(sends.load(Ordering::SeqCst), 1);
        }
    }
}

/// A server that answers every request, a token call included, with a
/// redirect to another server: the client follows none, and the other
/// server receives nothing (no credential travels to the host a 307 names).
pub async fn redirects_are_not_followed<M: MockVendor, B: Drivable>(p: &Profile<M, B>) {
    let elsewhere = ScriptedServer::start(|_| http_response(200, &[], "{}"))
        .await
        .expect("a local server starts");
    let location = format!("{}/collect?key=k3y", elsewhere.uri());
    let redirecting =
        ScriptedServer::start(move |_| http_response(307, &[("location", &location)], ""))
            .await
            .expect("a local server starts");
    let settings = Settings::fast(SendRetries::IfDeduplicated);
    let client = p
        .client(&redirecting.uri(), &settings)
        .expect("the client builds");
    let err = p.send(&client).await.expect_err("a redirect is an error");
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), crate::TransportErrorKind::Redirect, "{t}");
    assert_eq!(err.retry_class(), RetryClass::Never);
    assert!(!err.to_string().contains("k3y"), "{err}");
    assert_eq!(redirecting.requests().len(), 1, "one request, not retried");
    assert!(
        elsewhere.requests().is_empty(),
        "nothing followed the redirect"
    );
}

/// A 2 MiB error page: read up to the client's limit, at most
/// [`RAW_BODY_LIMIT`](crate::RAW_BODY_LIMIT) kept, an error line under a
/// kilobyte.
pub async fn a_huge_error_body_is_bounded<M: MockVendor, B: Drivable>(p: &Profile<M, B>) {
    let mock = p.mock().await;
    let page = ResponseTemplate::new(500).set_body_string("x".repeat(2 * 1024 * 1024));
    mock.respond_next(page, 1).await;
    let mut settings = Settings::fast(SendRetries::IfNotProcessed);
    settings.max_response_bytes = Some(256 * 1024);
    let client = p.client_of(&mock, &settings).expect("the client builds");
    let err = p.send(&client).await.expect_err("a 500");
    let Error::Vendor(v) = &err else {
        panic!("{err:?}")
    };
    assert!(v.raw_body().is_truncated());
    assert!(v.raw_body().as_bytes().len() <= crate::RAW_BODY_LIMIT);
    assert!(err.to_string().len() < 1024, "{err}");
}

/// Arbitrary bytes and mutations of every documented sample: no decoder
/// panics.
pub fn decoders_never_panic<M: MockVendor, B: Drivable>(p: &Profile<M, B>) {
    let refs: Vec<&[u8]> = p.samples.iter().map(Vec::as_slice).collect();
    let inputs = Hostile::new(0x5ee1_c0de).inputs(&refs, 3_000);
    assert_no_panic(&inputs, p.decode);
}

/// Hostile bodies under common statuses: the client answers each with a
/// success, a decode error for a 2xx, or the vendor's typed refusal with
/// the status it got; never a panic, never an untyped error.
pub async fn the_client_types_every_hostile_answer<M: MockVendor, B: Drivable>(p: &Profile<M, B>) {
    let mock = p.mock().await;
    let mut settings = Settings::fast(SendRetries::IfNotProcessed);
    settings.retry = RetryPolicy::none();
    let client = p.client_of(&mock, &settings).expect("the client builds");
    let refs: Vec<&[u8]> = p.samples.iter().map(Vec::as_slice).collect();
    let inputs = Hostile::new(11).inputs(&refs, 60);
    for (i, body) in inputs.into_iter().enumerate() {
        let status = [200, 202, 400, 404, 409, 422, 429, 500, 503][i % 9];
        mock.respond_next(ResponseTemplate::new(status).set_body_bytes(body), 1)
            .await;
        let ok = (200..300).contains(&status);
        match p.send(&client).await {
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

/// The documented success answer with each member in turn removed or of
/// another JSON type ([`member_mutations`]): every send is `Ok`. The vendor
/// accepted each; a send reported as failed would be sent again.
pub async fn an_accepted_answer_is_never_an_error<M: MockVendor, B: Drivable>(p: &Profile<M, B>) {
    if !p.hooks.lenient_success {
        eprintln!(
            "skipped: the documented success answer is not JSON; the crate mutates it itself"
        );
        return;
    }
    let (status, body) = &p.success;
    let document: serde_json::Value = serde_json::from_str(body)
        .expect("the documented success answer is JSON (other formats: test them in the crate)");
    let mock = p.mock().await;
    let mut settings = Settings::fast(SendRetries::IfNotProcessed);
    settings.retry = RetryPolicy::none();
    let client = p.client_of(&mock, &settings).expect("the client builds");
    let mutations = member_mutations(&document);
    assert!(!mutations.is_empty());
    for (what, mutated) in mutations {
        let answer = ResponseTemplate::new(*status).set_body_string(mutated.to_string());
        mock.respond_next(answer, 1).await;
        if let Err(e) = p.send(&client).await {
            panic!("the documented success with {what}: {e}");
        }
    }
}

/// The suite as test functions, for a vendor crate's test file:
/// `whatsapp_common::conformance_suite!(profile());` where `profile()`
/// returns the crate's [`Profile`]. Needs `tokio` with `macros`, `rt` and
/// `test-util` among the crate's dev-dependencies.
#[macro_export]
macro_rules! conformance_suite {
    ($profile:expr) => {
        #[tokio::test]
        async fn secrets_never_leak() {
            $crate::conformance::secrets_never_leak(&$profile).await;
        }

        #[tokio::test]
        async fn retry_advice_matches_what_the_loop_did() {
            $crate::conformance::retry_advice_matches_what_the_loop_did(&$profile).await;
        }

        #[tokio::test]
        async fn a_closed_connection_is_not_blindly_retried() {
            $crate::conformance::closed_connection_is_not_blindly_retried(&$profile).await;
        }

        #[tokio::test(start_paused = true)]
        async fn retry_after_is_honoured_and_capped() {
            $crate::conformance::retry_after_is_honoured_and_capped(&$profile).await;
        }

        #[tokio::test]
        async fn redirects_are_not_followed() {
            $crate::conformance::redirects_are_not_followed(&$profile).await;
        }

        #[tokio::test]
        async fn a_huge_error_body_is_bounded() {
            $crate::conformance::a_huge_error_body_is_bounded(&$profile).await;
        }

        #[test]
        fn decoders_never_panic_on_hostile_bytes() {
            $crate::conformance::decoders_never_panic(&$profile);
        }

        #[tokio::test]
        async fn an_accepted_answer_is_never_an_error() {
            $crate::conformance::an_accepted_answer_is_never_an_error(&$profile).await;
        }

        #[tokio::test]
        async fn the_client_types_every_hostile_answer() {
            $crate::conformance::the_client_types_every_hostile_answer(&$profile).await;
        }
    };
}
