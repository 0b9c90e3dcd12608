//! The CEC client: token management and `sendWhatsappMessage`.

use std::sync::Arc;
use std::time::Duration;

use whatsapp_common::http::{Endpoint, Method, SecretHeader, encode_json};
use whatsapp_common::{
    Accepted, ConfigError, ExposeSecret, HttpClient, HttpConfig, Idempotency, SecretString,
    TransportError, TransportErrorKind, validate,
};

use crate::auth::{self, CachedToken, Clock, FetchFailure, Fetched, Renewal, SystemClock};
use crate::model::token::TokenRequest;
use crate::protocol::{SendCall, TokenCall, redacted};
use crate::{Error, Operation, SendRequest, SendResponse, TokenResponse};

/// Path of the token call.
pub const TOKEN_PATH: &str = "/apigovernance/api/oauth/tokenByAkSk";
/// Path of `sendWhatsappMessage`.
pub const SEND_PATH: &str = "/apiaccess/rest/ccmessaging/omni/1/advanced";
/// The longest token lifetime CEC grants (`X-Token-Expire`), in seconds.
pub const MAX_TOKEN_LIFETIME_SECS: u64 = 3600;

/// A CEC client: cheap to clone (an `Arc` inside), `Send + Sync`. Clones
/// share the connection pool and the token cache.
///
/// ```no_run
/// # async fn run() -> Result<(), huawei_cec::Error> {
/// use huawei_cec::{Client, SendRequest, TemplateMessage, WhatsAppMessage};
///
/// let client = Client::builder("your-app-key", "your-app-secret")
///     .base_url("https://service.besclouds.com") // your tenant's domain
///     .build()?;
/// let request = SendRequest::builder(WhatsAppMessage::template(
///     TemplateMessage::new("order_shipped", "en_US")?.data(["Anna", "#1042"]),
/// ))
/// .to("+41 79 302 67 27".parse()?)
/// .build()?;
/// let accepted = client.send(&request).await?;
/// println!("bulk {} accepted: {:?}", request.bulk_id(), accepted.messages[0].outcome());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: HttpClient,
    app_key: String,
    app_secret: SecretString,
    token_lifetime: Duration,
    renew_margin: Duration,
    clock: Arc<dyn Clock>,
    /// `x-app-key`, built once (marked sensitive, so no layer logs it).
    app_key_header: SecretHeader,
    /// The two URLs, resolved once.
    send: Endpoint,
    token_endpoint: Endpoint,
    /// The cached token, read by every send without waiting.
    token: std::sync::RwLock<Option<CachedToken>>,
    /// The token fetch in flight, if any: a task of its own, whose result,
    /// a token or an error, goes to every caller that waited for it. Held
    /// only to look at or replace it, never across an `.await`.
    renewal: std::sync::Mutex<Option<Renewal>>,
}

/// A caller's way to a token: the cache, or the fetch in flight.
enum Joined {
    Cached((SecretHeader, u64)),
    Waiting(Renewal),
}

/// Builds a [`Client`]. The base URL is required: each tenant has its own
/// domain (sometimes with a port).
///
/// Sends carry a `bulkId` and one `messageId` per destination, generated
/// when not given and the same on every attempt and on the resend after a
/// 401. Where CEC de-duplicates sends on `messageId` for your account (the
/// OMNI API it proxies refuses a repeated id with
/// `REJECTED_DUPLICATE_MESSAGE_ID`; CEC does not document it for every
/// account), build with `.send_retries(SendRetries::IfDeduplicated)`: a send
/// that may have reached CEC (a timeout, a dropped connection, a
/// 502/503/504) is then retried with the same ids. By default such a send is
/// not retried, since a retry could deliver it twice; a 429 (refused before
/// any processing) and connect failures are retried either way. The token
/// call is retried like a read.
#[derive(Debug)]
pub struct ClientBuilder {
    http: HttpConfig,
    app_key: String,
    app_secret: SecretString,
    token_lifetime: Duration,
    renew_margin: Duration,
    clock: Arc<dyn Clock>,
}

whatsapp_common::impl_http_builder_methods!(ClientBuilder, Client, Error);

impl ClientBuilder {
    /// Token lifetime asked for with `X-Token-Expire` (1 s to 3600 s;
    /// default 3600 s). A token is kept for the `Expires` the service
    /// grants, at most this long; for this long when the answer has no
    /// `Expires` or says `"0"` (read as "not said": a zero lifetime would
    /// make every send fetch a token).
    #[must_use]
    pub fn token_lifetime(mut self, d: Duration) -> Self {
        self.token_lifetime = d;
        self
    }

    /// How long before expiry a token is renewed (default 60 s; at most half
    /// the lifetime).
    #[must_use]
    pub fn token_renew_margin(mut self, d: Duration) -> Self {
        self.renew_margin = d;
        self
    }

