//! The API token never reaches Debug, Display, error chains or logs.
//!
//! Alone in its test binary: `tracing` caches per call site whether anyone
//! listens, so a test running beside it without a subscriber could hide
//! events from this one's thread-local subscriber.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use activetrail::mock::MockActiveTrail;
use activetrail::{Client, Format, OperationalMessage, TemplateRef};
use whatsapp_common::mock::{CapturedLog, error_chain};
use wiremock::ResponseTemplate;

const SECRET: &str = "0XSECRET9F3A7C";

#[tokio::test]
async fn the_token_appears_nowhere() {
    let logs = CapturedLog::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let message = OperationalMessage::template(7, TemplateRef::new("welcome"))
        .to("+972501234567".parse().unwrap())
        .build()
        .unwrap();
    let mut seen = vec![format!("{message:?}")];
    let mut first_request = None;
    for format in [Format::Json, Format::Xml] {
        // A fresh mock per format: scripted failures left unused by one
        // format must not answer the other's first send.
        let at = MockActiveTrail::start_with_token(SECRET).await;
        let builder = Client::builder(SECRET)
            .base_url(at.uri())
            .format(format)
            .timeout(Duration::from_millis(300))
            .retry_sends(true)
            .retry_policy(
                whatsapp_common::RetryPolicy::default().initial_backoff(Duration::from_millis(1)),
            );
        seen.push(format!("{builder:?}"));
        let client = builder.build().unwrap();
        seen.push(format!("{client:?}"));
        client.send(&message).await.unwrap();
        for status in [400, 401, 403, 404, 429, 500, 503] {
            at.fail_next(status, "An error has occurred.", 3).await;
            seen.push(error_chain(&client.send(&message).await.unwrap_err()));
        }
        at.respond_next(
            ResponseTemplate::new(200).set_delay(Duration::from_secs(2)),
            3,
        )
        .await;
        seen.push(error_chain(&client.send(&message).await.unwrap_err()));
        at.respond_next(ResponseTemplate::new(200).set_body_string("<oops"), 1)
            .await;
        let err = client.send(&message).await.unwrap_err();
        seen.push(error_chain(&err));
        let boxed: whatsapp_common::SendError = err.into();
        seen.push(error_chain(&boxed));
        first_request.get_or_insert(at.requests().await[0].clone());
    }
    let logged = logs.text();
    assert!(logged.contains("whatsapp.request"));
    for text in seen.iter().chain([&logged]) {
        assert!(!text.contains(SECRET), "token in {text}");
    }
    assert_eq!(first_request.unwrap().header("authorization"), Some(SECRET));
}
