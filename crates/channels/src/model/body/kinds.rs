//! What each body kind carries: the `K` of `{"type": K, K: {…}}` for
//! text, image, file, location, list and carousel messages (and the
//! sections and cards of the last two), each with the checks Bird's schema
//! states.

use serde::{Deserialize, Serialize};
use whatsapp_common::{ValidationError, validate};

use super::actions::{Action, validate_actions};
use crate::model::check;

/// Longest custom button label of a list.
pub const MAX_LIST_BUTTON_LABEL_CHARS: usize = 20;
/// Longest text above a carousel.
pub const MAX_CAROUSEL_TEXT_CHARS: usize = 1024;
/// Fewest and most cards in a carousel.
pub const CAROUSEL_CARDS: std::ops::RangeInclusive<usize> = 2..=10;
/// Longest list `replyMessage` title and text.
pub const MAX_REPLY_MESSAGE_CHARS: usize = 512;

/// `text.metadata.whatsapp`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WhatsAppTextMetadata {
    /// Show a preview of the first URL in the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_url: Option<bool>,
}

/// `text.metadata`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TextMetadata {
    /// WhatsApp options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whatsapp: Option<WhatsAppTextMetadata>,
}

/// A text message, with optional buttons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Text {
    /// The text (at least 1 character).
    pub text: String,
    /// Buttons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    /// Options (URL preview).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<TextMetadata>,
}

impl Text {
    pub(super) fn validate(&self) -> Result<(), ValidationError> {
        validate::not_empty(&self.text, "body.text.text")?;
        validate_actions(&self.actions, "body.text")
    }
}

/// An image of an image message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Image {
    /// Where the image is.
    pub media_url: String,
    /// Its label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
}

/// One or more images, with optional text and buttons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Images {
    /// Text with the images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The images.
    pub images: Vec<Image>,
    /// Buttons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}

/// A file of a file message (audio, video or document on WhatsApp).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct File {
    /// Where the file is.
    pub media_url: String,
    /// Its MIME type (required by Bird).
    pub content_type: String,
    /// The file name shown to the recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Its label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
}

/// One or more files, with optional text and buttons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Files {
    /// Text with the files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The files.
    pub files: Vec<File>,
    /// Buttons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}

/// Coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    /// −90..=90.
    pub latitude: f64,
    /// −180..=180.
    pub longitude: f64,
}

/// Address and label of a location.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Place {
    /// Street address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Name of the place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A location message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Location {
    /// Where.
    pub coordinates: Coordinates,
    /// Address and label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Place>,
}

impl Images {
    pub(super) fn validate(&self) -> Result<(), ValidationError> {
        if self.images.is_empty() {
            return Err(ValidationError::new(
                "body.image.images",
                "at least one image is required",
            ));
        }
        for (i, img) in self.images.iter().enumerate() {
            let at = format!("body.image.images[{i}].mediaUrl");
            validate::not_empty(&img.media_url, at.clone())?;
            check::uri(&img.media_url, at)?;
        }
        validate_actions(&self.actions, "body.image")
    }
}

impl Files {
    pub(super) fn validate(&self) -> Result<(), ValidationError> {
        if self.files.is_empty() {
            return Err(ValidationError::new(
                "body.file.files",
                "at least one file is required",
            ));
        }
        for (i, f) in self.files.iter().enumerate() {
            let at = format!("body.file.files[{i}].mediaUrl");
            validate::not_empty(&f.media_url, at.clone())?;
            check::uri(&f.media_url, at)?;
            validate::not_empty(&f.content_type, format!("body.file.files[{i}].contentType"))?;
        }
        validate_actions(&self.actions, "body.file")
    }
}

impl Location {
    pub(super) fn validate(&self) -> Result<(), ValidationError> {
        let c = self.coordinates;
        if !(-90.0..=90.0).contains(&c.latitude) {
            return Err(ValidationError::new(
                "body.location.coordinates.latitude",
                format!("{} is outside -90..=90", c.latitude),
            ));
        }
        if !(-180.0..=180.0).contains(&c.longitude) {
            return Err(ValidationError::new(
                "body.location.coordinates.longitude",
                format!("{} is outside -180..=180", c.longitude),
            ));
        }
        Ok(())
    }
}

