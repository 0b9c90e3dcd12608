//! Shared by the contract tests: a client of the local gateway and the
//! sample send.
#![allow(clippy::unwrap_used, unreachable_pub)]

use std::time::Duration;

use gateway_ru::{
    Client, ClientBuilder, InstantContent, PhoneNumber, SendRequest, SendRequestBuilder,
};
use whatsapp_common::mock::fast_retries;

/// A builder pointed at `uri` with the documented sample credentials.
pub fn builder(uri: &str) -> ClientBuilder {
    Client::builder("YOUR_LOGIN", "YOUR_PASSWORD")
        .base_url(uri)
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries())
}

/// The number the tests send to when the documented samples do not say.
pub fn to() -> PhoneNumber {
    "+79211234567".parse().unwrap()
}

/// A text "hi" to [`to`], to add options to.
pub fn hi() -> SendRequestBuilder {
    SendRequest::builder(to(), InstantContent::text("hi"))
}

/// [`hi`] without options.
pub fn request() -> SendRequest {
    hi().build().unwrap()
}
