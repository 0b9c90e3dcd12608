//! [`HttpClient`]: one vendor's connection pool, base URL and settings, and
//! the one pipeline every vendor call runs through: request, retry loop,
//! then a typed success or the vendor's typed refusal.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;

use super::config::without_query;
use super::request::Target;
use super::{ConfigError, HttpConfig, Idempotency, Request, Response, RetryPolicy, SendRetries};
use crate::error::{Error, RetryClass, TransportError, TransportErrorKind, VendorError};
use crate::protocol::Protocol;

mod attempt;

struct Inner {
    vendor: &'static str,
    client: reqwest::Client,
    base_url: String,
    /// The base URL parsed once, as given, and its path without a trailing
    /// `/`: request URLs are resolved against them without parsing and
    /// IDNA-mapping the host again on every send.
    base: reqwest::Url,
    base_path: String,
    timeout: Duration,
    operation_timeout: Option<Duration>,
    retry: RetryPolicy,
    send_retries: SendRetries,
    max_response_bytes: usize,
    credential: Option<super::SecretHeader>,
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
            .field("base_url", &without_query(&self.inner.base_url))
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("send_retries", &self.inner.send_retries)
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
        let shown = without_query(&base_url).to_owned();
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| ConfigError::new("base_url", format!("{shown:?} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ConfigError::new(
                "base_url",
                format!("{shown:?} must start with https:// (or http:// for a local mock)"),
            ));
        }
        if parsed.scheme() == "http" && !config.allow_insecure_http && !is_loopback(&parsed) {
            return Err(ConfigError::new(
                "base_url",
                format!(
                    "{shown:?} is plain http:// to a host that is not this machine: credentials \
                     would cross the network unencrypted; use https://, or opt in with \
                     .allow_insecure_http(true)"
                ),
            ));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(ConfigError::new(
                "base_url",
                "must not carry credentials; pass them to the client builder",
            ));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(ConfigError::new(
                "base_url",
                format!(
                    "{shown:?} has a query or a fragment: give the base URL alone; the client \
                     adds each call's path and query"
                ),
            ));
        }
        let base_path = parsed.path().trim_end_matches('/').to_owned();
        let user_agent = config
            .user_agent
            .unwrap_or_else(|| format!("whatsapp-sdk-rs/{} ({vendor})", env!("CARGO_PKG_VERSION")));
        let client = match config.client {
            Some(c) => c,
            // No redirects: a 307 would send the body (a password, an app
            // secret) and the credential headers to whatever host it names.
            None => reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .user_agent(user_agent.clone())
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| ConfigError::new("http_client", e.to_string()))?,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                vendor,
                client,
                base_url: base_url.trim_end_matches('/').to_owned(),
                base: parsed,
                base_path,
                timeout: config.timeout,
                operation_timeout: config.operation_timeout,
                retry: config.retry,
                send_retries: config.send_retries,
                max_response_bytes: config.max_response_bytes,
                credential: config.credential,
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

    /// When sends are retried.
    pub fn send_retries(&self) -> SendRetries {
        self.inner.send_retries
    }

    /// A request for `operation` to `endpoint`, carrying the client's
    /// credential header (the first header on the wire), if it has one.
    pub fn request(
        &self,
        operation: &'static str,
        method: super::Method,
        endpoint: &super::Endpoint,
    ) -> Request {
        self.with_credential(Request::to_endpoint(operation, method, endpoint))
    }

    /// A request for `operation` to `path`, appended to the base URL,
    /// carrying the client's credential header, if it has one.
    pub fn request_path(
        &self,
        operation: &'static str,
        method: super::Method,
        path: impl Into<String>,
    ) -> Request {
        self.with_credential(Request::new(operation, method, path))
    }

    fn with_credential(&self, req: Request) -> Request {
        match &self.inner.credential {
            Some(c) => req.with_secret(c),
            None => req,
        }
    }

    /// Runs `req` through the retry loop, with `protocol` classifying each
    /// answer, and returns the 2xx response, or the vendor's typed refusal
    /// read by `protocol` from the last answer.
    pub async fn execute<P: Protocol>(
        &self,
        protocol: &P,
        req: &Request,
    ) -> Result<Response, Error<P::ApiError>> {
        let resp = self.run(req, |resp| protocol.retry_class(resp)).await?;
        if resp.is_success() {
            Ok(resp)
        } else {
            let api = protocol.refusal(&resp);
            Err(VendorError::new(&resp, api).into())
        }
    }

    /// [`HttpClient::execute`], then the 2xx answer decoded by `protocol`:
    /// what every vendor operation calls.
    pub async fn call<P: Protocol, T: serde::de::DeserializeOwned>(
        &self,
        protocol: &P,
        req: &Request,
    ) -> Result<T, Error<P::ApiError>> {
        let resp = self.execute(protocol, req).await?;
        protocol.decode(&resp)
    }

    /// [`HttpClient::execute`], then the 2xx answer decoded leniently by
    /// `protocol` ([`Protocol::decode_accepted`]): what every send calls,
    /// since an accepted request must never be reported as a failure.
    pub async fn call_accepted<P: Protocol, T: serde::de::DeserializeOwned>(
        &self,
        protocol: &P,
        req: &Request,
    ) -> Result<crate::Accepted<T>, Error<P::ApiError>> {
        let resp = self.execute(protocol, req).await?;
        protocol.decode_accepted(&resp)
    }

    /// The retry loop, under the operation timeout: the final answer,
    /// whatever its status, or the transport failure.
    async fn run(
        &self,
        req: &Request,
        classify: impl Fn(&Response) -> RetryClass,
    ) -> Result<Response, TransportError> {
        let fut = self.attempts(req, classify);
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

    /// Whether replaying `req` is harmless: a read, or a send while the
    /// caller declared that the vendor de-duplicates sends.
    fn replay_is_harmless(&self, req: &Request) -> bool {
        match req.idempotency {
            Idempotency::Idempotent => true,
            Idempotency::NotIdempotent => self.inner.send_retries == SendRetries::IfDeduplicated,
        }
    }

    async fn attempts(
        &self,
        req: &Request,
        classify: impl Fn(&Response) -> RetryClass,
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
        tracing::trace!(vendor = inner.vendor, request = ?req, "request");
        let harmless = self.replay_is_harmless(req);
        let policy = &inner.retry;
        let mut attempt = 1u32;
        // Whether an attempt retried so far may have reached the vendor:
        // carried by the final answer or error, whatever its own class.
        let mut reached = false;
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
            let (wait, reason) = match outcome {
                Ok(mut resp) => {
                    resp.attempts = attempt;
                    resp.retry_class = classify(&resp);
                    resp.earlier_attempt_may_have_reached = reached;
                    if last || !resp.retry_class.allows_retry(harmless) {
                        return Ok(resp);
                    }
                    match policy.wait_for(attempt, resp.retry_after) {
                        Some(wait) => {
                            reached |= resp.retry_class != RetryClass::Safe;
                            (wait, format!("HTTP {}", resp.status))
                        }
                        // The server asked for a longer pause than we wait
                        // out: hand the response (and its Retry-After) back.
                        None => return Ok(resp),
                    }
                }
                Err(err) => {
                    if last || !err.retry_class().allows_retry(harmless) {
                        return Err(err
                            .with_attempts(attempt)
                            .after_attempts_that_may_have_reached(reached));
                    }
                    reached |= err.retry_class() != RetryClass::Safe;
                    (policy.backoff(attempt), err.to_string())
                }
            };
            tracing::info!(
                vendor = inner.vendor,
                operation = req.operation,
                attempt,
                wait_ms = wait.as_millis() as u64,
                %reason,
                "retrying"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Resolves `path` (appended to the base URL; it may carry a query)
    /// once, for a call that goes to the same URL every time.
    pub fn endpoint(&self, path: &str) -> Result<super::Endpoint, ConfigError> {
        self.url_for(path)
            .map(|url| super::Endpoint(Arc::new(url)))
            .map_err(|e| ConfigError::new("base_url", e.to_string()))
    }

    /// The base URL followed by `path` (which may carry a query), the same
    /// URL as parsing the two joined as text; an empty path is the base URL
    /// exactly as given (a partner URI ending in `/` keeps it).
    fn url_for(&self, path: &str) -> Result<reqwest::Url, TransportError> {
        let inner = &*self.inner;
        let parsed = if path.is_empty() {
            Ok(inner.base.clone())
        } else if path.starts_with('/') && !path.starts_with("//") {
            // A path that starts with one `/` resolves against the parsed
            // base, keeping its scheme and host as they are.
            let mut full = String::with_capacity(inner.base_path.len() + path.len());
            full.push_str(&inner.base_path);
            full.push_str(path);
            if full.starts_with("//") {
                reqwest::Url::parse(&format!("{}{path}", inner.base_url))
            } else {
                inner.base.join(&full)
            }
        } else {
            reqwest::Url::parse(&format!("{}{path}", inner.base_url))
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
}

/// Whether `url` names this machine: `localhost` or a loopback address.
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || ip
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::attempt::{Body, PREALLOCATE_AT_MOST};
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
                // An empty path is the base URL as given, trailing `/` kept.
                let joined = match path {
                    "" => base.to_owned(),
                    _ => format!("{}{path}", base.trim_end_matches('/')),
                };
                let expected = reqwest::Url::parse(&joined).map(String::from).ok();
                let got = client.url_for(path).map(String::from).ok();
                assert_eq!(got, expected, "base {base:?}, path {path:?}");
                let endpoint = client.endpoint(path).map(|e| e.as_str().to_owned()).ok();
                assert_eq!(endpoint, expected, "endpoint: base {base:?}, path {path:?}");
            }
        }
    }

    /// Two chunks under an announced 8 MiB reserve a bounded buffer.
    #[test]
    fn an_announced_length_reserves_a_bounded_buffer() {
        let mut body = Body::Empty;
        let announced = Some(8 * 1024 * 1024);
        body.push(bytes::Bytes::from_static(b"{\"a\":"), announced);
        body.push(bytes::Bytes::from_static(b"1}"), announced);
        let Body::Many(all) = &body else {
            panic!("two chunks are gathered")
        };
        assert_eq!(all.as_slice(), b"{\"a\":1}");
        assert!(all.capacity() <= PREALLOCATE_AT_MOST, "{}", all.capacity());
        // A real large body still gets its room.
        let mut big = Body::Empty;
        big.push(bytes::Bytes::from(vec![b'x'; 1000]), Some(3000));
        big.push(bytes::Bytes::from(vec![b'y'; 2000]), Some(3000));
        assert_eq!(big.len(), 3000);
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
