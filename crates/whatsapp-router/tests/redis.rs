//! The Redis backend against a real `redis-server` on 127.0.0.1, named by
//! `WHATSAPP_ROUTER_REDIS_URL` (`.ci/run` starts one and sets it; without
//! it these tests fail under `CI` and are skipped, loudly, elsewhere).
#![cfg(feature = "redis")]

use std::collections::VecDeque;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gateway_ru::mock::MockGateway;
use tokio::time::Instant;
use whatsapp_common::mock::MockVendor;
use whatsapp_common::{
    Capabilities, PhoneNumber, RetryPolicy, SendError, SendOptions, SendReceipt, WhatsAppSender,
};
use whatsapp_router::ledger::{Claim, Ledger, LedgerConfig, Outcome};
use whatsapp_router::limit::{Admission, Quota, RateLimiter};
use whatsapp_router::redis::RedisBackend;
use whatsapp_router::{Route, RouteError, RouteOptions, Router, Sender};

const URL: &str = "WHATSAPP_ROUTER_REDIS_URL";

/// A backend on its own key prefix, or `None` (skipped) without a server.
async fn backend(test: &str, config: LedgerConfig) -> Option<Arc<RedisBackend>> {
    let url = match std::env::var(URL) {
        Ok(url) => url,
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("{URL} is not set: CI must start redis-server (.ci/run does)")
        }
        Err(_) => {
            eprintln!("SKIPPED {test}: set {URL} to a redis-server on 127.0.0.1 to run it");
            return None;
        }
    };
    let prefix = format!("whatsapp-router-test:{}:{test}", std::process::id());
    Some(Arc::new(
        RedisBackend::connect(&url, prefix, config)
            .await
            .unwrap_or_else(|e| panic!("{URL}={url}: {e}")),
    ))
}

/// Accepts everything and records when each send reached it.
#[derive(Debug, Clone, Default)]
struct Recording {
    reached: Arc<Mutex<VecDeque<Instant>>>,
}

#[async_trait::async_trait]
impl WhatsAppSender for Recording {
    fn vendor(&self) -> &'static str {
        "recording"
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }
    async fn send_text_with(
        &self,
        _: &PhoneNumber,
        _: &str,
        options: &SendOptions,
    ) -> Result<SendReceipt, SendError> {
        self.reached
            .lock()
            .expect("not poisoned")
            .push_back(Instant::now());
        Ok(SendReceipt::new("recording", None, options.reference()))
    }
}

