//! Campaigns: the `campaign` entity, the full and dynamic campaigns that
//! are sent, and the campaign Blip answers with.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use whatsapp_common::DecodeWarning;
use whatsapp_common::{ValidationError, validate};

use super::audience::{Audience, audiences_json_len};
use super::template::MessageTemplate;

whatsapp_common::str_enum! {
    /// `campaignType`: sent as `Individual`/`Batch`, answered as `INDIVIDUAL`/`BATCH`.
    pub enum CampaignType {
        /// One recipient.
        Individual = "Individual",
        /// Many recipients.
        Batch = "Batch",
    }
}

whatsapp_common::str_enum! {
    /// `channelType`: sent as `WhatsApp`/`GoogleRcs`, answered in upper case.
    pub enum ChannelType {
        /// WhatsApp (the default).
        WhatsApp = "WhatsApp",
        /// Google RCS.
        GoogleRcs = "GoogleRcs",
    }
}

whatsapp_common::str_enum! {
    /// Campaign status. **Unverified**: only `new` is in a documented
    /// sample; the others are inferred, and any other value is kept.
    pub enum CampaignStatus {
        /// Created, not dispatched.
        New = "new",
        /// Waiting for its `scheduled` date.
        Scheduled = "scheduled",
        /// Being sent.
        Processing = "processing",
        /// Sent.
        Dispatched = "dispatched",
        /// Failed.
        Failed = "failed",
        /// Cancelled.
        Canceled = "canceled",
    }
}

/// The `campaign` entity of a request.
///
/// ```
/// use blip_campaign::CampaignInfo;
/// let c = CampaignInfo::new("order-updates-2024-06-03")
///     .flow("f7bfd815-1327-4e5b-9d1c-3a2f9c0e7b11", "onboarding")
///     .tag("orders");
/// # let _ = c;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignInfo {
    name: String,
    flow_id: Option<String>,
    state_id: Option<String>,
    master_state: Option<String>,
    source_application: Option<String>,
    tags: Vec<String>,
    scheduled: Option<String>,
}

impl CampaignInfo {
    /// A campaign called `name` (unique per bot).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            flow_id: None,
            state_id: None,
            master_state: None,
            source_application: None,
            tags: Vec::new(),
            scheduled: None,
        }
    }
    /// Where a reply lands: the bot flow and the state in it.
    #[must_use]
    pub fn flow(mut self, flow_id: impl Into<String>, state_id: impl Into<String>) -> Self {
        self.flow_id = Some(flow_id.into());
        self.state_id = Some(state_id.into());
        self
    }
    /// The sub-bot behind a router (`masterstate`, e.g. `bot@msging.net`).
    #[must_use]
    pub fn master_state(mut self, identity: impl Into<String>) -> Self {
        self.master_state = Some(identity.into());
        self
    }
    /// `sourceApplication`: which tool created the campaign.
    #[must_use]
    pub fn source_application(mut self, source: impl Into<String>) -> Self {
        self.source_application = Some(source.into());
        self
    }
    /// Adds a tag.
    #[must_use]
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }
    /// `scheduled`: when to send (the FAQ's form `yyyy-MM-dd hh`, or ISO 8601).
    #[must_use]
    pub fn scheduled(mut self, when: impl Into<String>) -> Self {
        self.scheduled = Some(when.into());
        self
    }
    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn validate(&self) -> Result<(), ValidationError> {
        validate::not_blank(&self.name, "campaign.name")?;
        if self.tags.iter().any(|t| t.trim().is_empty()) {
            return Err(ValidationError::new(
                "campaign.tags",
                "tags must not be empty",
            ));
        }
        Ok(())
    }

    fn write<M: SerializeMap>(
        &self,
        m: &mut M,
        campaign_type: &CampaignType,
        channel: &ChannelType,
    ) -> Result<(), M::Error> {
        m.serialize_entry("name", &self.name)?;
        m.serialize_entry("campaignType", campaign_type)?;
        if let Some(v) = &self.flow_id {
            m.serialize_entry("flowId", v)?;
        }
        if let Some(v) = &self.state_id {
            m.serialize_entry("stateId", v)?;
        }
        if let Some(v) = &self.master_state {
            m.serialize_entry("masterstate", v)?;
        }
        m.serialize_entry("channelType", channel)?;
        if let Some(v) = &self.source_application {
            m.serialize_entry("sourceApplication", v)?;
        }
        if !self.tags.is_empty() {
            m.serialize_entry("tags", &self.tags)?;
        }
        if let Some(v) = &self.scheduled {
            m.serialize_entry("scheduled", v)?;
        }
        Ok(())
    }
}

/// Who a full campaign goes to.
#[derive(Clone, PartialEq)]
enum Recipients {
    One(Audience),
    Many(Vec<Audience>),
}

/// A campaign created and sent in one command (`/campaign/full`).
///
/// ```
/// use blip_campaign::{Audience, CampaignInfo, FullCampaign, MessageTemplate};
/// let campaign = FullCampaign::individual(
///     CampaignInfo::new("welcome-ana"),
///     Audience::new("+5531999999999".parse()?).param("1", "Ana"),
///     MessageTemplate::whatsapp("welcome", ["1"]).language("pt_BR"),
/// )
/// .build()?;
/// # let _ = campaign;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct FullCampaign {
    campaign: CampaignInfo,
    recipients: Recipients,
    message: MessageTemplate,
}

/// Builds a [`FullCampaign`]; `build()` checks it.
#[derive(Debug, Clone)]
pub struct FullCampaignBuilder(FullCampaign);

