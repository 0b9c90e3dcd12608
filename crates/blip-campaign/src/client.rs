//! The Blip client.

mod dispatch;
mod reads;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use whatsapp_common::http::{Endpoint, Method, Request};
use whatsapp_common::validate::percent_encode;
use whatsapp_common::{
    Accepted, ConfigError, ExposeSecret, HttpClient, HttpConfig, Idempotency, Progress,
    SecretString, ValidationError,
};

use crate::codec::{
    AUDIENCE_TYPE, COLLECTION_TYPE, DYNAMIC_CAMPAIGN_TYPE, FULL_CAMPAIGN_TYPE, encode_command,
    encode_command_with_id,
};
use crate::model::audience::audiences_json_len;
use crate::model::campaign::validate_batch;
use crate::protocol::Lime;
use crate::{
    Audience, Campaign, Command, CommandMethod, CommandResponse, DynamicCampaign, Error,
    FullCampaign, MessageTemplate, audience_csv,
};
use dispatch::Dispatch;

/// Most audiences sent in one `/audiences/v2/{id}` command (the client
/// splits longer lists). Blip documents no cap; this one keeps a command
/// well under the server's 60-second answer limit.
pub const MAX_AUDIENCES_PER_COMMAND: usize = 5_000;

/// The caller's record of a [`Client::add_audiences`]: the commands Blip
/// accepted (each chunk of [`MAX_AUDIENCES_PER_COMMAND`] audiences) and the
/// one under way. Pass the same value again to resume after an error or a
/// dropped call. Kept like channels' `BatchProgress`; a chunk's outcome is
/// `()`, since a refusal stops the upload.
pub type AudienceProgress = Progress<()>;

/// A Blip Active Campaign client: cheap to clone, `Send + Sync`.
///
/// ```no_run
/// # async fn run() -> Result<(), blip_campaign::Error> {
/// use blip_campaign::{Audience, CampaignInfo, Client, FullCampaign, MessageTemplate};
///
/// let client = Client::builder("Key bWVzc2FnaW5naHViQHRha2VuZXQuY29tLmJyOjEyMzQ=")
///     .contract("your-contract-id")
///     .build()?;
/// let campaign = FullCampaign::individual(
///     CampaignInfo::new("welcome-ana"),
///     Audience::new("+5531999999999".parse()?).param("1", "Ana"),
///     MessageTemplate::whatsapp("welcome", ["1"]),
/// )
/// .build()?;
/// let created = client.create_full_campaign(&campaign).await?;
/// println!("campaign {:?} is {:?}", created.id, created.status);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: HttpClient,
    /// `/commands`, resolved once.
    commands: Endpoint,
    /// The campaigns this client dispatched, is dispatching, or may have
    /// dispatched: no audiences and no second dispatch are sent to them.
    /// Locked only between awaits, never across one.
    dispatches: Mutex<HashMap<String, Dispatch>>,
    default_flow: Option<(String, String)>,
}

/// Builds a [`Client`].
///
/// Every attempt of a command carries the same command `id`. Whether Blip
/// de-duplicates commands on it is **unverified** (it documents no such
/// rule), so by default a `set`, `merge` or `delete` that may have reached
/// Blip (a timeout, a dropped connection, a 502–504, reason 86) is not
/// sent again; `.send_retries(SendRetries::IfDeduplicated)` retries it with
/// the same `id`. Reads (`get`), HTTP 429, reason 85 and connect failures
/// are retried either way.
#[derive(Debug)]
pub struct ClientBuilder {
    http: HttpConfig,
    key: SecretString,
    contract: Option<String>,
    default_flow: Option<(String, String)>,
}

whatsapp_common::impl_http_builder_methods!(ClientBuilder, Client, Error);

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

    /// For [`WhatsAppSender::send_template`](crate::WhatsAppSender::send_template):
    /// the flow and state replies go to.
    #[must_use]
    pub fn default_flow(mut self, flow_id: impl Into<String>, state_id: impl Into<String>) -> Self {
        self.default_flow = Some((flow_id.into(), state_id.into()));
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
        let mut http = self.http;
        http.set_credential("authorization", key.expose_secret(), "key")?;
        if http.base_url().is_none() {
            let contract = self.contract.as_deref().ok_or_else(|| {
                ConfigError::new(
                    "contract",
                    "set your contract id with .contract(…) (or a full .base_url(…))",
                )
            })?;
            if contract.trim().is_empty()
                || !contract
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
            {
                let reason = format!("{contract:?} is not a contract id");
                return Err(ConfigError::new("contract", reason).into());
            }
            http.set_base_url(format!("https://{contract}.http.msging.net"));
        }
        let http = HttpClient::new(crate::VENDOR, http, None)?;
        Ok(Client {
            inner: Arc::new(Inner {
                commands: http.endpoint("/commands")?,
                http,
                dispatches: Mutex::new(HashMap::new()),
                default_flow: self.default_flow,
            }),
        })
    }
}

