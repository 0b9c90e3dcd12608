//! Transport settings every vendor client shares, and the builder methods
//! that set them.

use std::fmt;
use std::time::Duration;

use super::RetryPolicy;

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

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// When a send (a request that acts: a message, a campaign, a dispatch) is
/// tried again after a failure. Reads are retried after any transient
/// failure whatever this says.
///
/// Set with each vendor client builder's `send_retries(…)`; each vendor
/// crate's docs say what its vendor de-duplicates on.
///
/// ```
/// use whatsapp_common::SendRetries;
/// assert_eq!(SendRetries::default(), SendRetries::IfNotProcessed);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SendRetries {
    /// The default: a send is retried only after a failure that proves the
    /// vendor did not act on it ([`RetryClass::Safe`]: no connection, a
    /// documented "not processed" refusal).
    ///
    /// [`RetryClass::Safe`]: crate::RetryClass::Safe
    #[default]
    IfNotProcessed,
    /// A send is also retried after a failure that leaves open whether the
    /// vendor acted on it ([`RetryClass::IfDeduplicated`]: a timeout, a
    /// connection broken after the request was written, a gateway error),
    /// with the same request, and so the same de-duplication id, on every
    /// attempt. Choose it when the vendor de-duplicates your sends on that
    /// id; where it does not, a retry may deliver a message twice.
    ///
    /// [`RetryClass::IfDeduplicated`]: crate::RetryClass::IfDeduplicated
    IfDeduplicated,
}

/// Transport settings shared by every vendor client.
///
/// Vendor builders expose these as their own methods (`base_url`, `timeout`,
/// …; see [`impl_http_builder_methods!`](crate::impl_http_builder_methods));
/// this type is what they fill in.
#[derive(Clone)]
pub struct HttpConfig {
    pub(super) base_url: Option<String>,
    pub(super) connect_timeout: Duration,
    pub(super) timeout: Duration,
    pub(super) operation_timeout: Option<Duration>,
    pub(super) user_agent: Option<String>,
    pub(super) retry: RetryPolicy,
    pub(super) send_retries: SendRetries,
    pub(super) max_response_bytes: usize,
    pub(super) client: Option<reqwest::Client>,
    pub(super) credential: Option<super::SecretHeader>,
    pub(super) allow_insecure_http: bool,
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
            send_retries: SendRetries::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            client: None,
            credential: None,
            allow_insecure_http: false,
        }
    }
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpConfig")
            .field("base_url", &self.base_url.as_deref().map(without_query))
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("send_retries", &self.send_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("custom_client", &self.client.is_some())
            .field("credential", &self.credential)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

/// `url` without its query or fragment, where a token could sit.
pub(super) fn without_query(url: &str) -> &str {
    &url[..url.find(['?', '#']).unwrap_or(url.len())]
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
    /// Sets when sends are retried.
    pub fn set_send_retries(&mut self, s: SendRetries) {
        self.send_retries = s;
    }
    /// Sets the most response bytes read into memory.
    pub fn set_max_response_bytes(&mut self, n: usize) {
        self.max_response_bytes = n;
    }
    /// Allows a plain `http://` base URL to a host other than this machine
    /// (loopback is always allowed, for local mocks).
    pub fn set_allow_insecure_http(&mut self, allow: bool) {
        self.allow_insecure_http = allow;
    }
    /// Uses a caller-built `reqwest::Client` (proxies, custom TLS roots, a
    /// shared connection pool). Timeouts from this config still apply per
    /// request; its own redirect policy applies too (the client's own is
    /// "never follow").
    pub fn set_reqwest_client(&mut self, c: reqwest::Client) {
        self.client = Some(c);
    }
    /// Sets the credential header every request carries, `name: value`,
    /// marked sensitive; a request that sets the same header itself keeps
    /// its own. A value that is blank, or that an HTTP header cannot carry,
    /// is a [`ConfigError`] naming the client `setting` it came from.
    ///
    /// ```
    /// let mut config = whatsapp_common::HttpConfig::default();
    /// config.set_credential("authorization", "Key s3cr3t", "key")?;
    /// let err = config.set_credential("authorization", "Key \n", "key").unwrap_err();
    /// assert_eq!(err.field(), "key");
    /// # Ok::<(), whatsapp_common::ConfigError>(())
    /// ```
    pub fn set_credential(
        &mut self,
        name: &'static str,
        value: &str,
        setting: &'static str,
    ) -> Result<(), ConfigError> {
        let header = super::SecretHeader::new(name, value).ok_or_else(|| {
            ConfigError::new(setting, "has characters an HTTP header cannot carry")
        })?;
        self.credential = Some(header);
        Ok(())
    }
    /// The base URL, if set.
    pub fn base_url(&self) -> Option<&str> {
        self.base_url.as_deref()
    }
    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }
    /// When sends are retried.
    pub fn send_retries(&self) -> SendRetries {
        self.send_retries
    }
}

