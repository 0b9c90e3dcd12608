//! The router over the real vendor clients and their mock vendors: what
//! each kind of failure does to the message.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use channels::mock::{CHANNEL_ID, WORKSPACE_ID};
use gateway_ru::ErrorCode;
use gateway_ru::mock::MockGateway;
use whatsapp_common::mock::{CapturedLog, MockVendor, ResponseTemplate};
use whatsapp_common::{PhoneNumber, RetryPolicy, SendErrorKind, SendFailure, Template};
use whatsapp_router::{
    AttemptOutcome, FailoverPolicy, Route, RouteError, RouteOptions, Router, RouterBuilder, Sender,
    Skip, Then,
};

// Bird's own schemas check every body the router's sends carry (when each
// test is done with its mock).
#[path = "../../channels/tests/support/mod.rs"]
mod support;

const BIRD_KEY: &str = "router-test-key";

fn russian() -> PhoneNumber {
    "+7 921 123-45-67".parse().expect("a valid number")
}

async fn gateway() -> (MockGateway, gateway_ru::Client) {
    let mock = MockGateway::start_with_credentials("login", "password").await;
    let client = gateway_ru::Client::builder("login", "password")
        .base_url(mock.uri())
        .default_service_number("SHOP")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a valid configuration");
    (mock, client)
}

async fn bird() -> (support::Bird, channels::Client) {
    let mock = support::bird_with_key(BIRD_KEY).await;
    let client = channels::Client::builder(BIRD_KEY, WORKSPACE_ID, CHANNEL_ID)
        .base_url(mock.uri())
        .template_project("5d8ec4b2-5a3b-4a8e-9b0f-4f1a2c3d4e5f", "latest")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a valid configuration");
    (mock, client)
}

/// Sends, as the mocks record them (the mocks' other routes excluded).
async fn sends<M: MockVendor>(mock: &M) -> Vec<serde_json::Value> {
    mock.requests()
        .await
        .into_iter()
        .filter(|r| r.method == "POST")
        .filter_map(|r| r.json().ok())
        .collect()
}

/// Gateway first, Bird after it.
fn two(gateway: gateway_ru::Client, bird: channels::Client) -> RouterBuilder {
    routed(Sender::new("gateway", gateway), bird)
}

/// `gateway` as configured, Bird after it, for Russian numbers.
fn routed(gateway: Sender, bird: channels::Client) -> RouterBuilder {
    Router::builder()
        .sender(gateway)
        .sender(Sender::new("bird", bird))
        .route(
            Route::new("russia")
                .country_code("7")
                .to("gateway")
                .to("bird"),
        )
}

#[tokio::test]
async fn not_processed_at_the_first_vendor_is_sent_by_the_second_once() {
    let (gw_mock, gw) = gateway().await;
    let (bird_mock, bird) = bird().await;
    // Code 3: too many connections, documented as not processed.
    gw_mock.fail_next(ErrorCode::TooManyConnections, 1).await;
    let router = two(gw, bird).build().expect("a valid router");

    let options = RouteOptions::new().client_reference("order-1");
    let routed = router
        .send_text(&russian(), "Your order has shipped", &options)
        .await
        .expect("Bird accepts it");

    assert_eq!(routed.sender, "bird");
    assert_eq!(routed.route.as_deref(), Some("russia"));
    assert_eq!(routed.receipt.vendor, "channels");
    assert_eq!(routed.receipt.client_reference, "order-1");
    assert!(!routed.from_ledger);
    let outcomes: Vec<_> = routed
        .attempts
        .iter()
        .map(|a| (a.sender.as_str(), a.outcome))
        .collect();
    assert!(matches!(
        outcomes[..],
        [
            (
                "gateway",
                AttemptOutcome::Failed {
                    failure: SendFailure::NotProcessed,
                    kind: SendErrorKind::Vendor,
                    ..
                }
            ),
            ("bird", AttemptOutcome::Accepted)
        ]
    ));
    assert_eq!(sends(&gw_mock).await.len(), 1);
    let bird_sends = sends(&*bird_mock).await;
    assert_eq!(bird_sends.len(), 1, "Bird sent it once");
    assert_eq!(bird_sends[0]["reference"], "order-1");
}

