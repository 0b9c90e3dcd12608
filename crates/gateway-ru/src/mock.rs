//! A local mock gateway for your own tests (feature `mock`).
//!
//! [`MockGateway`] is a real HTTP server on 127.0.0.1, seeded with the
//! gateway's documented samples:
//!
//! - a well-formed send gets the documented success body
//!   (`{"mtNum":"107930572","id":…}`, with your request's `id` echoed as the
//!   gateway does);
//! - a text over 1000 characters gets the documented error 4 with its
//!   `extendedDescription`; a body missing a mandatory field gets error 4;
//! - wrong credentials (when set with [`MockGateway::start_with_credentials`])
//!   get error 5 or 6;
//! - [`MockVendor::fail_next`] makes the next sends fail with any
//!   documented [`ErrorCode`] and its HTTP status;
//! - [`MockVendor::requests`] returns what it received, for assertions.
//!
//! [`MockVendor`] is the API every vendor crate's mock shares.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use gateway_ru::mock::{MockGateway, MockVendor};
//! use gateway_ru::{Client, ErrorCode, InstantContent, SendRequest};
//!
//! let gateway = MockGateway::start().await;
//! let client = Client::builder("login", "password").base_url(gateway.uri()).build()?;
//! let request = SendRequest::builder("+79211234567".parse()?, InstantContent::text("hi")).build()?;
//!
//! let ok = client.send(&request).await?;
//! assert_eq!(ok.id.as_deref(), Some(request.id()));
//!
//! gateway.fail_next(ErrorCode::InvalidPassword, 1).await;
//! let err = client.send(&request).await.unwrap_err();
//! assert_eq!(err.code(), Some(ErrorCode::InvalidPassword));
//!
//! let sent = gateway.requests().await;
//! assert_eq!(sent.len(), 2);
//! assert_eq!(sent[0].json()?["destAddr"], "79211234567");
//! # Ok(()) }
//! ```

use serde_json::{Value, json};

pub use whatsapp_common::mock::{MockHttp, MockVendor, RecordedRequest, ResponseTemplate};
use wiremock::{Request, Respond};

use crate::{ErrorCode, MAX_TEXT_CHARS};

/// The path the mock serves sends on; [`MockGateway::uri`] includes it.
pub const SEND_PATH: &str = "/partner/send";

/// The documented success response, verbatim.
pub const DOCUMENTED_SUCCESS: &str =
    include_str!("../../../fixtures/gateway-ru/send_success_response.json");
/// The documented error response (code 4, text too long), verbatim.
pub const DOCUMENTED_ERROR: &str =
    include_str!("../../../fixtures/gateway-ru/send_error_response.json");

/// The body the gateway sends for `code`, with an optional `extendedDescription`.
pub fn error_body(code: ErrorCode, extended_description: Option<&str>) -> Value {
    let mut body = json!({
        "error": { "code": code.as_i64(), "description": code.description() }
    });
    if let Some(ext) = extended_description {
        body["extendedDescription"] = Value::String(ext.to_owned());
    }
    body
}

/// The response the gateway sends for `code`: its documented status and body.
fn error_response(code: ErrorCode, extended: Option<&str>) -> ResponseTemplate {
    ResponseTemplate::new(code.documented_http_status().unwrap_or(400))
        .set_body_json(error_body(code, extended))
}

struct Gateway {
    credentials: Option<(String, String)>,
}

impl Respond for Gateway {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
            return error_response(ErrorCode::InvalidRequest, Some("Request body is not JSON"));
        };
        if let Some((login, password)) = &self.credentials {
            if body["login"].as_str() != Some(login) {
                return error_response(ErrorCode::InvalidLogin, None);
            }
            if body["password"].as_str() != Some(password) {
                return error_response(ErrorCode::InvalidPassword, None);
            }
        }
        for field in ["login", "password", "destAddr"] {
            if body[field].as_str().is_none_or(str::is_empty) {
                return error_response(
                    ErrorCode::InvalidRequest,
                    Some(&format!("Mandatory parameter {field} is missing")),
                );
            }
        }
        if body["message"]["type"].as_str() != Some("WHATSAPP") {
            return error_response(ErrorCode::InvalidMessageType, None);
        }
        let content = &body["message"]["data"]["instantContent"];
        match (content["type"].as_str(), &content["data"]) {
            (Some("TEXT"), data) if data["text"].is_string() => {
                let n = data["text"].as_str().unwrap_or_default().chars().count();
                if n > MAX_TEXT_CHARS {
                    return error_response(
                        ErrorCode::InvalidRequest,
                        Some(&format!(
                            "Message is too long ({n} symbols). WHATSAPP message max length is {MAX_TEXT_CHARS} symbols."
                        )),
                    );
                }
            }
            (Some("IMAGE_URL"), data) if data["imageURL"].is_string() => {}
            _ => {
                return error_response(
                    ErrorCode::InvalidRequest,
                    Some("instantContent must be TEXT with text or IMAGE_URL with imageURL"),
                );
            }
        }
        let mut ok: Value = serde_json::from_str(DOCUMENTED_SUCCESS)
            .unwrap_or_else(|_| json!({ "mtNum": "107930572" }));
        match body.get("id") {
            Some(id @ Value::String(_)) => ok["id"] = id.clone(),
            _ => {
                if let Some(o) = ok.as_object_mut() {
                    o.remove("id");
                }
            }
        }
        ResponseTemplate::new(200).set_body_json(ok)
    }
}

