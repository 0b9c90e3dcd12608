//! Shared by the tests and the bench: the documented samples, the sample
//! requests, client set-up.
#![allow(clippy::unwrap_used, dead_code, unreachable_pub)]

use std::time::Duration;

use huawei_cec::mock::{MockCec, MockVendor};
use huawei_cec::{
    Client, ClientBuilder, SendRequest, SendRetries, TemplateMessage, WhatsAppMessage,
};
use whatsapp_common::mock::fast_retries;

/// The documented sample app key.
pub const APP_KEY: &str = "268e19b9-aae6-488a-bec6-5c9a67692946";
/// The app secret [`builder`] sends.
pub const APP_SECRET: &str = "app-secret-value";

/// Every documented answer the crate decodes, in `fixtures/huawei-cec/`.
pub const SAMPLES: [&str; 4] = [
    "send_response.json",
    "research_token_response.json",
    "research_infobip_response.json",
    "research_infobip_error_400.json",
];

/// A builder pointed at `uri` with the documented sample app key.
pub fn builder(uri: &str) -> ClientBuilder {
    Client::builder(APP_KEY, APP_SECRET)
        .base_url(uri)
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries())
}

/// A mock CEC and a client of it, built with [`builder`].
pub async fn mock_cec() -> (MockCec, Client) {
    mock_cec_with(SendRetries::default()).await
}

/// [`mock_cec`], with the client retrying sends as `send_retries` says.
pub async fn mock_cec_with(send_retries: SendRetries) -> (MockCec, Client) {
    let cec = MockCec::start().await;
    let client = builder(&cec.uri()).send_retries(send_retries);
    (cec, client.build().unwrap())
}

/// The sample send: "hi" to one destination, ids generated.
pub fn request() -> SendRequest {
    SendRequest::builder(WhatsAppMessage::text("hi"))
        .to("+41793026727".parse().unwrap())
        .build()
        .unwrap()
}

/// The documented template send (`send_template_request.json`), with its
/// masked number replaced by a real one: the SDK refuses `155****8467` as a
/// phone number.
pub fn documented_request() -> SendRequest {
    SendRequest::builder(WhatsAppMessage::template(
        TemplateMessage::new("1", "zh_CN").unwrap(),
    ))
    .bulk_id("2853BC8B21D23F473AB9AE41B75F34FC18D322B91B01F60FAF206ACEBA9EF7BD")
    .to_with_id(
        "+1 551 234 8467".parse().unwrap(),
        "46dbab11-f9cc-4d32-852b-cbba988b7d08",
    )
    .build()
    .unwrap()
}
