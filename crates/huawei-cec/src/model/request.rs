//! The `sendWhatsappMessage` request: destinations, the WhatsApp message,
//! scheduling.

use std::fmt;

use serde::Serialize;
use serde::ser::SerializeMap;
use whatsapp_common::time::{civil_from_days, unix_millis_now};
use whatsapp_common::{LanguageCode, PhoneNumber, TemplateName, ValidationError, new_id};

/// Most characters of a media URL (`imageUrl`, `audioUrl`, `videoUrl`).
pub const MAX_URL_CHARS: usize = 2048;
/// Most characters of `locationName` and of `address`.
pub const MAX_LOCATION_TEXT_CHARS: usize = 1000;
/// Most characters of a text message: WhatsApp's own limit (CEC documents none).
pub const MAX_TEXT_CHARS: usize = 4096;
/// Most characters of a button's `urlPlaceholder` (the OMNI API's limit).
pub const MAX_URL_PLACEHOLDER_CHARS: usize = 1500;
/// Most characters of a button's `quickReplyPayload` (the OMNI API's limit).
pub const MAX_QUICK_REPLY_PAYLOAD_CHARS: usize = 128;
/// Furthest ahead `sendAt` may be (the OMNI API's limit): 180 days.
pub const MAX_SEND_AT_AHEAD_MILLIS: i64 = 180 * 24 * 3600 * 1000;

fn check_len(
    value: &str,
    max: usize,
    field: impl Into<std::borrow::Cow<'static, str>>,
) -> Result<(), ValidationError> {
    let n = value.chars().count();
    if n > max {
        return Err(ValidationError::new(
            field,
            format!("is {n} characters; at most {max} are allowed"),
        ));
    }
    Ok(())
}

fn check_url(url: &str, field: &'static str) -> Result<(), ValidationError> {
    if url.trim().is_empty() {
        return Err(ValidationError::new(field, "URL must not be empty"));
    }
    check_len(url, MAX_URL_CHARS, field)?;
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(ValidationError::new(
            field,
            "URL must be absolute and start with http:// or https://",
        ));
    }
    Ok(())
}

fn check_coordinates(latitude: f64, longitude: f64, at: &str) -> Result<(), ValidationError> {
    if !(-90.0..=90.0).contains(&latitude) {
        return Err(ValidationError::new(
            format!("{at}latitude"),
            format!("{latitude} is outside -90..=90"),
        ));
    }
    if !(-180.0..=180.0).contains(&longitude) {
        return Err(ValidationError::new(
            format!("{at}longitude"),
            format!("{longitude} is outside -180..=180"),
        ));
    }
    Ok(())
}

/// A location message: coordinates with an optional name and address.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    latitude: f64,
    longitude: f64,
    name: Option<String>,
    address: Option<String>,
}

impl Location {
    /// A location at `latitude` (−90..=90), `longitude` (−180..=180).
    pub fn new(latitude: f64, longitude: f64) -> Self {
        Self {
            latitude,
            longitude,
            name: None,
            address: None,
        }
    }
    /// `locationName`, at most 1000 characters.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// `address`, at most 1000 characters.
    #[must_use]
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }
}

/// The header of a media template.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MediaHeader {
    /// A text title: `textPlaceholder`.
    Text(String),
    /// An image title: `imageUrl` (JPG, JPEG or PNG, at most 2 MB).
    Image(String),
    /// A video title: `videoUrl` (MP4, at most 10 MB).
    Video(String),
    /// A location title: `latitude`, `longitude`.
    Location {
        /// −90..=90.
        latitude: f64,
        /// −180..=180.
        longitude: f64,
    },
}

/// A media template button's value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaButton {
    /// `urlPlaceholder`: the variable part of a URL button.
    Url(String),
    /// `quickReplyPayload`: what a quick-reply button sends back.
    QuickReply(String),
}

/// `mediaTemplateData`: the parts of a media template (header, body
/// placeholders, buttons).
///
/// ```
/// use huawei_cec::{MediaButton, MediaHeader, MediaTemplateData};
/// let media = MediaTemplateData::new()
///     .header(MediaHeader::Image("https://example.com/banner.png".into()))
///     .body_placeholders(["Anna", "#1042"])
///     .button(MediaButton::QuickReply("track-1042".into()));
/// # let _ = media;
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MediaTemplateData {
    header: Option<MediaHeader>,
    body: Option<Vec<String>>,
    buttons: Vec<MediaButton>,
}

