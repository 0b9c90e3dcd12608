//! The ActiveTrail client.

use whatsapp_common::http::{Endpoint, Method};
use whatsapp_common::{ConfigError, ExposeSecret, HttpClient, HttpConfig, SecretString, validate};

use crate::protocol::ActiveTrail;
use crate::{Error, Format, MobileFormat, OperationalMessage, SendResponse};

/// ActiveTrail's API host (https, though the help page prints http).
pub const DEFAULT_BASE_URL: &str = "https://webapi.mymarketing.co.il";
/// Path of `SendOperationalMessage`.
pub const SEND_PATH: &str = "/api/whatsappcampaign/SendOperationalMessage";

/// An ActiveTrail client for WhatsApp operational messages: cheap to clone
/// (the connection pool and the send URL are shared), `Send + Sync`.
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
#[derive(Clone, Debug)]
pub struct Client {
    http: HttpClient,
    /// The send URL, resolved once.
    send: Endpoint,
    protocol: ActiveTrail,
    mobile_format: MobileFormat,
    default_profile: Option<i64>,
}

/// Builds a [`Client`].
///
/// `SendOperationalMessage` has no de-duplication id: ActiveTrail cannot
/// tell a retried send from a new one. By default
/// ([`SendRetries::IfNotProcessed`](crate::SendRetries::IfNotProcessed)) a
/// send is retried only when the request never left (a failed connect).
/// With `.send_retries(SendRetries::IfDeduplicated)` a send that may have
/// reached ActiveTrail (a timeout, a dropped connection, 429, 502–504) is
/// retried too, and **may deliver the message twice**.
#[derive(Debug)]
pub struct ClientBuilder {
    http: HttpConfig,
    token: SecretString,
    format: Format,
    mobile_format: MobileFormat,
    default_profile: Option<i64>,
}

whatsapp_common::impl_http_builder_methods!(ClientBuilder, Client, Error);

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

    /// The WhatsApp sending profile used by
    /// [`WhatsAppSender`](crate::WhatsAppSender) sends.
    #[must_use]
    pub fn default_profile(mut self, whatsapp_profile_id: i64) -> Self {
        self.default_profile = Some(whatsapp_profile_id);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let token = self.token.expose_secret();
        validate::credential(token, "token")?;
        if token.chars().any(|c| c.is_control()) {
            return Err(ConfigError::new("token", "must not contain control characters").into());
        }
        let mut config = self.http;
        config.set_credential("authorization", token, "token")?;
        let http = HttpClient::new(crate::VENDOR, config, Some(DEFAULT_BASE_URL))?;
        Ok(Client {
            send: http.endpoint(SEND_PATH)?,
            http,
            protocol: ActiveTrail {
                format: self.format,
            },
            mobile_format: self.mobile_format,
            default_profile: self.default_profile,
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
            default_profile: None,
        }
    }

    /// The wire format in use.
    pub fn format(&self) -> Format {
        self.protocol.format
    }

    /// The body this client sends for `message`, in its format.
    pub fn encode(&self, message: &OperationalMessage) -> Result<Vec<u8>, Error> {
        let mobiles = self.mobile_format;
        match self.format() {
            Format::Json => Ok(whatsapp_common::http::encode_json(&message.wire(mobiles))?),
            #[cfg(feature = "xml")]
            Format::Xml => Ok(message.to_xml(mobiles).into_bytes()),
        }
    }

    /// Sends a WhatsApp operational message.
    ///
    /// The answer is read leniently: a value that does not fit its type is
    /// left out and named in [`SendResponse::warnings`]; only an answer
    /// that is not JSON (or well-formed XML) at all is an
    /// [`Error::Decode`](whatsapp_common::Error::Decode), which says that
    /// ActiveTrail accepted the request.
    ///
    /// Not retried after it may have reached ActiveTrail unless the client
    /// was built with `send_retries(SendRetries::IfDeduplicated)` (see
    /// [`ClientBuilder`]).
    pub async fn send(&self, message: &OperationalMessage) -> Result<SendResponse, Error> {
        let body = self.encode(message)?;
        let content_type = self.format().content_type();
        let req = self
            .http
            .request("SendOperationalMessage", Method::Post, &self.send)
            .header("accept", content_type)?
            .body_with_type(body, content_type)?;
        // Read leniently: ActiveTrail accepted the message, so a value
        // that does not fit is a warning on the answer, not an error the
        // caller would resend on.
        let response = self.http.execute(&self.protocol, &req).await?;
        Ok(crate::codec::accept_send_response(
            self.format(),
            response.status(),
            response.body(),
            response.is_truncated(),
        )?)
    }

    /// The sending profile for [`WhatsAppSender`](crate::WhatsAppSender)
    /// sends.
    pub(crate) fn default_profile(&self) -> Result<i64, Error> {
        self.default_profile.ok_or_else(|| {
            ConfigError::new(
                "default_profile",
                "set the WhatsApp sending profile with .default_profile(id) to send through WhatsAppSender",
            )
            .into()
        })
    }
}
