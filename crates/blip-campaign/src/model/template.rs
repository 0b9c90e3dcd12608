//! The `message` entity of a campaign (a WhatsApp template or RCS
//! content), and a campaign's messages as Blip reports them.

use std::collections::HashSet;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use whatsapp_common::ValidationError;

use super::campaign::ChannelType;

/// The `message` entity of a campaign: a WhatsApp template, or RCS
/// content, with the names of the parameters every audience supplies.
///
/// ```
/// use blip_campaign::{ChannelType, MessageTemplate};
/// let m = MessageTemplate::whatsapp("order_update", ["1", "2"]).language("pt_BR");
/// assert_eq!(m.channel(), ChannelType::WhatsApp);
/// assert_eq!(m.params(), ["1", "2"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessageTemplate {
    /// WhatsApp: an approved template and its parameter names.
    WhatsApp {
        /// `messageTemplate`.
        template: String,
        /// `messageTemplateLanguage` (e.g. `pt_BR`).
        language: Option<String>,
        /// `messageParams`: the template's parameter names, in order.
        params: Vec<String>,
    },
    /// Google RCS: content, no template.
    GoogleRcs {
        /// `messageContent`.
        content: String,
        /// `messageParams`.
        params: Vec<String>,
    },
}

impl MessageTemplate {
    /// A WhatsApp template with the names of its parameters.
    pub fn whatsapp<I, S>(template: impl Into<String>, params: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::WhatsApp {
            template: template.into(),
            language: None,
            params: params.into_iter().map(Into::into).collect(),
        }
    }
    /// RCS content with the names of its parameters.
    pub fn rcs<I, S>(content: impl Into<String>, params: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::GoogleRcs {
            content: content.into(),
            params: params.into_iter().map(Into::into).collect(),
        }
    }
    /// Sets the template language.
    #[must_use]
    pub fn language(mut self, lang: impl Into<String>) -> Self {
        if let Self::WhatsApp { language, .. } = &mut self {
            *language = Some(lang.into());
        }
        self
    }
    /// The channel.
    pub fn channel(&self) -> ChannelType {
        match self {
            Self::WhatsApp { .. } => ChannelType::WhatsApp,
            Self::GoogleRcs { .. } => ChannelType::GoogleRcs,
        }
    }
    /// The parameter names every audience must supply.
    pub fn params(&self) -> &[String] {
        match self {
            Self::WhatsApp { params, .. } | Self::GoogleRcs { params, .. } => params,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Self::WhatsApp { template, .. } if template.trim().is_empty() => Err(
                ValidationError::new("message.messageTemplate", "WhatsApp needs a template name"),
            ),
            Self::GoogleRcs { content, .. } if content.trim().is_empty() => Err(
                ValidationError::new("message.messageContent", "RCS needs message content"),
            ),
            _ => {
                let mut seen = HashSet::new();
                for p in self.params() {
                    if p.is_empty() || !seen.insert(p) {
                        return Err(ValidationError::new(
                            "message.messageParams",
                            format!("parameter name {p:?} is empty or given twice"),
                        ));
                    }
                }
                Ok(())
            }
        }
    }
}

impl Serialize for MessageTemplate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self {
            Self::WhatsApp {
                template,
                language,
                params,
            } => {
                m.serialize_entry("messageTemplate", template)?;
                if let Some(l) = language {
                    m.serialize_entry("messageTemplateLanguage", l)?;
                }
                if !params.is_empty() {
                    m.serialize_entry("messageParams", params)?;
                }
            }
            Self::GoogleRcs { content, params } => {
                m.serialize_entry("messageContent", content)?;
                if !params.is_empty() {
                    m.serialize_entry("messageParams", params)?;
                }
            }
        }
        m.serialize_entry("channelType", &self.channel())?;
        m.end()
    }
}

/// One message of a campaign (`/messages/{id}`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CampaignMessage {
    /// `ChannelType`.
    pub channel_type: Option<ChannelType>,
    /// `MessageTemplate`.
    pub message_template: Option<String>,
    /// `MessageTemplateLanguage`.
    pub message_template_language: Option<String>,
    /// `MessageParams`.
    pub message_params: Option<Value>,
}