impl MediaTemplateData {
    /// Empty media data.
    pub fn new() -> Self {
        Self::default()
    }
    /// The header (required by templates with a title).
    #[must_use]
    pub fn header(mut self, header: MediaHeader) -> Self {
        self.header = Some(header);
        self
    }
    /// Body placeholders in order; may be empty, never null; no element may be empty.
    #[must_use]
    pub fn body_placeholders<I, S>(mut self, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.body = Some(values.into_iter().map(Into::into).collect());
        self
    }
    /// Adds a button value, in the template's button order.
    #[must_use]
    pub fn button(mut self, button: MediaButton) -> Self {
        self.buttons.push(button);
        self
    }

    fn validate(&self) -> Result<(), ValidationError> {
        let at = "whatsApp.mediaTemplateData.header.";
        match &self.header {
            Some(MediaHeader::Text(t)) if t.trim().is_empty() => {
                return Err(ValidationError::new(
                    "whatsApp.mediaTemplateData.header.textPlaceholder",
                    "must not be empty",
                ));
            }
            Some(MediaHeader::Image(u)) => {
                check_url(u, "whatsApp.mediaTemplateData.header.imageUrl")?;
            }
            Some(MediaHeader::Video(u)) => {
                check_url(u, "whatsApp.mediaTemplateData.header.videoUrl")?;
            }
            Some(MediaHeader::Location {
                latitude,
                longitude,
            }) => check_coordinates(*latitude, *longitude, at)?,
            _ => {}
        }
        if let Some(body) = &self.body
            && let Some(i) = body.iter().position(|p| p.is_empty())
        {
            return Err(ValidationError::new(
                format!("whatsApp.mediaTemplateData.body.placeholders[{i}]"),
                "placeholder values must not be empty",
            ));
        }
        for (i, b) in self.buttons.iter().enumerate() {
            match b {
                MediaButton::Url(v) => {
                    let field = format!("whatsApp.mediaTemplateData.buttons[{i}].urlPlaceholder");
                    if v.is_empty() {
                        return Err(ValidationError::new(field, "must not be empty"));
                    }
                    check_len(v, MAX_URL_PLACEHOLDER_CHARS, field)?;
                }
                MediaButton::QuickReply(v) => {
                    let field =
                        format!("whatsApp.mediaTemplateData.buttons[{i}].quickReplyPayload");
                    if v.is_empty() {
                        return Err(ValidationError::new(field, "must not be empty"));
                    }
                    check_len(v, MAX_QUICK_REPLY_PAYLOAD_CHARS, field)?;
                }
            }
        }
        Ok(())
    }
}

impl Serialize for MediaTemplateData {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(h) = &self.header {
            m.serialize_entry("header", &HeaderWire(h))?;
        }
        if let Some(body) = &self.body {
            m.serialize_entry("body", &BodyWire { placeholders: body })?;
        }
        if !self.buttons.is_empty() {
            let buttons: Vec<ButtonWire<'_>> = self.buttons.iter().map(ButtonWire).collect();
            m.serialize_entry("buttons", &buttons)?;
        }
        m.end()
    }
}

struct HeaderWire<'a>(&'a MediaHeader);

impl Serialize for HeaderWire<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self.0 {
            MediaHeader::Text(t) => m.serialize_entry("textPlaceholder", t)?,
            MediaHeader::Image(u) => m.serialize_entry("imageUrl", u)?,
            MediaHeader::Video(u) => m.serialize_entry("videoUrl", u)?,
            MediaHeader::Location {
                latitude,
                longitude,
            } => {
                m.serialize_entry("latitude", latitude)?;
                m.serialize_entry("longitude", longitude)?;
            }
        }
        m.end()
    }
}

#[derive(Serialize)]
struct BodyWire<'a> {
    placeholders: &'a [String],
}

struct ButtonWire<'a>(&'a MediaButton);

impl Serialize for ButtonWire<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        match self.0 {
            MediaButton::Url(v) => m.serialize_entry("urlPlaceholder", v)?,
            MediaButton::QuickReply(v) => m.serialize_entry("quickReplyPayload", v)?,
        }
        m.end()
    }
}

/// A template message: name, language, values in registration order, and
/// media parts for media templates.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateMessage {
    name: TemplateName,
    language: LanguageCode,
    data: Vec<String>,
    media: Option<MediaTemplateData>,
}