    /// The clock used for token expiry (default [`SystemClock`]; tests move
    /// time with `ManualClock`, feature `mock`).
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        validate::credential(&self.app_key, "app_key")?;
        validate::credential(self.app_secret.expose_secret(), "app_secret")?;
        let secs = self.token_lifetime.as_secs();
        if !(1..=MAX_TOKEN_LIFETIME_SECS).contains(&secs) {
            return Err(ConfigError::new(
                "token_lifetime",
                format!("{secs} s is outside 1..={MAX_TOKEN_LIFETIME_SECS} s"),
            )
            .into());
        }
        let app_key_header = SecretHeader::new("x-app-key", &self.app_key).ok_or_else(|| {
            ConfigError::new("app_key", "has characters an HTTP header cannot carry")
        })?;
        let http = HttpClient::new(crate::VENDOR, self.http, None)?;
        Ok(Client {
            inner: Arc::new(Inner {
                app_key_header,
                send: http.endpoint(SEND_PATH)?,
                token_endpoint: http.endpoint(TOKEN_PATH)?,
                http,
                app_key: self.app_key,
                app_secret: self.app_secret,
                token_lifetime: self.token_lifetime,
                renew_margin: self.renew_margin,
                clock: self.clock,
                token: std::sync::RwLock::new(None),
                renewal: std::sync::Mutex::new(None),
            }),
        })
    }
}

impl Client {
    /// Starts building a client with the API Fabric app key and secret.
    pub fn builder(
        app_key: impl Into<String>,
        app_secret: impl Into<SecretString>,
    ) -> ClientBuilder {
        ClientBuilder {
            http: HttpConfig::default(),
            app_key: app_key.into(),
            app_secret: app_secret.into(),
            token_lifetime: Duration::from_secs(MAX_TOKEN_LIFETIME_SECS),
            renew_margin: Duration::from_secs(60),
            clock: Arc::new(SystemClock),
        }
    }

    /// Calls `tokenByAkSk` now, bypassing the cache (the client does this by
    /// itself when needed; useful to check credentials at start-up). The
    /// token is not cached.
    ///
    /// A refusal is [`Error::Vendor`](whatsapp_common::Error::Vendor) with
    /// [`Operation::Token`](crate::Operation::Token); a 2xx answer without a
    /// usable `AccessToken` is [`Error::Decode`](whatsapp_common::Error::Decode),
    /// without the answer's body. A transport failure is the token call's
    /// own [`Error::Transport`](whatsapp_common::Error::Transport) (on
    /// [`Client::send`] it becomes a failure of the send that sent nothing).
    pub async fn fetch_token(&self) -> Result<TokenResponse, Error> {
        let inner = &*self.inner;
        let body = encode_json(&TokenRequest {
            app_key: &inner.app_key,
            app_secret: inner.app_secret.expose_secret(),
        })?;
        let req = inner
            .http
            .request(
                Operation::Token.as_str(),
                Method::Post,
                &inner.token_endpoint,
            )
            .header(
                "x-token-expire",
                &inner.token_lifetime.as_secs().to_string(),
            )?
            .json_body(body)
            .idempotency(Idempotency::Idempotent);
        inner.http.call(&TokenCall, &req).await
    }

    /// A valid token and its generation: the cached one, or a new one when
    /// it is due for renewal or when `stale` names the cached generation
    /// (after a 401).
    ///
    /// One fetch at a time: the first caller that needs a token starts it
    /// on a task of its own, and every caller that needs one while it runs
    /// waits for its result, a token or an error. A caller waits for that
    /// one fetch and no other, so no longer than one token call takes
    /// (bounded by the client's `timeout`, retry policy and
    /// `operation_timeout`); dropping the caller that started it does not
    /// cancel it. A failed fetch is handed to every caller that waited for
    /// it; the next caller starts a new one.
    async fn token(&self, stale: Option<u64>) -> Result<(SecretHeader, u64), Error> {
        if let Some(t) = self.usable_token(stale) {
            return Ok(t);
        }
        // A fetch whose task was dropped before it finished (its runtime
        // shut down) has no result to give: start one more, once.
        for _ in 0..2 {
            let mut renewal = match self.join_renewal(stale) {
                Joined::Cached(t) => return Ok(t),
                Joined::Waiting(renewal) => renewal,
            };
            let fetched = match renewal.wait_for(Option::is_some).await {
                Ok(done) => (*done).clone(),
                Err(_) => None,
            };
            if let Some(fetched) = fetched {
                return fetched.map_err(|failure| failure.error());
            }
        }
        Err(TransportError::new(
            TransportErrorKind::Io,
            "no token: the token fetch was dropped before it finished (its tokio runtime shut \
             down); nothing was sent",
            None,
        )
        .nothing_sent()
        .into())
    }

