//! The HTTP plumbing every vendor client shares: configuration, one
//! pipeline with one retry loop, bounded body reads, tracing spans.
//!
//! A vendor crate builds a [`Request`] (its own wire body, its own headers)
//! and hands it to [`HttpClient::call`] with its [`Protocol`]: the retry
//! loop asks the protocol how to classify each answer, and the call ends in
//! the typed success the protocol decodes or the vendor's typed refusal.
//!
//! [`Protocol`]: crate::Protocol

mod client;
mod config;
mod request;
mod retry;

pub use client::HttpClient;
pub use config::{
    ConfigError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, HttpBuilder,
    HttpConfig, SendRetries,
};
pub use request::{Endpoint, Request, Response, SecretHeader};
pub use retry::{Idempotency, RetryPolicy, parse_retry_after};

use crate::ValidationError;

/// Room reserved up front for a request body encoded by [`encode_json`].
const JSON_BODY_CAPACITY: usize = 1024;

/// Encodes `value` as a JSON request body.
///
/// The buffer starts at 1 KiB, which holds a typical single send whole, so
/// the body is written without the copies a buffer growing from a few bytes
/// makes; a larger body grows from there. A value that cannot be written
/// as JSON is a [`ValidationError`]: nothing was sent.
///
/// ```
/// let body = whatsapp_common::http::encode_json(&serde_json::json!({"to": "+15551234567"}))?;
/// assert_eq!(body, br#"{"to":"+15551234567"}"#);
/// # Ok::<(), whatsapp_common::ValidationError>(())
/// ```
pub fn encode_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, ValidationError> {
    encode_json_with_capacity(value, JSON_BODY_CAPACITY)
}

/// [`encode_json`] into a buffer of `capacity` bytes: for a large body
/// whose size is known in advance, written once without the copies (and the
/// doubled peak) of a growing buffer.
pub fn encode_json_with_capacity<T: serde::Serialize + ?Sized>(
    value: &T,
    capacity: usize,
) -> Result<Vec<u8>, ValidationError> {
    let mut out = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut out, value)
        .map_err(|e| ValidationError::new("request", format!("could not be encoded: {e}")))?;
    Ok(out)
}

/// HTTP method of a vendor call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Delete => reqwest::Method::DELETE,
        }
    }
}
