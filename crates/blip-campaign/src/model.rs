//! Campaigns, audiences and messages: what is sent and what comes back.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use whatsapp_common::{PhoneNumber, ValidationError};

/// Longest value of one message parameter ("Total characters: 250", read as
/// per value; see `docs/blip-campaign.md`).
pub const MAX_PARAM_CHARS: usize = 250;

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

whatsapp_common::str_enum! {
    /// Status of one recipient.
    pub enum AudienceStatus {
        /// Handed to WhatsApp.
        Processed = "PROCESSED",
        /// Failed (see the reason).
        Failed = "FAILED",
        /// Sent.
        Sent = "SENT",
        /// Delivered.
        Delivered = "DELIVERED",
        /// Read.
        Read = "READ",
    }
}

whatsapp_common::str_enum! {
    /// Whether a recipient's number was valid on WhatsApp.
    pub enum NumberStatus {
        /// Valid.
        Valid = "VALID",
        /// Invalid.
        Invalid = "INVALID",
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
        if self.name.trim().is_empty() {
            return Err(ValidationError::new("campaign.name", "must not be empty"));
        }
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

/// One recipient with the values of the template's parameters and, if any,
/// context variables for the bot flow.
///
/// ```
/// use blip_campaign::Audience;
/// let a = Audience::new("+55 31 99999-9999".parse()?)
///     .param("1", "Ana")
///     .context_variable("cpf", "123456789001");
/// # let _ = a;
/// # Ok::<(), whatsapp_common::PhoneError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Audience {
    recipient: PhoneNumber,
    /// `messageParams` in the order given, one value per name. Boxed
    /// strings in an exactly sized list: a batch holds many audiences.
    params: Vec<(Box<str>, Box<str>)>,
    context: Option<Box<Map<String, Value>>>,
}

impl Audience {
    /// A recipient (written in E.164 with `+`, as Blip expects).
    pub fn new(recipient: PhoneNumber) -> Self {
        Self {
            recipient,
            params: Vec::new(),
            context: None,
        }
    }
    /// A template parameter value (`messageParams`), kept in order; giving
    /// a name again replaces its value.
    ///
    /// ```
    /// use blip_campaign::Audience;
    /// let a = Audience::new("+5531999999999".parse()?).param("1", "Ana").param("1", "Bia");
    /// assert_eq!(a.params().collect::<Vec<_>>(), [("1", "Bia")]);
    /// # Ok::<(), whatsapp_common::PhoneError>(())
    /// ```
    #[must_use]
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        let value = value.into().into_boxed_str();
        match self.params.iter_mut().find(|(k, _)| **k == *name) {
            Some((_, v)) => *v = value,
            None => {
                self.params.reserve_exact(1);
                self.params.push((name.into_boxed_str(), value));
            }
        }
        self
    }
    /// A context variable (`contextVariables`): any JSON, nested objects allowed.
    #[must_use]
    pub fn context_variable(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.context
            .get_or_insert_with(Box::default)
            .insert(name.into(), value.into());
        self
    }
    /// The recipient.
    pub fn recipient(&self) -> &PhoneNumber {
        &self.recipient
    }
    /// The parameter values, `(name, value)` in the order given.
    pub fn params(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.params.iter().map(|(k, v)| (&**k, &**v))
    }
    /// The value of parameter `name`.
    pub fn param_value(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| **k == *name)
            .map(|(_, v)| &**v)
    }
    /// The context variables.
    pub fn context_variables(&self) -> Option<&Map<String, Value>> {
        self.context.as_deref()
    }

    fn validate(&self, at: &dyn fmt::Display, required: &[String]) -> Result<(), ValidationError> {
        for name in required {
            if self.param_value(name).is_none() {
                return Err(ValidationError::new(
                    format!("{at}.messageParams"),
                    format!("parameter {name:?} of the template has no value"),
                ));
            }
        }
        for (k, v) in &self.params {
            if k.is_empty() {
                return Err(ValidationError::new(
                    format!("{at}.messageParams"),
                    "parameter names must not be empty",
                ));
            }
            // Characters are counted only when the bytes could exceed the cap.
            if v.len() > MAX_PARAM_CHARS {
                let n = v.chars().count();
                if n > MAX_PARAM_CHARS {
                    return Err(ValidationError::new(
                        format!("{at}.messageParams.{k}"),
                        format!("is {n} characters; at most {MAX_PARAM_CHARS} are allowed"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The length of this audience's JSON when no string needs escaping.
    fn plain_json_len(&self) -> usize {
        // {"recipient":"+…"}
        let mut n = 17 + self.recipient.digits().len();
        if !self.params.is_empty() {
            // ,"messageParams":{…}
            n += 18;
            for (k, v) in &self.params {
                // "k":"v",
                n += k.len() + v.len() + 6;
            }
        }
        if self.context.is_some() {
            n += 64;
        }
        n
    }
}

impl Serialize for Audience {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct E164<'a>(&'a PhoneNumber);
        impl Serialize for E164<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self.0)
            }
        }
        struct Params<'a>(&'a [(Box<str>, Box<str>)]);
        impl Serialize for Params<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
            }
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("recipient", &E164(&self.recipient))?;
        if !self.params.is_empty() {
            m.serialize_entry("messageParams", &Params(&self.params))?;
        }
        if let Some(c) = &self.context {
            m.serialize_entry("contextVariables", c)?;
        }
        m.end()
    }
}

