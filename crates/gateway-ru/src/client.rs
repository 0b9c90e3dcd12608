//! The gateway client.

use std::sync::Arc;

use whatsapp_common::http::{Endpoint, Method};
use whatsapp_common::{ExposeSecret, HttpClient, HttpConfig, SecretString, validate};

use crate::protocol::Gateway;
use crate::{Error, SendRequest, SendResponse};
use whatsapp_common::Accepted;

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
/// println!("mtNum {:?} for id {}", accepted.mt_num, request.id());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: HttpClient,
    /// The partner URI, resolved once.
    send: Endpoint,
    login: String,
    password: SecretString,
    default_service_number: Option<String>,
}

/// Builds a [`Client`]. The base URL is required: the gateway issues each
/// partner its own URI.
///
/// Sends carry a partner-side `id` (the same on every attempt). With the
/// gateway's duplicate control on for your account (it is switched on
/// separately, on request), the gateway sends a message once per `id`:
/// then build with `.send_retries(SendRetries::IfDeduplicated)`, and a send
/// that may have reached the gateway (a timeout, a dropped connection, a
/// 502/504) is retried with the same `id`. By default such a send is not
/// retried; refusals the gateway documents as "not processed" (codes 1 and
/// 3) and connect failures are retried either way.
#[derive(Debug)]
pub struct ClientBuilder {
    http: HttpConfig,
    login: String,
    password: SecretString,
    default_service_number: Option<String>,
}

whatsapp_common::impl_http_builder_methods!(ClientBuilder, Client, Error);

impl ClientBuilder {
    /// The sender name used when a request sets none (`serviceNumber`).
    #[must_use]
    pub fn default_service_number(mut self, name: impl Into<String>) -> Self {
        self.default_service_number = Some(name.into());
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        validate::credential(&self.login, "login")?;
        validate::credential(self.password.expose_secret(), "password")?;
        if let Some(name) = &self.default_service_number {
            validate::credential(name, "default_service_number")?;
        }
        let http = HttpClient::new(crate::VENDOR, self.http, None)?;
        Ok(Client {
            inner: Arc::new(Inner {
                send: http.endpoint("")?,
                http,
                login: self.login,
                password: self.password,
                default_service_number: self.default_service_number,
            }),
        })
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
        }
    }

    /// The URI requests are posted to.
    pub fn base_url(&self) -> &str {
        self.inner.http.base_url()
    }

    /// The sender name used when a request sets none.
    pub fn default_service_number(&self) -> Option<&str> {
        self.inner.default_service_number.as_deref()
    }

    /// Sends a WhatsApp message.
    ///
    /// Returns the gateway's acceptance (`mtNum`). A refusal is
    /// [`Error::Vendor`](whatsapp_common::Error::Vendor): code 10
    /// ([`ApiError::is_already_sent`](crate::ApiError::is_already_sent))
    /// means a message with this `id` was already accepted.
    pub async fn send(&self, request: &SendRequest) -> Result<SendResponse, Error> {
        let inner = &*self.inner;
        let body = whatsapp_common::http::encode_json(&request.wire(
            &inner.login,
            inner.password.expose_secret(),
            inner.default_service_number.as_deref(),
        ))?;
        let req = inner
            .http
            .request("send", Method::Post, &inner.send)
            .json_body(body);
        let accepted: Accepted<SendResponse> = inner.http.call_accepted(&Gateway, &req).await?;
        Ok(accepted.into())
    }
}
