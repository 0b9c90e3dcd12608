//! The two wire formats ActiveTrail speaks, [`Format`], and decoding either
//! into the typed model.
//!
//! JSON goes through `serde_json`. DataContract XML (feature `xml`) is read
//! by [`xml_read`] into a tree that [`xml_de`] hands to the same serde
//! types, and written by [`xml_write`] (the request) and, for the mock and
//! tests, `xml_response` (the response).

use serde::de::DeserializeOwned;
use whatsapp_common::{DecodeError, RawBody};

use crate::SendResponse;

#[cfg(feature = "xml")]
pub(crate) mod xml_de;
// The reader and the writer are public as `crate::xml` with feature `mock`.
#[cfg(feature = "xml")]
#[cfg_attr(not(feature = "mock"), allow(unreachable_pub))]
pub(crate) mod xml_read;
#[cfg(feature = "mock")]
mod xml_response;
#[cfg(feature = "xml")]
#[cfg_attr(not(feature = "mock"), allow(unreachable_pub))]
pub(crate) mod xml_write;

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

/// The root element of the XML answer to `SendOperationalMessage`.
pub(crate) const SEND_RESPONSE_ROOT: &str = "ApiWhatsAppCampaignInfoCampaign";
/// The root element of the XML `SendOperationalMessage` request.
#[cfg(feature = "xml")]
pub(crate) const SEND_REQUEST_ROOT: &str = "ApiWhatsAppCampaignSendOperationalMessageContainer";

/// Whether `c` may appear in an XML 1.0 document: text either format can
/// carry.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Decodes a 2xx answer's `body` in `format`; an XML answer must have the
/// root element `root`. `truncated`: the body was cut at the client's
/// `max_response_bytes`, which no format decodes.
pub(crate) fn decode<T: DeserializeOwned>(
    format: Format,
    #[cfg_attr(not(feature = "xml"), allow(unused_variables))] root: &str,
    status: u16,
    body: &[u8],
    truncated: bool,
) -> Result<T, DecodeError> {
    if truncated {
        // Refused unread, in either format, as the shared JSON decoder
        // refuses a cut body.
        return DecodeError::json(status, body, true);
    }
    match format {
        Format::Json => decode_json(status, body),
        #[cfg(feature = "xml")]
        Format::Xml => decode_xml(status, body, root),
    }
}

/// Decodes a JSON document; XML or HTML where JSON was expected is named as
/// such.
pub(crate) fn decode_json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, DecodeError> {
    if body.trim_ascii_start().first() == Some(&b'<') {
        return Err(DecodeError::new(
            status,
            ".",
            "expected JSON, got XML or HTML",
            RawBody::capture(body, false),
        ));
    }
    DecodeError::json(status, body, false)
}

/// Decodes a DataContract XML document whose root element is `root`, in
/// the WhatsAppCampaignReport namespace (or none).
#[cfg(feature = "xml")]
pub(crate) fn decode_xml<T: DeserializeOwned>(
    status: u16,
    body: &[u8],
    root: &str,
) -> Result<T, DecodeError> {
    let refuse =
        |message: String| DecodeError::new(status, ".", message, RawBody::capture(body, false));
    let first = body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(body)
        .trim_ascii_start()
        .first()
        .copied();
    if matches!(first, Some(b'{') | Some(b'[')) {
        return Err(refuse("expected XML, got JSON".into()));
    }
    let node = xml_read::parse(body).map_err(|e| refuse(e.to_string()))?;
    if node.name != root {
        return Err(refuse(format!(
            "expected root element {root}, found {}",
            node.name
        )));
    }
    if let Some(ns) = &node.namespace
        && &**ns != crate::model::REPORT_NS
    {
        return Err(refuse(format!(
            "root element {root} is in namespace {ns}, not the WhatsAppCampaignReport one"
        )));
    }
    // The common case at full speed; the failing path is worked out only
    // when decoding failed.
    if let Ok(v) = T::deserialize(xml_de::NodeDeserializer(&node)) {
        return Ok(v);
    }
    serde_path_to_error::deserialize(xml_de::NodeDeserializer(&node))
        .map_err(|e| DecodeError::at_path(status, body, e))
}

/// An XML document whose root is `root` (ASCII case-insensitive), read
/// into `T`; `None` when it is anything else.
#[cfg(feature = "xml")]
pub(crate) fn read_xml<T: DeserializeOwned>(body: &[u8], root: &str) -> Option<T> {
    let node = xml_read::parse(body).ok()?;
    if !node.name.eq_ignore_ascii_case(root) {
        return None;
    }
    T::deserialize(xml_de::NodeDeserializer(&node)).ok()
}

impl SendResponse {
    /// Decodes the JSON form.
    pub fn from_json(body: &[u8]) -> Result<Self, DecodeError> {
        decode_json(200, body)
    }

    /// Decodes the DataContract XML form (root
    /// `ApiWhatsAppCampaignInfoCampaign`).
    #[cfg(feature = "xml")]
    #[cfg_attr(docsrs, doc(cfg(feature = "xml")))]
    pub fn from_xml(body: &[u8]) -> Result<Self, DecodeError> {
        decode_xml(200, body, SEND_RESPONSE_ROOT)
    }

    /// Decodes `body` in `format`.
    pub fn decode(format: Format, body: &[u8]) -> Result<Self, DecodeError> {
        decode(format, SEND_RESPONSE_ROOT, 200, body, false)
    }
}