/// A list section or a carousel card.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Item {
    /// Section title or card title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Card media.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Alternative text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
    /// Rows (list) or buttons (card).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}

impl Item {
    /// A list section with `title` and its rows.
    pub fn section(title: impl Into<String>, rows: Vec<Action>) -> Self {
        Self {
            title: Some(title.into()),
            actions: rows,
            ..Self::default()
        }
    }
    /// A list section without a title.
    pub fn untitled(rows: Vec<Action>) -> Self {
        Self {
            actions: rows,
            ..Self::default()
        }
    }
    /// A carousel card.
    pub fn card(title: impl Into<String>, media_url: impl Into<String>, action: Action) -> Self {
        Self {
            title: Some(title.into()),
            media_url: Some(media_url.into()),
            actions: vec![action],
            ..Self::default()
        }
    }
}

/// `list.metadata.button`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ListButton {
    /// Custom label of the button that opens the list (≤ 20 characters).
    pub label: String,
}

/// `list.metadata.replyMessage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReplyMessage {
    /// Title (≤ 512 characters).
    pub title: String,
    /// Text (≤ 512 characters).
    pub text: String,
}

/// `list.metadata`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListMetadata {
    /// The button that opens the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button: Option<ListButton>,
    /// The reply message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_message: Option<ReplyMessage>,
}

/// A list message: rows, optionally in titled sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct List {
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Text (required).
    pub text: String,
    /// Alternative text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
    /// Sections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
    /// Actions outside sections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    /// Button label, reply message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<ListMetadata>,
}

/// A carousel: 2 to 10 cards, each with media, a title and one link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Carousel {
    /// Text above the cards (≤ 1024 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The cards.
    pub items: Vec<Item>,
}

impl List {
    pub(super) fn validate(&self) -> Result<(), ValidationError> {
        validate::not_empty(&self.text, "body.list.text")?;
        for (i, item) in self.items.iter().enumerate() {
            if let Some(url) = &item.media_url {
                check::uri(url, format!("body.list.items[{i}].mediaUrl"))?;
            }
            validate_actions(&item.actions, &format!("body.list.items[{i}]"))?;
        }
        validate_actions(&self.actions, "body.list")?;
        if let Some(m) = &self.metadata {
            if let Some(b) = &m.button {
                validate::max_chars(
                    &b.label,
                    MAX_LIST_BUTTON_LABEL_CHARS,
                    "body.list.metadata.button.label",
                )?;
            }
            if let Some(r) = &m.reply_message {
                validate::max_chars(
                    &r.title,
                    MAX_REPLY_MESSAGE_CHARS,
                    "body.list.metadata.replyMessage.title",
                )?;
                validate::max_chars(
                    &r.text,
                    MAX_REPLY_MESSAGE_CHARS,
                    "body.list.metadata.replyMessage.text",
                )?;
            }
        }
        Ok(())
    }
}

impl Carousel {
    pub(super) fn validate(&self) -> Result<(), ValidationError> {
        if let Some(t) = &self.text {
            validate::max_chars(t, MAX_CAROUSEL_TEXT_CHARS, "body.carousel.text")?;
        }
        let n = self.items.len();
        if !CAROUSEL_CARDS.contains(&n) {
            return Err(ValidationError::new(
                "body.carousel.items",
                format!("{n} cards; a carousel takes 2 to 10"),
            ));
        }
        for (i, card) in self.items.iter().enumerate() {
            let at = format!("body.carousel.items[{i}]");
            if card.title.as_deref().is_none_or(str::is_empty) {
                return Err(ValidationError::new(
                    format!("{at}.title"),
                    "each card needs a title",
                ));
            }
            match card.media_url.as_deref() {
                None | Some("") => {
                    return Err(ValidationError::new(
                        format!("{at}.mediaUrl"),
                        "each card needs media",
                    ));
                }
                Some(url) => check::uri(url, format!("{at}.mediaUrl"))?,
            }
            if card.actions.len() != 1 || !matches!(card.actions[0], Action::Link { .. }) {
                return Err(ValidationError::new(
                    format!("{at}.actions"),
                    "each card takes exactly one link action",
                ));
            }
            validate_actions(&card.actions, &at)?;
        }
        Ok(())
    }
}
