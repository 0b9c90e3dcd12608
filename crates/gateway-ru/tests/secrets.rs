//! The password never reaches Debug, Display, error chains or logs.
//!
//! Alone in its test binary: `tracing` caches per call site whether anyone
//! listens, so a test running beside it without a subscriber could hide
//! events from this one's thread-local subscriber.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use gateway_ru::mock::MockGateway;
use gateway_ru::{Client, ErrorCode, InstantContent, SendRequest};
use whatsapp_common::mock::{CapturedLog, error_chain};
use wiremock::ResponseTemplate;

const SECRET: &str = "Pa55-SECRET-4f9c2e";

#[tokio::test]
async fn the_password_appears_nowhere() {
    let logs = CapturedLog::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let gateway = MockGateway::start_with_credentials("YOUR_LOGIN", SECRET).await;
    let builder = Client::builder("YOUR_LOGIN", SECRET)
        .base_url(gateway.uri())
        .timeout(Duration::from_millis(300))
        .retry_policy(support::fast_retries());
    let mut seen = vec![format!("{builder:?}")];
    let client = builder.build().unwrap();
    seen.push(format!("{client:?}"));
    let request = SendRequest::builder("+79211234567".parse().unwrap(), InstantContent::text("hi"))
        .build()
        .unwrap();
    seen.push(format!("{request:?}"));

    // Success, then every documented error, then transport and decode failures.
    client.send(&request).await.unwrap();
    for code in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 100] {
        gateway.fail_next(ErrorCode::from_i64(code), 3).await;
        let err = client.send(&request).await.unwrap_err();
        seen.push(error_chain(&err));
    }
    gateway
        .respond_next(ResponseTemplate::new(200).set_body_string("<html>"), 1)
        .await;
    seen.push(error_chain(&client.send(&request).await.unwrap_err()));
    gateway
        .respond_next(
            ResponseTemplate::new(200).set_delay(Duration::from_secs(2)),
            1,
        )
        .await;
    seen.push(error_chain(&client.send(&request).await.unwrap_err()));
    let wrong = Client::builder("YOUR_LOGIN", "not-it")
        .base_url(gateway.uri())
        .build()
        .unwrap();
    seen.push(error_chain(&wrong.send(&request).await.unwrap_err()));
    let dead = Client::builder("YOUR_LOGIN", SECRET)
        .base_url("http://127.0.0.1:9/send")
        .retry_policy(gateway_ru::RetryPolicy::none())
        .build()
        .unwrap();
    let err = dead.send(&request).await.unwrap_err();
    seen.push(error_chain(&err));
    let boxed: whatsapp_common::SendError = err.into();
    seen.push(error_chain(&boxed));

    let logged = logs.text();
    assert!(
        logged.contains("whatsapp.request"),
        "spans were logged: {logged}"
    );
    assert!(logged.contains("retrying"), "retries were logged");
    assert!(!logged.contains(SECRET), "secret in logs");
    for s in &seen {
        assert!(!s.contains(SECRET), "secret in {s}");
    }
    // The secret did reach the gateway, in the body where it belongs.
    assert_eq!(
        gateway.requests().await[0].json().unwrap()["password"],
        SECRET
    );
}
