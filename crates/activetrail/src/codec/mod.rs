//! The two wire formats ActiveTrail speaks, [`Format`], and decoding either
//! into the typed model.
//!
//! JSON goes through `serde_json`. DataContract XML (feature `xml`) is read
//! by [`xml_read`] into a tree that [`xml_de`] hands to the same serde
//! types, and written by [`xml_write`] (the request) and, for the mock and
//! tests, `xml_response` (the response).

use serde::de::DeserializeOwned;
use whatsapp_common::{Accepted, DecodeError, RawBody};

use crate::SendResponse;

#[cfg(feature = "xml")]
pub(crate) mod xml_de;
#[cfg(feature = "xml")]
mod xml_lenient;
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
    if starts_like_json(body) {
        return Err(refuse("expected XML, got JSON".into()));
    }
    let node = xml_read::parse(body).map_err(|e| refuse(e.to_string()))?;
    check_root(&node, root).map_err(refuse)?;
    // The common case at full speed; the failing path is worked out only
    // when decoding failed.
    if let Ok(v) = T::deserialize(xml_de::NodeDeserializer(&node)) {
        return Ok(v);
    }
    serde_path_to_error::deserialize(xml_de::NodeDeserializer(&node))
        .map_err(|e| DecodeError::at_path(status, body, e))
}

/// Decodes an accepted `SendOperationalMessage` answer (a 2xx) in
/// `format`, leniently: each value that does not fit is left out and named
/// in [`SendResponse::warnings`]. Only a body that is not JSON (or not
/// well-formed XML) at all, the other format, an XML document with another
/// root element or namespace (an HTML page, say), or a body cut at the
/// client's `max_response_bytes` is a [`DecodeError`].
pub(crate) fn accept_send_response(
    format: Format,
    status: u16,
    body: &[u8],
    truncated: bool,
) -> Result<SendResponse, DecodeError> {
    if truncated {
        return DecodeError::json(status, body, true);
    }
    match format {
        Format::Json => {
            // An XML or HTML page is no JSON answer: refused as decode_json does.
            if body.trim_ascii_start().first() == Some(&b'<') {
                return decode_json(status, body);
            }
            Accepted::<SendResponse>::from_json(status, body, false).map(SendResponse::from)
        }
        #[cfg(feature = "xml")]
        Format::Xml => accept_xml(status, body),
    }
}

/// [`accept_send_response`] for XML.
#[cfg(feature = "xml")]
fn accept_xml(status: u16, body: &[u8]) -> Result<SendResponse, DecodeError> {
    let refuse =
        |message: String| DecodeError::new(status, ".", message, RawBody::capture(body, false));
    if starts_like_json(body) {
        return Err(refuse("expected XML, got JSON".into()));
    }
    let node = xml_read::parse(body).map_err(|e| refuse(e.to_string()))?;
    // Another root element (an HTML page, say) is not this answer at all.
    check_root(&node, SEND_RESPONSE_ROOT).map_err(refuse)?;
    let (response, warnings) =
        xml_lenient::lenient::<SendResponse>(node, Vec::new()).map_err(refuse)?;
    Ok(response.with_warnings(warnings))
}

/// That `node` is the root element `root`, in the WhatsAppCampaignReport
/// namespace (or none).
#[cfg(feature = "xml")]
fn check_root(node: &xml_read::XmlNode, root: &str) -> Result<(), String> {
    if node.name != root {
        return Err(format!("expected root element {root}, found {}", node.name));
    }
    match &node.namespace {
        Some(ns) if &**ns != crate::model::REPORT_NS => Err(format!(
            "root element {root} is in namespace {ns}, not the WhatsAppCampaignReport one"
        )),
        _ => Ok(()),
    }
}

/// Whether `body` starts like a JSON object or array (after a BOM and
/// white space).
#[cfg(feature = "xml")]
fn starts_like_json(body: &[u8]) -> bool {
    let first = body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(body)
        .trim_ascii_start()
        .first()
        .copied();
    matches!(first, Some(b'{') | Some(b'['))
}

/// An ASP.NET error body in XML (root `Error`, ASCII case-insensitive),
/// as Web API's `HttpError` writes it: `Message` (and the other members)
/// as elements, and in `ModelState` each key its own element, named by
/// `XmlConvert.EncodeLocalName`, holding the key's messages as text. Members
/// that do not fit are left out; `None` for a body that is not XML or has
/// another root.
#[cfg(feature = "xml")]
pub(crate) fn read_error_xml(body: &[u8]) -> Option<crate::ErrorBody> {
    let mut node = xml_read::parse(body).ok()?;
    if !node.name.eq_ignore_ascii_case("Error") {
        return None;
    }
    let model_state = node
        .children
        .iter()
        .position(|c| c.name.eq_ignore_ascii_case("ModelState"))
        .map(|i| node.children.remove(i));
    let (mut error, _) = xml_lenient::lenient::<crate::ErrorBody>(node, Vec::new()).ok()?;
    error.model_state = model_state.map(|m| model_state_entries(&m));
    Some(error)
}

/// The entries of an XML `ModelState`: each child element a key (its
/// decoded name) with its text as the one message. A child with elements
/// inside is read as a DataContract `KeyValueOf…` entry (`Key`, `Value`
/// holding strings) or as a key whose messages are its elements' texts.
#[cfg(feature = "xml")]
fn model_state_entries(model_state: &xml_read::XmlNode) -> crate::KeyValues<Vec<String>> {
    let texts = |n: &xml_read::XmlNode| -> Vec<String> {
        if n.children.is_empty() {
            vec![n.text.clone()]
        } else {
            n.children.iter().map(|c| c.text.clone()).collect()
        }
    };
    let entries =
        model_state
            .children
            .iter()
            .map(|entry| match (entry.child("Key"), entry.child("Value")) {
                (Some(key), value) if !entry.children.is_empty() => {
                    (key.text.clone(), value.map(texts).unwrap_or_default())
                }
                _ => (
                    xml_read::decode_name(&entry.name).into_owned(),
                    texts(entry),
                ),
            });
    crate::KeyValues(entries.collect())
}

impl SendResponse {
    /// Decodes the JSON form, leniently (see [`SendResponse::warnings`]):
    /// `Err` only for a body that is not JSON.
    pub fn from_json(body: &[u8]) -> Result<Self, DecodeError> {
        accept_send_response(Format::Json, 200, body, false)
    }

    /// Decodes the DataContract XML form (root
    /// `ApiWhatsAppCampaignInfoCampaign`), leniently (see
    /// [`SendResponse::warnings`]): `Err` only for a body that is not
    /// well-formed XML.
    #[cfg(feature = "xml")]
    #[cfg_attr(docsrs, doc(cfg(feature = "xml")))]
    pub fn from_xml(body: &[u8]) -> Result<Self, DecodeError> {
        accept_send_response(Format::Xml, 200, body, false)
    }

    /// Decodes `body` in `format`, leniently.
    pub fn decode(format: Format, body: &[u8]) -> Result<Self, DecodeError> {
        accept_send_response(format, 200, body, false)
    }
}
