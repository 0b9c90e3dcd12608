//! A local mock CEC for your own tests (feature `mock`).
//!
//! [`MockCec`] is a real HTTP server on 127.0.0.1 serving both calls:
//!
//! - `tokenByAkSk` answers with the documented token body (every value a
//!   string), a fresh `AccessToken` each call, `Expires` echoing
//!   `X-Token-Expire`; wrong credentials (when set with
//!   [`MockCec::start_with_credentials`]) get 401;
//! - `sendWhatsappMessage` checks `Authorization: Bearer <issued token>`
//!   and `x-app-key`, answers 401 otherwise, and answers a send with the
//!   documented response shape: one message per destination, its
//!   `messageId` and number echoed, the documented `status`, the request's
//!   `bulkId`;
//! - [`MockCec::expire_tokens`] makes every issued token invalid (the next
//!   send gets 401); [`MockVendor::fail_next`] answers the next sends with
//!   an [`ErrorCode`]'s status and no body, as CEC documents them;
//!   [`MockVendor::respond_next`] with any answer;
//!   [`MockCec::token_calls`], [`MockCec::sends`] and
//!   [`MockVendor::requests`] tell what it received.
//!
//! [`MockVendor`] is the API every vendor crate's mock shares.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use huawei_cec::mock::{MockCec, MockVendor};
//! use huawei_cec::{Client, ErrorCode, SendRequest, WhatsAppMessage};
//!
//! let cec = MockCec::start().await;
//! let client = Client::builder("app-key", "app-secret").base_url(cec.uri()).build()?;
//! let request = SendRequest::builder(WhatsAppMessage::text("hi"))
//!     .to("+41793026727".parse()?)
//!     .build()?;
//!
//! client.send(&request).await?;
//! cec.expire_tokens();
//! client.send(&request).await?; // 401, one renewal, one resend
//! assert_eq!(cec.token_calls(), 2);
//!
//! cec.fail_next(ErrorCode::BadRequest, 1).await;
//! let err = client.send(&request).await.unwrap_err();
//! assert_eq!(err.code(), Some(ErrorCode::BadRequest));
//! assert_eq!(cec.sends().await.len(), 4);
//! # Ok(()) }
//! ```

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

pub use whatsapp_common::mock::{MockHttp, MockVendor, RecordedRequest, ResponseTemplate};
use wiremock::matchers::path;
use wiremock::{Request, Respond};

use crate::ErrorCode;
use crate::client::{SEND_PATH, TOKEN_PATH};

/// The documented send response, verbatim.
pub const DOCUMENTED_SEND_RESPONSE: &str =
    include_str!("../../../fixtures/huawei-cec/send_response.json");
/// The documented token response, verbatim.
pub const DOCUMENTED_TOKEN_RESPONSE: &str =
    include_str!("../../../fixtures/huawei-cec/research_token_response.json");

#[derive(Debug, Default)]
struct State {
    credentials: Option<(String, String)>,
    issued: Vec<String>,
    token_calls: usize,
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

struct TokenEndpoint(Arc<Mutex<State>>);

impl Respond for TokenEndpoint {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut state = lock(&self.0);
        state.token_calls += 1;
        let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
            return ResponseTemplate::new(400);
        };
        let (key, secret) = (body["app_key"].as_str(), body["app_secret"].as_str());
        let accepted = match &state.credentials {
            Some((k, s)) => key == Some(k) && secret == Some(s),
            None => key.is_some_and(|k| !k.is_empty()) && secret.is_some_and(|s| !s.is_empty()),
        };
        if !accepted {
            return ResponseTemplate::new(401);
        }
        let expires = req
            .headers
            .get("x-token-expire")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("600")
            .to_owned();
        let token = format!("mock-token-{}", state.token_calls);
        state.issued.push(token.clone());
        let mut answer: Value =
            serde_json::from_str(DOCUMENTED_TOKEN_RESPONSE).unwrap_or_else(|_| json!({}));
        answer["AccessToken"] = Value::String(token);
        answer["Expires"] = Value::String(expires);
        answer["AppKey"] = Value::String(key.unwrap_or_default().to_owned());
        answer["CreateTime"] =
            Value::String((whatsapp_common::time::unix_millis_now() / 1000).to_string());
        ResponseTemplate::new(200).set_body_json(answer)
    }
}

