//! What time does to routing — circuit breakers, rate-limit deadlines,
//! per-sender timeouts, weights — on paused tokio time, over scripted
//! senders (no network).

use std::collections::VecDeque;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;
use whatsapp_common::{
    Capabilities, PhoneNumber, RetryClass, SendError, SendErrorKind, SendFailure, SendOptions,
    SendReceipt, WhatsAppSender,
};
use whatsapp_router::ledger::{BackendError, Claim, Ledger, Outcome};
use whatsapp_router::limit::Quota;
use whatsapp_router::{
    AttemptOutcome, CircuitBreaker, Route, RouteError, RouteOptions, Router, Sender, Skip,
};

/// How a scripted sender answers one send.
#[derive(Debug, Clone, Copy)]
enum Answer {
    Accept,
    /// A 429-like refusal that proves nothing was processed.
    Throttled,
    /// No answer for this long.
    Hang(Duration),
}

/// A sender that answers from a script (then accepts), and records when
/// each send reached it.
#[derive(Debug, Clone, Default)]
struct Scripted {
    script: Arc<Mutex<VecDeque<Answer>>>,
    reached: Arc<Mutex<Vec<(Instant, String)>>>,
}

impl Scripted {
    fn answering(answers: impl IntoIterator<Item = Answer>) -> Self {
        let s = Self::default();
        s.script.lock().expect("not poisoned").extend(answers);
        s
    }
    fn count(&self) -> usize {
        self.reached.lock().expect("not poisoned").len()
    }
    fn times(&self) -> Vec<Instant> {
        self.reached
            .lock()
            .expect("not poisoned")
            .iter()
            .map(|(t, _)| *t)
            .collect()
    }
}

#[async_trait::async_trait]
impl WhatsAppSender for Scripted {
    fn vendor(&self) -> &'static str {
        "scripted"
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }
    async fn send_text_with(
        &self,
        _to: &PhoneNumber,
        _text: &str,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        let reference = options.reference();
        self.reached
            .lock()
            .expect("not poisoned")
            .push((Instant::now(), reference.clone()));
        let answer = self
            .script
            .lock()
            .expect("not poisoned")
            .pop_front()
            .unwrap_or(Answer::Accept);
        match answer {
            Answer::Accept => Ok(SendReceipt::new("scripted", Some("m".into()), reference)),
            Answer::Throttled => Err(SendError::new(
                "scripted",
                SendErrorKind::Vendor,
                RetryClass::Safe,
                None,
                std::io::Error::other("throttled"),
            )
            .with_client_reference(reference)),
            Answer::Hang(d) => {
                tokio::time::sleep(d).await;
                Ok(SendReceipt::new("scripted", None, reference))
            }
        }
    }
}

fn to() -> PhoneNumber {
    "+31 6 12345678".parse().expect("a valid number")
}

fn per_second(n: u32) -> Quota {
    Quota::per_second(NonZeroU32::new(n).expect("not zero"))
}

#[tokio::test(start_paused = true)]
async fn the_circuit_opens_after_consecutive_failures_and_closes_after_a_probe() {
    let a = Scripted::answering([Answer::Throttled; 3]);
    let b = Scripted::default();
    let router = Router::builder()
        .sender(Sender::new("a", a.clone()))
        .sender(Sender::new("b", b.clone()))
        .route(Route::new("r").to("a").to("b"))
        .circuit_breaker(CircuitBreaker::new(2, Duration::from_secs(30)))
        .build()
        .expect("a valid router");
    let (to, options) = (to(), RouteOptions::new());
    let send = || router.send_text(&to, "hi", &options);

    // Two failures at a open its circuit; each message goes on to b.
    for _ in 0..2 {
        assert_eq!(send().await.expect("b accepts").sender, "b");
    }
    assert_eq!(a.count(), 2);
    // Open: a is skipped, nothing reaches it.
    let routed = send().await.expect("b accepts");
    assert_eq!(
        routed.attempts[0].outcome,
        AttemptOutcome::Skipped(Skip::CircuitOpen)
    );
    assert_eq!(a.count(), 2);
    tokio::time::advance(Duration::from_secs(29)).await;
    send().await.expect("b accepts");
    assert_eq!(a.count(), 2, "still cooling down");
    // After the cool-down one probe goes to a; it fails (the script's
    // third answer), so the circuit opens again.
    tokio::time::advance(Duration::from_secs(1)).await;
    send().await.expect("b accepts");
    assert_eq!(a.count(), 3, "one probe");
    send().await.expect("b accepts");
    assert_eq!(a.count(), 3, "open again");
    // The next probe succeeds and closes it.
    tokio::time::advance(Duration::from_secs(30)).await;
    assert_eq!(send().await.expect("a accepts").sender, "a");
    assert_eq!(send().await.expect("a accepts").sender, "a");
    assert_eq!(a.count(), 5);
    assert_eq!(b.count(), 6);
}

