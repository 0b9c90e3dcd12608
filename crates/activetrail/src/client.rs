//! The ActiveTrail client.

use std::fmt;
use std::sync::Arc;

use whatsapp_common::http::{Endpoint, Method, Request, SecretHeader};
use whatsapp_common::{
    Capabilities, ConfigError, ExposeSecret, HttpClient, HttpConfig, Idempotency, PhoneNumber,
    ResponseClass, SecretString, SendError, SendReceipt, Template, TemplateParameters,
    ValidationError, WhatsAppSender,
};

use crate::error::{ApiError, Error};
use crate::{Format, MobileFormat, OperationalMessage, SendResponse, TemplateRef};

/// ActiveTrail's API host (https, though the help page prints http).
pub const DEFAULT_BASE_URL: &str = "https://webapi.mymarketing.co.il";
/// Path of `SendOperationalMessage`.
pub const SEND_PATH: &str = "/api/whatsappcampaign/SendOperationalMessage";

/// An ActiveTrail client for WhatsApp operational messages: cheap to clone
/// (an `Arc` inside), `Send + Sync`.
///
/// ```no_run
/// # async fn run() -> Result<(), activetrail::Error> {
/// use activetrail::{Client, Format, OperationalMessage, TemplateRef};
///
/// let client = Client::builder("0X…your API token…").format(Format::Json).build()?;
/// let message = OperationalMessage::template(7, TemplateRef::new("order_shipped").variable("name", "Dana"))
///     .to("+972 50-123-4567".parse()?)
///     .build()?;
/// let sent = client.send(&message).await?;
/// println!("campaign {:?}", sent.campaign.and_then(|c| c.id));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: HttpClient,
    /// `Authorization: <token>`, built once.
    auth: SecretHeader,
    /// The send URL, resolved once.
    send: Endpoint,
    format: Format,
    mobile_format: MobileFormat,
    retry_sends: bool,
    default_profile: Option<i64>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("http", &self.inner.http)
            .field("token", &"*** redacted ***")
            .field("format", &self.inner.format)
            .field("mobile_format", &self.inner.mobile_format)
            .field("retry_sends", &self.inner.retry_sends)
            .finish()
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    http: HttpConfig,
    token: SecretString,
    format: Format,
    mobile_format: MobileFormat,
    retry_sends: bool,
    default_profile: Option<i64>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("http", &self.http)
            .field("token", &"*** redacted ***")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

whatsapp_common::impl_http_builder_methods!(ClientBuilder);

impl ClientBuilder {
    /// The wire format (default JSON). The same types go either way.
    #[must_use]
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// How numbers are written in `segment.mobiles` (default: international
    /// digits).
    #[must_use]
    pub fn mobile_format(mut self, format: MobileFormat) -> Self {
        self.mobile_format = format;
        self
    }

    /// Retry a send after a failure that may have reached ActiveTrail (a
    /// timeout, a dropped connection, 429, 502–504). Off by default:
    /// `SendOperationalMessage` has no idempotency key, so a retry may send
    /// the message twice. Connect failures are retried either way.
    #[must_use]
    pub fn retry_sends(mut self, on: bool) -> Self {
        self.retry_sends = on;
        self
    }

    /// The WhatsApp sending profile used by [`WhatsAppSender`] sends.
    #[must_use]
    pub fn default_profile(mut self, whatsapp_profile_id: i64) -> Self {
        self.default_profile = Some(whatsapp_profile_id);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let token = self.token.expose_secret();
        if token.trim().is_empty() {
            return Err(ConfigError::new("token", "must not be empty").into());
        }
        if token.chars().any(|c| c.is_control()) {
            return Err(ConfigError::new("token", "must not contain control characters").into());
        }
        let auth = SecretHeader::new("authorization", token).ok_or_else(|| {
            ConfigError::new("token", "has characters an HTTP header cannot carry")
        })?;
        let http = HttpClient::new(crate::VENDOR, self.http, Some(DEFAULT_BASE_URL))?;
        Ok(Client {
            inner: Arc::new(Inner {
                auth,
                send: http.endpoint(SEND_PATH)?,
                http,
                format: self.format,
                mobile_format: self.mobile_format,
                retry_sends: self.retry_sends,
                default_profile: self.default_profile,
            }),
        })
    }
}

