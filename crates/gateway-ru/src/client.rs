//! The gateway client.

use std::fmt;
use std::sync::Arc;

use whatsapp_common::http::{Endpoint, Method, Request};
use whatsapp_common::{
    Capabilities, DecodeError, ExposeSecret, HttpClient, HttpConfig, Idempotency, PhoneNumber,
    ResponseClass, SecretString, SendError, SendReceipt, WhatsAppSender,
};

use crate::error::{Error, GatewayError, WireError};
use crate::model::request::WireRequest;
use crate::{InstantContent, SendRequest, SendResponse};

/// A client for the gateway's WhatsApp send: cheap to clone (an `Arc`
/// inside), `Send + Sync`, one connection pool for all clones.
///
/// ```no_run
/// # async fn run() -> Result<(), gateway_ru::Error> {
/// use gateway_ru::{Client, InstantContent, SendRequest};
///
/// let client = Client::builder("partner-login", "partner-password")
///     .base_url("https://your-partner-uri.example/send") // issued by the gateway
///     .default_service_number("SHOP")
///     .build()?;
/// let request = SendRequest::builder(
///     "+7 921 123-45-67".parse()?,
///     InstantContent::text("Ваш заказ отправлен"),
/// )
/// .build()?;
/// let accepted = client.send(&request).await?;
/// println!("mtNum {} for id {}", accepted.mt_num, request.id());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: HttpClient,
    /// The partner URI, resolved once.
    send: Endpoint,
    login: String,
    password: SecretString,
    default_service_number: Option<String>,
    duplicate_control: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("http", &self.inner.http)
            .field("login", &self.inner.login)
            .field("password", &"*** redacted ***")
            .field("default_service_number", &self.inner.default_service_number)
            .field("duplicate_control", &self.inner.duplicate_control)
            .finish()
    }
}

/// Builds a [`Client`]. The base URL is required: the gateway issues each
/// partner its own URI.
pub struct ClientBuilder {
    http: HttpConfig,
    login: String,
    password: SecretString,
    default_service_number: Option<String>,
    duplicate_control: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("http", &self.http)
            .field("login", &self.login)
            .field("password", &"*** redacted ***")
            .finish_non_exhaustive()
    }
}

whatsapp_common::impl_http_builder_methods!(ClientBuilder);

impl ClientBuilder {
    /// The sender name used when a request sets none (`serviceNumber`).
    #[must_use]
    pub fn default_service_number(mut self, name: impl Into<String>) -> Self {
        self.default_service_number = Some(name.into());
        self
    }

    /// Declares that the gateway's duplicate control is enabled for your
    /// account (it is switched on separately, on request).
    ///
    /// With it on, a send that may have reached the gateway (a timeout, a
    /// dropped connection, a 502/504) is retried with the same `id`, and
    /// the gateway sends the message once. With it off (the default), such
    /// a send is not retried, since a retry could deliver it twice; refusals
    /// the gateway documents as "not processed" (codes 1 and 3) and connect
    /// failures are retried either way.
    #[must_use]
    pub fn duplicate_control(mut self, enabled: bool) -> Self {
        self.duplicate_control = enabled;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        if self.login.trim().is_empty() {
            return Err(whatsapp_common::ConfigError::new("login", "must not be empty").into());
        }
        if self.password.expose_secret().is_empty() {
            return Err(whatsapp_common::ConfigError::new("password", "must not be empty").into());
        }
        if self
            .default_service_number
            .as_deref()
            .is_some_and(|s| s.trim().is_empty())
        {
            return Err(whatsapp_common::ConfigError::new(
                "default_service_number",
                "must not be empty",
            )
            .into());
        }
        let http = HttpClient::new(crate::VENDOR, self.http, None)?;
        Ok(Client {
            inner: Arc::new(Inner {
                send: http.endpoint("")?,
                http,
                login: self.login,
                password: self.password,
                default_service_number: self.default_service_number,
                duplicate_control: self.duplicate_control,
            }),
        })
    }
}

