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

/// Room reserved up front for a request body encoded by [`encode_json`].
const JSON_BODY_CAPACITY: usize = 1024;

/// Encodes `value` as a JSON request body.
///
/// The buffer starts at 1 KiB, which holds a typical single send whole, so
/// the body is written without the copies a buffer growing from a few bytes
/// makes; a larger body grows from there.
///
/// ```
/// let body = whatsapp_common::http::encode_json(&serde_json::json!({"to": "+15551234567"}))?;
/// assert_eq!(body, br#"{"to":"+15551234567"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn encode_json<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(JSON_BODY_CAPACITY);
    serde_json::to_writer(&mut out, value)?;
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

/// A request URL resolved once against a client's base URL (see
/// [`HttpClient::endpoint`]), for calls that go to the same URL every time:
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
pub struct Endpoint(Arc<reqwest::Url>);

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
        let url = self.0.as_str();
        let end = url.find(['?', '#']).unwrap_or(url.len());
        f.debug_tuple("Endpoint").field(&&url[..end]).finish()
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
    name: HeaderName,
    value: HeaderValue,
}

impl SecretHeader {
    /// The header `name: value`, or `None` when `value` has characters an
    /// HTTP header cannot carry (a line break, a control character).
    pub fn new(name: &'static str, value: &str) -> Option<Self> {
        let mut value = HeaderValue::from_str(value).ok()?;
        value.set_sensitive(true);
        Some(Self {
            name: HeaderName::from_static(name),
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
#[derive(Debug)]
enum Target {
    Path(String),
    Endpoint(Endpoint),
}

/// One vendor call, ready to send (and re-send on retry, unchanged).
#[derive(Debug)]
pub struct Request {
    operation: &'static str,
    method: Method,
    target: Target,
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
            target: Target::Path(path.into()),
            headers: HeaderMap::new(),
            body: None,
            idempotency: Idempotency::NotIdempotent,
        }
    }

    /// A request for `operation` to an endpoint resolved with
    /// [`HttpClient::endpoint`].
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

    /// Adds a credential header built once with [`SecretHeader::new`].
    #[must_use]
    pub fn with_secret(mut self, header: &SecretHeader) -> Self {
        self.headers
            .insert(header.name.clone(), header.value.clone());
        self
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
    content_type: Option<HeaderValue>,
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
        self.content_type.as_ref().and_then(|v| v.to_str().ok())
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
    /// The base URL parsed once, with its path (no trailing `/`), when it
    /// has no query or fragment: request URLs are then resolved against it
    /// without parsing and IDNA-mapping the host again on every send.
    parsed_base: Option<(reqwest::Url, String)>,
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
        let parsed_base = (parsed.query().is_none() && parsed.fragment().is_none()).then(|| {
            let path = parsed.path().trim_end_matches('/').to_owned();
            (parsed, path)
        });
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
                parsed_base,
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
        let resolved;
        let url = match &req.target {
            Target::Endpoint(e) => &*e.0,
            Target::Path(path) => {
                resolved = self.url_for(path)?;
                &resolved
            }
        };
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
            let outcome = tokio::time::timeout(inner.timeout, self.attempt(req, url))
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

    /// Resolves `path` (appended to the base URL; it may carry a query)
    /// once, for a call that goes to the same URL every time.
    pub fn endpoint(&self, path: &str) -> Result<Endpoint, ConfigError> {
        self.url_for(path)
            .map(|url| Endpoint(Arc::new(url)))
            .map_err(|e| ConfigError::new("base_url", e.to_string()))
    }

    /// The base URL followed by `path` (which may carry a query), the same
    /// URL as parsing the two joined as text.
    fn url_for(&self, path: &str) -> Result<reqwest::Url, TransportError> {
        let inner = &*self.inner;
        let parsed = match &inner.parsed_base {
            // A path that starts with one `/` resolves against the parsed
            // base, keeping its scheme and host as they are.
            Some((base, base_path))
                if path.is_empty() || (path.starts_with('/') && !path.starts_with("//")) =>
            {
                let mut full = String::with_capacity(base_path.len() + path.len() + 1);
                full.push_str(base_path);
                full.push_str(path);
                if full.is_empty() {
                    full.push('/');
                }
                if full.starts_with("//") {
                    reqwest::Url::parse(&format!("{}{path}", inner.base_url))
                } else {
                    base.join(&full)
                }
            }
            _ => reqwest::Url::parse(&format!("{}{path}", inner.base_url)),
        };
        // The URL stays out of the message: a tenant token may sit in it.
        parsed.map_err(|e| {
            TransportError::new(
                TransportErrorKind::Request,
                format!("the request URL is not valid: {e}"),
                None,
            )
        })
    }

    async fn attempt(&self, req: &Request, url: &reqwest::Url) -> Result<Response, TransportError> {
        let inner = &*self.inner;
        let mut builder = inner
            .client
            .request(req.method.to_reqwest(), url.clone())
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
        let content_type = resp.headers().get(reqwest::header::CONTENT_TYPE).cloned();
        let limit = inner.max_response_bytes;
        let expected = resp.content_length().map(|n| (n as usize).min(limit));
        let mut body = Body::Empty;
        let mut truncated = false;
        while let Some(chunk) = resp.chunk().await.map_err(map_reqwest_error)? {
            let room = limit - body.len();
            if chunk.len() > room {
                body.push(chunk.slice(..room), expected);
                truncated = true;
                break;
            }
            body.push(chunk, expected);
        }
        let body = body.into_bytes();
        tracing::debug!(status, bytes = body.len(), truncated, "response");
        Ok(Response {
            status,
            body,
            truncated,
            retry_after,
            content_type,
            attempts: 1,
        })
    }
}

/// A response body as it is read: a body that arrives in one chunk is kept
/// as that chunk, with no copy; only a body in several is gathered into one
/// buffer.
enum Body {
    Empty,
    One(bytes::Bytes),
    Many(Vec<u8>),
}

impl Body {
    fn len(&self) -> usize {
        match self {
            Self::Empty => 0,
            Self::One(b) => b.len(),
            Self::Many(v) => v.len(),
        }
    }

    /// Appends `chunk`; `expected` is the announced length, if any.
    fn push(&mut self, chunk: bytes::Bytes, expected: Option<usize>) {
        match self {
            Self::Empty => *self = Self::One(chunk),
            Self::One(first) => {
                let needed = first.len() + chunk.len();
                let mut all = Vec::with_capacity(expected.unwrap_or(0).max(needed));
                all.extend_from_slice(first);
                all.extend_from_slice(&chunk);
                *self = Self::Many(all);
            }
            Self::Many(all) => all.extend_from_slice(&chunk),
        }
    }

    fn into_bytes(self) -> bytes::Bytes {
        match self {
            Self::Empty => bytes::Bytes::new(),
            Self::One(b) => b,
            Self::Many(v) => v.into(),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Resolving against the parsed base gives the URL that parsing the
    /// joined text gives, whatever the base and the path look like.
    #[test]
    fn request_urls_match_parsing_the_joined_text() {
        let bases = [
            "https://api.example.com",
            "https://api.example.com/",
            "https://api.example.com/v1",
            "https://api.example.com/v1//",
            "http://127.0.0.1:8080/gw/send",
            "https://пример.рф/api",
            "https://api.example.com/a b/%41",
            "https://api.example.com//twice",
            "https://api.example.com/v1?tenant=1",
            "https://api.example.com/v1#part",
        ];
        let paths = [
            "",
            "/",
            "/send",
            "/contacts/x?contactIdentifierValue=%2B1&x=a b",
            "/ü/..%2F/../up",
            "//evil.example/x",
            "?q=1",
            "/path#frag",
            "relative",
        ];
        for base in bases {
            assert!(reqwest::Url::parse(base).is_ok(), "{base}");
            let mut cfg = HttpConfig::default();
            cfg.set_base_url(base);
            let client = HttpClient::new("test", cfg, None).unwrap();
            for path in paths {
                let expected =
                    reqwest::Url::parse(&format!("{}{path}", base.trim_end_matches('/')))
                        .map(String::from)
                        .ok();
                let got = client.url_for(path).map(String::from).ok();
                assert_eq!(got, expected, "base {base:?}, path {path:?}");
                let endpoint = client.endpoint(path).map(|e| e.as_str().to_owned()).ok();
                assert_eq!(endpoint, expected, "endpoint: base {base:?}, path {path:?}");
            }
        }
    }

    /// An endpoint's `Debug` leaves out its query, where a token could sit.
    #[test]
    fn endpoint_debug_leaves_the_query_out() {
        let mut cfg = HttpConfig::default();
        cfg.set_base_url("https://api.example.com/v1");
        let client = HttpClient::new("test", cfg, None).unwrap();
        let e = client.endpoint("/contacts/7?token=s3cr3t#x").unwrap();
        assert_eq!(
            e.as_str(),
            "https://api.example.com/v1/contacts/7?token=s3cr3t#x"
        );
        assert_eq!(
            format!("{e:?}"),
            "Endpoint(\"https://api.example.com/v1/contacts/7\")"
        );
    }
}
