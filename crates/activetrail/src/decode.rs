//! Decoding documents of either format into the typed model.

use whatsapp_common::{DecodeError, RawBody};

use crate::model::response::{ReceivedMessage, SendResponse};

/// The two wire formats ActiveTrail speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Format {
    /// `application/json` (default).
    #[default]
    Json,
    /// `application/xml`, .NET DataContract (feature `xml`).
    #[cfg(feature = "xml")]
    Xml,
}

impl Format {
    /// The `Content-Type` and `Accept` value.
    pub fn content_type(&self) -> &'static str {
        match self {
            Self::Json => "application/json",
            #[cfg(feature = "xml")]
            Self::Xml => "application/xml",
        }
    }
}

fn decode_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    if body.trim_ascii_start().first() == Some(&b'<') {
        return Err(DecodeError::new(
            200,
            ".",
            "expected JSON, got XML or HTML",
            RawBody::capture(body, false),
        ));
    }
    DecodeError::json(200, body, false)
}

#[cfg(feature = "xml")]
fn decode_xml<T: serde::de::DeserializeOwned>(body: &[u8], root: &str) -> Result<T, DecodeError> {
    let raw = || RawBody::capture(body, false);
    let first = body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(body)
        .trim_ascii_start()
        .first()
        .copied();
    if matches!(first, Some(b'{') | Some(b'[')) {
        return Err(DecodeError::new(200, ".", "expected XML, got JSON", raw()));
    }
    let node =
        crate::xml::parse(body).map_err(|e| DecodeError::new(200, ".", e.to_string(), raw()))?;
    if node.name != root {
        return Err(DecodeError::new(
            200,
            ".",
            format!("expected root element {root}, found {}", node.name),
            raw(),
        ));
    }
    if let Some(ns) = &node.namespace
        && &**ns != crate::model::REPORT_NS
    {
        return Err(DecodeError::new(
            200,
            ".",
            format!("root element {root} is in namespace {ns}, not the WhatsAppCampaignReport one"),
            raw(),
        ));
    }
    // The common case at full speed; the failing path is worked out only
    // when decoding failed.
    if let Ok(v) = T::deserialize(crate::xml::NodeDeserializer(&node)) {
        return Ok(v);
    }
    serde_path_to_error::deserialize(crate::xml::NodeDeserializer(&node)).map_err(|e| {
        let path = e.path().to_string();
        DecodeError::new(200, path, e.into_inner().to_string(), raw())
    })
}

impl SendResponse {
    /// Decodes the JSON form.
    pub fn from_json(body: &[u8]) -> Result<Self, DecodeError> {
        decode_json(body)
    }

    /// Decodes the DataContract XML form (root
    /// `ApiWhatsAppCampaignInfoCampaign`).
    #[cfg(feature = "xml")]
    pub fn from_xml(body: &[u8]) -> Result<Self, DecodeError> {
        decode_xml(body, "ApiWhatsAppCampaignInfoCampaign")
    }

    /// Decodes `body` in `format`.
    pub fn decode(format: Format, body: &[u8]) -> Result<Self, DecodeError> {
        match format {
            Format::Json => Self::from_json(body),
            #[cfg(feature = "xml")]
            Format::Xml => Self::from_xml(body),
        }
    }
}

impl ReceivedMessage {
    /// Decodes a request body in JSON.
    pub fn from_json(body: &[u8]) -> Result<Self, DecodeError> {
        decode_json(body)
    }

    /// Decodes a request body in DataContract XML (root
    /// `ApiWhatsAppCampaignSendOperationalMessageContainer`).
    #[cfg(feature = "xml")]
    pub fn from_xml(body: &[u8]) -> Result<Self, DecodeError> {
        decode_xml(body, "ApiWhatsAppCampaignSendOperationalMessageContainer")
    }
}
