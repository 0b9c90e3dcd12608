//! The send request (`CreateMessage`), the message Bird returns, the contact
//! channel details and the webhook envelope.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use whatsapp_common::{PhoneNumber, ValidationError};

use crate::body::Body;
use crate::time::Timestamp;

/// Most tags on a message.
pub const MAX_TAGS: usize = 10;
/// Longest tag.
pub const MAX_TAG_CHARS: usize = 50;
/// Longest short-link domain.
pub const MAX_SHORT_LINK_DOMAIN_CHARS: usize = 128;
/// Furthest ahead `scheduledFor` may be: 35 days.
pub const MAX_SCHEDULE_AHEAD_MILLIS: i64 = 35 * 24 * 3600 * 1000;

/// Checks a UUID in its dashed form (Bird's workspace, channel, project,
/// template version and contact ids).
pub fn check_uuid(value: &str, field: &'static str) -> Result<(), ValidationError> {
    let ok = value.len() == 36
        && value.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!("{value:?} is not a UUID like 3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        ))
    }
}

/// A receiver of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Recipient {
    /// A phone number: `{"identifierKey": "phonenumber", "identifierValue": "+31612345678"}`.
    Phone(PhoneNumber),
    /// A Bird contact by id: `{"id": "…"}`.
    ContactId(String),
    /// Any other identifier: `{"identifierKey": key, "identifierValue": value}`.
    Identifier {
        /// e.g. `emailaddress`.
        key: String,
        /// The value.
        value: String,
    },
}

impl Serialize for Recipient {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self {
            Self::Phone(p) => {
                m.serialize_entry("identifierKey", "phonenumber")?;
                m.serialize_entry("identifierValue", &p.e164())?;
            }
            Self::ContactId(id) => m.serialize_entry("id", id)?,
            Self::Identifier { key, value } => {
                m.serialize_entry("identifierKey", key)?;
                m.serialize_entry("identifierValue", value)?;
            }
        }
        m.end()
    }
}

/// A template parameter value.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ParameterValue {
    /// `"type": "string"`
    String(String),
    /// `"type": "number"`
    Number(f64),
    /// `"type": "boolean"`
    Boolean(bool),
    /// Any other type (`object`, `sectionList`, `productList`, …) with its value as JSON.
    Other {
        /// The `type`.
        kind: String,
        /// The `value`.
        value: Value,
    },
}

/// A named template parameter: `{"type", "key", "value"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    key: String,
    value: ParameterValue,
}

impl Parameter {
    /// A string parameter.
    pub fn string(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: ParameterValue::String(value.into()),
        }
    }
    /// A number parameter.
    pub fn number(key: impl Into<String>, value: f64) -> Self {
        Self {
            key: key.into(),
            value: ParameterValue::Number(value),
        }
    }
    /// A boolean parameter.
    pub fn boolean(key: impl Into<String>, value: bool) -> Self {
        Self {
            key: key.into(),
            value: ParameterValue::Boolean(value),
        }
    }
    /// A parameter of any other schema type.
    pub fn other(key: impl Into<String>, kind: impl Into<String>, value: Value) -> Self {
        Self {
            key: key.into(),
            value: ParameterValue::Other {
                kind: kind.into(),
                value,
            },
        }
    }
}

impl Serialize for Parameter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        match &self.value {
            ParameterValue::String(v) => {
                m.serialize_entry("type", "string")?;
                m.serialize_entry("key", &self.key)?;
                m.serialize_entry("value", v)?;
            }
            ParameterValue::Number(v) => {
                m.serialize_entry("type", "number")?;
                m.serialize_entry("key", &self.key)?;
                m.serialize_entry("value", v)?;
            }
            ParameterValue::Boolean(v) => {
                m.serialize_entry("type", "boolean")?;
                m.serialize_entry("key", &self.key)?;
                m.serialize_entry("value", v)?;
            }
            ParameterValue::Other { kind, value } => {
                m.serialize_entry("type", kind)?;
                m.serialize_entry("key", &self.key)?;
                m.serialize_entry("value", value)?;
            }
        }
        m.end()
    }
}

/// Which version of a template: the latest, or a version id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateVersion {
    /// `"latest"`
    Latest,
    /// A version UUID.
    Id(String),
}

