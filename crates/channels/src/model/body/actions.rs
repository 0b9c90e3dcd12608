//! Actions (buttons): reply, postback, link and location request.

use serde::{Deserialize, Serialize};
use whatsapp_common::{ValidationError, validate};

/// Longest `description.label` of a reply or postback action.
pub const MAX_ACTION_LABEL_CHARS: usize = 72;

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
    /// Where it goes: an absolute URI, or a text holding a `{{variable}}`
    /// (Bird's pattern `{{[^{}]+}}`).
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
        Self::postback_with(text.into(), Some(payload.into()))
    }
    /// A postback button without a payload.
    pub fn postback_without_payload(text: impl Into<String>) -> Self {
        Self::postback_with(text.into(), None)
    }
    fn postback_with(text: String, payload: Option<String>) -> Self {
        Self::Postback {
            postback: Postback {
                text,
                payload,
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
        if let Some((_, metadata)) = self.button_mut() {
            let description = ActionDescription {
                label: label.into(),
            };
            *metadata = Some(ActionMetadata { description });
        }
        self
    }
    /// Sets the image of a reply or postback.
    #[must_use]
    pub fn with_image(mut self, url: impl Into<String>) -> Self {
        if let Some((image_url, _)) = self.button_mut() {
            *image_url = Some(url.into());
        }
        self
    }

    /// The image and the row description, which only a reply and a
    /// postback have.
    fn button_mut(&mut self) -> Option<(&mut Option<String>, &mut Option<ActionMetadata>)> {
        match self {
            Self::Reply { reply } => Some((&mut reply.image_url, &mut reply.metadata)),
            Self::Postback { postback } => Some((&mut postback.image_url, &mut postback.metadata)),
            _ => None,
        }
    }

    pub(super) fn validate(&self, at: &str) -> Result<(), ValidationError> {
        // A reply or a postback: its text, and its row description's label.
        let button = |kind: &str, text: &str, metadata: &Option<ActionMetadata>| {
            validate::not_empty(text, format!("{at}.{kind}.text"))?;
            metadata.as_ref().map_or(Ok(()), |m| {
                validate::max_chars(
                    &m.description.label,
                    MAX_ACTION_LABEL_CHARS,
                    format!("{at}.{kind}.metadata.description.label"),
                )
            })
        };
        match self {
            Self::Reply { reply } => button("reply", &reply.text, &reply.metadata),
            Self::Postback { postback } => button("postback", &postback.text, &postback.metadata),
            Self::Link { link } => {
                validate::not_empty(&link.text, format!("{at}.link.text"))?;
                let field = format!("{at}.link.url");
                validate::not_empty(&link.url, field.clone())?;
                if crate::model::check::has_variable(&link.url) {
                    Ok(())
                } else {
                    crate::model::check::uri(&link.url, field)
                }
            }
            Self::LocationRequest { .. } => Ok(()),
            Self::Unknown => Err(ValidationError::new(
                at.to_owned(),
                "unknown action types cannot be sent",
            )),
        }
    }
}

pub(super) fn validate_actions(actions: &[Action], at: &str) -> Result<(), ValidationError> {
    actions
        .iter()
        .enumerate()
        .try_for_each(|(i, a)| a.validate(&format!("{at}.actions[{i}]")))
}
