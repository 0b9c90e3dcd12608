//! The text message and its WhatsApp options.

use serde::{Deserialize, Serialize};
use whatsapp_common::{ValidationError, validate};

use super::actions::{Action, validate_actions};

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