/// A template message (`template`): the only kind Bird delivers outside
/// the 24-hour customer-service window.
///
/// ```
/// use channels::{Parameter, TemplateMessage, TemplateVersion};
/// let t = TemplateMessage::new("ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318", TemplateVersion::Latest, "en")
///     .parameter(Parameter::string("name", "Robert"));
/// # let _ = t;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateMessage {
    project_id: String,
    version: TemplateVersion,
    locale: String,
    parameters: Vec<Parameter>,
    variables: Vec<(String, String)>,
    name: Option<String>,
    short_links: Option<Value>,
    utm_parameters: Vec<Value>,
    attachments: Vec<Value>,
    settings: Option<Value>,
}

impl TemplateMessage {
    /// A template by project id, version and locale (BCP 47, e.g. `en`, `pt-BR`).
    pub fn new(
        project_id: impl Into<String>,
        version: TemplateVersion,
        locale: impl Into<String>,
    ) -> Self {
        Self {
            project_id: project_id.into(),
            version,
            locale: locale.into(),
            parameters: Vec::new(),
            variables: Vec::new(),
            name: None,
            short_links: None,
            utm_parameters: Vec::new(),
            attachments: Vec::new(),
            settings: None,
        }
    }
    /// Adds a parameter.
    #[must_use]
    pub fn parameter(mut self, p: Parameter) -> Self {
        self.parameters.push(p);
        self
    }
    /// Adds a variable (`variables`).
    #[must_use]
    pub fn variable(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.variables.push((key.into(), value.into()));
        self
    }
    /// The platform name of the template (`name`).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// Template-level link shortening: `{"enabled": …, "domain": …}`.
    #[must_use]
    pub fn short_links(mut self, enabled: bool, domain: Option<String>) -> Self {
        let mut m = Map::new();
        m.insert("enabled".into(), Value::Bool(enabled));
        if let Some(d) = domain {
            m.insert("domain".into(), Value::String(d));
        }
        self.short_links = Some(Value::Object(m));
        self
    }
    /// A UTM parameter (`{"key", "value"}`); 1 to 8 of them.
    #[must_use]
    pub fn utm_parameter(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.utm_parameters
            .push(serde_json::json!({"key": key.into(), "value": value.into()}));
        self
    }
    /// An attachment (`{"mediaUrl", "filename"}`).
    #[must_use]
    pub fn attachment(mut self, media_url: impl Into<String>, filename: impl Into<String>) -> Self {
        self.attachments
            .push(serde_json::json!({"mediaUrl": media_url.into(), "filename": filename.into()}));
        self
    }

    fn validate(&self) -> Result<(), ValidationError> {
        check_uuid(&self.project_id, "template.projectId")?;
        if let TemplateVersion::Id(v) = &self.version {
            check_uuid(v, "template.version")?;
        }
        whatsapp_common::LanguageCode::new(self.locale.as_str()).map_err(|_| {
            ValidationError::new(
                "template.locale",
                format!(
                    "{:?} is not a BCP 47 locale such as \"en\" or \"pt-BR\"",
                    self.locale
                ),
            )
        })?;
        for (i, p) in self.parameters.iter().enumerate() {
            if p.key.is_empty() {
                return Err(ValidationError::new(
                    format!("template.parameters[{i}].key"),
                    "must not be empty",
                ));
            }
        }
        if self.utm_parameters.len() > 8 {
            return Err(ValidationError::new(
                "template.utmParameters",
                "at most 8 are allowed",
            ));
        }
        Ok(())
    }
}

impl Serialize for TemplateMessage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(n) = &self.name {
            m.serialize_entry("name", n)?;
        }
        m.serialize_entry("projectId", &self.project_id)?;
        match &self.version {
            TemplateVersion::Latest => m.serialize_entry("version", "latest")?,
            TemplateVersion::Id(v) => m.serialize_entry("version", v)?,
        }
        m.serialize_entry("locale", &self.locale)?;
        if !self.parameters.is_empty() {
            m.serialize_entry("parameters", &self.parameters)?;
        }
        if !self.variables.is_empty() {
            let vars: Map<String, Value> = self
                .variables
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            m.serialize_entry("variables", &vars)?;
        }
        if let Some(sl) = &self.short_links {
            m.serialize_entry("shortLinks", sl)?;
        }
        if !self.utm_parameters.is_empty() {
            m.serialize_entry("utmParameters", &self.utm_parameters)?;
        }
        if !self.attachments.is_empty() {
            m.serialize_entry("attachments", &self.attachments)?;
        }
        if let Some(st) = &self.settings {
            m.serialize_entry("settings", st)?;
        }
        m.end()
    }
}