#[tokio::test]
async fn a_timeout_after_the_request_left_is_not_failed_over() {
    let (gw_mock, gw) = gateway().await;
    let (bird_mock, bird) = bird().await;
    gw_mock
        .respond_next(
            ResponseTemplate::new(200).set_delay(Duration::from_secs(5)),
            1,
        )
        .await;
    let router = routed(
        Sender::new("gateway", gw).timeout(Duration::from_millis(300)),
        bird,
    )
    .build()
    .expect("a valid router");

    let options = RouteOptions::new().client_reference("order-2");
    let e = router
        .send_text(&russian(), "Your order has shipped", &options)
        .await
        .expect_err("no answer in time");

    assert_eq!(e.failure(), SendFailure::MayHaveBeenDelivered);
    assert_eq!(e.reference(), "order-2");
    let RouteError::Failed { sender, error, .. } = &e else {
        panic!("a sender's error: {e:?}");
    };
    assert_eq!(sender, "gateway");
    assert_eq!(error.client_reference(), Some("order-2"));
    assert_eq!(error.kind(), SendErrorKind::Transport);
    assert_eq!(e.attempts().len(), 1, "Bird was not tried");
    assert!(sends(&*bird_mock).await.is_empty(), "Bird received nothing");
    assert_eq!(sends(&gw_mock).await.len(), 1, "the request had left");
}

#[tokio::test]
async fn a_5xx_may_have_delivered_and_stops_the_routing() {
    let (gw_mock, gw) = gateway().await;
    let (bird_mock, bird) = bird().await;
    gw_mock.respond_next(ResponseTemplate::new(503), 1).await;
    let router = two(gw, bird).build().expect("a valid router");

    let e = router
        .send_text(&russian(), "hi", &RouteOptions::new())
        .await
        .expect_err("a 503");
    assert_eq!(e.failure(), SendFailure::MayHaveBeenDelivered);
    assert!(sends(&*bird_mock).await.is_empty());
}

/// The gateway declared to de-duplicate, its next answer a 503; Bird after
/// it.
async fn deduplicating_gateway_answering_503() -> (MockGateway, support::Bird, Router) {
    let (gw_mock, gw) = gateway().await;
    let (bird_mock, bird) = bird().await;
    gw_mock.respond_next(ResponseTemplate::new(503), 1).await;
    let router = routed(
        Sender::new("gateway", gw).deduplicates_by_reference(1),
        bird,
    )
    .build()
    .expect("a valid router");
    (gw_mock, bird_mock, router)
}

#[tokio::test]
async fn a_sender_that_deduplicates_gets_the_same_reference_again_and_no_one_else_does() {
    let (gw_mock, bird_mock, router) = deduplicating_gateway_answering_503().await;

    let options = RouteOptions::new().client_reference("order-3");
    let routed = router
        .send_text(&russian(), "hi", &options)
        .await
        .expect("accepted on the resend");
    assert_eq!(routed.sender, "gateway");
    assert_eq!(routed.attempts.len(), 2);
    let gw_sends = sends(&gw_mock).await;
    assert_eq!(gw_sends.len(), 2);
    assert_eq!(gw_sends[0]["id"], "order-3");
    assert_eq!(gw_sends[1]["id"], "order-3", "the same reference");
    assert!(sends(&*bird_mock).await.is_empty());
}

#[tokio::test]
async fn a_resend_that_is_not_processed_still_stops_after_a_may_have_delivered() {
    let (gw_mock, bird_mock, router) = deduplicating_gateway_answering_503().await;
    // The 503 then a "not processed": the first attempt may still have
    // delivered, so Bird must not get it.
    gw_mock.fail_next(ErrorCode::TooManyConnections, 1).await;
    let e = router
        .send_text(&russian(), "hi", &RouteOptions::new())
        .await
        .expect_err("no acceptance");
    assert_eq!(e.failure(), SendFailure::MayHaveBeenDelivered);
    assert_eq!(e.attempts().len(), 2);
    assert!(sends(&*bird_mock).await.is_empty());
}

#[tokio::test]
async fn a_refusal_stops_by_default_and_fails_over_where_the_policy_says() {
    let (gw_mock, gw) = gateway().await;
    let (bird_mock, bird_client) = bird().await;
    // Code 8: the destination address is invalid.
    gw_mock.fail_next(ErrorCode::InvalidDestAddr, 1).await;
    let router = two(gw, bird_client).build().expect("a valid router");
    let e = router
        .send_text(&russian(), "hi", &RouteOptions::new())
        .await
        .expect_err("refused");
    assert_eq!(e.failure(), SendFailure::Refused);
    assert!(sends(&*bird_mock).await.is_empty());

    // With a policy that lets an invalid address at the gateway try Bird.
    let (gw_mock, gw) = gateway().await;
    gw_mock.fail_next(ErrorCode::InvalidDestAddr, 1).await;
    let (bird_mock, bird) = bird().await;
    let router = two(gw, bird)
        .policy(FailoverPolicy::new().fail_over_when_refused(|e| {
            e.vendor_error_as::<gateway_ru::Error>()
                .and_then(|g| g.code())
                .is_some_and(|c| c == ErrorCode::InvalidDestAddr)
        }))
        .build()
        .expect("a valid router");
    let routed = router
        .send_text(&russian(), "hi", &RouteOptions::new())
        .await
        .expect("Bird takes it");
    assert_eq!(routed.sender, "bird");
    assert_eq!(sends(&*bird_mock).await.len(), 1);
}