/// The `message` entity: a WhatsApp template, or RCS content.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Message {
    /// WhatsApp: an approved template and its parameter names.
    WhatsApp {
        /// `messageTemplate`.
        template: String,
        /// `messageTemplateLanguage` (e.g. `pt_BR`).
        language: Option<String>,
        /// `messageParams`: the template's parameter names, in order.
        params: Vec<String>,
    },
    /// Google RCS: content, no template.
    GoogleRcs {
        /// `messageContent`.
        content: String,
        /// `messageParams`.
        params: Vec<String>,
    },
}

impl Message {
    /// A WhatsApp template with the names of its parameters.
    pub fn whatsapp<I, S>(template: impl Into<String>, params: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::WhatsApp {
            template: template.into(),
            language: None,
            params: params.into_iter().map(Into::into).collect(),
        }
    }
    /// RCS content with the names of its parameters.
    pub fn rcs<I, S>(content: impl Into<String>, params: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::GoogleRcs {
            content: content.into(),
            params: params.into_iter().map(Into::into).collect(),
        }
    }
    /// Sets the template language.
    #[must_use]
    pub fn language(mut self, lang: impl Into<String>) -> Self {
        if let Self::WhatsApp { language, .. } = &mut self {
            *language = Some(lang.into());
        }
        self
    }
    /// The channel.
    pub fn channel(&self) -> ChannelType {
        match self {
            Self::WhatsApp { .. } => ChannelType::WhatsApp,
            Self::GoogleRcs { .. } => ChannelType::GoogleRcs,
        }
    }
    /// The parameter names every audience must supply.
    pub fn params(&self) -> &[String] {
        match self {
            Self::WhatsApp { params, .. } | Self::GoogleRcs { params, .. } => params,
        }
    }

    fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Self::WhatsApp { template, .. } if template.trim().is_empty() => Err(
                ValidationError::new("message.messageTemplate", "WhatsApp needs a template name"),
            ),
            Self::GoogleRcs { content, .. } if content.trim().is_empty() => Err(
                ValidationError::new("message.messageContent", "RCS needs message content"),
            ),
            _ => {
                let mut seen = std::collections::HashSet::new();
                for p in self.params() {
                    if p.is_empty() || !seen.insert(p) {
                        return Err(ValidationError::new(
                            "message.messageParams",
                            format!("parameter name {p:?} is empty or given twice"),
                        ));
                    }
                }
                Ok(())
            }
        }
    }
}

impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self {
            Self::WhatsApp {
                template,
                language,
                params,
            } => {
                m.serialize_entry("messageTemplate", template)?;
                if let Some(l) = language {
                    m.serialize_entry("messageTemplateLanguage", l)?;
                }
                if !params.is_empty() {
                    m.serialize_entry("messageParams", params)?;
                }
            }
            Self::GoogleRcs { content, params } => {
                m.serialize_entry("messageContent", content)?;
                if !params.is_empty() {
                    m.serialize_entry("messageParams", params)?;
                }
            }
        }
        m.serialize_entry("channelType", &self.channel())?;
        m.end()
    }
}

