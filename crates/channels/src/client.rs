//! The Bird Channels client.

use std::fmt;
use std::sync::Arc;

use whatsapp_common::http::{Endpoint, Method, Request, SecretHeader};
use whatsapp_common::{
    Capabilities, ConfigError, DecodeError, ExposeSecret, HttpClient, HttpConfig, Idempotency,
    PhoneNumber, ResponseClass, SecretString, SendError, SendReceipt, Template, TemplateParameters,
    ValidationError, WhatsAppSender,
};

use crate::error::{ApiError, Error};
use crate::model::check_uuid;
use crate::{
    BatchAccepted, BatchChunk, Body, ContactChannelInfo, Message, Parameter, SendRequest,
    TemplateMessage, TemplateVersion,
};

/// Bird's API host.
pub const DEFAULT_BASE_URL: &str = "https://api.bird.com";
/// Most messages in one batch request.
pub const MAX_BATCH: usize = 100;

/// A Bird Channels client for one WhatsApp channel: cheap to clone (an
/// `Arc` inside), `Send + Sync`.
///
/// ```no_run
/// # async fn run() -> Result<(), channels::Error> {
/// use channels::{Body, Client, SendRequest};
///
/// let client = Client::builder(
///     "your-access-key",
///     "3fa85f64-5717-4562-b3fc-2c963f66afa6", // workspace
///     "8e046034-bca7-5124-89d0-1a64c1cbe819", // channel
/// )
/// .build()?;
/// let to = "+31 6 12345678".parse()?;
/// let info = client.contact_channel_info("40d5c607-d73d-4d39-bc7f-5416cdb61ee8", None).await?;
/// if info.is_window_open() {
///     let sent = client.send(&SendRequest::builder(to, Body::text("Hello")).build()?).await?;
///     println!("{} is {:?}", sent.id, sent.status);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: HttpClient,
    /// `Authorization: AccessKey …`, built once.
    auth: SecretHeader,
    /// The channel's send and batch URLs, resolved once.
    send: Endpoint,
    batch: Endpoint,
    workspace_id: String,
    channel_id: String,
    template_project: Option<(String, String)>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("http", &self.inner.http)
            .field("access_key", &"*** redacted ***")
            .field("workspace_id", &self.inner.workspace_id)
            .field("channel_id", &self.inner.channel_id)
            .finish()
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    http: HttpConfig,
    access_key: SecretString,
    workspace_id: String,
    channel_id: String,
    template_project: Option<(String, String)>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("http", &self.http)
            .field("access_key", &"*** redacted ***")
            .field("workspace_id", &self.workspace_id)
            .field("channel_id", &self.channel_id)
            .finish_non_exhaustive()
    }
}

whatsapp_common::impl_http_builder_methods!(ClientBuilder);

impl ClientBuilder {
    /// Maps the vendor-neutral [`WhatsAppSender::send_template`] onto Bird
    /// templates: Bird addresses a template by project id, not by name, so
    /// sends through the trait use this project (and `locale` from the
    /// template's language).
    #[must_use]
    pub fn template_project(
        mut self,
        project_id: impl Into<String>,
        version: impl Into<String>,
    ) -> Self {
        self.template_project = Some((project_id.into(), version.into()));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        if self.access_key.expose_secret().trim().is_empty() {
            return Err(ConfigError::new("access_key", "must not be empty").into());
        }
        check_uuid(&self.workspace_id, "workspaceId")
            .map_err(|e| ConfigError::new("workspace_id", e.reason().to_owned()))?;
        check_uuid(&self.channel_id, "channelId")
            .map_err(|e| ConfigError::new("channel_id", e.reason().to_owned()))?;
        // The joined value is a secret too: zeroed when it is dropped.
        let value = SecretString::from(format!("AccessKey {}", self.access_key.expose_secret()));
        let auth = SecretHeader::new("authorization", value.expose_secret()).ok_or_else(|| {
            ConfigError::new("access_key", "has characters an HTTP header cannot carry")
        })?;
        let http = HttpClient::new(crate::VENDOR, self.http, Some(DEFAULT_BASE_URL))?;
        let path = |rest: &str| {
            format!(
                "/workspaces/{}/channels/{}{rest}",
                self.workspace_id, self.channel_id
            )
        };
        Ok(Client {
            inner: Arc::new(Inner {
                auth,
                send: http.endpoint(&path("/messages"))?,
                batch: http.endpoint(&path("/batch/messages"))?,
                http,
                workspace_id: self.workspace_id,
                channel_id: self.channel_id,
                template_project: self.template_project,
            }),
        })
    }
}

/// 429: Bird says the request was not processed. 5xx: retried only for reads.
fn classify(status: u16, _body: &[u8]) -> ResponseClass {
    match status {
        429 => ResponseClass::RetrySafe,
        500..=599 => ResponseClass::RetryIfIdempotent,
        _ => ResponseClass::Final,
    }
}

fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Client {
    /// Starts building a client with an access key, a workspace id and the
    /// WhatsApp channel id (both UUIDs).
    pub fn builder(
        access_key: impl Into<SecretString>,
        workspace_id: impl Into<String>,
        channel_id: impl Into<String>,
    ) -> ClientBuilder {
        ClientBuilder {
            http: HttpConfig::default(),
            access_key: access_key.into(),
            workspace_id: workspace_id.into(),
            channel_id: channel_id.into(),
            template_project: None,
        }
    }

    fn path(&self, rest: &str) -> String {
        format!(
            "/workspaces/{}/channels/{}{rest}",
            self.inner.workspace_id, self.inner.channel_id
        )
    }

    /// `req` with the access key and `Accept: application/json`.
    fn authorized(&self, req: Request) -> Result<Request, Error> {
        Ok(req
            .with_secret(&self.inner.auth)
            .header("accept", "application/json")?)
    }

    async fn call<T: serde::de::DeserializeOwned>(&self, req: Request) -> Result<T, Error> {
        let resp = self.inner.http.execute(&req, classify).await?;
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

    /// Sends a message (`202 Accepted` with the message object).
    ///
    /// Not retried once it may have reached Bird (sends carry no
    /// idempotency key); a 429, which Bird documents as "not processed",
    /// and connect failures are retried.
    pub async fn send(&self, request: &SendRequest) -> Result<Message, Error> {
        let body = whatsapp_common::http::encode_json(request)
            .map_err(|e| ValidationError::new("request", format!("could not encode: {e}")))?;
        let req = self
            .authorized(Request::to_endpoint(
                "createChannelMessage",
                Method::Post,
                &self.inner.send,
            ))?
            .json_body(body)
            .idempotency(Idempotency::NotIdempotent);
        self.call(req).await
    }

    /// The contact's channel details: when the 24-hour window closes.
    /// `contact_id` is Bird's contact UUID; `identifier_value` optionally
    /// narrows to one of the contact's identifiers.
    pub async fn contact_channel_info(
        &self,
        contact_id: &str,
        identifier_value: Option<&str>,
    ) -> Result<ContactChannelInfo, Error> {
        check_uuid(contact_id, "contactId")?;
        let mut path = self.path(&format!("/contacts/{contact_id}"));
        if let Some(v) = identifier_value {
            path.push_str("?contactIdentifierValue=");
            path.push_str(&encode_query(v));
        }
        let req = self
            .authorized(Request::new(
                "getChannelContactInformation",
                Method::Get,
                path,
            ))?
            .idempotency(Idempotency::Idempotent);
        self.call(req).await
    }

    /// Sends many messages through the batch endpoint, 100 per request,
    /// one request after another. Each chunk's result is reported; a failed
    /// chunk does not stop the others.
    pub async fn send_batch(&self, requests: &[SendRequest]) -> Vec<BatchChunk> {
        let mut out = Vec::with_capacity(requests.len().div_ceil(MAX_BATCH));
        for (n, chunk) in requests.chunks(MAX_BATCH).enumerate() {
            let result = self.send_chunk(chunk).await.map_err(std::sync::Arc::new);
            out.push(BatchChunk {
                first_index: n * MAX_BATCH,
                len: chunk.len(),
                result,
            });
        }
        out
    }

    async fn send_chunk(&self, chunk: &[SendRequest]) -> Result<BatchAccepted, Error> {
        #[derive(serde::Serialize)]
        struct Batch<'a> {
            messages: &'a [SendRequest],
        }
        let body = whatsapp_common::http::encode_json(&Batch { messages: chunk })
            .map_err(|e| ValidationError::new("messages", format!("could not encode: {e}")))?;
        let req = self
            .authorized(Request::to_endpoint(
                "createChannelBatchMessages",
                Method::Post,
                &self.inner.batch,
            ))?
            .json_body(body)
            .idempotency(Idempotency::NotIdempotent);
        self.call(req).await
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

    /// Text: delivered only inside the 24-hour window (check with
    /// [`Client::contact_channel_info`]).
    async fn send_text(&self, to: &PhoneNumber, text: &str) -> Result<SendReceipt, SendError> {
        let request = SendRequest::builder(to.clone(), Body::text(text))
            .build()
            .map_err(Error::from)?;
        let m = self.send(&request).await?;
        Ok(SendReceipt::new(crate::VENDOR, m.id, None))
    }

    /// A template of the project set with
    /// [`ClientBuilder::template_project`]; parameters by name (positional
    /// values are named `1`, `2`, …).
    async fn send_template(
        &self,
        to: &PhoneNumber,
        template: &Template,
    ) -> Result<SendReceipt, SendError> {
        let (project, version) = self.inner.template_project.clone().ok_or_else(|| {
            Error::from(ConfigError::new(
                "template_project",
                "Bird addresses templates by project id: set .template_project(id, version)",
            ))
        })?;
        let version = if version == "latest" {
            TemplateVersion::Latest
        } else {
            TemplateVersion::Id(version)
        };
        let mut t = TemplateMessage::new(project, version, template.language().with_separator('-'))
            .name(template.name().as_str());
        match template.parameters() {
            TemplateParameters::Named(values) => {
                for (k, v) in values {
                    t = t.parameter(Parameter::string(k, v));
                }
            }
            TemplateParameters::Positional(values) => {
                for (i, v) in values.iter().enumerate() {
                    t = t.parameter(Parameter::string((i + 1).to_string(), v));
                }
            }
            _ => {}
        }
        let request = SendRequest::builder(to.clone(), t)
            .build()
            .map_err(Error::from)?;
        let m = self.send(&request).await?;
        Ok(SendReceipt::new(crate::VENDOR, m.id, None))
    }
}
