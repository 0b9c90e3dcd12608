//! The Blip client.

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use whatsapp_common::http::{Endpoint, Method, Request, SecretHeader};
use whatsapp_common::{
    Capabilities, ConfigError, DecodeError, ExposeSecret, HttpClient, HttpConfig, Idempotency,
    PhoneNumber, RawBody, ResponseClass, SecretString, SendError, SendReceipt, Template,
    TemplateParameters, ValidationError, WhatsAppSender,
};

use crate::lime::{TypedAnswer, decode_resource};
use crate::{
    Audience, Campaign, CampaignInfo, CampaignMessage, CampaignReport, CampaignSummary, Collection,
    Command, CommandMethod, CommandResponse, CommandStatus, DynamicCampaign, Error, FullCampaign,
    Message, SummaryFilter, audience_csv,
    model::{audiences_json_len, encode, validate_batch},
};

/// Most audiences sent in one `/audiences/v2/{id}` command (the client
/// splits longer lists). Blip documents no cap; this one keeps a command
/// well under the server's 60-second answer limit.
pub const MAX_AUDIENCES_PER_COMMAND: usize = 5_000;

/// MIME type of `/campaign/full`.
pub const FULL_CAMPAIGN_TYPE: &str = "application/vnd.iris.activecampaign.full-campaign+json";
/// MIME type of `/campaign/v2`.
pub const DYNAMIC_CAMPAIGN_TYPE: &str = "application/vnd.iris.activecampaign.campaign-dynamic+json";
/// MIME type of a campaign (`/dispatch/v2`).
pub const CAMPAIGN_TYPE: &str = "application/vnd.iris.activecampaign.campaign+json";
/// MIME type of a LIME collection.
pub const COLLECTION_TYPE: &str = "application/vnd.lime.collection+json";
/// MIME type of an audience item (**unverified**).
pub const AUDIENCE_TYPE: &str = "application/vnd.iris.activecampaign.audience+json";

/// The command envelope, serialised with the resource borrowed.
fn encode_envelope<R: serde::Serialize + ?Sized>(
    id: &str,
    to: &str,
    method: &CommandMethod,
    uri: &str,
    resource_type: Option<&str>,
    resource: Option<&R>,
    capacity: usize,
) -> Result<Vec<u8>, Error> {
    #[derive(serde::Serialize)]
    struct Envelope<'a, R: serde::Serialize + ?Sized> {
        id: &'a str,
        to: &'a str,
        method: &'a CommandMethod,
        uri: &'a str,
        #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
        resource_type: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        resource: Option<&'a R>,
    }
    // Sized up front: a large batch is written once, without the copies
    // (and the doubled peak) of a growing buffer.
    let mut out = Vec::with_capacity(capacity + 256);
    serde_json::to_writer(
        &mut out,
        &Envelope {
            id,
            to,
            method,
            uri,
            resource_type,
            resource,
        },
    )
    .map(|()| out)
    .map_err(|e| ValidationError::new("command", format!("could not encode: {e}")).into())
}

/// A Blip Active Campaign client: cheap to clone, `Send + Sync`.
///
/// ```no_run
/// # async fn run() -> Result<(), blip_campaign::Error> {
/// use blip_campaign::{Audience, CampaignInfo, Client, FullCampaign, Message};
///
/// let client = Client::builder("Key bWVzc2FnaW5naHViQHRha2VuZXQuY29tLmJyOjEyMzQ=")
///     .contract("your-contract-id")
///     .build()?;
/// let campaign = FullCampaign::individual(
///     CampaignInfo::new("welcome-ana"),
///     Audience::new("+5531999999999".parse()?).param("1", "Ana"),
///     Message::whatsapp("welcome", ["1"]),
/// )
/// .build()?;
/// let created = client.create_full_campaign(&campaign).await?;
/// println!("campaign {} is {:?}", created.id, created.status);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: HttpClient,
    /// `Authorization: Key …`, built once.
    auth: SecretHeader,
    /// `/commands`, resolved once.
    commands: Endpoint,
    retry_sets: bool,
    dispatched: Mutex<HashSet<String>>,
    default_campaign: Option<(String, String)>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("http", &self.inner.http)
            .field("key", &"*** redacted ***")
            .field("retry_sets", &self.inner.retry_sets)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    http: HttpConfig,
    key: SecretString,
    contract: Option<String>,
    retry_sets: bool,
    default_campaign: Option<(String, String)>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("http", &self.http)
            .field("key", &"*** redacted ***")
            .field("contract", &self.contract)
            .finish_non_exhaustive()
    }
}