/// Who a full campaign goes to.
#[derive(Debug, Clone, PartialEq)]
enum Recipients {
    One(Audience),
    Many(Vec<Audience>),
}

/// A campaign created and sent in one command (`/campaign/full`).
///
/// ```
/// use blip_campaign::{Audience, CampaignInfo, FullCampaign, Message};
/// let campaign = FullCampaign::individual(
///     CampaignInfo::new("welcome-ana"),
///     Audience::new("+5531999999999".parse()?).param("1", "Ana"),
///     Message::whatsapp("welcome", ["1"]).language("pt_BR"),
/// )
/// .build()?;
/// # let _ = campaign;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FullCampaign {
    campaign: CampaignInfo,
    recipients: Recipients,
    message: Message,
}

/// Builds a [`FullCampaign`]; `build()` checks it.
#[derive(Debug, Clone)]
pub struct FullCampaignBuilder(FullCampaign);

impl FullCampaign {
    /// An individual campaign: exactly one recipient (`audience`).
    pub fn individual(
        campaign: CampaignInfo,
        audience: Audience,
        message: Message,
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
        message: Message,
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
    message: &Message,
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

/// About the length of `audiences` as a JSON array: exact when no string
/// needs escaping, plus a little room.
pub(crate) fn audiences_json_len(audiences: &[Audience]) -> usize {
    let n: usize = audiences.iter().map(|a| a.plain_json_len() + 1).sum();
    n + n / 64 + 2
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
    message: Message,
}

impl DynamicCampaign {
    /// A dynamic (batch) campaign; checks it.
    pub fn new(campaign: CampaignInfo, message: Message) -> Result<Self, ValidationError> {
        campaign.validate()?;
        message.validate()?;
        Ok(Self { campaign, message })
    }
    /// The message.
    pub fn message(&self) -> &Message {
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
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Campaign {
    /// `id`.
    pub id: String,
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
}

/// One recipient's status in a summary or report (`statusAudience[]`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct RecipientStatus {
    /// `RecipientIdentity`.
    pub recipient_identity: Option<String>,
    /// `Status`.
    pub status: Option<AudienceStatus>,
    /// `ReasonCode`.
    pub reason_code: Option<i64>,
    /// `ReasonDescription`.
    pub reason_description: Option<String>,
    /// `Processed`.
    pub processed: Option<String>,
    /// `Received`.
    pub received: Option<String>,
    /// `Read`.
    pub read: Option<String>,
    /// `Failed`.
    pub failed: Option<String>,
    /// `NumberStatus`.
    pub number_status: Option<NumberStatus>,
}

/// A campaign summary (`/campaigns/summaries`, `/campaigns/{id}/summaries`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CampaignSummary {
    /// `id`.
    pub id: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `messageTemplate`.
    pub message_template: Option<String>,
    /// `FlowId`.
    pub flow_id: Option<String>,
    /// `StateId`.
    pub state_id: Option<String>,
    /// `sendDate`.
    pub send_date: Option<String>,
    /// `statusAudience`.
    pub status_audience: Vec<RecipientStatus>,
}

/// A campaign report (`/campaigns/{id}/reports`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CampaignReport {
    /// `Id`.
    pub id: Option<String>,
    /// `Name`.
    pub name: Option<String>,
    /// `MessageTemplate`.
    pub message_template: Option<String>,
    /// `MasterState`.
    pub master_state: Option<String>,
    /// `FlowId`.
    pub flow_id: Option<String>,
    /// `StateId`.
    pub state_id: Option<String>,
    /// `StateName`.
    pub state_name: Option<String>,
    /// `AttendanceRedirect`.
    pub attendance_redirect: Option<String>,
    /// `CampaignSender`.
    pub campaign_sender: Option<String>,
    /// `SendDate`.
    pub send_date: Option<String>,
    /// `StatusAudience`.
    pub status_audience: Vec<RecipientStatus>,
}

/// One recipient of a campaign (`/audiences/{id}`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AudienceItem {
    /// `OwnerIdentity`.
    pub owner_identity: Option<String>,
    /// `CampaignId`.
    pub campaign_id: Option<String>,
    /// `Recipient`.
    pub recipient: Option<String>,
    /// `RecipientType`.
    pub recipient_type: Option<String>,
    /// `ChannelType`.
    pub channel_type: Option<ChannelType>,
    /// `MessageParams`.
    pub message_params: Option<std::collections::BTreeMap<String, String>>,
    /// `Status`.
    pub status: Option<AudienceStatus>,
    /// `AudienceStatus`.
    pub audience_status: Option<String>,
    /// `ValidatedAccount`.
    pub validated_account: Option<String>,
    /// `Processed`.
    pub processed: Option<String>,
    /// `Received`.
    pub received: Option<String>,
    /// `Read`.
    pub read: Option<String>,
    /// `Failed`.
    pub failed: Option<String>,
    /// `ReasonCode`.
    pub reason_code: Option<i64>,
    /// `ReasonDescription`.
    pub reason_description: Option<String>,
}