/// Retry classification: codes 1 and 3 are refusals before any processing.
fn classify(status: u16, body: &[u8]) -> ResponseClass {
    if status == 200 {
        return ResponseClass::Final;
    }
    match serde_json::from_slice::<WireError>(body) {
        Ok(w) if w.error.code.is_retryable() => ResponseClass::RetrySafe,
        Ok(_) => ResponseClass::Final,
        Err(_) => ResponseClass::from_status(status),
    }
}

impl Client {
    /// Starts building a client with the partner's login and password.
    pub fn builder(login: impl Into<String>, password: impl Into<SecretString>) -> ClientBuilder {
        ClientBuilder {
            http: HttpConfig::default(),
            login: login.into(),
            password: password.into(),
            default_service_number: None,
            duplicate_control: false,
        }
    }

    /// The URI requests are posted to.
    pub fn base_url(&self) -> &str {
        self.inner.http.base_url()
    }

    /// Sends a WhatsApp message.
    ///
    /// Returns the gateway's acceptance (`mtNum`). On error, see
    /// [`Error`]: a [`GatewayError`] with code 10 means a message with this
    /// `id` was already accepted.
    pub async fn send(&self, request: &SendRequest) -> Result<SendResponse, Error> {
        let body = whatsapp_common::http::encode_json(&WireRequest {
            login: &self.inner.login,
            password: self.inner.password.expose_secret(),
            default_service_number: self.inner.default_service_number.as_deref(),
            request,
        })
        .map_err(|e| {
            whatsapp_common::ValidationError::new("request", format!("could not encode: {e}"))
        })?;
        let idempotency = if self.inner.duplicate_control {
            Idempotency::Idempotent
        } else {
            Idempotency::NotIdempotent
        };
        let req = Request::to_endpoint("send", Method::Post, &self.inner.send)
            .json_body(body)
            .idempotency(idempotency);
        let resp = self.inner.http.execute(&req, classify).await?;
        if resp.status() == 200 {
            return Ok(DecodeError::json(
                resp.status(),
                resp.body(),
                resp.is_truncated(),
            )?);
        }
        Err(GatewayError::from_response(
            resp.status(),
            resp.body(),
            resp.is_truncated(),
            resp.retry_after(),
        )
        .into())
    }

    /// Sends text to `to` with the client's defaults.
    pub async fn send_text(
        &self,
        to: PhoneNumber,
        text: impl Into<String>,
    ) -> Result<(SendRequest, SendResponse), Error> {
        let request = SendRequest::builder(to, InstantContent::text(text)).build()?;
        let response = self.send(&request).await?;
        Ok((request, response))
    }
}

#[async_trait::async_trait]
impl WhatsAppSender for Client {
    fn vendor(&self) -> &'static str {
        crate::VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::TEXT_ONLY
    }

    async fn send_text(&self, to: &PhoneNumber, text: &str) -> Result<SendReceipt, SendError> {
        let (request, response) = Client::send_text(self, to.clone(), text).await?;
        Ok(SendReceipt::new(
            crate::VENDOR,
            response.mt_num,
            Some(request.id().to_owned()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn classifies_documented_codes() {
        let body = |code: i64| format!(r#"{{"error":{{"code":{code},"description":"x"}}}}"#);
        assert_eq!(classify(503, body(1).as_bytes()), ResponseClass::RetrySafe);
        assert_eq!(classify(429, body(3).as_bytes()), ResponseClass::RetrySafe);
        for code in [2, 4, 5, 6, 7, 8, 9, 10, 11, 100, 77] {
            assert_eq!(
                classify(
                    ErrorCode::from_i64(code)
                        .documented_http_status()
                        .unwrap_or(400),
                    body(code).as_bytes()
                ),
                ResponseClass::Final,
                "code {code}"
            );
        }
        assert_eq!(classify(502, b"<html>"), ResponseClass::RetryIfIdempotent);
        assert_eq!(classify(500, b"<html>"), ResponseClass::Final);
        assert_eq!(classify(200, b"{}"), ResponseClass::Final);
    }
}
