//! The Bird Channels client.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use whatsapp_common::http::{Endpoint, Method, Request, encode_json};
use whatsapp_common::{
    ConfigError, ExposeSecret, HttpClient, HttpConfig, Idempotency, SecretString, ValidationError,
    validate,
};

use crate::model::batch::BatchRequest;
use crate::protocol::Bird;
use crate::{BatchAccepted, BatchChunk, ContactChannelInfo, Error, Message, SendRequest};
use crate::{TemplateVersion, VENDOR};

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
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: HttpClient,
    /// The channel's send and batch URLs, resolved once.
    send: Endpoint,
    batch: Endpoint,
    /// `/workspaces/{workspaceId}/channels/{channelId}`.
    channel_path: String,
    template_project: Option<(String, TemplateVersion)>,
}

/// Builds a [`Client`].
///
/// Bird documents no de-duplication for sends: a send carries no id Bird
/// would recognise on a second attempt. By default
/// ([`SendRetries::IfNotProcessed`](crate::SendRetries::IfNotProcessed)) a
/// send is retried only after a 429, which Bird documents as "not
/// processed", or a connection that was never made.
/// `.send_retries(SendRetries::IfDeduplicated)` also retries a send after a
/// timeout, a dropped connection or a 502/503/504, any of which Bird may
/// have acted on: the message may then be delivered twice. The contact
/// read is retried after those either way.
#[derive(Debug)]
pub struct ClientBuilder {
    http: HttpConfig,
    access_key: SecretString,
    workspace_id: String,
    channel_id: String,
    template_project: Option<(String, TemplateVersion)>,
}

whatsapp_common::impl_http_builder_methods!(ClientBuilder, Client, Error);

impl ClientBuilder {
    /// Maps the vendor-neutral
    /// [`WhatsAppSender::send_template`](crate::WhatsAppSender::send_template)
    /// onto Bird templates: Bird addresses a template by project id, not by
    /// name, so sends through the trait use this project at this version
    /// (`latest` or a version id), and `locale` from the template's
    /// language.
    #[must_use]
    pub fn template_project(
        mut self,
        project_id: impl Into<String>,
        version: impl Into<String>,
    ) -> Self {
        let version = version.into();
        let version = if version == "latest" {
            TemplateVersion::Latest
        } else {
            TemplateVersion::Id(version)
        };
        self.template_project = Some((project_id.into(), version));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let config = |field, e: ValidationError| ConfigError::new(field, e.reason().to_owned());
        validate::credential(self.access_key.expose_secret(), "access_key")?;
        validate::uuid(&self.workspace_id, "workspaceId").map_err(|e| config("workspace_id", e))?;
        validate::uuid(&self.channel_id, "channelId").map_err(|e| config("channel_id", e))?;
        // The joined value is a secret too: zeroed when it is dropped.
        let value = SecretString::from(format!("AccessKey {}", self.access_key.expose_secret()));
        let mut http = self.http;
        http.set_credential("authorization", value.expose_secret(), "access_key")?;
        let http = HttpClient::new(VENDOR, http, Some(DEFAULT_BASE_URL))?;
        let channel_path = format!(
            "/workspaces/{}/channels/{}",
            self.workspace_id, self.channel_id
        );
        Ok(Client {
            inner: Arc::new(Inner {
                send: http.endpoint(&format!("{channel_path}/messages"))?,
                batch: http.endpoint(&format!("{channel_path}/batch/messages"))?,
                http,
                channel_path,
                template_project: self.template_project,
            }),
        })
    }
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

    /// The project and version set with [`ClientBuilder::template_project`].
    pub(crate) fn template_project(&self) -> Option<&(String, TemplateVersion)> {
        self.inner.template_project.as_ref()
    }

    /// `req` with `Accept: application/json` (the client adds the access
    /// key).
    fn authorized(&self, req: Request) -> Result<Request, Error> {
        Ok(req.header("accept", "application/json")?)
    }

    async fn call<T: DeserializeOwned>(&self, req: Request) -> Result<T, Error> {
        self.inner.http.call(&Bird, &req).await
    }

    /// Sends a message (`202 Accepted` with the message object).
    ///
    /// Sends carry no de-duplication id: by default a send that may have
    /// reached Bird is not retried (see [`ClientBuilder`]); a 429, which
    /// Bird documents as "not processed", and connect failures are.
    pub async fn send(&self, request: &SendRequest) -> Result<Message, Error> {
        let body = encode_json(request)?;
        let req = self
            .inner
            .http
            .request("createChannelMessage", Method::Post, &self.inner.send);
        self.call(self.authorized(req)?.json_body(body)).await
    }

    /// The contact's channel details: when the 24-hour window closes.
    /// `contact_id` is Bird's contact UUID; `identifier_value` optionally
    /// narrows to one of the contact's identifiers. A read: retried after
    /// any transient failure.
    pub async fn contact_channel_info(
        &self,
        contact_id: &str,
        identifier_value: Option<&str>,
    ) -> Result<ContactChannelInfo, Error> {
        validate::uuid(contact_id, "contactId")?;
        let mut path = format!("{}/contacts/{contact_id}", self.inner.channel_path);
        if let Some(v) = identifier_value {
            path.push_str("?contactIdentifierValue=");
            path.push_str(&validate::percent_encode(v, b""));
        }
        let req = self
            .inner
            .http
            .request_path("getChannelContactInformation", Method::Get, path);
        self.call(self.authorized(req)?.idempotency(Idempotency::Idempotent))
            .await
    }

    /// Sends many messages through the batch endpoint, 100 per request,
    /// one request after another. Each chunk's result is reported; a failed
    /// chunk does not stop the others.
    pub async fn send_batch(&self, requests: &[SendRequest]) -> Vec<BatchChunk> {
        let mut out = Vec::with_capacity(requests.len().div_ceil(MAX_BATCH));
        for (n, chunk) in requests.chunks(MAX_BATCH).enumerate() {
            let result = self.send_chunk(chunk).await.map_err(Arc::new);
            out.push(BatchChunk {
                first_index: n * MAX_BATCH,
                len: chunk.len(),
                result,
            });
        }
        out
    }

    async fn send_chunk(&self, chunk: &[SendRequest]) -> Result<BatchAccepted, Error> {
        let body = encode_json(&BatchRequest { messages: chunk })?;
        let req = self.inner.http.request(
            "createChannelBatchMessages",
            Method::Post,
            &self.inner.batch,
        );
        self.call(self.authorized(req)?.json_body(body)).await
    }
}
