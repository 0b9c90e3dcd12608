//! The HTTP plumbing every vendor client shares: configuration, one retry
//! loop, bounded body reads, tracing spans.
//!
//! A vendor crate builds a [`Request`] (its own wire body, its own headers),
//! hands it to [`HttpClient::execute`] with a classifier that knows the
//! vendor's error codes, and decodes the [`Response`] it gets back.

mod retry;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument;

pub use retry::{Idempotency, ResponseClass, RetryPolicy, parse_retry_after};

use crate::error::{TransportError, TransportErrorKind};

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for one attempt, from sending to the last body byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default cap on a response body read into memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// A client configuration that is invalid (e.g. a base URL that is not http(s)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid client configuration: {field}: {reason}")]
pub struct ConfigError {
    field: &'static str,
    reason: String,
}

impl ConfigError {
    /// A configuration error for `field`.
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }

    /// The configuration field at fault.
    pub fn field(&self) -> &'static str {
        self.field
    }
}

/// Transport settings shared by every vendor client.
///
/// Vendor builders expose these as their own methods (`base_url`, `timeout`,
/// …); this type is what they fill in.
#[derive(Clone)]
pub struct HttpConfig {
    base_url: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    operation_timeout: Option<Duration>,
    user_agent: Option<String>,
    retry: RetryPolicy,
    max_response_bytes: usize,
    client: Option<reqwest::Client>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            base_url: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            operation_timeout: None,
            user_agent: None,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            client: None,
        }
    }
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpConfig")
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("custom_client", &self.client.is_some())
            .finish()
    }
}

impl HttpConfig {
    /// Sets the base URL (a sandbox, a tenant domain, a local mock).
    pub fn set_base_url(&mut self, url: impl Into<String>) {
        self.base_url = Some(url.into());
    }
    /// Sets the connect timeout (ignored with a caller-supplied client, which keeps its own).
    pub fn set_connect_timeout(&mut self, d: Duration) {
        self.connect_timeout = d;
    }
    /// Sets the per-attempt timeout, from sending to the last body byte.
    pub fn set_timeout(&mut self, d: Duration) {
        self.timeout = d;
    }
    /// Sets a limit on the whole operation, retries and waits included.
    pub fn set_operation_timeout(&mut self, d: Duration) {
        self.operation_timeout = Some(d);
    }
    /// Sets the `User-Agent` header.
    pub fn set_user_agent(&mut self, ua: impl Into<String>) {
        self.user_agent = Some(ua.into());
    }
    /// Sets the retry policy.
    pub fn set_retry_policy(&mut self, p: RetryPolicy) {
        self.retry = p;
    }
    /// Sets the most response bytes read into memory.
    pub fn set_max_response_bytes(&mut self, n: usize) {
        self.max_response_bytes = n;
    }
    /// Uses a caller-built `reqwest::Client` (proxies, custom TLS roots, a
    /// shared connection pool). Timeouts from this config still apply per request.
    pub fn set_reqwest_client(&mut self, c: reqwest::Client) {
        self.client = Some(c);
    }
    /// The base URL, if set.
    pub fn base_url(&self) -> Option<&str> {
        self.base_url.as_deref()
    }
    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }
}

/// Adds the shared transport methods (`base_url`, `timeout`, `retry_policy`,
/// …) to a vendor client builder that has an `http: HttpConfig` field.
#[macro_export]
macro_rules! impl_http_builder_methods {
    ($builder:ty) => {
        impl $builder {
            /// Sends requests to this base URL instead of the default (a
            /// sandbox, your tenant's domain, or a local mock server).
            #[must_use]
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.http.set_base_url(url);
                self
            }
            /// Time allowed to open a connection (default 5 s).
            #[must_use]
            pub fn connect_timeout(mut self, d: ::std::time::Duration) -> Self {
                self.http.set_connect_timeout(d);
                self
            }
            /// Time allowed for one attempt, from sending the request to
            /// reading the last byte of the response (default 30 s).
            #[must_use]
            pub fn timeout(mut self, d: ::std::time::Duration) -> Self {
                self.http.set_timeout(d);
                self
            }
            /// Limit on a whole call, retries and waits included (default: none).
            #[must_use]
            pub fn operation_timeout(mut self, d: ::std::time::Duration) -> Self {
                self.http.set_operation_timeout(d);
                self
            }
            /// The `User-Agent` header sent with every request.
            #[must_use]
            pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
                self.http.set_user_agent(ua);
                self
            }
            /// When and how to retry (default: 3 attempts, 1 s backoff doubling
            /// to 20 s, with jitter; see [`RetryPolicy`]).
            ///
            /// [`RetryPolicy`]: $crate::RetryPolicy
            #[must_use]
            pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
                self.http.set_retry_policy(policy);
                self
            }
            /// Most bytes of a response read into memory (default 8 MiB).
            #[must_use]
            pub fn max_response_bytes(mut self, n: usize) -> Self {
                self.http.set_max_response_bytes(n);
                self
            }
            /// Uses your own `reqwest::Client` (proxy, TLS roots, a shared
            /// pool). The per-attempt timeout still applies to each request.
            #[must_use]
            pub fn reqwest_client(mut self, client: $crate::reqwest::Client) -> Self {
                self.http.set_reqwest_client(client);
                self
            }
        }
    };
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