#[tokio::test]
async fn a_sender_that_cannot_send_templates_is_skipped() {
    let (gw_mock, gw) = gateway().await;
    let (bird_mock, bird) = bird().await;
    let router = two(gw, bird).build().expect("a valid router");
    let template = Template::new("order_shipped", "en")
        .expect("a valid template")
        .positional(["1042"]);
    let routed = router
        .send_template(&russian(), &template, &RouteOptions::new())
        .await
        .expect("Bird sends templates");
    assert_eq!(routed.sender, "bird");
    assert_eq!(
        routed.attempts[0].outcome,
        AttemptOutcome::Skipped(Skip::Unsupported)
    );
    assert!(sends(&gw_mock).await.is_empty());
    assert_eq!(sends(&*bird_mock).await.len(), 1);
}

#[tokio::test]
async fn the_same_reference_sent_twice_reaches_the_vendor_once() {
    let (gw_mock, gw) = gateway().await;
    let (_bird_mock, bird) = bird().await;
    let router = two(gw, bird).build().expect("a valid router");
    let options = RouteOptions::new().client_reference("order-4");
    let first = router
        .send_text(&russian(), "hi", &options)
        .await
        .expect("accepted");
    let again = router
        .send_text(&russian(), "hi", &options)
        .await
        .expect("the first outcome");
    assert!(again.from_ledger);
    assert_eq!(again.sender, "gateway");
    assert_eq!(again.receipt.vendor, "gateway-ru");
    assert_eq!(
        again.receipt.vendor_message_id,
        first.receipt.vendor_message_id
    );
    assert!(first.receipt.vendor_message_id.is_some());
    assert_eq!(sends(&gw_mock).await.len(), 1);

    // A failure that may have delivered is kept too: no resend.
    gw_mock.respond_next(ResponseTemplate::new(502), 1).await;
    let options = RouteOptions::new().client_reference("order-5");
    let e = router.send_text(&russian(), "hi", &options).await;
    assert!(matches!(e, Err(RouteError::Failed { .. })), "{e:?}");
    let e = router.send_text(&russian(), "hi", &options).await;
    let Err(RouteError::AlreadyRouted { outcome, .. }) = &e else {
        panic!("the first outcome: {e:?}");
    };
    assert_eq!(outcome.sender(), "gateway");
    assert_eq!(sends(&gw_mock).await.len(), 2);
}

#[tokio::test]
async fn a_send_that_sent_nothing_can_be_sent_again() {
    let (gw_mock, gw) = gateway().await;
    let router = Router::builder()
        .sender(Sender::new("gateway", gw))
        .fallback(Route::new("all").to("gateway"))
        .build()
        .expect("a valid router");
    gw_mock.fail_next(ErrorCode::ServiceUnavailable, 1).await;
    let options = RouteOptions::new().client_reference("order-6");
    let e = router
        .send_text(&russian(), "hi", &options)
        .await
        .expect_err("not processed");
    assert!(matches!(e, RouteError::NotSent { .. }));
    assert_eq!(e.failure(), SendFailure::NotProcessed);
    let routed = router
        .send_text(&russian(), "hi", &options)
        .await
        .expect("sent this time");
    assert!(!routed.from_ledger);
    assert_eq!(sends(&gw_mock).await.len(), 2);
}

#[tokio::test]
async fn attempts_are_reported_and_traced_without_the_message() {
    let (gw_mock, gw) = gateway().await;
    let (_bird_mock, bird) = bird().await;
    gw_mock.fail_next(ErrorCode::TooManyConnections, 1).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let router = two(gw, bird)
        .on_attempt(move |e| {
            sink.lock().expect("not poisoned").push((
                e.attempt.sender.clone(),
                e.then,
                e.route.to_owned(),
            ));
        })
        .build()
        .expect("a valid router");
    let log = CapturedLog::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer({
            let log = log.clone();
            move || log.clone()
        })
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let secret_text = "the parcel code is 7731";
    let (to, options) = (russian(), RouteOptions::new().client_reference("order-7"));
    let send = router.send_text(&to, secret_text, &options);
    let routed = {
        let _guard = tracing::subscriber::set_default(subscriber);
        send.await
    };
    assert!(routed.is_ok());
    assert_eq!(
        *seen.lock().expect("not poisoned"),
        [
            ("gateway".to_owned(), Then::FailOver, "russia".to_owned()),
            ("bird".to_owned(), Then::Done, "russia".to_owned()),
        ]
    );
    let text = log.text();
    assert!(text.contains("attempt failed"), "{text}");
    assert!(
        text.contains("gateway") && text.contains("order-7"),
        "{text}"
    );
    assert!(
        !text.contains("7731"),
        "the message reached the log: {text}"
    );
}