    /// The cached token, when one became usable since [`Client::token`]
    /// looked, else the fetch in flight, else a fetch started now.
    fn join_renewal(&self, stale: Option<u64>) -> Joined {
        let inner = &*self.inner;
        let mut slot = inner.renewal.lock().unwrap_or_else(|p| p.into_inner());
        // A fetch writes the cache before it leaves the slot: looked at
        // under the slot's lock, the cache holds any token fetched since.
        if let Some(t) = self.usable_token(stale) {
            return Joined::Cached(t);
        }
        // A fetch still running (its sender alive) is joined.
        if let Some(renewal) = slot.as_ref().filter(|r| r.has_changed().is_ok()) {
            return Joined::Waiting(renewal.clone());
        }
        let (publish, renewal) = tokio::sync::watch::channel(None);
        *slot = Some(renewal.clone());
        let client = self.clone();
        tokio::spawn(async move {
            let fetched: Fetched = client
                .renew()
                .await
                .map_err(|e| Arc::new(FetchFailure::new(e)));
            // The cache holds the new token already; a caller that needs
            // one from now on (after a failure: a new round) starts anew.
            *client
                .inner
                .renewal
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = None;
            publish.send_replace(Some(fetched));
        });
        Joined::Waiting(renewal)
    }

    /// Fetches a token and puts it in the cache: the body of the task
    /// [`Client::join_renewal`] starts.
    async fn renew(&self) -> Result<(SecretHeader, u64), Error> {
        let inner = &*self.inner;
        let fetched_at = inner.clock.now();
        let resp = self.fetch_token().await?;
        let lifetime = auth::lifetime(resp.expires_in(), inner.token_lifetime);
        let generation = inner
            .token
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map_or(1, |t| t.generation + 1);
        tracing::debug!(
            vendor = crate::VENDOR,
            generation,
            lifetime_s = lifetime.as_secs(),
            "new token"
        );
        // The joined value is a secret too: zeroed when it is dropped.
        let value = SecretString::from(format!("Bearer {}", resp.access_token.expose_secret()));
        let header =
            SecretHeader::new("authorization", value.expose_secret()).ok_or_else(|| {
                redacted(
                    200,
                    "the AccessToken has characters an HTTP header cannot carry".into(),
                )
            })?;
        let token = CachedToken {
            header: header.clone(),
            renew_at: auth::renew_at(fetched_at, lifetime, inner.renew_margin),
            generation,
        };
        *inner.token.write().unwrap_or_else(|p| p.into_inner()) = Some(token);
        Ok((header, generation))
    }

    /// The cached token's header and generation, when it is not due for
    /// renewal and is not the generation `stale` names.
    fn usable_token(&self, stale: Option<u64>) -> Option<(SecretHeader, u64)> {
        let guard = self.inner.token.read().unwrap_or_else(|p| p.into_inner());
        let t = guard.as_ref()?;
        (self.inner.clock.now() < t.renew_at && stale != Some(t.generation))
            .then(|| (t.header.clone(), t.generation))
    }

    /// Sends a WhatsApp message to the request's destinations.
    ///
    /// Gets a token first when none is cached or the cached one is due for
    /// renewal; after a 401 it renews the token once and sends once more
    /// with the same `bulkId` and message ids. A refusal is
    /// [`Error::Vendor`](whatsapp_common::Error::Vendor) with
    /// [`Operation::Send`](crate::Operation::Send), or with
    /// [`Operation::Token`](crate::Operation::Token) when no token could be
    /// had (then nothing was sent).
    ///
    /// Concurrent sends that need a new token make one token call between
    /// them and all get its result: its token, or its error. A send waits
    /// for no more than that one call, which runs on a task of its own
    /// (dropping a send does not cancel it) and is bounded like any call by
    /// the client's `timeout`, retry policy and `operation_timeout`. When
    /// the token call could not connect, timed out or lost its connection,
    /// the send fails with that transport error's kind, naming
    /// `tokenByAkSk` and marked [`TransportError::nothing_sent`]: nothing
    /// was sent, and [`Error::retry_class`](whatsapp_common::Error::retry_class)
    /// is [`RetryClass::Safe`](crate::RetryClass::Safe).
    pub async fn send(&self, request: &SendRequest) -> Result<SendResponse, Error> {
        let inner = &*self.inner;
        let body = encode_json(request)?;
        let (token, generation) = self.token(None).await?;
        let req = inner
            .http
            .request(Operation::Send.as_str(), Method::Post, &inner.send)
            .with_secret(&inner.app_key_header)
            .with_secret(&token)
            .json_body(body);
        let answer: Result<Accepted<SendResponse>, Error> =
            match inner.http.call_accepted(&SendCall, &req).await {
                Err(Error::Vendor(refused)) if refused.status() == 401 => {
                    tracing::info!(
                        vendor = crate::VENDOR,
                        "401 on send: renewing the token once"
                    );
                    // The same request (body, ids) with the new token.
                    let (token, _) = self.token(Some(generation)).await?;
                    inner
                        .http
                        .call_accepted(&SendCall, &req.with_secret(&token))
                        .await
                }
                answer => answer,
            };
        answer.map(SendResponse::from)
    }
}
