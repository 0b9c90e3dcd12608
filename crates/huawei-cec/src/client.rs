//! The CEC client: token management and `sendWhatsappMessage`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use whatsapp_common::http::{Endpoint, Method, Request, SecretHeader};
use whatsapp_common::{
    Capabilities, ConfigError, DecodeError, ExposeSecret, HttpClient, HttpConfig, Idempotency,
    PhoneNumber, RawBody, ResponseClass, SecretString, SendError, SendReceipt, Template,
    TemplateParameters, ValidationError, WhatsAppSender,
};

use crate::auth::{CachedToken, Clock, SystemClock, renew_after};
use crate::error::{ApiError, AuthError, Error};
use crate::model::response::TokenResponse;
use crate::{SendRequest, SendResponse, TemplateMessage, WhatsAppMessage};

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
/// println!("bulk {} accepted: {:?}", request.bulk_id(), accepted.messages[0].status.outcome());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: HttpClient,
    app_key: String,
    app_secret: SecretString,
    token_lifetime: Duration,
    renew_margin: Duration,
    idempotent_sends: bool,
    clock: Arc<dyn Clock>,
    /// `x-app-key`, built once (marked sensitive, so no layer logs it).
    app_key_header: SecretHeader,
    /// The send URL, resolved once.
    send: Endpoint,
    /// The cached token, read by every send without waiting.
    token: std::sync::RwLock<Option<CachedToken>>,
    /// Held by the one caller fetching a token, so that concurrent callers
    /// wait for its token instead of fetching their own.
    renewal: tokio::sync::Mutex<()>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("http", &self.inner.http)
            .field("app_key", &self.inner.app_key)
            .field("app_secret", &"*** redacted ***")
            .field("token_lifetime", &self.inner.token_lifetime)
            .field("idempotent_sends", &self.inner.idempotent_sends)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]. The base URL is required: each tenant has its own
/// domain (sometimes with a port).
pub struct ClientBuilder {
    http: HttpConfig,
    app_key: String,
    app_secret: SecretString,
    token_lifetime: Duration,
    renew_margin: Duration,
    idempotent_sends: bool,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("http", &self.http)
            .field("app_key", &self.app_key)
            .field("app_secret", &"*** redacted ***")
            .finish_non_exhaustive()
    }
}

whatsapp_common::impl_http_builder_methods!(ClientBuilder);

impl ClientBuilder {
    /// Token lifetime asked for with `X-Token-Expire` (1 s to 3600 s;
    /// default 3600 s).
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

    /// Declares that CEC de-duplicates sends on `messageId` for your account,
    /// so a send that may have reached it (timeout, dropped connection,
    /// 502/503/504) can be retried with the same ids. Off by default: such
    /// a send is not retried, since a retry could deliver it twice. Connect
    /// failures and 429 are retried either way.
    #[must_use]
    pub fn idempotent_sends(mut self, on: bool) -> Self {
        self.idempotent_sends = on;
        self
    }

    /// The clock used for token expiry (tests use [`ManualClock`](crate::ManualClock)).
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        if self.app_key.trim().is_empty() {
            return Err(ConfigError::new("app_key", "must not be empty").into());
        }
        if self.app_secret.expose_secret().is_empty() {
            return Err(ConfigError::new("app_secret", "must not be empty").into());
        }
        let secs = self.token_lifetime.as_secs();
        if !(1..=MAX_TOKEN_LIFETIME_SECS).contains(&secs) {
            return Err(ConfigError::new(
                "token_lifetime",
                format!("{secs} s is outside 1..={MAX_TOKEN_LIFETIME_SECS} s"),
            )
            .into());
        }
        let http = HttpClient::new(crate::VENDOR, self.http, None)?;
        Ok(Client {
            inner: Arc::new(Inner {
                app_key_header: SecretHeader::new("x-app-key", &self.app_key).ok_or_else(|| {
                    ConfigError::new("app_key", "has characters an HTTP header cannot carry")
                })?,
                send: http.endpoint(SEND_PATH)?,
                http,
                app_key: self.app_key,
                app_secret: self.app_secret,
                token_lifetime: self.token_lifetime,
                renew_margin: self.renew_margin,
                idempotent_sends: self.idempotent_sends,
                clock: self.clock,
                token: std::sync::RwLock::new(None),
                renewal: tokio::sync::Mutex::new(()),
            }),
        })
    }
}