#[tokio::test(start_paused = true)]
async fn no_permit_before_the_deadline_is_a_typed_error_and_nothing_is_sent() {
    let a = Scripted::default();
    let router = Router::builder()
        .sender(Sender::new("a", a.clone()).rate_limit(per_second(2)))
        .fallback(Route::new("all").to("a"))
        .build()
        .expect("a valid router");
    let start = Instant::now();
    router
        .send_text(&to(), "hi", &RouteOptions::new())
        .await
        .expect("the first permit");
    // The next permit is 500 ms away: a 400 ms deadline gets none, at once.
    let options = RouteOptions::new().deadline_in(Duration::from_millis(400));
    let e = router
        .send_text(&to(), "hi", &options)
        .await
        .expect_err("no permit in time");
    assert!(matches!(e, RouteError::NotSent { .. }), "{e:?}");
    assert_eq!(e.failure(), SendFailure::NotProcessed);
    assert_eq!(
        e.attempts()[0].outcome,
        AttemptOutcome::Skipped(Skip::NoPermit)
    );
    assert_eq!(Instant::now(), start, "it did not wait for nothing");
    assert_eq!(a.count(), 1);
    // A deadline that reaches the permit waits for it.
    let options = RouteOptions::new().deadline_in(Duration::from_millis(600));
    router
        .send_text(&to(), "hi", &options)
        .await
        .expect("waited for the permit");
    assert_eq!(a.times()[1] - start, Duration::from_millis(500));
}

#[tokio::test(start_paused = true)]
async fn without_a_permit_the_next_sender_takes_the_message() {
    let a = Scripted::default();
    let b = Scripted::default();
    let router = Router::builder()
        .sender(Sender::new("a", a.clone()).rate_limit(per_second(1)))
        .sender(Sender::new("b", b.clone()))
        .route(Route::new("r").to("a").to("b"))
        .max_wait(Duration::from_millis(100))
        .build()
        .expect("a valid router");
    for _ in 0..3 {
        router
            .send_text(&to(), "hi", &RouteOptions::new())
            .await
            .expect("accepted");
    }
    assert_eq!((a.count(), b.count()), (1, 2));
}

#[tokio::test(start_paused = true)]
async fn a_sender_that_hangs_past_its_timeout_may_have_delivered() {
    let a = Scripted::answering([Answer::Hang(Duration::from_secs(120))]);
    let b = Scripted::default();
    let router = Router::builder()
        .sender(Sender::new("a", a.clone()).timeout(Duration::from_secs(10)))
        .sender(Sender::new("b", b.clone()))
        .route(Route::new("r").to("a").to("b"))
        .build()
        .expect("a valid router");
    let start = Instant::now();
    let e = router
        .send_text(&to(), "hi", &RouteOptions::new().client_reference("r-1"))
        .await
        .expect_err("timed out");
    assert_eq!(Instant::now() - start, Duration::from_secs(10));
    assert_eq!(e.failure(), SendFailure::MayHaveBeenDelivered);
    assert_eq!(
        e.send_error().and_then(|s| s.client_reference()),
        Some("r-1")
    );
    assert_eq!(b.count(), 0, "no failover after a timeout");
}

#[tokio::test(start_paused = true)]
async fn weights_share_the_first_attempts_and_the_receipt_says_who_sent() {
    let a = Scripted::default();
    let b = Scripted::default();
    let router = Router::builder()
        .sender(Sender::new("a", a.clone()))
        .sender(Sender::new("b", b.clone()))
        .route(Route::new("split").weighted("a", 3).weighted("b", 1))
        .build()
        .expect("a valid router");
    let mut senders = Vec::new();
    for _ in 0..8 {
        let routed = router
            .send_text(&to(), "hi", &RouteOptions::new())
            .await
            .expect("accepted");
        senders.push(routed.sender);
    }
    assert_eq!(senders, ["a", "a", "b", "a", "a", "a", "b", "a"]);
    assert_eq!((a.count(), b.count()), (6, 2));
}

#[derive(Debug)]
struct BrokenLedger;

#[async_trait::async_trait]
impl Ledger for BrokenLedger {
    async fn claim(&self, _: &str) -> Result<Claim, BackendError> {
        Err(BackendError::new("down"))
    }
    async fn record(&self, _: &str, _: &Outcome) -> Result<(), BackendError> {
        Err(BackendError::new("down"))
    }
    async fn release(&self, _: &str) -> Result<(), BackendError> {
        Err(BackendError::new("down"))
    }
}