impl TemplateMessage {
    /// A template by its registered name and language (`zh_CN`, `en_US`).
    pub fn new(
        name: impl Into<String>,
        language: impl Into<String>,
    ) -> Result<Self, ValidationError> {
        Ok(Self {
            name: TemplateName::new(name).map_err(|e| e.within("whatsApp"))?,
            language: LanguageCode::new(language).map_err(|e| e.within("whatsApp"))?,
            data: Vec::new(),
            media: None,
        })
    }
    /// `templateData`: parameter values in the order they were registered.
    #[must_use]
    pub fn data<I, S>(mut self, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.data = values.into_iter().map(Into::into).collect();
        self
    }
    /// `mediaTemplateData`, for templates with a header, body placeholders or buttons.
    #[must_use]
    pub fn media(mut self, media: MediaTemplateData) -> Self {
        self.media = Some(media);
        self
    }
}

/// The WhatsApp message: exactly one kind. The wire object is the
/// documented flat `whatsApp` object; this type only lets coherent
/// combinations be built.
///
/// ```
/// use huawei_cec::{Location, TemplateMessage, WhatsAppMessage};
/// let text = WhatsAppMessage::text("Your order has shipped");
/// let place = WhatsAppMessage::location(Location::new(46.2, 6.14).name("Depot"));
/// let template = WhatsAppMessage::template(TemplateMessage::new("order_shipped", "en_US")?.data(["Anna"]));
/// # let _ = (text, place, template);
/// # Ok::<(), whatsapp_common::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WhatsAppMessage {
    /// `text`
    Text(String),
    /// `imageUrl`: JPG, JPEG or PNG, at most 2 MB.
    Image(String),
    /// `audioUrl`: AAC, at most 2 MB.
    Audio(String),
    /// `videoUrl`: MP4, at most 10 MB.
    Video(String),
    /// `latitude`, `longitude`, `locationName`, `address`.
    Location(Location),
    /// `templateName`, `templateData`, `language`, `mediaTemplateData`.
    Template(TemplateMessage),
}

impl WhatsAppMessage {
    /// A text message.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }
    /// An image by URL.
    pub fn image(url: impl Into<String>) -> Self {
        Self::Image(url.into())
    }
    /// An audio file by URL.
    pub fn audio(url: impl Into<String>) -> Self {
        Self::Audio(url.into())
    }
    /// A video by URL.
    pub fn video(url: impl Into<String>) -> Self {
        Self::Video(url.into())
    }
    /// A location.
    pub fn location(location: Location) -> Self {
        Self::Location(location)
    }
    /// A template.
    pub fn template(template: TemplateMessage) -> Self {
        Self::Template(template)
    }

    fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Self::Text(t) => {
                if t.trim().is_empty() {
                    return Err(ValidationError::new("whatsApp.text", "must not be empty"));
                }
                check_len(t, MAX_TEXT_CHARS, "whatsApp.text")
            }
            Self::Image(u) => check_url(u, "whatsApp.imageUrl"),
            Self::Audio(u) => check_url(u, "whatsApp.audioUrl"),
            Self::Video(u) => check_url(u, "whatsApp.videoUrl"),
            Self::Location(l) => {
                check_coordinates(l.latitude, l.longitude, "whatsApp.")?;
                if let Some(n) = &l.name {
                    check_len(n, MAX_LOCATION_TEXT_CHARS, "whatsApp.locationName")?;
                }
                if let Some(a) = &l.address {
                    check_len(a, MAX_LOCATION_TEXT_CHARS, "whatsApp.address")?;
                }
                Ok(())
            }
            Self::Template(t) => match &t.media {
                Some(m) => m.validate(),
                None => Ok(()),
            },
        }
    }
}

impl Serialize for WhatsAppMessage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self {
            Self::Text(t) => m.serialize_entry("text", t)?,
            Self::Image(u) => m.serialize_entry("imageUrl", u)?,
            Self::Audio(u) => m.serialize_entry("audioUrl", u)?,
            Self::Video(u) => m.serialize_entry("videoUrl", u)?,
            Self::Location(l) => {
                if let Some(n) = &l.name {
                    m.serialize_entry("locationName", n)?;
                }
                if let Some(a) = &l.address {
                    m.serialize_entry("address", a)?;
                }
                m.serialize_entry("longitude", &l.longitude)?;
                m.serialize_entry("latitude", &l.latitude)?;
            }
            Self::Template(t) => {
                m.serialize_entry("templateName", t.name.as_str())?;
                m.serialize_entry("templateData", &t.data)?;
                m.serialize_entry("language", t.language.as_str())?;
                if let Some(media) = &t.media {
                    m.serialize_entry("mediaTemplateData", media)?;
                }
            }
        }
        m.end()
    }
}

