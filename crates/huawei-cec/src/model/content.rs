//! What a send carries: the [`WhatsAppMessage`] kinds, the template and
//! its media parts, checked against every documented limit and written as
//! the documented flat `whatsApp` object.

use serde::Serialize;
use serde::ser::SerializeMap;
use whatsapp_common::{LanguageCode, TemplateName, ValidationError, validate};

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

fn check_url(url: &str, field: &'static str) -> Result<(), ValidationError> {
    validate::http_url(url, field)?;
    validate::max_chars(url, MAX_URL_CHARS, field)
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

impl MediaButton {
    /// The wire member, the value, and the most characters it may have.
    fn member(&self) -> (&'static str, &str, usize) {
        match self {
            Self::Url(v) => ("urlPlaceholder", v, MAX_URL_PLACEHOLDER_CHARS),
            Self::QuickReply(v) => ("quickReplyPayload", v, MAX_QUICK_REPLY_PAYLOAD_CHARS),
        }
    }
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
            Some(MediaHeader::Text(t)) => {
                validate::not_blank(t, "whatsApp.mediaTemplateData.header.textPlaceholder")?;
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
            let (member, value, max) = b.member();
            let field = format!("whatsApp.mediaTemplateData.buttons[{i}].{member}");
            validate::not_empty(value, field.clone())?;
            validate::max_chars(value, max, field)?;
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
        let (member, value, _) = self.0.member();
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(member, value)?;
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

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Self::Text(t) => {
                validate::not_blank(t, "whatsApp.text")?;
                validate::max_chars(t, MAX_TEXT_CHARS, "whatsApp.text")
            }
            Self::Image(u) => check_url(u, "whatsApp.imageUrl"),
            Self::Audio(u) => check_url(u, "whatsApp.audioUrl"),
            Self::Video(u) => check_url(u, "whatsApp.videoUrl"),
            Self::Location(l) => {
                check_coordinates(l.latitude, l.longitude, "whatsApp.")?;
                if let Some(n) = &l.name {
                    validate::max_chars(n, MAX_LOCATION_TEXT_CHARS, "whatsApp.locationName")?;
                }
                if let Some(a) = &l.address {
                    validate::max_chars(a, MAX_LOCATION_TEXT_CHARS, "whatsApp.address")?;
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