impl Client {
    /// Starts building a client with an API token (Settings → API apps);
    /// it is sent as the raw `Authorization` value.
    pub fn builder(token: impl Into<SecretString>) -> ClientBuilder {
        ClientBuilder {
            http: HttpConfig::default(),
            token: token.into(),
            format: Format::Json,
            mobile_format: MobileFormat::default(),
            retry_sends: false,
            default_profile: None,
        }
    }

    /// The wire format in use.
    pub fn format(&self) -> Format {
        self.inner.format
    }

    /// The body this client sends for `message`, in its format.
    pub fn encode(&self, message: &OperationalMessage) -> Result<Vec<u8>, Error> {
        match self.inner.format {
            Format::Json => whatsapp_common::http::encode_json(
                &message.wire(self.inner.mobile_format),
            )
            .map_err(|e| ValidationError::new("message", format!("could not encode: {e}")).into()),
            #[cfg(feature = "xml")]
            Format::Xml => Ok(message.to_xml(self.inner.mobile_format).into_bytes()),
        }
    }

    /// Sends a WhatsApp operational message.
    ///
    /// Not retried after it may have reached ActiveTrail unless the client
    /// was built with `retry_sends(true)`.
    pub async fn send(&self, message: &OperationalMessage) -> Result<SendResponse, Error> {
        let body = self.encode(message)?;
        let content_type = self.inner.format.content_type();
        let idempotency = if self.inner.retry_sends {
            Idempotency::Idempotent
        } else {
            Idempotency::NotIdempotent
        };
        let req = Request::to_endpoint("SendOperationalMessage", Method::Post, &self.inner.send)
            .with_secret(&self.inner.auth)
            .header("accept", content_type)?
            .body_with_type(body, content_type)
            .idempotency(idempotency);
        let resp = self
            .inner
            .http
            .execute(&req, ResponseClass::by_status)
            .await?;
        if resp.is_success() {
            if resp.is_truncated() {
                return Err(whatsapp_common::DecodeError::new(
                    resp.status(),
                    ".",
                    "the body was longer than the client's max_response_bytes and was cut",
                    whatsapp_common::RawBody::capture(resp.body(), true),
                )
                .into());
            }
            return Ok(SendResponse::decode(self.inner.format, resp.body())?);
        }
        Err(ApiError::from_response(
            resp.status(),
            resp.body(),
            resp.is_truncated(),
            resp.retry_after(),
        )
        .into())
    }

    fn profile(&self) -> Result<i64, Error> {
        self.inner.default_profile.ok_or_else(|| {
            ConfigError::new(
                "default_profile",
                "set the WhatsApp sending profile with .default_profile(id) to send through WhatsAppSender",
            )
            .into()
        })
    }
}

#[async_trait::async_trait]
impl WhatsAppSender for Client {
    fn vendor(&self) -> &'static str {
        crate::VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }

    /// Free text: only within 24 hours of the contact's last reply; outside
    /// it, ActiveTrail fails the message.
    async fn send_text(&self, to: &PhoneNumber, text: &str) -> Result<SendReceipt, SendError> {
        let message = OperationalMessage::content(self.profile()?, text)
            .to(to.clone())
            .build()
            .map_err(Error::from)?;
        receipt(self.send(&message).await?)
    }

    async fn send_template(
        &self,
        to: &PhoneNumber,
        template: &Template,
    ) -> Result<SendReceipt, SendError> {
        let mut t = TemplateRef::new(template.name().as_str());
        match template.parameters() {
            TemplateParameters::Named(values) => {
                for (k, v) in values {
                    t = t.variable(k, v);
                }
            }
            TemplateParameters::Positional(values) => {
                // ActiveTrail names variables; positional values go under
                // their 1-based position.
                for (i, v) in values.iter().enumerate() {
                    t = t.variable((i + 1).to_string(), v);
                }
            }
            _ => {}
        }
        let message = OperationalMessage::template(self.profile()?, t)
            .to(to.clone())
            .build()
            .map_err(Error::from)?;
        receipt(self.send(&message).await?)
    }
}

fn receipt(r: SendResponse) -> Result<SendReceipt, SendError> {
    let id = r
        .campaign
        .and_then(|c| c.id)
        .map(|g| g.as_str().to_owned())
        .unwrap_or_default();
    Ok(SendReceipt::new(crate::VENDOR, id, None))
}
