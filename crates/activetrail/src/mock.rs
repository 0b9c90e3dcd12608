//! A local mock ActiveTrail for your own tests (feature `mock`).
//!
//! [`MockActiveTrail`] is a real HTTP server on 127.0.0.1 that answers
//! `SendOperationalMessage` in the format the request came in:
//!
//! - a well-formed request gets the documented response sample, verbatim
//!   (JSON or XML);
//! - a body that does not decode, or lacks mobiles, a profile, or a template
//!   or content, gets 400 with an ASP.NET error body and `ModelState`;
//! - a wrong token (when started with [`MockActiveTrail::start_with_token`])
//!   gets 401 `APIKeyMissing`;
//! - [`MockActiveTrail::fail_next`] answers the next requests with any
//!   status; [`MockActiveTrail::messages`] decodes what it received.
//!
//! [`XmlBody`] is a wiremock matcher that compares an XML body element by
//! element, namespaces resolved and order included, for your own mocks.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use activetrail::mock::MockActiveTrail;
//! use activetrail::{Client, Format, OperationalMessage, TemplateRef};
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
//! # Ok(()) }
//! ```

use whatsapp_common::mock::{RecordedRequest, mount_catch_all, recorded};
use wiremock::matchers::{method, path};
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::client::SEND_PATH;
use crate::xml::{XmlNode, parse};
use crate::{Format, ReceivedMessage};

/// The documented JSON response, verbatim.
pub const DOCUMENTED_JSON_RESPONSE: &str =
    include_str!("../../../fixtures/activetrail/send_response.json");
/// The documented XML response, verbatim.
pub const DOCUMENTED_XML_RESPONSE: &str =
    include_str!("../../../fixtures/activetrail/send_response.xml");

fn is_xml(req: &Request) -> bool {
    req.headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("xml"))
}

/// An ASP.NET-style error in the request's format.
fn error_response(
    xml: bool,
    status: u16,
    message: &str,
    model_state: &[(&str, &str)],
) -> ResponseTemplate {
    if xml {
        let mut body = format!("<Error><Message>{}</Message>", escape(message));
        if !model_state.is_empty() {
            body.push_str("<ModelState>");
            for (k, v) in model_state {
                body.push_str(&format!(
                    "<KeyValueOfstringArrayOfstring><Key>{}</Key><Value><string>{}</string></Value></KeyValueOfstringArrayOfstring>",
                    escape(k),
                    escape(v)
                ));
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

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

struct Endpoint {
    token: Option<String>,
}

impl Respond for Endpoint {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let xml = is_xml(req);
        if let Some(token) = &self.token {
            let sent = req
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok());
            if sent != Some(token.as_str()) {
                return error_response(
                    xml,
                    401,
                    "APIKeyMissing: Your request did not include an API key.",
                    &[],
                );
            }
        }
        let decoded = if xml {
            ReceivedMessage::from_xml(&req.body)
        } else {
            ReceivedMessage::from_json(&req.body)
        };
        let message = match decoded {
            Ok(m) => m,
            Err(e) => {
                return error_response(
                    xml,
                    400,
                    "The request is invalid.",
                    &[("message", e.message())],
                );
            }
        };
        let mobiles = message
            .segment
            .as_ref()
            .and_then(|s| s.mobiles.as_ref())
            .is_some_and(|m| !m.is_empty());
        if !mobiles {
            return error_response(
                xml,
                400,
                "The request is invalid.",
                &[(
                    "message.segment.mobiles",
                    "At least one mobile is required.",
                )],
            );
        }
        if message
            .details
            .as_ref()
            .and_then(|d| d.whatsapp_profile_id)
            .is_none()
        {
            return error_response(
                xml,
                400,
                "The request is invalid.",
                &[(
                    "message.details.whatsapp_profile_id",
                    "The profile is required.",
                )],
            );
        }
        let has_content = message
            .design
            .as_ref()
            .and_then(|d| d.content.as_ref())
            .is_some();
        if message.template.is_none() && !has_content {
            return error_response(
                xml,
                400,
                "The request is invalid.",
                &[("message.template", "A template or content is required.")],
            );
        }
        if xml {
            ResponseTemplate::new(200).set_body_raw(DOCUMENTED_XML_RESPONSE, "application/xml")
        } else {
            ResponseTemplate::new(200).set_body_raw(DOCUMENTED_JSON_RESPONSE, "application/json")
        }
    }
}

/// A local ActiveTrail seeded with the documented samples. Dropping it stops it.
#[derive(Debug)]
pub struct MockActiveTrail {
    server: MockServer,
}

impl MockActiveTrail {
    /// Starts a mock that accepts any token.
    pub async fn start() -> Self {
        Self::start_inner(None).await
    }

    /// Starts a mock that accepts only `token` (others get 401).
    pub async fn start_with_token(token: &str) -> Self {
        Self::start_inner(Some(token.to_owned())).await
    }

    async fn start_inner(token: Option<String>) -> Self {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(SEND_PATH))
            .respond_with(Endpoint { token })
            .with_priority(10)
            .named("activetrail: SendOperationalMessage")
            .mount(&server)
            .await;
        mount_catch_all(&server).await;
        Self { server }
    }

    /// The base URL to give [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The next `times` requests get `status` with an ASP.NET error body
    /// saying `message`, in each request's format.
    pub async fn fail_next(&self, status: u16, message: &str, times: u64) {
        struct Fail(u16, String);
        impl Respond for Fail {
            fn respond(&self, req: &Request) -> ResponseTemplate {
                error_response(is_xml(req), self.0, &self.1, &[])
            }
        }
        Mock::given(method("POST"))
            .and(path(SEND_PATH))
            .respond_with(Fail(status, message.to_owned()))
            .up_to_n_times(times)
            .with_priority(1)
            .named("activetrail: scripted failure")
            .mount(&self.server)
            .await;
    }

    /// The next `times` requests get `response` (any status, body or delay).
    pub async fn respond_next(&self, response: ResponseTemplate, times: u64) {
        Mock::given(method("POST"))
            .and(path(SEND_PATH))
            .respond_with(response)
            .up_to_n_times(times)
            .with_priority(1)
            .named("activetrail: scripted answer")
            .mount(&self.server)
            .await;
    }

    /// Every request received so far, oldest first.
    pub async fn requests(&self) -> Vec<RecordedRequest> {
        recorded(&self.server).await
    }

    /// The messages received so far, decoded from either format (requests
    /// that did not decode are left out).
    pub async fn messages(&self) -> Vec<ReceivedMessage> {
        self.requests()
            .await
            .iter()
            .filter_map(|r| {
                let xml = r.header("content-type").is_some_and(|v| v.contains("xml"));
                let format = if xml { Format::Xml } else { Format::Json };
                match format {
                    Format::Xml => ReceivedMessage::from_xml(&r.body).ok(),
                    _ => ReceivedMessage::from_json(&r.body).ok(),
                }
            })
            .collect()
    }

    /// The underlying wiremock server, to mount your own mocks.
    pub fn server(&self) -> &MockServer {
        &self.server
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
