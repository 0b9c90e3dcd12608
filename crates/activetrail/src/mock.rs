//! A local mock ActiveTrail for your own tests (feature `mock`).
//!
//! [`MockActiveTrail`] is a real HTTP server on 127.0.0.1 that answers
//! `SendOperationalMessage` in the format the request came in:
//!
//! - a well-formed request gets the documented response sample, verbatim
//!   (JSON or XML);
//! - a body that does not decode, or lacks mobiles, a profile, or a template
//!   or content, gets 400 with an ASP.NET error body and `ModelState`;
//! - a wrong token (when started with
//!   [`MockActiveTrail::start_with_credentials`]) gets 401 `APIKeyMissing`;
//! - [`MockVendor::fail_next`] makes the next sends fail with any glossary
//!   [`ErrorCode`]: its documented status and an ASP.NET error body naming
//!   it, in each request's format;
//! - [`MockVendor::requests`] returns what it received, and
//!   [`MockActiveTrail::messages`] decodes it from either format.
//!
//! [`MockVendor`] is the API every vendor crate's mock shares; its
//! `http().server()` is the wiremock server, to mount your own mocks. [`XmlBody`]
//! is a wiremock matcher that compares an XML body element by element,
//! namespaces resolved and order included, for your own mocks.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use activetrail::mock::{MockActiveTrail, MockVendor};
//! use activetrail::{Client, ErrorCode, Format, OperationalMessage, TemplateRef};
//!
//! let at = MockActiveTrail::start().await;
//! let client = Client::builder("token").base_url(at.uri()).format(Format::Xml).build()?;
//! let message = OperationalMessage::template(7, TemplateRef::new("welcome"))
//!     .to("+972501234567".parse()?)
//!     .build()?;
//! let sent = client.send(&message).await?;
//! assert_eq!(sent.status_name.as_deref(), Some("sample string 2"));
//! let received = at.messages().await;
//! assert_eq!(received[0].details.as_ref().unwrap().whatsapp_profile_id, Some(7));
//!
//! at.fail_next(ErrorCode::UserDisabled, 1).await;
//! let err = client.send(&message).await.unwrap_err();
//! assert_eq!((err.status(), err.code()), (Some(403), Some(ErrorCode::UserDisabled)));
//! # Ok(()) }
//! ```

pub use whatsapp_common::mock::{MockHttp, MockVendor, RecordedRequest, ResponseTemplate};
use wiremock::{Match, Request, Respond};

use crate::client::SEND_PATH;
use crate::codec::xml_write::{encode_local_name, escaped};
use crate::xml::{XmlNode, parse};
use crate::{ErrorCode, Format, ReceivedMessage};

/// The documented JSON response, verbatim.
pub const DOCUMENTED_JSON_RESPONSE: &str =
    include_str!("../../../fixtures/activetrail/send_response.json");
/// The documented XML response, verbatim.
pub const DOCUMENTED_XML_RESPONSE: &str =
    include_str!("../../../fixtures/activetrail/send_response.xml");

/// The format a request's `Content-Type` names: XML when it says so.
fn format_of(content_type: Option<&str>) -> Format {
    if content_type.is_some_and(|v| v.contains("xml")) {
        Format::Xml
    } else {
        Format::Json
    }
}

fn request_format(req: &Request) -> Format {
    format_of(
        req.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
    )
}

/// An ASP.NET Web API error in `format`: `status`, a body with `Message`
/// and, when `model_state` has entries, `ModelState` (field → message). In
/// JSON each key holds a list of its one message; in XML each key is an
/// element (named as `XmlConvert.EncodeLocalName` names it, so
/// `items[0]` is `items_x005B_0_x005D_`) holding the message, as
/// `HttpError` writes itself. An empty key is left out of the XML form,
/// which cannot name an element so.
pub fn error_response(
    format: Format,
    status: u16,
    message: &str,
    model_state: &[(&str, &str)],
) -> ResponseTemplate {
    if format == Format::Xml {
        // As ASP.NET Web API's HttpError writes itself: each ModelState key
        // an element named by XmlConvert.EncodeLocalName, its message the
        // text (fixtures/activetrail/constructed_model_state_error.xml).
        let mut body = format!("<Error><Message>{}</Message>", escaped(message));
        if !model_state.is_empty() {
            body.push_str("<ModelState>");
            for (k, v) in model_state.iter().filter(|(k, _)| !k.is_empty()) {
                let name = encode_local_name(k);
                body.push_str(&format!("<{name}>{}</{name}>", escaped(v)));
            }
            body.push_str("</ModelState>");
        }
        body.push_str("</Error>");
        ResponseTemplate::new(status).set_body_raw(body, "application/xml")
    } else {
        let mut body = serde_json::json!({ "Message": message });
        if !model_state.is_empty() {
            let mut ms = serde_json::Map::new();
            for (k, v) in model_state {
                ms.insert((*k).to_owned(), serde_json::json!([v]));
            }
            body["ModelState"] = serde_json::Value::Object(ms);
        }
        ResponseTemplate::new(status).set_body_json(body)
    }
}