whatsapp_common::str_enum! {
    /// `replyTo.type`.
    pub enum ReplyToType {
        /// Replying to a received message.
        Message = "message",
        /// A button click.
        Click = "click",
        /// A referral.
        Referrals = "referrals",
    }
}

/// `replyTo`: the message this one answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReplyTo {
    /// The id of the received message.
    pub id: String,
    /// What is replied to.
    #[serde(rename = "type")]
    pub reply_type: ReplyToType,
    /// Order in the conversation (received messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
}

impl ReplyTo {
    /// A reply to received message `id`.
    pub fn message(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            reply_type: ReplyToType::Message,
            order: None,
        }
    }
}

/// What the message carries: a body, or a template, never both.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Content {
    /// `body`
    Body(Body),
    /// `template`
    Template(TemplateMessage),
}

impl From<Body> for Content {
    fn from(b: Body) -> Self {
        Self::Body(b)
    }
}

impl From<TemplateMessage> for Content {
    fn from(t: TemplateMessage) -> Self {
        Self::Template(t)
    }
}

/// A message to send (`CreateMessage`). Build it with
/// [`SendRequest::builder`]; `build()` checks every limit Bird's schema
/// states, and nothing the caller did not set is sent.
///
/// ```
/// use channels::{Body, SendRequest};
/// let request = SendRequest::builder("+31 6 12345678".parse()?, Body::text("Hello"))
///     .tag("orders")
///     .reference("order-1042")
///     .build()?;
/// assert_eq!(serde_json::to_value(&request)?["receiver"]["contacts"][0]["identifierValue"], "+31612345678");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct SendRequest {
    receivers: Vec<Recipient>,
    content: Content,
    reply_to: Option<ReplyTo>,
    reference: Option<String>,
    meta: Option<Map<String, Value>>,
    notification_url: Option<String>,
    cap_frequency: Option<bool>,
    enable_link_tracking: Option<bool>,
    ignore_quiet_hours: Option<bool>,
    ignore_global_holdout: Option<bool>,
    tags: Vec<String>,
    short_links_domain: Option<String>,
    scheduled_for: Option<Timestamp>,
    validity: Option<u64>,
}

impl fmt::Debug for SendRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendRequest")
            .field("receivers", &self.receivers.len())
            .field(
                "content",
                &match &self.content {
                    Content::Body(_) => "body",
                    Content::Template(_) => "template",
                },
            )
            .field("reference", &self.reference)
            .field("scheduled_for", &self.scheduled_for)
            .finish_non_exhaustive()
    }
}

impl Serialize for SendRequest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The one-key wrappers are written straight out, with no
        // `serde_json::Value` built per send.
        #[derive(Serialize)]
        struct Contacts<'a> {
            contacts: &'a [Recipient],
        }
        #[derive(Serialize)]
        struct Notification<'a> {
            url: &'a str,
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry(
            "receiver",
            &Contacts {
                contacts: &self.receivers,
            },
        )?;
        match &self.content {
            Content::Body(b) => m.serialize_entry("body", b)?,
            Content::Template(t) => m.serialize_entry("template", t)?,
        }
        if let Some(v) = &self.reply_to {
            m.serialize_entry("replyTo", v)?;
        }
        if let Some(v) = &self.reference {
            m.serialize_entry("reference", v)?;
        }
        if let Some(v) = &self.meta {
            m.serialize_entry("meta", v)?;
        }
        if let Some(url) = &self.notification_url {
            m.serialize_entry("notification", &Notification { url })?;
        }
        for (key, value) in [
            ("capFrequency", self.cap_frequency),
            ("enableLinkTracking", self.enable_link_tracking),
            ("ignoreQuietHours", self.ignore_quiet_hours),
            ("ignoreGlobalHoldout", self.ignore_global_holdout),
        ] {
            if let Some(v) = value {
                m.serialize_entry(key, &v)?;
            }
        }
        if !self.tags.is_empty() {
            m.serialize_entry("tags", &self.tags)?;
        }
        if let Some(d) = &self.short_links_domain {
            m.serialize_entry("shortLinks", &serde_json::json!({ "domain": d }))?;
        }
        if let Some(v) = &self.scheduled_for {
            m.serialize_entry("scheduledFor", v)?;
        }
        if let Some(v) = &self.validity {
            m.serialize_entry("validity", v)?;
        }
        m.end()
    }
}