whatsapp_common::impl_http_builder_methods!(ClientBuilder);

fn base64(input: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

impl ClientBuilder {
    /// Your contract id: requests go to `https://{contract}.http.msging.net/commands`.
    #[must_use]
    pub fn contract(mut self, contract_id: impl Into<String>) -> Self {
        self.contract = Some(contract_id.into());
        self
    }

    /// Retry `set` and `delete` commands after a failure that may have
    /// reached Blip (timeouts, 502–504). Off by default. Reads, 429 and
    /// connect failures are retried either way, with the same command id.
    #[must_use]
    pub fn retry_sets(mut self, on: bool) -> Self {
        self.retry_sets = on;
        self
    }

    /// For [`WhatsAppSender::send_template`]: the flow and state replies go to.
    #[must_use]
    pub fn default_flow(mut self, flow_id: impl Into<String>, state_id: impl Into<String>) -> Self {
        self.default_campaign = Some((flow_id.into(), state_id.into()));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let key = self.key.expose_secret().trim();
        if key.is_empty() || key == "Key" {
            return Err(ConfigError::new("key", "must not be empty").into());
        }
        let key: SecretString = if key.starts_with("Key ") {
            key.to_owned().into()
        } else {
            format!("Key {key}").into()
        };
        let auth = SecretHeader::new("authorization", key.expose_secret())
            .ok_or_else(|| ConfigError::new("key", "has characters an HTTP header cannot carry"))?;
        let mut http = self.http;
        if http.base_url().is_none() {
            match &self.contract {
                Some(c)
                    if !c.trim().is_empty()
                        && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-') =>
                {
                    http.set_base_url(format!("https://{c}.http.msging.net"));
                }
                Some(c) => {
                    return Err(ConfigError::new(
                        "contract",
                        format!("{c:?} is not a contract id"),
                    )
                    .into());
                }
                None => {
                    return Err(ConfigError::new(
                        "contract",
                        "set your contract id with .contract(…) (or a full .base_url(…))",
                    )
                    .into());
                }
            }
        }
        let http = HttpClient::new(crate::VENDOR, http, None)?;
        Ok(Client {
            inner: Arc::new(Inner {
                commands: http.endpoint("/commands")?,
                auth,
                http,
                retry_sets: self.retry_sets,
                dispatched: Mutex::new(HashSet::new()),
                default_campaign: self.default_campaign,
            }),
        })
    }
}

/// The resource of a successful answer as `T`; a failure as
/// [`Error::Command`].
pub(crate) fn typed_resource<T: DeserializeOwned>(
    answer: TypedAnswer,
    uri: &str,
) -> Result<T, Error> {
    match answer.status {
        CommandStatus::Success => Ok(decode_resource(answer.resource.as_deref())?),
        _ => Err(Error::Command {
            uri: uri.to_owned(),
            reason: answer.reason.unwrap_or_default(),
        }),
    }
}

/// The body that sends `command` as it stands.
fn command_body(command: &Command) -> Result<Vec<u8>, Error> {
    encode_envelope(
        &command.id,
        &command.to,
        &command.method,
        &command.uri,
        command.resource_type.as_deref(),
        command.resource.as_ref(),
        0,
    )
}

fn classify(status: u16, _body: &[u8]) -> ResponseClass {
    match status {
        429 => ResponseClass::RetrySafe,
        other => ResponseClass::from_status(other),
    }
}

impl Client {
    /// Starts building a client with the bot's key: the full `Key …` value
    /// from the portal, or just the base64 part. Behind a router, use the
    /// router bot's key.
    pub fn builder(key: impl Into<SecretString>) -> ClientBuilder {
        ClientBuilder {
            http: HttpConfig::default(),
            key: key.into(),
            contract: None,
            retry_sets: false,
            default_campaign: None,
        }
    }

    /// Starts building a client from the bot identifier and access key
    /// (`Key base64(identifier:accessKey)`).
    pub fn builder_from_credentials(identifier: &str, access_key: &SecretString) -> ClientBuilder {
        let raw = format!("{identifier}:{}", access_key.expose_secret());
        Self::builder(format!("Key {}", base64(raw.as_bytes())))
    }

    /// Sends any LIME command and returns its envelope, success or failure.
    /// The escape hatch for anything the typed operations do not cover.
    pub async fn send_command(&self, command: &Command) -> Result<CommandResponse, Error> {
        let body = command_body(command)?;
        self.post(&command.method, body).await
    }

    /// Posts a command and reads its envelope as `A` (the public
    /// [`CommandResponse`], or the client's own typed answer).
    async fn post<A: DeserializeOwned>(
        &self,
        method: &CommandMethod,
        body: Vec<u8>,
    ) -> Result<A, Error> {
        let idempotency = match method {
            CommandMethod::Get => Idempotency::Idempotent,
            _ if self.inner.retry_sets => Idempotency::Idempotent,
            _ => Idempotency::NotIdempotent,
        };
        let req = Request::to_endpoint("command", Method::Post, &self.inner.commands)
            .with_secret(&self.inner.auth)
            .json_body(body)
            .idempotency(idempotency);
        let resp = self.inner.http.execute(&req, classify).await?;
        if !resp.is_success() {
            return Err(Error::Http {
                status: resp.status(),
                raw_body: RawBody::capture(resp.body(), resp.is_truncated()),
                retry_after: resp.retry_after(),
            });
        }
        Ok(DecodeError::json(
            resp.status(),
            resp.body(),
            resp.is_truncated(),
        )?)
    }

    /// Sends a command whose resource is serialised straight into the body
    /// (no intermediate JSON tree: a 100,000-audience campaign stays cheap).
    async fn run_resource<R: serde::Serialize, T: DeserializeOwned>(
        &self,
        method: CommandMethod,
        uri: &str,
        resource_type: &str,
        resource: &R,
        capacity: usize,
    ) -> Result<T, Error> {
        let body = encode_envelope(
            &whatsapp_common::new_id(),
            crate::POSTMASTER,
            &method,
            uri,
            Some(resource_type),
            Some(resource),
            capacity,
        )?;
        let answer: TypedAnswer = self.post(&method, body).await?;
        typed_resource(answer, uri)
    }

    /// The body [`Client::create_full_campaign`] sends for `campaign` (with
    /// a fresh command id): to inspect or to measure.
    pub fn encode_full_campaign(campaign: &FullCampaign) -> Result<Vec<u8>, Error> {
        encode_envelope(
            &whatsapp_common::new_id(),
            crate::POSTMASTER,
            &CommandMethod::Set,
            "/campaign/full",
            Some(FULL_CAMPAIGN_TYPE),
            Some(campaign),
            campaign.json_len_hint(),
        )
    }

    /// Sends a command; a failure envelope becomes [`Error::Command`].
    async fn run(&self, command: Command) -> Result<CommandResponse, Error> {
        let resp = self.send_command(&command).await?;
        match resp.status {
            CommandStatus::Success => Ok(resp),
            _ => Err(Error::Command {
                uri: command.uri,
                reason: resp.reason.unwrap_or_default(),
            }),
        }
    }

    async fn run_typed<T: DeserializeOwned>(&self, command: Command) -> Result<T, Error> {
        let body = command_body(&command)?;
        let answer: TypedAnswer = self.post(&command.method, body).await?;
        typed_resource(answer, &command.uri)
    }

    /// Creates and sends a campaign in one command (`set /campaign/full`).
    pub async fn create_full_campaign(&self, campaign: &FullCampaign) -> Result<Campaign, Error> {
        self.run_resource(
            CommandMethod::Set,
            "/campaign/full",
            FULL_CAMPAIGN_TYPE,
            campaign,
            campaign.json_len_hint(),
        )
        .await
    }

    /// Creates a dynamic campaign (`set /campaign/v2`); add audiences, then dispatch.
    pub async fn create_campaign(&self, campaign: &DynamicCampaign) -> Result<Campaign, Error> {
        let resource = serde_json::to_value(campaign)
            .map_err(|e| ValidationError::new("campaign", e.to_string()))?;
        self.run_typed(
            Command::new(CommandMethod::Set, "/campaign/v2")
                .with_resource(DYNAMIC_CAMPAIGN_TYPE, resource),
        )
        .await
    }

    /// Adds audiences to a dynamic campaign (`set /audiences/v2/{id}`),
    /// [`MAX_AUDIENCES_PER_COMMAND`] per command. **Unverified** body: a LIME
    /// collection of `{recipient, messageParams, contextVariables}`. Every
    /// audience must supply each of `message`'s parameters.
    pub async fn add_audiences(
        &self,
        campaign_id: &str,
        message: &Message,
        audiences: &[Audience],
    ) -> Result<usize, Error> {
        self.check_open(campaign_id)?;
        if audiences.is_empty() {
            return Err(
                ValidationError::new("audiences", "at least one audience is required").into(),
            );
        }
        // Validated through the same rules as a batch campaign.
        validate_batch(message, audiences)?;
        let mut commands = 0;
        #[derive(serde::Serialize)]
        struct Items<'a> {
            #[serde(rename = "itemType")]
            item_type: &'a str,
            total: usize,
            items: &'a [Audience],
        }
        let uri = format!("/audiences/v2/{}", encode(campaign_id));
        for chunk in audiences.chunks(MAX_AUDIENCES_PER_COMMAND) {
            let items = Items {
                item_type: AUDIENCE_TYPE,
                total: chunk.len(),
                items: chunk,
            };
            let _: Value = self
                .run_resource(
                    CommandMethod::Set,
                    &uri,
                    COLLECTION_TYPE,
                    &items,
                    audiences_json_len(chunk),
                )
                .await?;
            commands += 1;
        }
        Ok(commands)
    }

    /// Adds audiences as a CSV file (`set /audiences/v2/{id}/file`), built
    /// by [`audience_csv`]. **Unverified** transport: the CSV text as a
    /// `text/csv` resource.
    pub async fn add_audiences_file(
        &self,
        campaign_id: &str,
        message: &Message,
        audiences: &[Audience],
    ) -> Result<(), Error> {
        self.check_open(campaign_id)?;
        validate_batch(message, audiences)?;
        let csv = audience_csv(message.params(), audiences);
        self.run(
            Command::new(
                CommandMethod::Set,
                format!("/audiences/v2/{}/file", encode(campaign_id)),
            )
            .with_resource("text/csv", Value::String(csv)),
        )
        .await?;
        Ok(())
    }

    fn check_open(&self, campaign_id: &str) -> Result<(), Error> {
        if campaign_id.trim().is_empty() {
            return Err(ValidationError::new("campaignId", "must not be empty").into());
        }
        let dispatched = self
            .inner
            .dispatched
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if dispatched.contains(campaign_id) {
            return Err(Error::AlreadyDispatched {
                campaign_id: campaign_id.to_owned(),
            });
        }
        Ok(())
    }

    /// Sends a dynamic campaign (`set /dispatch/v2`). Afterwards no
    /// audiences can be added; this client refuses to try.
    pub async fn dispatch(&self, campaign_id: &str) -> Result<CommandResponse, Error> {
        self.check_open(campaign_id)?;
        let resp = self
            .run(
                Command::new(CommandMethod::Set, "/dispatch/v2")
                    .with_resource(CAMPAIGN_TYPE, json!({ "id": campaign_id })),
            )
            .await?;
        self.inner
            .dispatched
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(campaign_id.to_owned());
        Ok(resp)
    }

    /// Campaign summaries (`get /campaigns/summaries`).
    pub async fn campaign_summaries(
        &self,
        filter: &SummaryFilter,
    ) -> Result<Collection<CampaignSummary>, Error> {
        let uri = format!("/campaigns/summaries{}", filter.query()?);
        self.run_typed(Command::new(CommandMethod::Get, uri)).await
    }

    /// One campaign's summary (`get /campaigns/{id}/summaries`).
    pub async fn campaign_summary(
        &self,
        campaign_id: &str,
    ) -> Result<Collection<CampaignSummary>, Error> {
        self.run_typed(Command::new(
            CommandMethod::Get,
            format!("/campaigns/{}/summaries", encode(campaign_id)),
        ))
        .await
    }

    /// A campaign's audience (`get /audiences/{id}`).
    pub async fn audience(
        &self,
        campaign_id: &str,
    ) -> Result<Collection<crate::AudienceItem>, Error> {
        self.run_typed(Command::new(
            CommandMethod::Get,
            format!("/audiences/{}", encode(campaign_id)),
        ))
        .await
    }

    /// A campaign's messages (`get /messages/{id}`).
    pub async fn messages(&self, campaign_id: &str) -> Result<Collection<CampaignMessage>, Error> {
        self.run_typed(Command::new(
            CommandMethod::Get,
            format!("/messages/{}", encode(campaign_id)),
        ))
        .await
    }

    /// A campaign's report (`get /campaigns/{id}/reports?shouldHaveStateName=true`).
    pub async fn report(&self, campaign_id: &str) -> Result<CampaignReport, Error> {
        self.run_typed(Command::new(
            CommandMethod::Get,
            format!(
                "/campaigns/{}/reports?shouldHaveStateName=true",
                encode(campaign_id)
            ),
        ))
        .await
    }

    /// Cancels a scheduled campaign (`delete /campaigns/{id}`).
    pub async fn cancel_campaign(&self, campaign_id: &str) -> Result<(), Error> {
        self.run(Command::new(
            CommandMethod::Delete,
            format!("/campaigns/{}", encode(campaign_id)),
        ))
        .await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl WhatsAppSender for Client {
    fn vendor(&self) -> &'static str {
        crate::VENDOR
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::TEMPLATE_ONLY
    }

    async fn send_text(&self, _to: &PhoneNumber, _text: &str) -> Result<SendReceipt, SendError> {
        Err(SendError::unsupported(
            crate::VENDOR,
            "free text (campaigns send templates)",
        ))
    }

    /// An individual campaign with the template; positional values are
    /// named `1`, `2`, … as Blip's templates number them.
    async fn send_template(
        &self,
        to: &PhoneNumber,
        template: &Template,
    ) -> Result<SendReceipt, SendError> {
        let mut audience = Audience::new(to.clone());
        let mut names = Vec::new();
        match template.parameters() {
            TemplateParameters::Named(values) => {
                for (k, v) in values {
                    audience = audience.param(k, v);
                    names.push(k.clone());
                }
            }
            TemplateParameters::Positional(values) => {
                for (i, v) in values.iter().enumerate() {
                    let k = (i + 1).to_string();
                    audience = audience.param(&k, v);
                    names.push(k);
                }
            }
            _ => {}
        }
        let mut info =
            CampaignInfo::new(format!("{}-{}", template.name(), whatsapp_common::new_id()));
        if let Some((flow, state)) = &self.inner.default_campaign {
            info = info.flow(flow, state);
        }
        let message = Message::whatsapp(template.name().as_str(), names)
            .language(template.language().as_str());
        let campaign = FullCampaign::individual(info, audience, message)
            .build()
            .map_err(Error::from)?;
        let created = self.create_full_campaign(&campaign).await?;
        Ok(SendReceipt::new(crate::VENDOR, created.id, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_documented_key() {
        assert_eq!(
            base64(b"messaginghub@takenet.com.br:1234"),
            "bWVzc2FnaW5naHViQHRha2VuZXQuY29tLmJyOjEyMzQ="
        );
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
    }
}