/// The answer for `code` in `format`: its documented status (400 for a
/// name the glossary does not have) and an error body whose `Message` names
/// it, with the glossary's text (`UserDisabled: This account has been
/// disabled.`).
pub fn code_response(format: Format, code: &ErrorCode) -> ResponseTemplate {
    let message = match code.description() {
        Some(text) => format!("{code}: {text}"),
        None => code.to_string(),
    };
    let status = code.documented_http_status().unwrap_or(400);
    error_response(format, status, &message, &[])
}

/// 400 "The request is invalid." with one `ModelState` entry.
fn invalid(format: Format, field: &str, message: &str) -> ResponseTemplate {
    error_response(format, 400, "The request is invalid.", &[(field, message)])
}

struct Endpoint {
    token: Option<String>,
}

impl Respond for Endpoint {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let format = request_format(req);
        if let Some(token) = &self.token {
            let sent = req
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok());
            if sent != Some(token.as_str()) {
                return code_response(format, &ErrorCode::ApiKeyMissing);
            }
        }
        let message = match decode(format, &req.body) {
            Ok(m) => m,
            Err(e) => return invalid(format, "message", e.message()),
        };
        let mobiles = message
            .segment
            .as_ref()
            .and_then(|s| s.mobiles.as_ref())
            .is_some_and(|m| !m.is_empty());
        if !mobiles {
            return invalid(
                format,
                "message.segment.mobiles",
                "At least one mobile is required.",
            );
        }
        if message
            .details
            .as_ref()
            .and_then(|d| d.whatsapp_profile_id)
            .is_none()
        {
            return invalid(
                format,
                "message.details.whatsapp_profile_id",
                "The profile is required.",
            );
        }
        let has_content = message
            .design
            .as_ref()
            .and_then(|d| d.content.as_ref())
            .is_some();
        if message.template.is_none() && !has_content {
            return invalid(
                format,
                "message.template",
                "A template or content is required.",
            );
        }
        match format {
            Format::Xml => {
                ResponseTemplate::new(200).set_body_raw(DOCUMENTED_XML_RESPONSE, "application/xml")
            }
            Format::Json => ResponseTemplate::new(200)
                .set_body_raw(DOCUMENTED_JSON_RESPONSE, "application/json"),
        }
    }
}

/// A request body read in `format`.
fn decode(format: Format, body: &[u8]) -> Result<ReceivedMessage, whatsapp_common::DecodeError> {
    match format {
        Format::Xml => ReceivedMessage::from_xml(body),
        Format::Json => ReceivedMessage::from_json(body),
    }
}

/// Answers each request with `code`, in the request's format.
struct Fail(ErrorCode);

impl Respond for Fail {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        code_response(request_format(req), &self.0)
    }
}

/// A local ActiveTrail seeded with the documented samples. Dropping it stops it.
#[derive(Debug)]
pub struct MockActiveTrail {
    http: MockHttp,
}

impl MockActiveTrail {
    /// Starts a mock that accepts only `token` (others get 401
    /// `APIKeyMissing`).
    pub async fn start_with_credentials(token: &str) -> Self {
        Self::start_with(Some(token.to_owned())).await
    }

    /// The messages received so far, decoded from either format (requests
    /// that did not decode are left out).
    pub async fn messages(&self) -> Vec<ReceivedMessage> {
        self.requests()
            .await
            .iter()
            .filter_map(|r| decode(format_of(r.header("content-type")), &r.body).ok())
            .collect()
    }
}

#[async_trait::async_trait]
impl MockVendor for MockActiveTrail {
    type Code = ErrorCode;
    /// The API token.
    type Credentials = String;

    /// Starts a mock that accepts only `token`, or any.
    async fn start_with(token: Option<String>) -> Self {
        let send = Endpoint { token };
        let http = MockHttp::serving(crate::VENDOR, SEND_PATH, send, "SendOperationalMessage");
        Self { http: http.await }
    }

    fn http(&self) -> &MockHttp {
        &self.http
    }

    async fn fail_next(&self, code: ErrorCode, times: u64) {
        let what = format!("error {code}");
        self.http.answer_sends(Fail(code), times, &what).await;
    }
}

/// Matches a request whose body is the same XML document as the expected
/// one: element by element, namespaces resolved (prefixes ignored), order
/// included, text of leaves compared exactly.
#[derive(Debug, Clone)]
pub struct XmlBody(XmlNode);

impl XmlBody {
    /// A matcher for `expected` (panics if `expected` is not XML: it is the
    /// test's own fixture).
    pub fn new(expected: &str) -> Self {
        match parse(expected.as_bytes()) {
            Ok(node) => Self(node),
            Err(e) => panic!("the expected XML does not parse: {e}"),
        }
    }

    /// Where `body` differs from the expected document, if it does.
    pub fn diff(&self, body: &[u8]) -> Option<String> {
        match parse(body) {
            Ok(node) => self.0.diff(&node),
            Err(e) => Some(format!("body is not XML: {e}")),
        }
    }
}

impl Match for XmlBody {
    fn matches(&self, request: &Request) -> bool {
        self.diff(&request.body).is_none()
    }
}
