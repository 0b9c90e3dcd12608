//! Message bodies: `{"type": K, K: {…}}` for each kind WhatsApp supports,
//! and the actions (buttons) they carry.

use serde::{Deserialize, Serialize};
use whatsapp_common::ValidationError;

/// Longest `description.label` of a reply or postback action.
pub const MAX_ACTION_LABEL_CHARS: usize = 72;
/// Longest custom button label of a list.
pub const MAX_LIST_BUTTON_LABEL_CHARS: usize = 20;
/// Longest text above a carousel.
pub const MAX_CAROUSEL_TEXT_CHARS: usize = 1024;
/// Fewest and most cards in a carousel.
pub const CAROUSEL_CARDS: std::ops::RangeInclusive<usize> = 2..=10;
/// Longest list `replyMessage` title and text.
pub const MAX_REPLY_MESSAGE_CHARS: usize = 512;

fn check_max(value: &str, max: usize, field: String) -> Result<(), ValidationError> {
    let n = value.chars().count();
    if n > max {
        return Err(ValidationError::new(
            field,
            format!("is {n} characters; at most {max} are allowed"),
        ));
    }
    Ok(())
}

fn check_non_empty(value: &str, field: String) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    Ok(())
}

/// The description shown under a list row (`metadata.description.label`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionMetadata {
    /// `description`.
    pub description: ActionDescription,
}

/// `description` of an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDescription {
    /// `label`, at most 72 characters.
    pub label: String,
}

/// A quick-reply button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Reply {
    /// Button text.
    pub text: String,
    /// An image for the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Row description (WhatsApp lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<ActionMetadata>,
}

/// A button that sends a payload back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Postback {
    /// Button text.
    pub text: String,
    /// What comes back when it is pressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// An image for the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Row description (WhatsApp lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<ActionMetadata>,
}

/// A link button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Link {
    /// Button text.
    pub text: String,
    /// Where it goes (a URI, or a `{{variable}}` pattern).
    pub url: String,
}

/// A "send your location" button.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LocationRequest {
    /// Button text (Bird's default: "Send location").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// An action (button): `{"type": T, T: {…}}`.
///
/// ```
/// use channels::Action;
/// let yes = Action::reply("Yes");
/// let more = Action::postback("More", "more-1").with_description("Show more products");
/// # let _ = (yes, more);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Action {
    /// `reply`
    #[serde(rename = "reply")]
    Reply {
        /// The button.
        reply: Reply,
    },
    /// `postback`
    #[serde(rename = "postback")]
    Postback {
        /// The button.
        postback: Postback,
    },
    /// `link`
    #[serde(rename = "link")]
    Link {
        /// The button.
        link: Link,
    },
    /// `locationRequest` (its object is optional)
    #[serde(rename = "locationRequest")]
    LocationRequest {
        /// The button text, if not Bird's default.
        #[serde(
            rename = "locationRequest",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        location_request: Option<LocationRequest>,
    },
    /// An action type this version does not know (received only).
    #[serde(other)]
    Unknown,
}

impl Action {
    /// A reply button.
    pub fn reply(text: impl Into<String>) -> Self {
        Self::Reply {
            reply: Reply {
                text: text.into(),
                image_url: None,
                metadata: None,
            },
        }
    }
    /// A postback button with a payload.
    pub fn postback(text: impl Into<String>, payload: impl Into<String>) -> Self {
        Self::Postback {
            postback: Postback {
                text: text.into(),
                payload: Some(payload.into()),
                image_url: None,
                metadata: None,
            },
        }
    }
    /// A postback button without a payload.
    pub fn postback_without_payload(text: impl Into<String>) -> Self {
        Self::Postback {
            postback: Postback {
                text: text.into(),
                payload: None,
                image_url: None,
                metadata: None,
            },
        }
    }
    /// A link button.
    pub fn link(text: impl Into<String>, url: impl Into<String>) -> Self {
        Self::Link {
            link: Link {
                text: text.into(),
                url: url.into(),
            },
        }
    }
    /// A location request with Bird's default text.
    pub fn location_request() -> Self {
        Self::LocationRequest {
            location_request: None,
        }
    }
    /// Sets the row description of a reply or postback (≤ 72 characters).
    #[must_use]
    pub fn with_description(mut self, label: impl Into<String>) -> Self {
        let metadata = Some(ActionMetadata {
            description: ActionDescription {
                label: label.into(),
            },
        });
        match &mut self {
            Self::Reply { reply } => reply.metadata = metadata,
            Self::Postback { postback } => postback.metadata = metadata,
            _ => {}
        }
        self
    }
    /// Sets the image of a reply or postback.
    #[must_use]
    pub fn with_image(mut self, url: impl Into<String>) -> Self {
        match &mut self {
            Self::Reply { reply } => reply.image_url = Some(url.into()),
            Self::Postback { postback } => postback.image_url = Some(url.into()),
            _ => {}
        }
        self
    }