impl SendRequest {
    /// Starts a message to a phone number with a body or a template.
    pub fn builder(to: PhoneNumber, content: impl Into<Content>) -> SendRequestBuilder {
        Self::builder_to(Recipient::Phone(to), content)
    }

    /// Starts a message to any recipient.
    pub fn builder_to(to: Recipient, content: impl Into<Content>) -> SendRequestBuilder {
        SendRequestBuilder {
            inner: SendRequest {
                receivers: vec![to],
                content: content.into(),
                reply_to: None,
                reference: None,
                meta: None,
                notification_url: None,
                cap_frequency: None,
                enable_link_tracking: None,
                ignore_quiet_hours: None,
                ignore_global_holdout: None,
                tags: Vec::new(),
                short_links_domain: None,
                scheduled_for: None,
                validity: None,
            },
        }
    }

    /// What the message carries.
    pub fn content(&self) -> &Content {
        &self.content
    }

    /// `reference`, if set.
    pub fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
}

/// Builds a [`SendRequest`].
#[derive(Debug, Clone)]
pub struct SendRequestBuilder {
    inner: SendRequest,
}

impl SendRequestBuilder {
    /// Adds another receiver.
    #[must_use]
    pub fn also_to(mut self, to: Recipient) -> Self {
        self.inner.receivers.push(to);
        self
    }
    /// `replyTo`: answer a received message.
    #[must_use]
    pub fn reply_to(mut self, reply_to: ReplyTo) -> Self {
        self.inner.reply_to = Some(reply_to);
        self
    }
    /// `reference`: your own reference, echoed in statuses.
    #[must_use]
    pub fn reference(mut self, reference: impl Into<String>) -> Self {
        self.inner.reference = Some(reference.into());
        self
    }
    /// `meta`: any members (`extraInformation`, `campaign`, …), as JSON.
    #[must_use]
    pub fn meta(mut self, meta: Map<String, Value>) -> Self {
        self.inner.meta = Some(meta);
        self
    }
    /// Sets `meta.extraInformation.useCase` (`marketing` allows `capFrequency`).
    #[must_use]
    pub fn use_case(mut self, use_case: impl Into<String>) -> Self {
        let meta = self.inner.meta.get_or_insert_with(Map::new);
        let extra = meta
            .entry("extraInformation")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(extra) = extra {
            extra.insert("useCase".into(), Value::String(use_case.into()));
        }
        self
    }
    /// `notification.url`: a webhook URL for this message's events.
    #[must_use]
    pub fn notification_url(mut self, url: impl Into<String>) -> Self {
        self.inner.notification_url = Some(url.into());
        self
    }
    /// `capFrequency`: apply frequency capping (marketing messages to a contact only).
    #[must_use]
    pub fn cap_frequency(mut self, on: bool) -> Self {
        self.inner.cap_frequency = Some(on);
        self
    }
    /// `enableLinkTracking`.
    #[must_use]
    pub fn enable_link_tracking(mut self, on: bool) -> Self {
        self.inner.enable_link_tracking = Some(on);
        self
    }
    /// `ignoreQuietHours`.
    #[must_use]
    pub fn ignore_quiet_hours(mut self, on: bool) -> Self {
        self.inner.ignore_quiet_hours = Some(on);
        self
    }
    /// `ignoreGlobalHoldout` (transactional messages).
    #[must_use]
    pub fn ignore_global_holdout(mut self, on: bool) -> Self {
        self.inner.ignore_global_holdout = Some(on);
        self
    }
    /// Adds a tag (at most 10, each 1–50 of `[a-zA-Z0-9-_ ]`).
    #[must_use]
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.inner.tags.push(tag.into());
        self
    }
    /// `shortLinks.domain` (≤ 128 characters; `default` for the workspace's).
    #[must_use]
    pub fn short_links_domain(mut self, domain: impl Into<String>) -> Self {
        self.inner.short_links_domain = Some(domain.into());
        self
    }
    /// `scheduledFor`: at most 35 days ahead. A time in the past or within
    /// 10 minutes sends at once.
    #[must_use]
    pub fn scheduled_for(mut self, at: Timestamp) -> Self {
        self.inner.scheduled_for = Some(at);
        self
    }
    /// `validity`: seconds the message stays valid.
    #[must_use]
    pub fn validity(mut self, seconds: u64) -> Self {
        self.inner.validity = Some(seconds);
        self
    }

    /// Checks every documented rule and builds the request.
    pub fn build(self) -> Result<SendRequest, ValidationError> {
        let r = self.inner;
        for (i, rcpt) in r.receivers.iter().enumerate() {
            match rcpt {
                Recipient::ContactId(id) if id.trim().is_empty() => {
                    return Err(ValidationError::new(
                        format!("receiver.contacts[{i}].id"),
                        "must not be empty",
                    ));
                }
                Recipient::Identifier { key, value } if key.is_empty() || value.is_empty() => {
                    return Err(ValidationError::new(
                        format!("receiver.contacts[{i}]"),
                        "identifier key and value must not be empty",
                    ));
                }
                _ => {}
            }
        }
        match &r.content {
            Content::Body(b) => b.validate()?,
            Content::Template(t) => t.validate()?,
        }
        if let Some(rt) = &r.reply_to
            && rt.id.trim().is_empty()
        {
            return Err(ValidationError::new("replyTo.id", "must not be empty"));
        }
        if r.tags.len() > MAX_TAGS {
            return Err(ValidationError::new(
                "tags",
                format!("{} tags; at most {MAX_TAGS} are allowed", r.tags.len()),
            ));
        }
        for (i, t) in r.tags.iter().enumerate() {
            let n = t.chars().count();
            if n == 0 || n > MAX_TAG_CHARS {
                return Err(ValidationError::new(
                    format!("tags[{i}]"),
                    format!("is {n} characters; tags are 1 to {MAX_TAG_CHARS}"),
                ));
            }
            if let Some(c) = t
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' ')))
            {
                return Err(ValidationError::new(
                    format!("tags[{i}]"),
                    format!("{c:?} is not allowed; use letters, digits, '-', '_' and spaces"),
                ));
            }
        }
        if let Some(d) = &r.short_links_domain {
            let n = d.chars().count();
            if n == 0 || n > MAX_SHORT_LINK_DOMAIN_CHARS {
                return Err(ValidationError::new(
                    "shortLinks.domain",
                    format!("is {n} characters; 1 to {MAX_SHORT_LINK_DOMAIN_CHARS} are allowed"),
                ));
            }
        }
        if let Some(at) = &r.scheduled_for {
            let ahead = at.unix_millis() - whatsapp_common::time::unix_millis_now();
            if ahead > MAX_SCHEDULE_AHEAD_MILLIS {
                return Err(ValidationError::new(
                    "scheduledFor",
                    format!("{at} is more than 35 days ahead; Bird rejects it"),
                ));
            }
        }
        if r.cap_frequency == Some(true) {
            let use_case = r
                .meta
                .as_ref()
                .and_then(|m| m.get("extraInformation"))
                .and_then(|e| e.get("useCase"))
                .and_then(Value::as_str);
            if use_case != Some("marketing") {
                return Err(ValidationError::new(
                    "capFrequency",
                    "can only be true for marketing messages: set .use_case(\"marketing\")",
                ));
            }
        }
        if let Some(url) = &r.notification_url
            && url.trim().is_empty()
        {
            return Err(ValidationError::new(
                "notification.url",
                "must not be empty",
            ));
        }
        Ok(r)
    }
}

