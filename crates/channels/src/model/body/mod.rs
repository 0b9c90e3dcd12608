//! Message bodies: `{"type": K, K: {…}}` for each kind WhatsApp supports,
//! and the actions (buttons) they carry.

mod actions;
mod kinds;

use serde::{Deserialize, Serialize};
use whatsapp_common::ValidationError;

pub use actions::{
    Action, ActionDescription, ActionMetadata, Link, LocationRequest, MAX_ACTION_LABEL_CHARS,
    Postback, Reply,
};
pub use kinds::{
    CAROUSEL_CARDS, Carousel, Coordinates, File, Files, Image, Images, Item, List, ListButton,
    ListMetadata, Location, MAX_CAROUSEL_TEXT_CHARS, MAX_LIST_BUTTON_LABEL_CHARS,
    MAX_REPLY_MESSAGE_CHARS, Place, ReplyMessage, Text, TextMetadata, WhatsAppTextMetadata,
};

/// A message body: `{"type": K, K: {…}}`.
///
/// ```
/// use channels::{Action, Body};
/// let body = Body::text("Your order has shipped")
///     .with_actions(vec![Action::reply("Track it"), Action::reply("Thanks")]);
/// assert_eq!(serde_json::to_value(&body)?["type"], "text");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Body {
    /// `text`
    #[serde(rename = "text")]
    Text {
        /// Content.
        text: Text,
    },
    /// `image`
    #[serde(rename = "image")]
    Image {
        /// Content.
        image: Images,
    },
    /// `file`
    #[serde(rename = "file")]
    File {
        /// Content.
        file: Files,
    },
    /// `location`
    #[serde(rename = "location")]
    Location {
        /// Content.
        location: Location,
    },
    /// `list`
    #[serde(rename = "list")]
    List {
        /// Content.
        list: List,
    },
    /// `carousel`
    #[serde(rename = "carousel")]
    Carousel {
        /// Content.
        carousel: Carousel,
    },
    /// A body type this version does not model (received only).
    #[serde(other)]
    Unknown,
}

impl Body {
    /// A text message.
    pub fn text(text: impl Into<String>) -> Self {
        Self::text_with(text.into(), None)
    }
    /// A text message with URL preview on or off.
    pub fn text_with_preview(text: impl Into<String>, preview_url: bool) -> Self {
        let whatsapp = Some(WhatsAppTextMetadata {
            preview_url: Some(preview_url),
        });
        Self::text_with(text.into(), Some(TextMetadata { whatsapp }))
    }
    fn text_with(text: String, metadata: Option<TextMetadata>) -> Self {
        Self::Text {
            text: Text {
                text,
                actions: Vec::new(),
                metadata,
            },
        }
    }
    /// An image message (one or more images).
    pub fn images(images: Vec<Image>) -> Self {
        Self::Image {
            image: Images {
                text: None,
                images,
                actions: Vec::new(),
            },
        }
    }
    /// One image, with an optional label.
    pub fn image(media_url: impl Into<String>, alt_text: Option<String>) -> Self {
        Self::images(vec![Image {
            media_url: media_url.into(),
            alt_text,
        }])
    }
    /// A file message (one or more files).
    pub fn files(files: Vec<File>) -> Self {
        Self::File {
            file: Files {
                text: None,
                files,
                actions: Vec::new(),
            },
        }
    }
    /// A location message.
    pub fn location(latitude: f64, longitude: f64, place: Option<Place>) -> Self {
        Self::Location {
            location: Location {
                coordinates: Coordinates {
                    latitude,
                    longitude,
                },
                location: place,
            },
        }
    }
    /// A list message with `text` and sections.
    pub fn list(text: impl Into<String>, sections: Vec<Item>) -> Self {
        Self::List {
            list: List {
                title: None,
                text: text.into(),
                alt_text: None,
                items: sections,
                actions: Vec::new(),
                metadata: None,
            },
        }
    }
    /// A carousel of cards.
    pub fn carousel(text: Option<String>, cards: Vec<Item>) -> Self {
        Self::Carousel {
            carousel: Carousel { text, items: cards },
        }
    }

    /// Adds buttons (text, image and file messages; list actions).
    #[must_use]
    pub fn with_actions(mut self, actions: Vec<Action>) -> Self {
        match &mut self {
            Self::Text { text } => text.actions = actions,
            Self::Image { image } => image.actions = actions,
            Self::File { file } => file.actions = actions,
            Self::List { list } => list.actions = actions,
            _ => {}
        }
        self
    }

    /// Sets the text of an image, file or carousel message, or the title
    /// of a list.
    #[must_use]
    pub fn with_caption(mut self, caption: impl Into<String>) -> Self {
        let c = Some(caption.into());
        match &mut self {
            Self::Image { image } => image.text = c,
            Self::File { file } => file.text = c,
            Self::Carousel { carousel } => carousel.text = c,
            Self::List { list } => list.title = c,
            _ => {}
        }
        self
    }

    /// Checks every limit Bird's schema states.
    pub fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Self::Text { text } => text.validate(),
            Self::Image { image } => image.validate(),
            Self::File { file } => file.validate(),
            Self::Location { location } => location.validate(),
            Self::List { list } => list.validate(),
            Self::Carousel { carousel } => carousel.validate(),
            Self::Unknown => Err(ValidationError::new(
                "body.type",
                "unknown body types cannot be sent",
            )),
        }
    }
}
