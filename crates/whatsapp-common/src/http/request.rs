//! What goes to a vendor and what comes back: [`Request`], [`Response`],
//! and the pieces resolved once per client ([`Endpoint`], [`SecretHeader`]).
//!
//! Neither `Debug` ever prints a body: the gateway password, the Huawei
//! `app_secret` and its access token travel in bodies.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::config::without_query;
use super::{Idempotency, Method};
use crate::error::{DecodeError, RetryClass, TransportError, TransportErrorKind};

/// A request URL resolved once against a client's base URL (see
/// [`HttpClient::endpoint`](super::HttpClient::endpoint)), for calls that go to the same URL every time:
/// cheap to clone, and nothing is parsed again when a request uses it.
///
/// ```
/// use whatsapp_common::http::{Method, Request};
/// use whatsapp_common::{HttpClient, HttpConfig};
///
/// let mut config = HttpConfig::default();
/// config.set_base_url("https://api.example.com/v1");
/// let http = HttpClient::new("example", config, None)?;
/// let send = http.endpoint("/messages")?;
/// assert_eq!(send.as_str(), "https://api.example.com/v1/messages");
/// let request = Request::to_endpoint("send", Method::Post, &send);
/// # let _ = request;
/// # Ok::<(), whatsapp_common::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct Endpoint(pub(super) Arc<reqwest::Url>);

impl Endpoint {
    /// The URL.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for Endpoint {
    // Shown as the client's own `Debug` shows its base URL, but without a
    // query, where a token could sit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Endpoint")
            .field(&without_query(self.0.as_str()))
            .finish()
    }
}

/// A credential header checked and marked sensitive once, when a client is
/// built, and then added to each request without being copied or checked
/// again. Its `Debug` shows the header name only.
///
/// ```
/// use whatsapp_common::http::{Method, Request, SecretHeader};
///
/// let auth = SecretHeader::new("authorization", "Key s3cr3t").expect("a header value");
/// assert_eq!(format!("{auth:?}"), "SecretHeader(\"authorization\")");
/// assert!(SecretHeader::new("authorization", "line\nbreak").is_none());
/// let request = Request::new("send", Method::Post, "/send").with_secret(&auth);
/// # let _ = request;
/// ```
#[derive(Clone)]
pub struct SecretHeader {
    pub(super) name: HeaderName,
    pub(super) value: HeaderValue,
}

impl SecretHeader {
    /// The header `name: value`, or `None` when `name` is no header name
    /// or `value` has characters an HTTP header cannot carry (a line break,
    /// a control character). Names are case-insensitive (`X-App-Key` is
    /// `x-app-key`).
    pub fn new(name: &str, value: &str) -> Option<Self> {
        let mut value = HeaderValue::from_str(value).ok()?;
        value.set_sensitive(true);
        Some(Self {
            name: HeaderName::from_bytes(name.as_bytes()).ok()?,
            value,
        })
    }
}

impl fmt::Debug for SecretHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SecretHeader")
            .field(&self.name.as_str())
            .finish()
    }
}

/// Where a request goes: a path appended to the base URL, or an endpoint
/// resolved before.
pub(super) enum Target {
    Path(String),
    Endpoint(Endpoint),
}

/// One vendor call, ready to send (and re-send on retry, unchanged).
///
/// Its `Debug` shows the operation, method, target without its query, the
/// header names and the body's length: never a header value or the body.
pub struct Request {
    pub(super) operation: &'static str,
    pub(super) method: Method,
    pub(super) target: Target,
    pub(super) headers: HeaderMap,
    pub(super) body: Option<bytes::Bytes>,
    pub(super) idempotency: Idempotency,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = match &self.target {
            Target::Path(path) => without_query(path),
            Target::Endpoint(e) => without_query(e.as_str()),
        };
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("target", &target)
            .field(
                "headers",
                &self
                    .headers
                    .keys()
                    .map(HeaderName::as_str)
                    .collect::<Vec<_>>(),
            )
            .field("body_bytes", &self.body.as_ref().map_or(0, |b| b.len()))
            .field("idempotency", &self.idempotency)
            .finish_non_exhaustive()
    }
}

impl Request {
    /// A request for `operation` (a name for logs) to `path`, appended to the
    /// base URL (an empty path targets the base URL itself).
    pub fn new(operation: &'static str, method: Method, path: impl Into<String>) -> Self {
        Self {
            operation,
            method,
            target: Target::Path(path.into()),
            headers: HeaderMap::new(),
            body: None,
            idempotency: Idempotency::NotIdempotent,
        }
    }

    /// A request for `operation` to an endpoint resolved with
    /// [`HttpClient::endpoint`](super::HttpClient::endpoint).
    pub fn to_endpoint(operation: &'static str, method: Method, endpoint: &Endpoint) -> Self {
        Self {
            operation,
            method,
            target: Target::Endpoint(endpoint.clone()),
            headers: HeaderMap::new(),
            body: None,
            idempotency: Idempotency::NotIdempotent,
        }
    }

