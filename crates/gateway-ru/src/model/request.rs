//! The WhatsApp send: the request, its parts, and the gateway's answer.

use std::fmt;

use serde::{Deserialize, Serialize};
use whatsapp_common::DecodeWarning;
use whatsapp_common::{PhoneNumber, ValidationError, new_id, validate};

pub use super::cascade::{CascadeChainLink, CascadeMessage, CascadeState, MessageType};
pub use super::options::{
    ExtraParams, RegisteredDelivery, ScheduleInfo, ScheduleInfoBuilder, Ttl, TtlUnit,
};

/// Most characters of WhatsApp text the gateway accepts.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Most characters of `notifyUrl`.
pub const MAX_NOTIFY_URL_CHARS: usize = 2048;
/// Most characters of a partner-side `id` this SDK sends. The gateway
/// documents no limit; 64 leaves room for any UUID or database key.
pub const MAX_ID_CHARS: usize = 64;

/// What a WhatsApp message carries: text *or* an image, never both (the
/// gateway refuses two kinds of content in one message).
///
/// ```
/// use gateway_ru::InstantContent;
/// let text = InstantContent::text("Заказ №1042 отправлен");
/// let image = InstantContent::image_url("https://example.ru/image.jpg");
/// # let _ = (text, image);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "data")]
#[non_exhaustive]
pub enum InstantContent {
    /// `TEXT`: up to 1000 characters.
    #[serde(rename = "TEXT")]
    Text {
        /// The message text.
        text: String,
    },
    /// `IMAGE_URL`: an image the gateway fetches (400×400 JPG or PNG recommended).
    #[serde(rename = "IMAGE_URL")]
    ImageUrl {
        /// Where the image is.
        #[serde(rename = "imageURL")]
        image_url: String,
    },
}

impl InstantContent {
    /// A text message.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text { text: text.into() }
    }

    /// An image message.
    pub fn image_url(url: impl Into<String>) -> Self {
        Self::ImageUrl {
            image_url: url.into(),
        }
    }

    fn validate(&self, field: &'static str) -> Result<(), ValidationError> {
        match self {
            Self::Text { text } => validate_text(text, field),
            Self::ImageUrl { image_url } => validate_url(image_url, field, None),
        }
    }
}

fn validate_text(text: &str, field: &'static str) -> Result<(), ValidationError> {
    validate::not_blank(text, field)?;
    validate::max_chars(text, MAX_TEXT_CHARS, field)
}

fn validate_url(url: &str, field: &'static str, max: Option<usize>) -> Result<(), ValidationError> {
    validate::http_url(url, field)?;
    match max {
        Some(max) => validate::max_chars(url, max, field),
        None => Ok(()),
    }
}

/// The `message` of a WhatsApp send (`type: WHATSAPP` and its `data`):
/// content, sender name, lifetime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageData {
    content: InstantContent,
    service_number: Option<String>,
    ttl: Option<Ttl>,
}

impl MessageData {
    /// WhatsApp message data with `content`.
    pub fn new(content: InstantContent) -> Self {
        Self {
            content,
            service_number: None,
            ttl: None,
        }
    }
    /// The sender name (`serviceNumber`) agreed with the gateway.
    #[must_use]
    pub fn service_number(mut self, name: impl Into<String>) -> Self {
        self.service_number = Some(name.into());
        self
    }
    /// The lifetime.
    #[must_use]
    pub fn ttl(mut self, ttl: Ttl) -> Self {
        self.ttl = Some(ttl);
        self
    }
    /// The content.
    pub fn content(&self) -> &InstantContent {
        &self.content
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        self.content.validate("data.instantContent.data")?;
        if let Some(s) = &self.service_number
            && s.trim().is_empty()
        {
            return Err(ValidationError::new(
                "data.serviceNumber",
                "sender name must not be empty; leave it unset to use the account's",
            ));
        }
        Ok(())
    }

    /// The message on the wire, with `default_service_number` where it sets
    /// none.
    fn wire<'a>(
        &'a self,
        default_service_number: Option<&'a str>,
    ) -> WireMessage<'a, WireData<'a>> {
        WireMessage {
            message_type: "WHATSAPP",
            data: WireData {
                instant_content: Some(&self.content),
                text: None,
                service_number: self.service_number.as_deref().or(default_service_number),
                ttl: self.ttl.as_ref().map(Ttl::value),
                ttl_unit: self.ttl.as_ref().and_then(Ttl::unit),
            },
        }
    }
}

impl Serialize for MessageData {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.wire(None).serialize(s)
    }
}

