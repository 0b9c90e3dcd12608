//! Shared by the contract tests: fixture loading and client set-up.
#![allow(clippy::unwrap_used, dead_code, unreachable_pub)]

use std::time::Duration;

use huawei_cec::{Client, ClientBuilder, RetryPolicy, SendRequest, WhatsAppMessage};

/// A fixture file's text, from `fixtures/huawei-cec/`.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/huawei-cec/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A fixture parsed as JSON.
pub fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// Retries fast enough for tests.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

/// A builder pointed at `uri` with the documented sample app key.
pub fn builder(uri: &str) -> ClientBuilder {
    Client::builder("268e19b9-aae6-488a-bec6-5c9a67692946", "app-secret-value")
        .base_url(uri)
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries())
}

/// The sample send: "hi" to one destination, ids generated.
pub fn request() -> SendRequest {
    SendRequest::builder(WhatsAppMessage::text("hi"))
        .to("+41793026727".parse().unwrap())
        .build()
        .unwrap()
}