/// One vendor call, ready to send (and re-send on retry, unchanged).
#[derive(Debug)]
pub struct Request {
    operation: &'static str,
    method: Method,
    path: String,
    headers: HeaderMap,
    body: Option<bytes::Bytes>,
    idempotency: Idempotency,
}

impl Request {
    /// A request for `operation` (a name for logs) to `path`, appended to the
    /// base URL (an empty path targets the base URL itself).
    pub fn new(operation: &'static str, method: Method, path: impl Into<String>) -> Self {
        Self {
            operation,
            method,
            path: path.into(),
            headers: HeaderMap::new(),
            body: None,
            idempotency: Idempotency::NotIdempotent,
        }
    }

    /// Adds a header. Fails if `value` has characters HTTP forbids.
    pub fn header(mut self, name: &'static str, value: &str) -> Result<Self, TransportError> {
        let v = HeaderValue::from_str(value).map_err(|_| {
            TransportError::new(
                TransportErrorKind::Request,
                format!("header {name} has characters HTTP does not allow"),
                None,
            )
        })?;
        self.headers.insert(HeaderName::from_static(name), v);
        Ok(self)
    }

    /// Adds a header holding a credential: marked sensitive so that no
    /// layer logs it, and never quoted in errors.
    pub fn secret_header(
        mut self,
        name: &'static str,
        value: &str,
    ) -> Result<Self, TransportError> {
        let mut v = HeaderValue::from_str(value).map_err(|_| {
            TransportError::new(
                TransportErrorKind::Request,
                format!("credential for header {name} has characters HTTP does not allow"),
                None,
            )
        })?;
        v.set_sensitive(true);
        self.headers.insert(HeaderName::from_static(name), v);
        Ok(self)
    }

    /// Sets a JSON body (and `Content-Type: application/json`).
    #[must_use]
    pub fn json_body(self, body: Vec<u8>) -> Self {
        self.body_with_type(body, "application/json")
    }