whatsapp_common::str_enum! {
    /// Status of a message.
    pub enum MessageStatus {
        /// Accepted by the Channels API.
        Accepted = "accepted",
        /// Rejected.
        Rejected = "rejected",
        /// Being processed.
        Processing = "processing",
        /// Waiting for `scheduledFor`.
        Scheduled = "scheduled",
        /// Handed to the platform.
        Sent = "sent",
        /// Could not be handed to the platform.
        SendingFailed = "sending_failed",
        /// Delivered.
        Delivered = "delivered",
        /// Handed to the platform, not delivered.
        DeliveryFailed = "delivery_failed",
        /// Deleted.
        Deleted = "deleted",
        /// Skipped.
        Skipped = "skipped",
    }
}

impl MessageStatus {
    /// Whether no further status will follow.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Rejected
                | Self::SendingFailed
                | Self::Delivered
                | Self::DeliveryFailed
                | Self::Deleted
                | Self::Skipped
        )
    }
}

whatsapp_common::str_enum! {
    /// Direction of a message.
    pub enum Direction {
        /// Received from a contact.
        Incoming = "incoming",
        /// Sent to a contact.
        Outgoing = "outgoing",
    }
}

/// A connector (the channel's own address).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ConnectorInfo {
    /// `id`.
    pub id: Option<String>,
    /// `identifierValue`.
    pub identifier_value: Option<String>,
    /// `annotations`.
    pub annotations: Option<Map<String, Value>>,
    /// `types`.
    pub types: Option<Vec<String>>,
}

