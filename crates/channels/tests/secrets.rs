//! The access key never reaches Debug, Display, error chains or logs.
//!
//! Alone in its test binary: `tracing` caches per call site whether anyone
//! listens, so a test running beside it without a subscriber could hide
//! events from this one's thread-local subscriber.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use channels::mock::{CHANNEL_ID, MockBird, WORKSPACE_ID};
use channels::{Body, Client, SendRequest};
use whatsapp_common::mock::{CapturedLog, error_chain};
use wiremock::ResponseTemplate;

const SECRET: &str = "AccessKEY-7fd3a9c2e1";

#[tokio::test]
async fn the_access_key_appears_nowhere() {
    let logs = CapturedLog::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let bird = MockBird::start_with_key(SECRET).await;
    let builder = Client::builder(SECRET, WORKSPACE_ID, CHANNEL_ID)
        .base_url(bird.uri())
        .timeout(Duration::from_millis(300))
        .retry_policy(
            whatsapp_common::RetryPolicy::default().initial_backoff(Duration::from_millis(1)),
        );
    let mut seen = vec![format!("{builder:?}")];
    let client = builder.build().unwrap();
    seen.push(format!("{client:?}"));
    let request = SendRequest::builder("+31612345678".parse().unwrap(), Body::text("hi"))
        .build()
        .unwrap();
    seen.push(format!("{request:?}"));
    client.send(&request).await.unwrap();
    for status in [400, 401, 403, 404, 409, 422, 429, 500, 503] {
        // A fresh mock each time: leftover scripted answers must not leak.
        let failing = MockBird::start_with_key(SECRET).await;
        failing.fail_next(ResponseTemplate::new(status), 3).await;
        let c = Client::builder(SECRET, WORKSPACE_ID, CHANNEL_ID)
            .base_url(failing.uri())
            .retry_policy(
                whatsapp_common::RetryPolicy::default().initial_backoff(Duration::from_millis(1)),
            )
            .build()
            .unwrap();
        seen.push(error_chain(&c.send(&request).await.unwrap_err()));
    }
    let wrong = Client::builder("other", WORKSPACE_ID, CHANNEL_ID)
        .base_url(bird.uri())
        .build()
        .unwrap();
    seen.push(error_chain(&wrong.send(&request).await.unwrap_err()));
    let err = Client::builder(SECRET, WORKSPACE_ID, CHANNEL_ID)
        .base_url("http://127.0.0.1:9")
        .retry_policy(whatsapp_common::RetryPolicy::none())
        .build()
        .unwrap()
        .send(&request)
        .await
        .unwrap_err();
    seen.push(error_chain(&err));
    let boxed: whatsapp_common::SendError = err.into();
    seen.push(error_chain(&boxed));
    let logged = logs.text();
    assert!(logged.contains("whatsapp.request"));
    for text in seen.iter().chain([&logged]) {
        assert!(!text.contains(SECRET), "key in {text}");
    }
}