/// A local gateway seeded with the documented samples. Dropping it stops it.
#[derive(Debug)]
pub struct MockGateway {
    http: MockHttp,
}

impl MockGateway {
    /// Starts a mock gateway that accepts only this login and password
    /// (others get error 5 or 6, as the gateway answers).
    pub async fn start_with_credentials(login: &str, password: &str) -> Self {
        Self::start_with(Some((login.to_owned(), password.to_owned()))).await
    }

    /// Delivers a delivery report in `state` for every WhatsApp send the
    /// mock received, as the gateway does: POSTed to the send's
    /// `notifyUrl`, or to `configured_url` (the one set up with the
    /// gateway) when it had none (with neither, none is sent), in the
    /// documented shape (`id` the send's partner id,
    /// `mtNum` the one the mock answered, `destAddr`, the dates; for
    /// [`DeliveryState::Undelivered`](crate::DeliveryState::Undelivered)
    /// `errorCode` 6, no WhatsApp on the number). Returns the receiver's
    /// answer to each, in order.
    ///
    /// # Errors
    ///
    /// When a post cannot be made (see
    /// [`whatsapp_common::mock::post_callback`]).
    pub async fn deliver_reports(
        &self,
        configured_url: Option<&str>,
        state: crate::DeliveryState,
    ) -> Result<Vec<u16>, String> {
        let mt_num = serde_json::from_str::<Value>(DOCUMENTED_SUCCESS)
            .ok()
            .and_then(|v| v["mtNum"].as_str().map(str::to_owned))
            .unwrap_or_default();
        let now = whatsapp_common::time::unix_millis_now() / 1000;
        let date = |secs: i64| {
            crate::GatewayTimestamp::from_unix(secs, 180).map_or(String::new(), |t| t.to_string())
        };
        let undelivered = state == crate::DeliveryState::Undelivered;
        let mut answers = Vec::new();
        for sent in self.requests().await {
            let Ok(body) = sent.json() else { continue };
            if body["message"]["type"] != "WHATSAPP" {
                continue;
            }
            let report = json!({
                "id": body["id"].as_str().unwrap_or_default(),
                "mtNum": mt_num,
                "status": state.as_i64(),
                "type": "WHATSAPP",
                "doneDate": if undelivered { String::new() } else { date(now) },
                "submitDate": date(now - 5),
                "sourceAddr": body["message"]["data"]["serviceNumber"].as_str().unwrap_or_default(),
                "destAddr": body["destAddr"].as_str().unwrap_or_default(),
                "partCount": "001",
                "errorCode": if undelivered { "6" } else { "0" },
                "trafficType": 1,
            });
            let Some(to) = body["notifyUrl"].as_str().or(configured_url) else {
                continue;
            };
            let bytes = serde_json::to_vec(&report).unwrap_or_default();
            answers.push(whatsapp_common::mock::post_callback(to, &[], &bytes).await?);
        }
        Ok(answers)
    }

    /// Like [`MockVendor::fail_next`], with an `extendedDescription`.
    pub async fn fail_next_with(
        &self,
        code: ErrorCode,
        extended_description: Option<&str>,
        times: u64,
    ) {
        let response = error_response(code, extended_description);
        self.http
            .answer_sends(response, times, &format!("error {code}"))
            .await;
    }
}

#[async_trait::async_trait]
impl MockVendor for MockGateway {
    type Code = ErrorCode;
    /// Login and password.
    type Credentials = (String, String);

    async fn start_with(credentials: Option<(String, String)>) -> Self {
        let send = Gateway { credentials };
        let http = MockHttp::serving(crate::VENDOR, SEND_PATH, send, "WhatsApp send");
        Self { http: http.await }
    }

    fn http(&self) -> &MockHttp {
        &self.http
    }

    async fn fail_next(&self, code: ErrorCode, times: u64) {
        self.fail_next_with(code, None, times).await;
    }

    /// The partner URI to give
    /// [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).
    fn uri(&self) -> String {
        format!("{}{SEND_PATH}", self.http.uri())
    }
}