/// The command that creates and sends a campaign at once.
const FULL_CAMPAIGN_URI: &str = "/campaign/full";

/// A resource-less command: `get` and `delete`.
const NO_RESOURCE: Option<(&str, &Value)> = None;

impl Client {
    /// Starts building a client with the bot's key: the full `Key …` value
    /// from the portal, or just the base64 part. Behind a router, use the
    /// router bot's key.
    pub fn builder(key: impl Into<SecretString>) -> ClientBuilder {
        ClientBuilder {
            http: HttpConfig::default(),
            key: key.into(),
            contract: None,
            default_flow: None,
        }
    }

    /// Starts building a client from the bot identifier and access key
    /// (`Key base64(identifier:accessKey)`).
    pub fn builder_from_credentials(identifier: &str, access_key: &SecretString) -> ClientBuilder {
        let raw = format!("{identifier}:{}", access_key.expose_secret());
        Self::builder(format!("Key {}", base64(raw.as_bytes())))
    }

    pub(crate) fn default_flow(&self) -> Option<&(String, String)> {
        self.inner.default_flow.as_ref()
    }

    /// `POST /commands` with `body`: reads are idempotent, the rest are
    /// sends (retried as the builder's `send_retries` says).
    fn request(&self, method: &CommandMethod, body: Vec<u8>) -> Request {
        let idempotency = match method {
            CommandMethod::Get => Idempotency::Idempotent,
            _ => Idempotency::NotIdempotent,
        };
        self.inner
            .http
            .request("command", Method::Post, &self.inner.commands)
            .json_body(body)
            .idempotency(idempotency)
    }