/// A contact as Bird describes it in a message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ContactInfo {
    /// `id`.
    pub id: Option<String>,
    /// `identifierKey`.
    pub identifier_key: Option<String>,
    /// `identifierValue`.
    pub identifier_value: Option<String>,
    /// `type`.
    #[serde(rename = "type")]
    pub contact_type: Option<String>,
    /// `countryCode`.
    pub country_code: Option<String>,
    /// `platformAddress`.
    pub platform_address: Option<String>,
    /// `platformAddressSelector`.
    pub platform_address_selector: Option<String>,
    /// `identifiers`.
    pub identifiers: Option<Vec<Value>>,
    /// `annotations`.
    pub annotations: Option<Map<String, Value>>,
}

/// `sender` or `receiver` of a message: a connector, one contact, or contacts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Party {
    /// `connector`.
    pub connector: Option<ConnectorInfo>,
    /// `contact`.
    pub contact: Option<ContactInfo>,
    /// `contacts`.
    pub contacts: Option<Vec<ContactInfo>>,
}

/// `parts[]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Part {
    /// The platform's id (`wamid.…` on WhatsApp).
    pub platform_reference: Option<String>,
}

/// `failure.source`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct FailureSource {
    /// `code`.
    pub code: Option<String>,
    /// `name` (`whatsapp`, `pre-processing`, `accounting`, …).
    pub name: Option<String>,
}

/// `failure`: why a message failed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Failure {
    /// Bird's code.
    pub code: Option<i64>,
    /// Description.
    pub description: Option<String>,
    /// Where the failure came from.
    pub source: Option<FailureSource>,
}

/// `origin`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Origin {
    /// `type`.
    #[serde(rename = "type")]
    pub origin_type: Option<String>,
    /// `id`.
    pub id: Option<String>,
}

/// A message as Bird returns it (202 on send) and sends it in webhooks.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Message {
    /// `id`.
    pub id: String,
    /// `channelId`.
    pub channel_id: String,
    /// `sender`.
    #[serde(default)]
    pub sender: Option<Party>,
    /// `receiver`.
    #[serde(default)]
    pub receiver: Option<Party>,
    /// `body`. A body that does not fit the schema's shape for its type
    /// (Bird's own samples have `{"type": "text"}` alone) reads as
    /// [`Body::Unknown`] rather than failing the whole message.
    #[serde(default, deserialize_with = "lenient_body")]
    pub body: Option<Body>,
    /// `template`, as JSON.
    #[serde(default)]
    pub template: Option<Value>,
    /// `meta`, as JSON.
    #[serde(default)]
    pub meta: Option<Map<String, Value>>,
    /// `reference`.
    #[serde(default)]
    pub reference: Option<String>,
    /// `parts`.
    #[serde(default)]
    pub parts: Option<Vec<Part>>,
    /// `status`.
    pub status: MessageStatus,
    /// `reason`.
    #[serde(default)]
    pub reason: Option<String>,
    /// `direction`.
    #[serde(default)]
    pub direction: Option<Direction>,
    /// `origin`.
    #[serde(default)]
    pub origin: Option<Origin>,
    /// `replyTo`.
    #[serde(default)]
    pub reply_to: Option<ReplyTo>,
    /// `lastStatusAt`.
    pub last_status_at: Timestamp,
    /// `createdAt`.
    pub created_at: Timestamp,
    /// `updatedAt`.
    pub updated_at: Timestamp,
    /// `details`: more about the status.
    #[serde(default)]
    pub details: Option<String>,
    /// `failure`.
    #[serde(default)]
    pub failure: Option<Failure>,
    /// `tags`.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// `shortLinks`.
    #[serde(default)]
    pub short_links: Option<Value>,
    /// `scheduledFor`.
    #[serde(default)]
    pub scheduled_for: Option<Timestamp>,
    /// `batchId` (seen in webhooks, not in the schema).
    #[serde(default)]
    pub batch_id: Option<String>,
    /// `chargeableUnits` (seen in webhooks, not in the schema).
    #[serde(default)]
    pub chargeable_units: Option<i64>,
    /// `context` (seen in webhooks, not in the schema).
    #[serde(default)]
    pub context: Option<Value>,
}