/// `sendAt`: when to send, rendered as the OMNI API's
/// `yyyy-MM-dd'T'HH:mm:ss.SSSZ` in UTC (`2021-05-24T10:45:38.000+0000`).
///
/// ```
/// use huawei_cec::SendAt;
/// let at = SendAt::from_unix_millis(1_621_853_138_000);
/// assert_eq!(at.to_string(), "2021-05-24T10:45:38.000+0000");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SendAt(i64);

impl SendAt {
    /// Milliseconds since the Unix epoch.
    pub fn from_unix_millis(millis: i64) -> Self {
        Self(millis)
    }
    /// A moment given as a `SystemTime`.
    pub fn from_system_time(t: std::time::SystemTime) -> Self {
        let millis = match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_millis() as i64,
            Err(e) => -(e.duration().as_millis() as i64),
        };
        Self(millis)
    }
    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(&self) -> i64 {
        self.0
    }
}

impl fmt::Display for SendAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (days, ms_of_day) = (self.0.div_euclid(86_400_000), self.0.rem_euclid(86_400_000));
        let (y, mo, d) = civil_from_days(days);
        let secs = ms_of_day / 1000;
        write!(
            f,
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}+0000",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            ms_of_day % 1000
        )
    }
}

impl Serialize for SendAt {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One recipient: its number and the message id it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    message_id: String,
    to: PhoneNumber,
}

impl Destination {
    /// The message id sent for this recipient.
    pub fn message_id(&self) -> &str {
        &self.message_id
    }
    /// The recipient.
    pub fn to(&self) -> &PhoneNumber {
        &self.to
    }
}

impl Serialize for Destination {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct To<'a> {
            #[serde(rename = "phoneNumber")]
            phone_number: &'a str,
        }
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("messageId", &self.message_id)?;
        m.serialize_entry(
            "to",
            &To {
                phone_number: self.to.digits(),
            },
        )?;
        m.end()
    }
}

/// A `sendWhatsappMessage` request. Build with [`SendRequest::builder`].
///
/// `bulkId` and each destination's `messageId` are generated (UUIDs) when
/// not given, fixed at build time and sent unchanged on every retry, so a
/// retried send is recognisably the same message.
///
/// ```
/// use huawei_cec::{SendRequest, WhatsAppMessage};
/// let req = SendRequest::builder(WhatsAppMessage::text("Hello"))
///     .to("+41 79 302 67 27".parse()?)
///     .build()?;
/// assert_eq!(req.destinations()[0].to().digits(), "41793026727");
/// assert_eq!(req.bulk_id().len(), 36);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct SendRequest {
    scenario_key: Option<String>,
    bulk_id: String,
    destinations: Vec<Destination>,
    whatsapp: WhatsAppMessage,
    send_at: Option<SendAt>,
}

impl fmt::Debug for SendRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendRequest")
            .field("bulk_id", &self.bulk_id)
            .field("destinations", &self.destinations.len())
            .field("send_at", &self.send_at)
            .finish_non_exhaustive()
    }
}

impl Serialize for SendRequest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(k) = &self.scenario_key {
            m.serialize_entry("scenarioKey", k)?;
        }
        m.serialize_entry("bulkId", &self.bulk_id)?;
        m.serialize_entry("whatsApp", &self.whatsapp)?;
        m.serialize_entry("destinations", &self.destinations)?;
        if let Some(at) = &self.send_at {
            m.serialize_entry("sendAt", at)?;
        }
        m.end()
    }
}

impl SendRequest {
    /// Starts a request carrying `message`.
    pub fn builder(message: WhatsAppMessage) -> SendRequestBuilder {
        SendRequestBuilder {
            scenario_key: None,
            bulk_id: None,
            destinations: Vec::new(),
            whatsapp: message,
            send_at: None,
        }
    }
    /// `bulkId`, given or generated.
    pub fn bulk_id(&self) -> &str {
        &self.bulk_id
    }
    /// The recipients with their message ids.
    pub fn destinations(&self) -> &[Destination] {
        &self.destinations
    }
    /// The message.
    pub fn message(&self) -> &WhatsAppMessage {
        &self.whatsapp
    }
}