/// A message on the wire, at the top level and in every cascade step:
/// `{"type": …, "data": …}`.
#[derive(Serialize)]
pub(super) struct WireMessage<'a, D> {
    #[serde(rename = "type")]
    pub(super) message_type: &'a str,
    pub(super) data: D,
}

/// The `data` of a WhatsApp or an SMS message: its content
/// (`instantContent` or `text`), sender name and lifetime.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireData<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) instant_content: Option<&'a InstantContent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) service_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) ttl: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) ttl_unit: Option<&'a TtlUnit>,
}

/// A WhatsApp send: recipient, content and every option the gateway
/// documents. Build it with [`SendRequest::builder`]; `build()` checks every
/// documented limit before anything is sent.
///
/// The partner-side `id` is generated (a UUID) when not given, fixed at
/// build time, and sent unchanged on every retry of this request, so the
/// gateway's duplicate control recognises a retry as the same message.
///
/// ```
/// use gateway_ru::{InstantContent, PhoneNumber, SendRequest, Ttl};
/// let req = SendRequest::builder(
///     "+7 921 123-45-67".parse::<PhoneNumber>()?,
///     InstantContent::text("Ваш заказ отправлен"),
/// )
/// .service_number("SHOP")
/// .ttl(Ttl::days(1)?)
/// .build()?;
/// assert_eq!(req.id().len(), 36);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct SendRequest {
    id: String,
    dest_addr: PhoneNumber,
    message: MessageData,
    use_time_diff: Option<bool>,
    shorten_links: Option<bool>,
    schedule_info: Option<ScheduleInfo>,
    extra_param: Option<ExtraParams>,
    registered_delivery: Option<RegisteredDelivery>,
    notify_url: Option<String>,
    cascade_chain_link: Option<CascadeChainLink>,
}

impl fmt::Debug for SendRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // No credentials live here; the message text is the caller's and
        // shown only as its kind and length.
        let content = match &self.message.content {
            InstantContent::Text { text } => format!("Text({} chars)", text.chars().count()),
            InstantContent::ImageUrl { .. } => "ImageUrl".to_owned(),
        };
        f.debug_struct("SendRequest")
            .field("id", &self.id)
            .field("dest_addr", &self.dest_addr)
            .field("content", &content)
            .field("schedule_info", &self.schedule_info.is_some())
            .field("cascade", &self.cascade_chain_link.is_some())
            .finish_non_exhaustive()
    }
}

impl SendRequest {
    /// Starts a send to `to` with `content`.
    pub fn builder(to: PhoneNumber, content: InstantContent) -> SendRequestBuilder {
        SendRequestBuilder {
            id: None,
            to,
            message: MessageData::new(content),
            use_time_diff: None,
            shorten_links: None,
            schedule_info: None,
            extra_param: None,
            registered_delivery: None,
            notify_url: None,
            cascade_chain_link: None,
        }
    }

    /// The partner-side id sent as `id` (given or generated).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The recipient.
    pub fn to(&self) -> &PhoneNumber {
        &self.dest_addr
    }
    /// The WhatsApp message.
    pub fn message(&self) -> &MessageData {
        &self.message
    }
}

/// Builds a [`SendRequest`].
#[derive(Debug, Clone)]
pub struct SendRequestBuilder {
    id: Option<String>,
    to: PhoneNumber,
    message: MessageData,
    use_time_diff: Option<bool>,
    shorten_links: Option<bool>,
    schedule_info: Option<ScheduleInfo>,
    extra_param: Option<ExtraParams>,
    registered_delivery: Option<RegisteredDelivery>,
    notify_url: Option<String>,
    cascade_chain_link: Option<CascadeChainLink>,
}