/// A client builder holding an [`HttpConfig`]: what
/// [`impl_http_builder_methods!`](crate::impl_http_builder_methods) gives
/// every vendor builder, so code written once (the conformance suite, a
/// configuration loader) can set any vendor's transport settings and build
/// its client.
pub trait HttpBuilder: Sized {
    /// The client it builds.
    type Client;
    /// The vendor crate's error.
    type Error;

    /// The builder's transport settings.
    fn http_config(&mut self) -> &mut HttpConfig;

    /// Checks the configuration and builds the client (the builder's own
    /// `build`).
    fn build_client(self) -> Result<Self::Client, Self::Error>;

    /// The builder with `f` applied to its transport settings.
    #[must_use]
    fn with_http_config(mut self, f: impl FnOnce(&mut HttpConfig)) -> Self {
        f(self.http_config());
        self
    }
}

/// Adds the shared transport methods (`base_url`, `timeout`, `retry_policy`,
/// `send_retries`, …) and [`HttpBuilder`] to a vendor client builder that
/// has an `http: HttpConfig` field and a
/// `build(self) -> Result<$client, $error>` method:
/// `impl_http_builder_methods!(ClientBuilder, Client, Error);`.
#[macro_export]
macro_rules! impl_http_builder_methods {
    ($builder:ty, $client:ty, $error:ty) => {
        impl $crate::http::HttpBuilder for $builder {
            type Client = $client;
            type Error = $error;

            fn http_config(&mut self) -> &mut $crate::HttpConfig {
                &mut self.http
            }

            fn build_client(self) -> ::std::result::Result<$client, $error> {
                <$builder>::build(self)
            }
        }

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
            /// When a send is tried again (default
            /// [`SendRetries::IfNotProcessed`]: only after a failure that
            /// proves the vendor did not act on it). The crate's docs say
            /// what the vendor de-duplicates on.
            ///
            /// [`SendRetries::IfNotProcessed`]: $crate::SendRetries::IfNotProcessed
            #[must_use]
            pub fn send_retries(mut self, retries: $crate::SendRetries) -> Self {
                self.http.set_send_retries(retries);
                self
            }
            /// Allows a plain `http://` base URL to a host other than this
            /// machine (default: refused, so credentials never cross a
            /// network unencrypted; loopback is allowed for local mocks).
            #[must_use]
            pub fn allow_insecure_http(mut self, allow: bool) -> Self {
                self.http.set_allow_insecure_http(allow);
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
            /// Its redirect policy is yours: build it with
            /// `redirect(reqwest::redirect::Policy::none())`, as this crate's
            /// own client is, or a 307 may carry your credentials to
            /// another host.
            #[must_use]
            pub fn reqwest_client(mut self, client: $crate::reqwest::Client) -> Self {
                self.http.set_reqwest_client(client);
                self
            }
        }
    };
}