    /// Adds a header (names are case-insensitive). Fails, without a
    /// panic, if `name` is no header name or `value` has characters HTTP
    /// forbids.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, TransportError> {
        let invalid = |what: &str| {
            TransportError::new(
                TransportErrorKind::Request,
                format!("header {name:?}: the {what} has characters HTTP does not allow"),
                None,
            )
        };
        let n = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("name"))?;
        let v = HeaderValue::from_str(value).map_err(|_| invalid("value"))?;
        self.headers.insert(n, v);
        Ok(self)
    }

    /// Adds a credential header built once with [`SecretHeader::new`].
    #[must_use]
    pub fn with_secret(mut self, header: &SecretHeader) -> Self {
        self.headers
            .insert(header.name.clone(), header.value.clone());
        self
    }

    /// Sets a JSON body (and `Content-Type: application/json`).
    #[must_use]
    pub fn json_body(mut self, body: Vec<u8>) -> Self {
        self.headers.insert(
            reqwest::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        self.body = Some(bytes::Bytes::from(body));
        self
    }

    /// Sets a body with its content type. Fails, without a panic, if the
    /// content type has characters HTTP forbids.
    pub fn body_with_type(
        mut self,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<Self, TransportError> {
        self = self.header("content-type", content_type)?;
        self.body = Some(bytes::Bytes::from(body));
        Ok(self)
    }

    /// Declares whether replaying this request is harmless (default: not).
    #[must_use]
    pub fn idempotency(mut self, i: Idempotency) -> Self {
        self.idempotency = i;
        self
    }

    /// The body bytes, if any.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The operation's name, as logs show it.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}

/// A response read within the configured size limit, with the retry class
/// the retry loop computed for it.
///
/// Its `Debug` shows the status and the body's length, never the body (a
/// token answer holds the token).
#[derive(Clone)]
pub struct Response {
    pub(super) status: u16,
    pub(super) body: bytes::Bytes,
    pub(super) truncated: bool,
    pub(super) retry_after: Option<Duration>,
    pub(super) content_type: Option<HeaderValue>,
    pub(super) attempts: u32,
    pub(super) retry_class: RetryClass,
    /// An earlier attempt of the same request may have reached the vendor
    /// (it timed out, lost its connection or got a 5xx, and was retried).
    pub(super) earlier_attempt_may_have_reached: bool,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("body_bytes", &self.body.len())
            .field("truncated", &self.truncated)
            .field("retry_after", &self.retry_after)
            .field("content_type", &self.content_type())
            .field("attempts", &self.attempts)
            .field("retry_class", &self.retry_class)
            .finish_non_exhaustive()
    }
}

impl Response {
    /// A response with `status` and `body`, as the pipeline hands one to a
    /// [`Protocol`](crate::Protocol): for testing a vendor's classifier and
    /// decoders without a server.
    ///
    /// ```
    /// let r = whatsapp_common::http::Response::new(429, b"{}".to_vec());
    /// assert_eq!((r.status(), r.body(), r.attempts()), (429, &b"{}"[..], 1));
    /// ```
    pub fn new(status: u16, body: Vec<u8>) -> Self {
        Self {
            status,
            body: body.into(),
            truncated: false,
            retry_after: None,
            content_type: None,
            attempts: 1,
            retry_class: RetryClass::Never,
            earlier_attempt_may_have_reached: false,
        }
    }

    /// Whether an earlier attempt of the request this answers may have
    /// reached the vendor: it timed out, lost its connection or got an
    /// answer of [`RetryClass::IfDeduplicated`], and the retry loop sent
    /// the request again. `false` for a first attempt.
    pub fn earlier_attempt_may_have_reached(&self) -> bool {
        self.earlier_attempt_may_have_reached
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
    /// The body, at most `max_response_bytes` long.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
    /// Whether the body was longer than `max_response_bytes` and was cut.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }
    /// The parsed `Retry-After` header, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_ref().and_then(|v| v.to_str().ok())
    }
    /// How many attempts it took.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
    /// The retry class the vendor's protocol gave this answer.
    pub fn retry_class(&self) -> RetryClass {
        self.retry_class
    }
    /// The body decoded as JSON; a failure names the path where it failed
    /// (see [`DecodeError::json`]).
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, DecodeError> {
        DecodeError::json(self.status, &self.body, self.truncated)
    }

    /// The 2xx body read leniently as `T`: see
    /// [`Accepted::from_json`](crate::Accepted::from_json).
    pub fn json_accepted<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Result<crate::Accepted<T>, DecodeError> {
        crate::Accepted::from_json(self.status, &self.body, self.truncated)
    }
}