fn to() -> PhoneNumber {
    "+7 921 123-45-67".parse().expect("a valid number")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_routers_sharing_a_limit_of_n_per_second_send_at_most_n_in_any_second() {
    let Some(shared) = backend("shared-limit", LedgerConfig::default()).await else {
        return;
    };
    const N: u32 = 5;
    const EACH: usize = 8;
    let quota = Quota::per_second(NonZeroU32::new(N).expect("not zero"));
    let vendor = Recording::default();
    let router = || {
        Router::builder()
            .sender(Sender::new("vendor", vendor.clone()).rate_limit(quota))
            .fallback(Route::new("all").to("vendor"))
            .rate_limiter(shared.clone())
            .without_ledger()
            .max_wait(Duration::from_secs(30))
            .build()
            .expect("a valid router")
    };
    let (one, two) = (router(), router());
    let run = |r: Router| async move {
        for _ in 0..EACH {
            r.send_text(&to(), "hi", &RouteOptions::new())
                .await
                .expect("a permit in time");
        }
    };
    let (a, b) = (tokio::spawn(run(one)), tokio::spawn(run(two)));
    a.await.expect("router one");
    b.await.expect("router two");

    let times: Vec<Instant> = vendor
        .reached
        .lock()
        .expect("not poisoned")
        .iter()
        .copied()
        .collect();
    assert_eq!(times.len(), 2 * EACH);
    // Permits are granted on the server's clock and recorded here a few
    // milliseconds later: a window 50 ms short of a second absorbs that.
    let window = Duration::from_millis(950);
    let mut sorted = times.clone();
    sorted.sort();
    for (i, start) in sorted.iter().enumerate() {
        let within = sorted[i..].iter().filter(|t| **t - *start < window).count();
        assert!(
            within <= N as usize,
            "{within} sends within {window:?} of send {i}: {sorted:?}"
        );
    }
    // And the budget was used, not starved: 16 sends at 5 a second take
    // about three seconds.
    let span = sorted[sorted.len() - 1] - sorted[0];
    assert!(span < Duration::from_secs(5), "{span:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_reference_from_two_routers_on_one_redis_reaches_the_vendor_once() {
    let Some(shared) = backend("same-reference", LedgerConfig::default()).await else {
        return;
    };
    let gateway = MockGateway::start_with_credentials("login", "password").await;
    let router = || {
        let client = gateway_ru::Client::builder("login", "password")
            .base_url(gateway.uri())
            .default_service_number("SHOP")
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("a valid configuration");
        Router::builder()
            .sender(Sender::new("gateway", client))
            .fallback(Route::new("all").to("gateway"))
            .ledger(shared.clone())
            .build()
            .expect("a valid router")
    };
    let (one, two) = (router(), router());
    let (to, options) = (to(), RouteOptions::new().client_reference("order-42"));
    let (a, b) = tokio::join!(
        one.send_text(&to, "hi", &options),
        two.send_text(&to, "hi", &options)
    );
    let accepted = [&a, &b]
        .iter()
        .filter(|r| matches!(r, Ok(routed) if !routed.from_ledger))
        .count();
    assert_eq!(accepted, 1, "{a:?} {b:?}");
    for r in [&a, &b] {
        assert!(
            matches!(r, Ok(_) | Err(RouteError::InFlight { .. })),
            "{r:?}"
        );
    }
    // Later, from either router: the first outcome.
    let again = two
        .send_text(&to, "hi", &options)
        .await
        .expect("the first outcome");
    assert!(again.from_ledger);
    assert_eq!(again.receipt.vendor, "gateway-ru");
    let sent = gateway
        .requests()
        .await
        .into_iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(sent, 1, "the vendor received it once");
}

#[tokio::test]
async fn the_ledger_claims_records_and_releases_like_the_memory_one() {
    let config = LedgerConfig {
        ttl: Duration::from_secs(60),
        in_flight_ttl: Duration::from_millis(300),
    };
    let Some(l) = backend("ledger", config).await else {
        return;
    };
    let outcome = Outcome::Accepted {
        sender: "a".into(),
        vendor_message_id: Some("m1".into()),
        already_accepted: false,
    };
    assert_eq!(l.claim("r1").await.ok(), Some(Claim::Fresh));
    assert_eq!(l.claim("r1").await.ok(), Some(Claim::InFlight));
    l.record("r1", &outcome).await.expect("recorded");
    assert_eq!(
        l.claim("r1").await.ok(),
        Some(Claim::Recorded(outcome.clone()))
    );
    l.release("r1").await.expect("a no-op");
    assert_eq!(l.claim("r1").await.ok(), Some(Claim::Recorded(outcome)));

    assert_eq!(l.claim("r2").await.ok(), Some(Claim::Fresh));
    l.release("r2").await.expect("released");
    assert_eq!(l.claim("r2").await.ok(), Some(Claim::Fresh));
    // A claim whose process died expires with its in-flight lifetime.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(l.claim("r2").await.ok(), Some(Claim::Fresh));
}

#[tokio::test]
async fn the_limiter_runs_the_same_gcra_as_the_in_process_one() {
    let Some(l) = backend("gcra", LedgerConfig::default()).await else {
        return;
    };
    let quota = Quota::per_second(NonZeroU32::new(2).expect("not zero"))
        .allow_burst(NonZeroU32::new(2).expect("not zero"));
    assert_eq!(
        l.try_acquire("k", quota).await.ok(),
        Some(Admission::Granted)
    );
    assert_eq!(
        l.try_acquire("k", quota).await.ok(),
        Some(Admission::Granted)
    );
    match l.try_acquire("k", quota).await {
        Ok(Admission::RetryIn(wait)) => {
            assert!(
                wait > Duration::from_millis(400) && wait <= Duration::from_millis(500),
                "{wait:?}"
            );
        }
        other => panic!("a wait: {other:?}"),
    }
    // Another key has its own budget.
    assert_eq!(
        l.try_acquire("other", quota).await.ok(),
        Some(Admission::Granted)
    );
}

#[tokio::test]
async fn a_server_that_is_not_there_is_a_backend_error_without_the_url() {
    let e = RedisBackend::connect(
        "redis://:hunter2@127.0.0.1:1/",
        "p",
        LedgerConfig::default(),
    )
    .await
    .expect_err("nothing listens on port 1");
    let text = format!("{e} {e:?}");
    assert!(text.contains("redis connect"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}