    /// Sets a body with its content type.
    #[must_use]
    pub fn body_with_type(mut self, body: Vec<u8>, content_type: &'static str) -> Self {
        self.headers.insert(
            reqwest::header::CONTENT_TYPE,
            HeaderValue::from_static(content_type),
        );
        self.body = Some(bytes::Bytes::from(body));
        self
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
}

/// A response read within the configured size limit.
#[derive(Debug, Clone)]
pub struct Response {
    status: u16,
    body: bytes::Bytes,
    truncated: bool,
    retry_after: Option<Duration>,
    content_type: Option<String>,
    attempts: u32,
}

impl Response {
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
        self.content_type.as_deref()
    }
    /// How many attempts it took.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

struct Inner {
    vendor: &'static str,
    client: reqwest::Client,
    base_url: String,
    timeout: Duration,
    operation_timeout: Option<Duration>,
    retry: RetryPolicy,
    max_response_bytes: usize,
}

/// A configured HTTP client for one vendor: cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("vendor", &self.inner.vendor)
            .field("base_url", &self.inner.base_url)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// Builds the client. `default_base_url` is the vendor's production URL,
    /// or `None` where the vendor has none and the caller must set one.
    pub fn new(
        vendor: &'static str,
        config: HttpConfig,
        default_base_url: Option<&str>,
    ) -> Result<Self, ConfigError> {
        let base_url = match (config.base_url, default_base_url) {
            (Some(u), _) => u,
            (None, Some(d)) => d.to_owned(),
            (None, None) => {
                return Err(ConfigError::new(
                    "base_url",
                    "this vendor issues each customer its own URL: set it with .base_url(…)",
                ));
            }
        };
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| ConfigError::new("base_url", format!("{base_url:?} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ConfigError::new(
                "base_url",
                format!("{base_url:?} must start with https:// (or http:// for a local mock)"),
            ));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(ConfigError::new(
                "base_url",
                "must not carry credentials; pass them to the client builder",
            ));
        }
        let user_agent = config
            .user_agent
            .unwrap_or_else(|| format!("whatsapp-sdk-rs/{} ({vendor})", env!("CARGO_PKG_VERSION")));
        let client = match config.client {
            Some(c) => c,
            None => reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .user_agent(user_agent.clone())
                .build()
                .map_err(|e| ConfigError::new("http_client", e.to_string()))?,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                vendor,
                client,
                base_url: base_url.trim_end_matches('/').to_owned(),
                timeout: config.timeout,
                operation_timeout: config.operation_timeout,
                retry: config.retry,
                max_response_bytes: config.max_response_bytes,
            }),
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Sends `req`, retrying as the policy, the request's idempotency and
    /// `classify` allow, and returns the final response, whatever its status.
    ///
    /// `classify` sees each response's status and body and says whether it
    /// is final or may be retried; use [`ResponseClass::by_status`] when the
    /// vendor has nothing to add.
    pub async fn execute(
        &self,
        req: &Request,
        classify: impl Fn(u16, &[u8]) -> ResponseClass,
    ) -> Result<Response, TransportError> {
        let fut = self.execute_inner(req, classify);
        match self.inner.operation_timeout {
            None => fut.await,
            Some(limit) => tokio::time::timeout(limit, fut).await.unwrap_or_else(|_| {
                Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("operation timeout of {limit:?} reached"),
                    None,
                ))
            }),
        }
    }

    async fn execute_inner(
        &self,
        req: &Request,
        classify: impl Fn(u16, &[u8]) -> ResponseClass,
    ) -> Result<Response, TransportError> {
        let inner = &*self.inner;
        let url = format!("{}{}", inner.base_url, req.path);
        let policy = &inner.retry;
        let mut attempt = 1u32;
        loop {
            let span = tracing::debug_span!(
                "whatsapp.request",
                vendor = inner.vendor,
                operation = req.operation,
                attempt
            );
            // One timer for the whole attempt, the answer's body included
            // (cheaper than reqwest's, which arms one for the head and one
            // for the body).
            let outcome = tokio::time::timeout(inner.timeout, self.attempt(req, &url))
                .instrument(span)
                .await
                .unwrap_or_else(|_| {
                    Err(TransportError::new(
                        TransportErrorKind::Timeout,
                        format!("no complete answer within {:?}", inner.timeout),
                        None,
                    ))
                });
            let last = attempt >= policy.get_max_attempts();
            let (retry_after, reason) = match outcome {
                Ok(resp) => {
                    let class = classify(resp.status, &resp.body);
                    let retry = match class {
                        ResponseClass::Final => false,
                        ResponseClass::RetrySafe => true,
                        ResponseClass::RetryIfIdempotent => {
                            req.idempotency == Idempotency::Idempotent
                        }
                    };
                    if !retry || last {
                        return Ok(Response {
                            attempts: attempt,
                            ..resp
                        });
                    }
                    match policy.wait_for(attempt, resp.retry_after) {
                        Some(wait) => (wait, format!("HTTP {}", resp.status)),
                        // The server asked for a longer pause than we wait
                        // out: hand the response (and its Retry-After) back.
                        None => {
                            return Ok(Response {
                                attempts: attempt,
                                ..resp
                            });
                        }
                    }
                }
                Err(err) => {
                    let retry = match err.kind() {
                        TransportErrorKind::Connect => true,
                        TransportErrorKind::Timeout | TransportErrorKind::Io => {
                            req.idempotency == Idempotency::Idempotent
                        }
                        TransportErrorKind::Request => false,
                    };
                    if !retry || last {
                        return Err(err.with_attempts(attempt));
                    }
                    (policy.backoff(attempt), err.to_string())
                }
            };
            tracing::info!(
                vendor = inner.vendor,
                operation = req.operation,
                attempt,
                wait_ms = retry_after.as_millis() as u64,
                %reason,
                "retrying"
            );
            tokio::time::sleep(retry_after).await;
            attempt += 1;
        }
    }

    async fn attempt(&self, req: &Request, url: &str) -> Result<Response, TransportError> {
        let inner = &*self.inner;
        let mut builder = inner
            .client
            .request(req.method.to_reqwest(), url)
            .headers(req.headers.clone());
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        let mut resp = builder.send().await.map_err(map_reqwest_error)?;
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let limit = inner.max_response_bytes;
        let mut body = Vec::with_capacity(
            resp.content_length()
                .map_or(1024, |n| (n as usize).min(limit)),
        );
        let mut truncated = false;
        while let Some(chunk) = resp.chunk().await.map_err(map_reqwest_error)? {
            let room = limit - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        tracing::debug!(status, bytes = body.len(), truncated, "response");
        Ok(Response {
            status,
            body: body.into(),
            truncated,
            retry_after,
            content_type,
            attempts: 1,
        })
    }
}

fn map_reqwest_error(e: reqwest::Error) -> TransportError {
    // Drop the URL: a caller's base URL may carry a tenant token in its path.
    let e = e.without_url();
    let kind = if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_builder() {
        TransportErrorKind::Request
    } else {
        TransportErrorKind::Io
    };
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    TransportError::new(kind, message, Some(Box::new(e)))
}