fn classify_send(status: u16, _body: &[u8]) -> ResponseClass {
    match status {
        // Throttled: refused before any processing.
        429 => ResponseClass::RetrySafe,
        other => ResponseClass::from_status(other),
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
            idempotent_sends: false,
            clock: Arc::new(SystemClock),
        }
    }

    /// Calls `tokenByAkSk` now, bypassing the cache (the client does this by
    /// itself when needed; useful to check credentials at start-up).
    pub async fn fetch_token(&self) -> Result<TokenResponse, Error> {
        let inner = &*self.inner;
        let body = serde_json::to_vec(&serde_json::json!({
            "app_key": inner.app_key,
            "app_secret": inner.app_secret.expose_secret(),
        }))
        .map_err(|e| ValidationError::new("app_key", format!("could not encode: {e}")))?;
        let req = Request::new("tokenByAkSk", Method::Post, TOKEN_PATH)
            .header(
                "x-token-expire",
                &inner.token_lifetime.as_secs().to_string(),
            )?
            .json_body(body)
            .idempotency(Idempotency::Idempotent);
        let resp = inner.http.execute(&req, ResponseClass::by_status).await?;
        if !resp.is_success() {
            return Err(AuthError {
                status: resp.status(),
                reason: "the app key and secret were refused".into(),
                raw_body: RawBody::capture(resp.body(), resp.is_truncated()),
            }
            .into());
        }
        // A success body holds the token: never quote it in an error.
        serde_json::from_slice::<TokenResponse>(resp.body()).map_err(|e| {
            AuthError {
                status: resp.status(),
                reason: format!(
                    "the answer has no usable AccessToken ({})",
                    redacted_serde(&e)
                ),
                raw_body: RawBody::default(),
            }
            .into()
        })
    }

    /// A valid token and its generation: the cached one, or a new one when
    /// it is due for renewal or when `stale` names the cached generation
    /// (after a 401). One caller fetches; concurrent callers wait for it.
    async fn token(&self, stale: Option<u64>) -> Result<(SecretHeader, u64), Error> {
        let inner = &*self.inner;
        if let Some(t) = self.usable_token(stale) {
            return Ok(t);
        }
        let _renewal = inner.renewal.lock().await;
        // Another caller may have fetched one while this one waited.
        if let Some(t) = self.usable_token(stale) {
            return Ok(t);
        }
        let fetched_at = inner.clock.now();
        let resp = self.fetch_token().await?;
        let lifetime = resp.expires_in().unwrap_or(inner.token_lifetime);
        let generation = self
            .inner
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
            SecretHeader::new("authorization", value.expose_secret()).ok_or_else(|| AuthError {
                status: 200,
                reason: "the token has characters an HTTP header cannot carry".into(),
                raw_body: RawBody::default(),
            })?;
        let token = CachedToken {
            header: header.clone(),
            renew_at: fetched_at + renew_after(lifetime, inner.renew_margin),
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
    /// with the same `bulkId` and message ids.
    pub async fn send(&self, request: &SendRequest) -> Result<SendResponse, Error> {
        let body = whatsapp_common::http::encode_json(request)
            .map_err(|e| ValidationError::new("request", format!("could not encode: {e}")))?;
        let inner = &*self.inner;
        let (token, generation) = self.token(None).await?;
        let idempotency = if inner.idempotent_sends {
            Idempotency::Idempotent
        } else {
            Idempotency::NotIdempotent
        };
        let mut req = Request::to_endpoint("sendWhatsappMessage", Method::Post, &inner.send)
            .with_secret(&inner.app_key_header)
            .with_secret(&token)
            .json_body(body)
            .idempotency(idempotency);
        let mut resp = inner.http.execute(&req, classify_send).await?;
        if resp.status() == 401 {
            tracing::info!(
                vendor = crate::VENDOR,
                "401 on send: renewing the token once"
            );
            // The same request (body, ids) with the new token.
            let (token, _) = self.token(Some(generation)).await?;
            req = req.with_secret(&token);
            resp = inner.http.execute(&req, classify_send).await?;
        }
        if resp.is_success() {
            return Ok(DecodeError::json(
                resp.status(),
                resp.body(),
                resp.is_truncated(),
            )?);
        }
        Err(ApiError::from_response(
            resp.status(),
            resp.body(),
            resp.is_truncated(),
            resp.retry_after(),
        )
        .into())
    }
}

/// A serde error's category and position, without the text it quotes.
fn redacted_serde(e: &serde_json::Error) -> String {
    format!(
        "{:?} error at line {} column {}",
        e.classify(),
        e.line(),
        e.column()
    )
}

#[async_trait::async_trait]
impl WhatsAppSender for Client {
    fn vendor(&self) -> &'static str {
        crate::VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }

    async fn send_text(&self, to: &PhoneNumber, text: &str) -> Result<SendReceipt, SendError> {
        let request = SendRequest::builder(WhatsAppMessage::text(text))
            .to(to.clone())
            .build()
            .map_err(Error::from)?;
        receipt(self.send(&request).await?, &request)
    }

    async fn send_template(
        &self,
        to: &PhoneNumber,
        template: &Template,
    ) -> Result<SendReceipt, SendError> {
        let data = match template.parameters() {
            TemplateParameters::Positional(values) => values.clone(),
            TemplateParameters::Named(_) => {
                return Err(Error::from(ValidationError::new(
                    "whatsApp.templateData",
                    "CEC takes template values in registration order: use positional parameters",
                ))
                .into());
            }
            _ => Vec::new(),
        };
        let message = TemplateMessage::new(template.name().as_str(), template.language().as_str())
            .map_err(Error::from)?
            .data(data);
        let request = SendRequest::builder(WhatsAppMessage::template(message))
            .to(to.clone())
            .build()
            .map_err(Error::from)?;
        receipt(self.send(&request).await?, &request)
    }
}

fn receipt(response: SendResponse, request: &SendRequest) -> Result<SendReceipt, SendError> {
    let sent_id = request
        .destinations()
        .first()
        .map(|d| d.message_id().to_owned());
    let vendor_id = response
        .messages
        .first()
        .map(|m| m.message_id.clone())
        .or_else(|| response.bulk_id.clone())
        .unwrap_or_default();
    Ok(SendReceipt::new(crate::VENDOR, vendor_id, sent_id))
}