#[tokio::test(start_paused = true)]
async fn a_ledger_that_cannot_be_read_sends_nothing() {
    let a = Scripted::default();
    let router = Router::builder()
        .sender(Sender::new("a", a.clone()))
        .fallback(Route::new("all").to("a"))
        .ledger(Arc::new(BrokenLedger))
        .build()
        .expect("a valid router");
    let e = router
        .send_text(&to(), "hi", &RouteOptions::new())
        .await
        .expect_err("the ledger is down");
    assert!(matches!(e, RouteError::Backend { .. }));
    assert_eq!(e.failure(), SendFailure::NotProcessed);
    assert_eq!(a.count(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_reference_in_flight_is_not_sent_a_second_time() {
    let a = Scripted::answering([Answer::Hang(Duration::from_secs(1))]);
    let router = Router::builder()
        .sender(Sender::new("a", a.clone()))
        .fallback(Route::new("all").to("a"))
        .build()
        .expect("a valid router");
    let (to, options) = (to(), RouteOptions::new().client_reference("same"));
    let (first, second) = tokio::join!(
        router.send_text(&to, "hi", &options),
        router.send_text(&to, "hi", &options),
    );
    assert!(first.is_ok());
    let e = second.expect_err("in flight");
    assert!(matches!(e, RouteError::InFlight { .. }));
    assert_eq!(e.failure(), SendFailure::MayHaveBeenDelivered);
    assert_eq!(a.count(), 1);
    // After it, the first outcome.
    let again = router
        .send_text(&to, "hi", &options)
        .await
        .expect("the first outcome");
    assert!(again.from_ledger);
    assert_eq!(again.receipt.vendor, "scripted");
    assert_eq!(a.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_router_is_a_whatsapp_sender_and_its_errors_keep_their_meaning() {
    let a = Scripted::answering([Answer::Throttled]);
    let router = Router::builder()
        .sender(Sender::new("a", a.clone()))
        .fallback(Route::new("all").to("a"))
        .build()
        .expect("a valid router");
    let sender: &dyn WhatsAppSender = &router;
    assert_eq!(sender.vendor(), "whatsapp-router");
    assert_eq!(sender.capabilities(), Capabilities::ALL);
    let options = SendOptions::new().client_reference("r-9");
    let e = sender
        .send_text_with(&to(), "hi", &options)
        .await
        .expect_err("throttled everywhere");
    assert_eq!(e.failure(), SendFailure::NotProcessed);
    assert_eq!(e.client_reference(), Some("r-9"));
    assert_eq!(e.vendor(), "whatsapp-router");
    let receipt = sender
        .send_text_with(&to(), "hi", &options)
        .await
        .expect("sent");
    assert_eq!(receipt.client_reference, "r-9");
    assert_eq!(a.count(), 2);
}

#[test]
fn an_inconsistent_router_says_what_to_fix() {
    let e = Router::builder()
        .sender(Sender::new("a", Scripted::default()))
        .route(Route::new("r").to("b"))
        .build()
        .expect_err("b is unknown");
    assert_eq!(
        e.to_string(),
        "route `r` names sender `b`, which was not added: add it with `sender(..)`"
    );
    let e = Router::builder()
        .sender(Sender::new("a", Scripted::default()))
        .build()
        .expect_err("no route");
    assert!(e.to_string().contains("no route"));
    let e = Router::builder()
        .sender(Sender::new("a", Scripted::default()))
        .sender(Sender::new("a", Scripted::default()))
        .fallback(Route::new("all").to("a"))
        .build()
        .expect_err("two a");
    assert!(e.to_string().contains("two senders are named `a`"));
    let e = Router::builder()
        .fallback(Route::new("empty"))
        .build()
        .expect_err("empty");
    assert!(e.to_string().contains("names no sender"));
}

/// Each budget keeps its own runtime's time: a limiter used on a paused
/// runtime made before another one that read the clock first still waits
/// exactly what the quota says.
#[test]
fn budgets_on_two_runtimes_keep_their_own_time() {
    let paused = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime")
    };
    let first = paused();
    std::thread::sleep(Duration::from_millis(50));
    let second = paused();
    second.block_on(async {
        let limiter = whatsapp_router::limit::InProcessLimiter::new();
        let _ =
            whatsapp_router::limit::RateLimiter::try_acquire(&limiter, "x", per_second(1)).await;
    });
    first.block_on(async {
        let limiter = whatsapp_router::limit::InProcessLimiter::new();
        let quota = per_second(2);
        let start = Instant::now();
        let deadline = start + Duration::from_millis(500);
        for _ in 0..2 {
            let got = whatsapp_router::limit::acquire(&limiter, "a", quota, deadline).await;
            assert!(matches!(got, Ok(true)), "{got:?}");
        }
        assert_eq!(Instant::now() - start, Duration::from_millis(500));
    });
}