/// Builds a [`SendRequest`].
#[derive(Debug, Clone)]
pub struct SendRequestBuilder {
    scenario_key: Option<String>,
    bulk_id: Option<String>,
    destinations: Vec<(PhoneNumber, Option<String>)>,
    whatsapp: WhatsAppMessage,
    send_at: Option<SendAt>,
}

impl SendRequestBuilder {
    /// Adds a recipient; its `messageId` is generated.
    #[must_use]
    pub fn to(mut self, number: PhoneNumber) -> Self {
        self.destinations.push((number, None));
        self
    }
    /// Adds a recipient with your own `messageId`.
    #[must_use]
    pub fn to_with_id(mut self, number: PhoneNumber, message_id: impl Into<String>) -> Self {
        self.destinations.push((number, Some(message_id.into())));
        self
    }
    /// Your own `bulkId` (generated when not set).
    #[must_use]
    pub fn bulk_id(mut self, id: impl Into<String>) -> Self {
        self.bulk_id = Some(id.into());
        self
    }
    /// `scenarioKey`: the sending solution (the default one when unset).
    #[must_use]
    pub fn scenario_key(mut self, key: impl Into<String>) -> Self {
        self.scenario_key = Some(key.into());
        self
    }
    /// `sendAt`: send at this moment instead of now (at most 180 days ahead;
    /// a past moment sends at once).
    #[must_use]
    pub fn send_at(mut self, at: SendAt) -> Self {
        self.send_at = Some(at);
        self
    }

    /// Checks every documented rule and builds the request.
    pub fn build(self) -> Result<SendRequest, ValidationError> {
        if self.destinations.is_empty() {
            return Err(ValidationError::new(
                "destinations",
                "at least one recipient is required; add one with .to(…)",
            ));
        }
        self.whatsapp.validate()?;
        let id_ok = |id: &str| !id.trim().is_empty() && !id.chars().any(char::is_control);
        if let Some(b) = &self.bulk_id
            && !id_ok(b)
        {
            return Err(ValidationError::new(
                "bulkId",
                "must be non-empty without control characters; leave it unset to generate one",
            ));
        }
        if let Some(k) = &self.scenario_key
            && k.trim().is_empty()
        {
            return Err(ValidationError::new(
                "scenarioKey",
                "must not be empty; leave it unset for the default solution",
            ));
        }
        if let Some(at) = self.send_at
            && at.unix_millis() - unix_millis_now() > MAX_SEND_AT_AHEAD_MILLIS
        {
            return Err(ValidationError::new(
                "sendAt",
                format!("{at} is more than 180 days ahead"),
            ));
        }
        let mut destinations = Vec::with_capacity(self.destinations.len());
        let mut seen = std::collections::HashSet::new();
        for (i, (to, id)) in self.destinations.into_iter().enumerate() {
            let message_id = match id {
                Some(id) if id_ok(&id) => id,
                Some(_) => {
                    return Err(ValidationError::new(
                        format!("destinations[{i}].messageId"),
                        "must be non-empty without control characters",
                    ));
                }
                None => new_id(),
            };
            if !seen.insert(message_id.clone()) {
                return Err(ValidationError::new(
                    format!("destinations[{i}].messageId"),
                    format!("{message_id:?} is used twice; each message id must be unique"),
                ));
            }
            destinations.push(Destination { message_id, to });
        }
        Ok(SendRequest {
            scenario_key: self.scenario_key,
            bulk_id: self.bulk_id.unwrap_or_else(new_id),
            destinations,
            whatsapp: self.whatsapp,
            send_at: self.send_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_at_renders_the_omni_format() {
        assert_eq!(
            SendAt::from_unix_millis(0).to_string(),
            "1970-01-01T00:00:00.000+0000"
        );
        assert_eq!(
            SendAt::from_unix_millis(1_621_853_138_007).to_string(),
            "2021-05-24T10:45:38.007+0000"
        );
        assert_eq!(
            SendAt::from_unix_millis(-1).to_string(),
            "1969-12-31T23:59:59.999+0000"
        );
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_621_853_138_000);
        assert_eq!(SendAt::from_system_time(t).unix_millis(), 1_621_853_138_000);
    }
}