fn required_nullable<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Timestamp>, D::Error> {
    Option::<Timestamp>::deserialize(d)
}

/// The body is taken as its JSON text (checked, not built into a tree) and
/// then read as a [`Body`], so that a body of the wrong shape becomes
/// [`Body::Unknown`] without failing the message around it.
fn lenient_body<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Body>, D::Error> {
    let raw = Option::<Box<serde_json::value::RawValue>>::deserialize(d)?;
    Ok(raw.map(|raw| serde_json::from_str(raw.get()).unwrap_or(Body::Unknown)))
}

/// The channel details of a contact: is the 24-hour window open?
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ContactChannelInfo {
    /// When the customer-service window closes; `None` when none is open.
    /// Required on the wire (it may be `null`).
    #[serde(deserialize_with = "required_nullable")]
    pub service_window_expire_at: Option<Timestamp>,
    /// Whether the session never expires.
    #[serde(default)]
    pub is_permanent_session: Option<bool>,
    /// Channel metadata.
    #[serde(default)]
    pub metadata: Option<std::collections::BTreeMap<String, String>>,
}

impl ContactChannelInfo {
    /// Whether a non-template message can be sent at `now_unix_millis`.
    pub fn is_window_open_at(&self, now_unix_millis: i64) -> bool {
        self.is_permanent_session == Some(true)
            || self
                .service_window_expire_at
                .as_ref()
                .is_some_and(|t| t.unix_millis() > now_unix_millis)
    }

    /// Whether a non-template message can be sent now.
    pub fn is_window_open(&self) -> bool {
        self.is_window_open_at(whatsapp_common::time::unix_millis_now())
    }
}

/// A webhook delivery: `{service, event, payload}` with the message.
///
/// ```
/// use channels::WebhookEvent;
/// let body = br#"{"service":"channels","event":"whatsapp.inbound","payload":{
///   "id":"7b9ef840-361f-4aee-9fbb-8c870ceaa620","channelId":"8e046034-bca7-5124-89d0-1a64c1cbe819",
///   "status":"delivered","lastStatusAt":"2025-10-24T00:41:22.522Z",
///   "createdAt":"2025-10-24T00:41:22.23Z","updatedAt":"2025-10-24T00:41:22.522Z"}}"#;
/// let event = WebhookEvent::from_json(body)?;
/// assert_eq!(event.event, "whatsapp.inbound");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// `service` (`channels`).
    pub service: String,
    /// `event` (`whatsapp.inbound`, `whatsapp.outbound`).
    pub event: String,
    /// The message.
    pub payload: Message,
}

impl WebhookEvent {
    /// Decodes a webhook request body.
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(body)
    }
}

/// The answer to one batch request (up to 100 messages).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BatchChunk {
    /// Index of the first message of this chunk in the caller's list.
    pub first_index: usize,
    /// How many messages the chunk carried.
    pub len: usize,
    /// Bird's answer, or the error for this chunk.
    pub result: Result<BatchAccepted, std::sync::Arc<crate::Error>>,
}

/// Bird's answer to a batch request.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BatchAccepted {
    /// The batch id, if returned.
    #[serde(default, alias = "id")]
    pub batch_id: Option<String>,
    /// The whole answer, as JSON.
    #[serde(flatten)]
    pub raw: Map<String, Value>,
}
