//! The WhatsApp send request and its parts.

use std::fmt;

use serde::Serialize;
use serde::ser::SerializeMap;
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
}

impl Serialize for MessageData {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Data<'a> {
            instant_content: &'a InstantContent,
            #[serde(skip_serializing_if = "Option::is_none")]
            service_number: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            ttl: Option<u32>,
            #[serde(skip_serializing_if = "Option::is_none")]
            ttl_unit: Option<&'a TtlUnit>,
        }
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("type", "WHATSAPP")?;
        m.serialize_entry(
            "data",
            &Data {
                instant_content: &self.content,
                service_number: self.service_number.as_deref(),
                ttl: self.ttl.as_ref().map(Ttl::value),
                ttl_unit: self.ttl.as_ref().and_then(Ttl::unit),
            },
        )?;
        m.end()
    }
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
    pub(crate) id: String,
    pub(crate) dest_addr: PhoneNumber,
    pub(crate) message: MessageData,
    pub(crate) use_time_diff: Option<bool>,
    pub(crate) shorten_links: Option<bool>,
    pub(crate) schedule_info: Option<ScheduleInfo>,
    pub(crate) extra_param: Option<ExtraParams>,
    pub(crate) registered_delivery: Option<RegisteredDelivery>,
    pub(crate) notify_url: Option<String>,
    pub(crate) cascade_chain_link: Option<CascadeChainLink>,
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
                let n = id.chars().count();
                if n > MAX_ID_CHARS {
                    return Err(ValidationError::new(
                        "id",
                        format!("is {n} characters; at most {MAX_ID_CHARS} are sent"),
                    ));
                }
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

/// The body on the wire: the request plus credentials, in the documented order.
pub(crate) struct WireRequest<'a> {
    pub(crate) login: &'a str,
    pub(crate) password: &'a str,
    pub(crate) default_service_number: Option<&'a str>,
    pub(crate) request: &'a SendRequest,
}

impl Serialize for WireRequest<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.request;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("login", self.login)?;
        m.serialize_entry("password", self.password)?;
        if let Some(v) = r.use_time_diff {
            m.serialize_entry("useTimeDiff", &v)?;
        }
        if let Some(v) = r.shorten_links {
            m.serialize_entry("shortenLinks", &v)?;
        }
        m.serialize_entry("id", &r.id)?;
        if let Some(v) = &r.schedule_info {
            m.serialize_entry("scheduleInfo", v)?;
        }
        m.serialize_entry("destAddr", r.dest_addr.digits())?;
        match (&r.message.service_number, self.default_service_number) {
            (None, Some(default)) => {
                let msg = r.message.clone().service_number(default);
                m.serialize_entry("message", &msg)?;
            }
            _ => m.serialize_entry("message", &r.message)?,
        }
        if let Some(v) = &r.extra_param {
            m.serialize_entry("extraParam", &v.encode())?;
        }
        if let Some(v) = &r.registered_delivery {
            m.serialize_entry("registeredDelivery", v)?;
        }
        if let Some(v) = &r.notify_url {
            m.serialize_entry("notifyUrl", v)?;
        }
        if let Some(v) = &r.cascade_chain_link {
            m.serialize_entry("cascadeChainLink", v)?;
        }
        m.end()
    }
}