    fn validate(&self, at: &str) -> Result<(), ValidationError> {
        let label = |m: &Option<ActionMetadata>, kind: &str| match m {
            Some(m) => check_max(
                &m.description.label,
                MAX_ACTION_LABEL_CHARS,
                format!("{at}.{kind}.metadata.description.label"),
            ),
            None => Ok(()),
        };
        match self {
            Self::Reply { reply } => {
                check_non_empty(&reply.text, format!("{at}.reply.text"))?;
                label(&reply.metadata, "reply")
            }
            Self::Postback { postback } => {
                check_non_empty(&postback.text, format!("{at}.postback.text"))?;
                label(&postback.metadata, "postback")
            }
            Self::Link { link } => {
                check_non_empty(&link.text, format!("{at}.link.text"))?;
                check_non_empty(&link.url, format!("{at}.link.url"))
            }
            Self::LocationRequest { .. } => Ok(()),
            Self::Unknown => Err(ValidationError::new(
                at.to_owned(),
                "unknown action types cannot be sent",
            )),
        }
    }
}

fn validate_actions(actions: &[Action], at: &str) -> Result<(), ValidationError> {
    actions
        .iter()
        .enumerate()
        .try_for_each(|(i, a)| a.validate(&format!("{at}.actions[{i}]")))
}

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
        Self::Text {
            text: Text {
                text: text.into(),
                actions: Vec::new(),
                metadata: None,
            },
        }
    }
    /// A text message with URL preview on or off.
    pub fn text_with_preview(text: impl Into<String>, preview_url: bool) -> Self {
        Self::Text {
            text: Text {
                text: text.into(),
                actions: Vec::new(),
                metadata: Some(TextMetadata {
                    whatsapp: Some(WhatsAppTextMetadata {
                        preview_url: Some(preview_url),
                    }),
                }),
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
            Self::Text { text } => {
                check_non_empty(&text.text, "body.text.text".into())?;
                validate_actions(&text.actions, "body.text")
            }
            Self::Image { image } => {
                if image.images.is_empty() {
                    return Err(ValidationError::new(
                        "body.image.images",
                        "at least one image is required",
                    ));
                }
                for (i, img) in image.images.iter().enumerate() {
                    check_non_empty(&img.media_url, format!("body.image.images[{i}].mediaUrl"))?;
                }
                validate_actions(&image.actions, "body.image")
            }
            Self::File { file } => {
                if file.files.is_empty() {
                    return Err(ValidationError::new(
                        "body.file.files",
                        "at least one file is required",
                    ));
                }
                for (i, f) in file.files.iter().enumerate() {
                    check_non_empty(&f.media_url, format!("body.file.files[{i}].mediaUrl"))?;
                    check_non_empty(&f.content_type, format!("body.file.files[{i}].contentType"))?;
                }
                validate_actions(&file.actions, "body.file")
            }
            Self::Location { location } => {
                let c = location.coordinates;
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
            Self::List { list } => {
                check_non_empty(&list.text, "body.list.text".into())?;
                for (i, item) in list.items.iter().enumerate() {
                    validate_actions(&item.actions, &format!("body.list.items[{i}]"))?;
                }
                validate_actions(&list.actions, "body.list")?;
                if let Some(m) = &list.metadata {
                    if let Some(b) = &m.button {
                        check_max(
                            &b.label,
                            MAX_LIST_BUTTON_LABEL_CHARS,
                            "body.list.metadata.button.label".into(),
                        )?;
                    }
                    if let Some(r) = &m.reply_message {
                        check_max(
                            &r.title,
                            MAX_REPLY_MESSAGE_CHARS,
                            "body.list.metadata.replyMessage.title".into(),
                        )?;
                        check_max(
                            &r.text,
                            MAX_REPLY_MESSAGE_CHARS,
                            "body.list.metadata.replyMessage.text".into(),
                        )?;
                    }
                }
                Ok(())
            }
            Self::Carousel { carousel } => {
                if let Some(t) = &carousel.text {
                    check_max(t, MAX_CAROUSEL_TEXT_CHARS, "body.carousel.text".into())?;
                }
                let n = carousel.items.len();
                if !CAROUSEL_CARDS.contains(&n) {
                    return Err(ValidationError::new(
                        "body.carousel.items",
                        format!("{n} cards; a carousel takes 2 to 10"),
                    ));
                }
                for (i, card) in carousel.items.iter().enumerate() {
                    let at = format!("body.carousel.items[{i}]");
                    if card.title.as_deref().is_none_or(str::is_empty) {
                        return Err(ValidationError::new(
                            format!("{at}.title"),
                            "each card needs a title",
                        ));
                    }
                    if card.media_url.as_deref().is_none_or(str::is_empty) {
                        return Err(ValidationError::new(
                            format!("{at}.mediaUrl"),
                            "each card needs media",
                        ));
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
            Self::Unknown => Err(ValidationError::new(
                "body.type",
                "unknown body types cannot be sent",
            )),
        }
    }
}