struct SendEndpoint(Arc<Mutex<State>>);

impl Respond for SendEndpoint {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let state = lock(&self.0);
        let bearer = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let authorised = bearer.is_some_and(|t| state.issued.iter().any(|i| i == t));
        let app_key_ok = match &state.credentials {
            Some((k, _)) => req
                .headers
                .get("x-app-key")
                .is_some_and(|v| v == k.as_str()),
            None => req.headers.contains_key("x-app-key"),
        };
        if !authorised || !app_key_ok {
            return ResponseTemplate::new(401);
        }
        let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
            return ResponseTemplate::new(400);
        };
        let documented: Value =
            serde_json::from_str(DOCUMENTED_SEND_RESPONSE).unwrap_or_else(|_| json!({}));
        let status = documented["messages"][0]["status"].clone();
        let Some(destinations) = body["destinations"].as_array() else {
            return ResponseTemplate::new(400);
        };
        if body["bulkId"].as_str().is_none() || body["whatsApp"].as_object().is_none() {
            return ResponseTemplate::new(400);
        }
        let messages: Vec<Value> = destinations
            .iter()
            .map(|d| {
                json!({
                    "messageId": d["messageId"],
                    "to": { "phoneNumber": d["to"]["phoneNumber"] },
                    "status": status,
                })
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "messages": messages,
            "bulkId": body["bulkId"],
        }))
    }
}

/// A local CEC seeded with the documented samples. Dropping it stops it.
#[derive(Debug)]
pub struct MockCec {
    http: MockHttp,
    state: Arc<Mutex<State>>,
}

impl MockCec {
    /// Starts a mock CEC that accepts only this app key and secret (others
    /// get 401 from the token call, as CEC answers).
    pub async fn start_with_credentials(app_key: &str, app_secret: &str) -> Self {
        Self::start_with(Some((app_key.to_owned(), app_secret.to_owned()))).await
    }

    /// Makes every token issued so far invalid: the next send gets 401.
    pub fn expire_tokens(&self) {
        lock(&self.state).issued.clear();
    }

    /// How many times `tokenByAkSk` was called.
    pub fn token_calls(&self) -> usize {
        lock(&self.state).token_calls
    }

    /// The send requests received so far, oldest first (without the token
    /// calls).
    pub async fn sends(&self) -> Vec<RecordedRequest> {
        self.requests()
            .await
            .into_iter()
            .filter(|r| r.path == SEND_PATH)
            .collect()
    }
}

#[async_trait::async_trait]
impl MockVendor for MockCec {
    type Code = ErrorCode;
    /// App key and app secret.
    type Credentials = (String, String);

    /// Starts a mock CEC that accepts only these app key and secret, or any
    /// non-empty ones.
    async fn start_with(credentials: Option<(String, String)>) -> Self {
        let state = Arc::new(Mutex::new(State {
            credentials,
            ..State::default()
        }));
        let send = SendEndpoint(state.clone());
        let http = MockHttp::serving(crate::VENDOR, SEND_PATH, send, "sendWhatsappMessage").await;
        let token = TokenEndpoint(state.clone());
        http.route("POST", path(TOKEN_PATH), token, "tokenByAkSk")
            .await;
        Self { http, state }
    }

    fn http(&self) -> &MockHttp {
        &self.http
    }

    /// The next `times` sends get `code`'s status without a body, as CEC
    /// documents its refusals (an `Unknown` code that is no HTTP status is
    /// answered with 500). A 401 is answered so to the resend after the
    /// token renewal too, while `times` lasts. Token calls are answered as
    /// usual, here and by [`MockVendor::respond_next`].
    async fn fail_next(&self, code: ErrorCode, times: u64) {
        let status = code
            .http_status()
            .filter(|s| (100..=599).contains(s))
            .unwrap_or(500);
        let response = ResponseTemplate::new(status);
        self.http
            .answer_sends(response, times, &format!("HTTP {status}"))
            .await;
    }
}
