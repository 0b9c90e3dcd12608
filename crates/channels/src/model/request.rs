//! The message to send (`CreateMessage`): receivers, a body or a template,
//! and the options, with every documented limit checked by
//! [`SendRequestBuilder::build`].

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use whatsapp_common::{PhoneNumber, ValidationError, validate};

use super::body::Body;
use super::check;
use super::template::TemplateMessage;
use super::time::Timestamp;

/// Most tags on a message.
pub const MAX_TAGS: usize = 10;
/// Longest tag.
pub const MAX_TAG_CHARS: usize = 50;
/// Longest short-link domain.
pub const MAX_SHORT_LINK_DOMAIN_CHARS: usize = 128;
/// Furthest ahead `scheduledFor` may be: 35 days.
pub const MAX_SCHEDULE_AHEAD_MILLIS: i64 = 35 * 24 * 3600 * 1000;

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
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
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
#[derive(Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendRequest {
    #[serde(rename = "receiver", serialize_with = "contacts")]
    receivers: Vec<Recipient>,
    /// `body` or `template`.
    #[serde(flatten)]
    content: Content,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_to: Option<ReplyTo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Map<String, Value>>,
    #[serde(
        rename = "notification",
        serialize_with = "url",
        skip_serializing_if = "Option::is_none"
    )]
    notification_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cap_frequency: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enable_link_tracking: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ignore_quiet_hours: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ignore_global_holdout: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(
        rename = "shortLinks",
        serialize_with = "domain",
        skip_serializing_if = "Option::is_none"
    )]
    short_links_domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheduled_for: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    validity: Option<u64>,
}

// `receiver`, `notification` and `shortLinks` are objects of one member,
// written straight out, with no `serde_json::Value` built per send.
fn contacts<S: serde::Serializer>(contacts: &[Recipient], s: S) -> Result<S::Ok, S::Error> {
    one_member(s, "contacts", contacts)
}

fn url<S: serde::Serializer>(url: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    one_member(s, "url", url)
}

fn domain<S: serde::Serializer>(domain: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    one_member(s, "domain", domain)
}

fn one_member<S: serde::Serializer>(
    s: S,
    key: &str,
    value: &(impl Serialize + ?Sized),
) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(1))?;
    m.serialize_entry(key, value)?;
    m.end()
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
    /// `meta`: the members of Bird's `Meta` (`extraInformation`, any
    /// object; `campaign`, `flow`, `journey`, `navigatorId`, `referral`,
    /// `order`, `email`, `pushNotifications`, …), as JSON. `build()`
    /// checks them against Bird's schema: an unknown member, or a member
    /// of the wrong shape, is refused.
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
    /// 10 minutes sends at once. It is sent as written: `build()` refuses
    /// one with a space instead of `T`, or a leap second, which Bird's
    /// `date-time` does not take.
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
                Recipient::ContactId(id) => {
                    validate::not_blank(id, format!("receiver.contacts[{i}].id"))?;
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
        if let Some(rt) = &r.reply_to {
            validate::not_blank(&rt.id, "replyTo.id")?;
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
        if let Some(meta) = &r.meta {
            check::check_members(check::META, false, meta, "meta")?;
        }
        if let Some(at) = &r.scheduled_for {
            check::date_time(at.as_str(), "scheduledFor")?;
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
        if let Some(url) = &r.notification_url {
            validate::not_blank(url, "notification.url")?;
        }
        Ok(r)
    }
}