impl FullCampaign {
    /// An individual campaign: exactly one recipient (`audience`).
    pub fn individual(
        campaign: CampaignInfo,
        audience: Audience,
        message: MessageTemplate,
    ) -> FullCampaignBuilder {
        FullCampaignBuilder(Self {
            campaign,
            recipients: Recipients::One(audience),
            message,
        })
    }
    /// A batch campaign: one or more recipients (`audiences`).
    pub fn batch(
        campaign: CampaignInfo,
        audiences: Vec<Audience>,
        message: MessageTemplate,
    ) -> FullCampaignBuilder {
        FullCampaignBuilder(Self {
            campaign,
            recipients: Recipients::Many(audiences),
            message,
        })
    }
    /// Individual or batch.
    pub fn campaign_type(&self) -> CampaignType {
        match self.recipients {
            Recipients::One(_) => CampaignType::Individual,
            Recipients::Many(_) => CampaignType::Batch,
        }
    }
}

impl fmt::Debug for FullCampaign {
    // The audiences' values stay out (see `Audience`'s `Debug`); a batch
    // shows its size.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("FullCampaign");
        d.field("campaign", &self.campaign);
        match &self.recipients {
            Recipients::One(a) => d.field("audience", a),
            Recipients::Many(list) => d.field("audiences", &list.len()),
        };
        d.field("message", &self.message).finish_non_exhaustive()
    }
}

impl FullCampaignBuilder {
    /// Checks every rule and builds the campaign.
    pub fn build(self) -> Result<FullCampaign, ValidationError> {
        let c = self.0;
        c.campaign.validate()?;
        match &c.recipients {
            Recipients::One(a) => {
                c.message.validate()?;
                a.validate(&"audience", c.message.params())?;
            }
            Recipients::Many(list) => validate_batch(&c.message, list)?,
        }
        Ok(c)
    }
}

/// Checks a batch: the message, and every audience against its parameters.
pub(crate) fn validate_batch(
    message: &MessageTemplate,
    audiences: &[Audience],
) -> Result<(), ValidationError> {
    message.validate()?;
    if audiences.is_empty() {
        return Err(ValidationError::new(
            "audiences",
            "a batch campaign needs at least one recipient",
        ));
    }
    for (i, a) in audiences.iter().enumerate() {
        a.validate(&format_args!("audiences[{i}]"), message.params())?;
    }
    Ok(())
}

impl FullCampaign {
    /// About the length of this campaign's JSON, to size the body buffer.
    pub(crate) fn json_len_hint(&self) -> usize {
        let audiences = match &self.recipients {
            Recipients::One(a) => a.plain_json_len(),
            Recipients::Many(list) => audiences_json_len(list),
        };
        audiences + 1024
    }
}

impl Serialize for FullCampaign {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry(
            "campaign",
            &CampaignWire(&self.campaign, self.campaign_type(), self.message.channel()),
        )?;
        match &self.recipients {
            Recipients::One(a) => m.serialize_entry("audience", a)?,
            Recipients::Many(list) => m.serialize_entry("audiences", list)?,
        }
        m.serialize_entry("message", &self.message)?;
        m.end()
    }
}

struct CampaignWire<'a>(&'a CampaignInfo, CampaignType, ChannelType);

impl Serialize for CampaignWire<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.0.write(&mut m, &self.1, &self.2)?;
        m.end()
    }
}

/// A campaign created now, filled later (`/campaign/v2`), always a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct DynamicCampaign {
    campaign: CampaignInfo,
    message: MessageTemplate,
}

impl DynamicCampaign {
    /// A dynamic (batch) campaign; checks it.
    pub fn new(campaign: CampaignInfo, message: MessageTemplate) -> Result<Self, ValidationError> {
        campaign.validate()?;
        message.validate()?;
        Ok(Self { campaign, message })
    }
    /// The message.
    pub fn message(&self) -> &MessageTemplate {
        &self.message
    }
}

impl Serialize for DynamicCampaign {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry(
            "campaign",
            &CampaignWire(&self.campaign, CampaignType::Batch, self.message.channel()),
        )?;
        m.serialize_entry("message", &self.message)?;
        m.end()
    }
}

/// The campaign entity as Blip returns it.
///
/// Read leniently where Blip accepted a command (creating a campaign) or
/// answered a read: every member is optional, and a value that does not fit
/// its type is left out and named in [`Campaign::warnings`], never an error
/// that would have the campaign created again.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Campaign {
    /// `id`: what [`Client::dispatch`](crate::Client::dispatch) and the
    /// reads take.
    #[serde(default)]
    pub id: Option<String>,
    /// `name`.
    #[serde(default)]
    pub name: Option<String>,
    /// `campaignType` (`INDIVIDUAL`, `BATCH`).
    #[serde(default)]
    pub campaign_type: Option<CampaignType>,
    /// `flowId`.
    #[serde(default)]
    pub flow_id: Option<String>,
    /// `stateId`.
    #[serde(default)]
    pub state_id: Option<String>,
    /// `masterState`.
    #[serde(default, alias = "masterstate")]
    pub master_state: Option<String>,
    /// `status`.
    #[serde(default)]
    pub status: Option<CampaignStatus>,
    /// `created`.
    #[serde(default)]
    pub created: Option<String>,
    /// `scheduled`.
    #[serde(default)]
    pub scheduled: Option<String>,
    /// `tags`.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// `channelType`.
    #[serde(default)]
    pub channel_type: Option<ChannelType>,
    /// `failedReason`.
    #[serde(default)]
    pub failed_reason: Option<String>,
    /// Anything else Blip sends (`isToUseLiteApi`, `canSendWithOpenTicket`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    #[serde(skip)]
    warnings: Vec<DecodeWarning>,
}

whatsapp_common::keeps_warnings!(Campaign);