/// One message of a campaign (`/messages/{id}`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CampaignMessage {
    /// `ChannelType`.
    pub channel_type: Option<ChannelType>,
    /// `MessageTemplate`.
    pub message_template: Option<String>,
    /// `MessageTemplateLanguage`.
    pub message_template_language: Option<String>,
    /// `MessageParams`.
    pub message_params: Option<Value>,
}

/// Filters of `/campaigns/summaries`. With none, campaigns created on the
/// given date or later come back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SummaryFilter {
    /// `sourceApplication`.
    pub source_application: Option<String>,
    /// `CampaignSender`.
    pub campaign_sender: Option<String>,
    /// `created` (a date).
    pub created: Option<String>,
    /// `$skip`.
    pub skip: Option<u32>,
    /// `$take` (at most 100).
    pub take: Option<u32>,
}

impl SummaryFilter {
    pub(crate) fn query(&self) -> Result<String, ValidationError> {
        if self.take.is_some_and(|t| t == 0 || t > 100) {
            return Err(ValidationError::new("$take", "must be 1 to 100"));
        }
        let mut parts = Vec::new();
        let mut push = |k: &str, v: &str| parts.push(format!("{k}={}", encode(v)));
        if let Some(v) = &self.source_application {
            push("sourceApplication", v);
        }
        if let Some(v) = &self.campaign_sender {
            push("CampaignSender", v);
        }
        if let Some(v) = &self.created {
            push("created", v);
        }
        if let Some(v) = self.skip {
            push("$skip", &v.to_string());
        }
        if let Some(v) = self.take {
            push("$take", &v.to_string());
        }
        Ok(if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        })
    }
}

pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The CSV form of an audience list, for `/audiences/v2/{id}/file`: a
/// `recipient` column, one column per parameter name, and
/// `#contextvariables#` holding each recipient's context variables as JSON
/// with its quotes backslash-escaped, as Blip's documentation shows. Fields
/// are quoted when they hold a comma, a quote or a line break, with quotes
/// doubled (RFC 4180).
///
/// ```
/// use blip_campaign::{Audience, audience_csv};
/// let csv = audience_csv(&["1"], &[Audience::new("+5531999999999".parse()?).param("1", "Ana, \"Bia\"")]);
/// assert_eq!(csv, "recipient,1,#contextvariables#\r\n+5531999999999,\"Ana, \"\"Bia\"\"\",\r\n");
/// # Ok::<(), whatsapp_common::PhoneError>(())
/// ```
pub fn audience_csv<S: AsRef<str>>(params: &[S], audiences: &[Audience]) -> String {
    fn field(out: &mut String, value: &str) {
        if value.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&value.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(value);
        }
    }
    let mut out = String::from("recipient");
    for p in params {
        out.push(',');
        field(&mut out, p.as_ref());
    }
    out.push_str(",#contextvariables#\r\n");
    for a in audiences {
        field(&mut out, &a.recipient.e164());
        for p in params {
            out.push(',');
            field(&mut out, a.param_value(p.as_ref()).unwrap_or(""));
        }
        out.push(',');
        if let Some(c) = &a.context {
            // The documented form: the JSON with its quotes backslash-escaped,
            // then quoted as any CSV field.
            let escaped = serde_json::to_string(c)
                .unwrap_or_default()
                .replace('"', "\\\"");
            field(&mut out, &escaped);
        }
        out.push_str("\r\n");
    }
    out
}