    /// Sends a command to the Active Campaign extension (written by
    /// [`encode_command`]) and reads its resource as `T`: what every typed
    /// operation calls.
    async fn command<R: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        method: CommandMethod,
        uri: &str,
        resource: Option<(&str, &R)>,
        resource_len: usize,
    ) -> Result<T, Error> {
        let body = encode_command(&method, uri, resource, resource_len)?;
        let req = self.request(&method, body);
        self.inner.http.call(&Lime { uri }, &req).await
    }

    /// Sends any LIME command as given and returns its envelope, success or
    /// failure: only an HTTP error (or a transport or decode failure) is an
    /// `Err`. The escape hatch for anything the typed operations do not
    /// cover. A `get` is retried as a read, any other method as a send.
    pub async fn send_command(&self, command: &Command) -> Result<CommandResponse, Error> {
        let body = whatsapp_common::http::encode_json(command)?;
        let req = self.request(&command.method, body);
        let lime = Lime { uri: &command.uri };
        let resp = self.inner.http.execute(&lime, &req).await?;
        Ok(resp.json_accepted::<CommandResponse>()?.into())
    }

    /// The body [`Client::create_full_campaign`] sends for `campaign` (with
    /// a fresh command id): to inspect or to measure.
    pub fn encode_full_campaign(campaign: &FullCampaign) -> Result<Vec<u8>, Error> {
        let resource = Some((FULL_CAMPAIGN_TYPE, campaign));
        let len = campaign.json_len_hint();
        Ok(encode_command(
            &CommandMethod::Set,
            FULL_CAMPAIGN_URI,
            resource,
            len,
        )?)
    }

    /// Creates and sends a campaign in one command (`set /campaign/full`).
    pub async fn create_full_campaign(&self, campaign: &FullCampaign) -> Result<Campaign, Error> {
        self.create_full_campaign_with_id(campaign, &whatsapp_common::new_id())
            .await
    }

    /// [`Client::create_full_campaign`] with your own command `id`: the
    /// same id on every attempt, and on a send you make again after an
    /// error (whether Blip de-duplicates commands on it is unverified).
    pub async fn create_full_campaign_with_id(
        &self,
        campaign: &FullCampaign,
        command_id: &str,
    ) -> Result<Campaign, Error> {
        if command_id.trim().is_empty() {
            return Err(ValidationError::new("id", "must not be empty").into());
        }
        let resource = Some((FULL_CAMPAIGN_TYPE, campaign));
        let body = encode_command_with_id(
            command_id,
            &CommandMethod::Set,
            FULL_CAMPAIGN_URI,
            resource,
            campaign.json_len_hint(),
        )?;
        let req = self.request(&CommandMethod::Set, body);
        let lime = Lime {
            uri: FULL_CAMPAIGN_URI,
        };
        let accepted: Accepted<Campaign> = self.inner.http.call_accepted(&lime, &req).await?;
        Ok(accepted.into())
    }

    /// Creates a dynamic campaign (`set /campaign/v2`); add audiences, then dispatch.
    pub async fn create_campaign(&self, campaign: &DynamicCampaign) -> Result<Campaign, Error> {
        // Through a JSON tree, as this command has always been written: its
        // members go out in key order.
        let resource = serde_json::to_value(campaign)
            .map_err(|e| ValidationError::new("campaign", e.to_string()))?;
        let resource = Some((DYNAMIC_CAMPAIGN_TYPE, &resource));
        let uri = "/campaign/v2";
        let body = encode_command(&CommandMethod::Set, uri, resource, 0)?;
        let req = self.request(&CommandMethod::Set, body);
        let accepted: Accepted<Campaign> =
            self.inner.http.call_accepted(&Lime { uri }, &req).await?;
        Ok(accepted.into())
    }

    /// Adds audiences to a dynamic campaign (`set /audiences/v2/{id}`),
    /// [`MAX_AUDIENCES_PER_COMMAND`] per command, recording in `progress`
    /// each command Blip accepted. *Inferred* body (documented nowhere we
    /// could find; Blip's batch-write pattern, as for `/attendants` in
    /// takenet/blip-docs): a LIME collection of
    /// `{recipient, messageParams, contextVariables}`. Every audience must
    /// supply each of `message`'s parameters; it may carry others, sent as
    /// given.
    ///
    /// `progress` is the caller's (start with [`Progress::new`]) and
    /// belongs to this campaign and these `audiences`: a call sends only
    /// the chunks from [`Progress::next_index`] on, so calling again with
    /// the same progress after an error resumes where the last call
    /// stopped, without adding the accepted chunks twice (a progress that
    /// already covers `audiences` sends nothing). Each chunk is recorded
    /// as Blip accepts it, so:
    ///
    /// - after an error, [`Progress::chunks`] lists the chunks added (each
    ///   a [`ChunkDone`](crate::ChunkDone): `first_index` and `len` in
    ///   `audiences`) and [`Progress::in_flight`] names the chunk whose
    ///   command failed;
    /// - after the caller drops the future (a timeout, a cancelled task),
    ///   the chunks accepted before it are still recorded in `progress`,
    ///   and [`Progress::in_flight`] names the chunk whose command was
    ///   under way.
    ///
    /// Blip may have added the in-flight chunk when the error leaves that
    /// open (a timeout, an HTTP 5xx, a dropped future: see
    /// [`Error::retry_class`](whatsapp_common::Error::retry_class)); a
    /// resume sends it again. Where that matters, read the campaign's
    /// [`Client::audience`] first.
    ///
    /// Refused before anything is sent, with a [`ValidationError`]: a blank
    /// campaign id, or one this client dispatched, is dispatching or may
    /// have dispatched (see [`Client::dispatch`]); no audiences; a missing
    /// parameter; a `progress` recording more audiences than `audiences`
    /// holds (field `progress`). A dispatch of the campaign begun during
    /// the upload stops it before its next command, with the same
    /// `ValidationError`.
    ///
    /// ```
    /// # #[cfg(feature = "mock")]
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use blip_campaign::{Audience, Client, ErrorCode, MessageTemplate, PhoneNumber, Progress};
    /// # use blip_campaign::mock::{MockBlip, MockVendor};
    /// # let blip = MockBlip::start().await;
    /// # let client = Client::builder("Key dGVzdDp0ZXN0").base_url(blip.uri()).build()?;
    ///
    /// let message = MessageTemplate::whatsapp("order_update", ["1"]);
    /// let mut audiences = Vec::new();
    /// for i in 0..7_000 {
    ///     let to: PhoneNumber = format!("+5531{:09}", 900_000_000 + i).parse()?;
    ///     audiences.push(Audience::new(to).param("1", "Ana"));
    /// }
    /// let mut progress = Progress::new();
    /// blip.fail_next(ErrorCode::GatewayError, 1).await; // Blip refuses the first command
    /// let err = client.add_audiences("cmp-1", &message, &audiences, &mut progress).await;
    /// assert!(err.is_err());
    /// assert!(progress.chunks().is_empty());
    /// assert_eq!(progress.in_flight(), Some((0, 5_000)));
    ///
    /// // Again with the same progress: from `progress.next_index()` on.
    /// client.add_audiences("cmp-1", &message, &audiences, &mut progress).await?;
    /// let added: Vec<_> = progress.chunks().iter().map(|c| (c.first_index, c.len)).collect();
    /// assert_eq!(added, [(0, 5_000), (5_000, 2_000)]);
    /// assert_eq!(progress.in_flight(), None);
    /// # Ok(()) }
    /// # #[cfg(not(feature = "mock"))]
    /// # fn main() {}
    /// ```
    pub async fn add_audiences(
        &self,
        campaign_id: &str,
        message: &MessageTemplate,
        audiences: &[Audience],
        progress: &mut AudienceProgress,
    ) -> Result<(), Error> {
        self.check_open(campaign_id)?;
        if audiences.is_empty() {
            return Err(
                ValidationError::new("audiences", "at least one audience is required").into(),
            );
        }
        // Validated through the same rules as a batch campaign.
        validate_batch(message, audiences)?;
        let chunks = progress.remaining(audiences, MAX_AUDIENCES_PER_COMMAND)?;
        #[derive(Serialize)]
        struct Items<'a> {
            #[serde(rename = "itemType")]
            item_type: &'a str,
            total: usize,
            items: &'a [Audience],
        }
        let uri = format!("/audiences/v2/{}", percent_encode(campaign_id, b":"));
        let lime = Lime { uri: &uri };
        for (first, chunk) in chunks {
            // A dispatch begun since the last command stops the upload.
            self.check_open(campaign_id)?;
            let items = Items {
                item_type: AUDIENCE_TYPE,
                total: chunk.len(),
                items: chunk,
            };
            let resource = Some((COLLECTION_TYPE, &items));
            let len = audiences_json_len(chunk);
            let body = encode_command(&CommandMethod::Set, &uri, resource, len)?;
            let req = self.request(&CommandMethod::Set, body);
            progress.start(first, chunk.len());
            let _: Value = self.inner.http.call(&lime, &req).await?;
            progress.finish(());
        }
        Ok(())
    }

    /// Adds audiences as a CSV file (`set /audiences/v2/{id}/file`), built
    /// by [`audience_csv`], in one command: every parameter each audience
    /// carries has its column, as [`Client::add_audiences`] sends every
    /// one in `messageParams`. *Inferred* transport (documented nowhere we
    /// could find): the CSV text as a `text/csv` resource. Refused before
    /// sending as [`Client::add_audiences`] is.
    pub async fn add_audiences_file(
        &self,
        campaign_id: &str,
        message: &MessageTemplate,
        audiences: &[Audience],
    ) -> Result<(), Error> {
        self.check_open(campaign_id)?;
        validate_batch(message, audiences)?;
        let csv = audience_csv(message.params(), audiences);
        let uri = format!("/audiences/v2/{}/file", percent_encode(campaign_id, b":"));
        let resource = Some(("text/csv", csv.as_str()));
        let _: Value = self
            .command(CommandMethod::Set, &uri, resource, csv.len())
            .await?;
        Ok(())
    }

    /// Cancels a scheduled campaign (`delete /campaigns/{id}`).
    pub async fn cancel_campaign(&self, campaign_id: &str) -> Result<(), Error> {
        let uri = format!("/campaigns/{}", percent_encode(campaign_id, b":"));
        let _: Value = self
            .command(CommandMethod::Delete, &uri, NO_RESOURCE, 0)
            .await?;
        Ok(())
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