impl SendRequestBuilder {
    /// Your own unique id for this message (`id`): the gateway sends a
    /// message only once per id when its duplicate control is on, and
    /// echoes it in delivery reports. Generated when not set.
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }
    /// The sender name (`serviceNumber`); defaults to the client's.
    #[must_use]
    pub fn service_number(mut self, name: impl Into<String>) -> Self {
        self.message = self.message.service_number(name);
        self
    }
    /// How long delivery is attempted (`ttl`, `ttlUnit`).
    #[must_use]
    pub fn ttl(mut self, ttl: Ttl) -> Self {
        self.message = self.message.ttl(ttl);
        self
    }
    /// `useTimeDiff`: apply the schedule in the recipient's time zone
    /// (`true`) or in UTC+3 (`false`, the gateway's default).
    #[must_use]
    pub fn use_time_diff(mut self, on: bool) -> Self {
        self.use_time_diff = Some(on);
        self
    }
    /// `shortenLinks`: shorten long links in the text (the gateway's
    /// default when the service is enabled for you).
    #[must_use]
    pub fn shorten_links(mut self, on: bool) -> Self {
        self.shorten_links = Some(on);
        self
    }
    /// `scheduleInfo`: when the message may be sent.
    #[must_use]
    pub fn schedule(mut self, schedule: ScheduleInfo) -> Self {
        self.schedule_info = Some(schedule);
        self
    }
    /// `extraParam`: extra `name=value` pairs.
    #[must_use]
    pub fn extra_params(mut self, params: ExtraParams) -> Self {
        self.extra_param = Some(params);
        self
    }
    /// `registeredDelivery`: which delivery reports to send.
    #[must_use]
    pub fn registered_delivery(mut self, r: RegisteredDelivery) -> Self {
        self.registered_delivery = Some(r);
        self
    }
    /// `notifyUrl`: where delivery reports go for this message (non-empty,
    /// at most 2048 characters).
    #[must_use]
    pub fn notify_url(mut self, url: impl Into<String>) -> Self {
        self.notify_url = Some(url.into());
        self
    }
    /// `cascadeChainLink`: what to send if this message is not delivered or read.
    #[must_use]
    pub fn cascade(mut self, link: CascadeChainLink) -> Self {
        self.cascade_chain_link = Some(link);
        self
    }

    /// Checks every documented rule and builds the request.
    pub fn build(self) -> Result<SendRequest, ValidationError> {
        let id = match self.id {
            Some(id) => {
                if id.trim().is_empty() || id.chars().any(char::is_control) {
                    return Err(ValidationError::new(
                        "id",
                        "must be non-empty without control characters; leave it unset to generate one",
                    ));
                }
                validate::max_chars(&id, MAX_ID_CHARS, "id")?;
                id
            }
            None => new_id(),
        };
        self.message.validate().map_err(|e| e.within("message"))?;
        if let Some(url) = &self.notify_url {
            validate_url(url, "notifyUrl", Some(MAX_NOTIFY_URL_CHARS))?;
        }
        if let Some(link) = &self.cascade_chain_link {
            link.validate()?;
        }
        Ok(SendRequest {
            id,
            dest_addr: self.to,
            message: self.message,
            use_time_diff: self.use_time_diff,
            shorten_links: self.shorten_links,
            schedule_info: self.schedule_info,
            extra_param: self.extra_param.filter(|p| !p.is_empty()),
            registered_delivery: self.registered_delivery,
            notify_url: self.notify_url,
            cascade_chain_link: self.cascade_chain_link,
        })
    }
}

/// The body on the wire: the request plus credentials, members in the
/// documented order, optional ones only when set.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireRequest<'a> {
    login: &'a str,
    password: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    use_time_diff: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shorten_links: Option<bool>,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule_info: Option<&'a ScheduleInfo>,
    dest_addr: &'a str,
    message: WireMessage<'a, WireData<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra_param: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registered_delivery: Option<RegisteredDelivery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notify_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cascade_chain_link: Option<&'a CascadeChainLink>,
}

impl SendRequest {
    /// The body on the wire, with the client's credentials and its sender
    /// name where the request sets none.
    pub(crate) fn wire<'a>(
        &'a self,
        login: &'a str,
        password: &'a str,
        default_service_number: Option<&'a str>,
    ) -> WireRequest<'a> {
        WireRequest {
            login,
            password,
            use_time_diff: self.use_time_diff,
            shorten_links: self.shorten_links,
            id: &self.id,
            schedule_info: self.schedule_info.as_ref(),
            dest_addr: self.dest_addr.digits(),
            message: self.message.wire(default_service_number),
            extra_param: self.extra_param.as_ref().map(ExtraParams::encode),
            registered_delivery: self.registered_delivery,
            notify_url: self.notify_url.as_deref(),
            cascade_chain_link: self.cascade_chain_link.as_ref(),
        }
    }
}

/// HTTP 200 answer to a send: the gateway accepted the message.
///
/// Acceptance is not delivery: the outcome comes later as a
/// [`DeliveryStatus`](crate::DeliveryStatus) callback to your `notifyUrl`.
///
/// Read leniently, since the gateway accepted the message: a member that
/// is missing or of another type is `None`, named in
/// [`SendResponse::warnings`], never an error that would have the message
/// sent again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct SendResponse {
    /// `mtNum`: the gateway's id for the message chain (cascade steps share it).
    pub mt_num: Option<String>,
    /// `id`: your partner-side id, echoed when the request carried one.
    pub id: Option<String>,
    #[serde(skip)]
    warnings: Vec<DecodeWarning>,
}

whatsapp_common::keeps_warnings!(SendResponse);
