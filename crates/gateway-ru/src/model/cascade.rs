//! Cascades: what to send next, on another channel, when a message is not
//! delivered or read in time.

use serde::Serialize;
use whatsapp_common::{ValidationError, validate};

use super::options::TtlUnit;
use super::request::{MessageData, WireData, WireMessage};

whatsapp_common::str_enum! {
    /// Message channel in a cascade step (and in delivery reports).
    pub enum MessageType {
        /// `WHATSAPP`
        WhatsApp = "WHATSAPP",
        /// `SMS`
        Sms = "SMS",
        /// `VIBER`
        Viber = "VIBER",
        /// `VK`
        Vk = "VK",
        /// `PUSH`
        Push = "PUSH",
        /// `TELEGRAM`
        Telegram = "TELEGRAM",
        /// `TGCODE`
        TgCode = "TGCODE",
        /// `FLASHINGCALL`
        FlashingCall = "FLASHINGCALL",
        /// `MAX`
        Max = "MAX",
        /// `CARDSMOBILE`
        CardsMobile = "CARDSMOBILE",
    }
}

/// When a cascade step fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum CascadeState {
    /// `DELIVERED`: send the next step if the previous one is not delivered
    /// within its lifetime.
    Delivered,
    /// `READ`: send the next step if the previous one is not read within its
    /// lifetime (not for flashing calls).
    Read,
}

/// The message of a cascade step.
///
/// WhatsApp and SMS are typed (the gateway documents both); other channels
/// take their documented `data` object as JSON.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CascadeMessage {
    /// A WhatsApp message, as in the main request.
    WhatsApp(MessageData),
    /// An SMS.
    Sms {
        /// Message text.
        text: String,
        /// Sender name.
        service_number: Option<String>,
        /// Lifetime, in `ttl_unit` (the gateway's default for SMS is minutes).
        ttl: Option<u32>,
        /// Unit of `ttl`.
        ttl_unit: Option<TtlUnit>,
    },
    /// Any other channel (`VIBER`, `VK`, `PUSH`, `TELEGRAM`, `FLASHINGCALL`):
    /// the `data` object of that channel's own send, sent as given.
    Other {
        /// `message.type`.
        message_type: MessageType,
        /// `message.data`.
        data: serde_json::Map<String, serde_json::Value>,
    },
}

impl CascadeMessage {
    /// An SMS step.
    pub fn sms(text: impl Into<String>, service_number: impl Into<String>) -> Self {
        Self::Sms {
            text: text.into(),
            service_number: Some(service_number.into()),
            ttl: None,
            ttl_unit: None,
        }
    }

    fn message_type(&self) -> MessageType {
        match self {
            Self::WhatsApp(_) => MessageType::WhatsApp,
            Self::Sms { .. } => MessageType::Sms,
            Self::Other { message_type, .. } => message_type.clone(),
        }
    }
}

impl Serialize for CascadeMessage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::WhatsApp(m) => m.serialize(s),
            Self::Sms {
                text,
                service_number,
                ttl,
                ttl_unit,
            } => WireMessage {
                message_type: "SMS",
                data: WireData {
                    instant_content: None,
                    text: Some(text),
                    service_number: service_number.as_deref(),
                    ttl: *ttl,
                    ttl_unit: ttl_unit.as_ref(),
                },
            }
            .serialize(s),
            Self::Other { message_type, data } => WireMessage {
                message_type: message_type.as_str(),
                data,
            }
            .serialize(s),
        }
    }
}

/// `cascadeChainLink`: what to send next if the message is not delivered
/// (or not read) within its lifetime. Links chain through `next_link`.
///
/// Cascades are off until the gateway enables them for the account.
///
/// ```
/// use gateway_ru::{CascadeChainLink, CascadeMessage, CascadeState};
/// let fallback = CascadeChainLink::new(
///     CascadeState::Delivered,
///     CascadeMessage::sms("Your code is 1234", "SHOP"),
/// );
/// # let _ = fallback;
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CascadeChainLink {
    state: CascadeState,
    message: CascadeMessage,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_link: Option<Box<CascadeChainLink>>,
}

impl CascadeChainLink {
    /// A step sent when the previous one reaches no `state` in time.
    pub fn new(state: CascadeState, message: CascadeMessage) -> Self {
        Self {
            state,
            message,
            next_link: None,
        }
    }

    /// The step after this one.
    #[must_use]
    pub fn then(mut self, next: CascadeChainLink) -> Self {
        self.next_link = Some(Box::new(next));
        self
    }

    /// The firing condition.
    pub fn state(&self) -> CascadeState {
        self.state
    }
    /// The message of this step.
    pub fn message(&self) -> &CascadeMessage {
        &self.message
    }
    /// The next step, if any.
    pub fn next_link(&self) -> Option<&CascadeChainLink> {
        self.next_link.as_deref()
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let mut link = Some(self);
        let mut depth = 0usize;
        let mut path = String::from("cascadeChainLink");
        while let Some(l) = link {
            depth += 1;
            if depth > 10 {
                return Err(ValidationError::new(
                    "cascadeChainLink",
                    "more than 10 cascade steps; the gateway's channels allow far fewer",
                ));
            }
            if l.state == CascadeState::Read
                && l.message.message_type() == MessageType::FlashingCall
            {
                return Err(ValidationError::new(
                    format!("{path}.state"),
                    "a FLASHINGCALL step can only be triggered by DELIVERED",
                ));
            }
            match &l.message {
                CascadeMessage::WhatsApp(m) => m
                    .validate()
                    .map_err(|e| e.within(&format!("{path}.message")))?,
                CascadeMessage::Sms { text, .. } => {
                    validate::not_blank(text, format!("{path}.message.data.text"))?;
                }
                CascadeMessage::Other { .. } => {}
            }
            link = l.next_link.as_deref();
            path.push_str(".nextLink");
        }
        Ok(())
    }
}
