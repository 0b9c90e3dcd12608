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
//!   send gets 401); [`MockCec::fail_next_sends`] answers the next sends
//!   with any status; [`MockCec::token_calls`] and [`MockCec::requests`]
//!   tell what it received.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use huawei_cec::mock::MockCec;
//! use huawei_cec::{Client, SendRequest, WhatsAppMessage};
//!
//! let cec = MockCec::start().await;
//! let client = Client::builder("app-key", "app-secret").base_url(cec.uri()).build()?;
//! let request = SendRequest::builder(WhatsAppMessage::text("hi"))
//!     .to("+41793026727".parse()?)
//!     .build()?;
//!
//! client.send(&request).await?;
//! cec.expire_tokens();
//! client.send(&request).await?; // 401, one renewal, one retry
//! assert_eq!(cec.token_calls(), 2);
//! # Ok(()) }
//! ```

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use whatsapp_common::mock::{RecordedRequest, mount_catch_all, recorded};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

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
    server: MockServer,
    state: Arc<Mutex<State>>,
}

impl MockCec {
    /// Starts a mock CEC that accepts any non-empty app key and secret.
    pub async fn start() -> Self {
        Self::start_inner(None).await
    }

    /// Starts a mock CEC that accepts only this app key and secret.
    pub async fn start_with_credentials(app_key: &str, app_secret: &str) -> Self {
        Self::start_inner(Some((app_key.to_owned(), app_secret.to_owned()))).await
    }

    async fn start_inner(credentials: Option<(String, String)>) -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State {
            credentials,
            ..State::default()
        }));
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(TokenEndpoint(state.clone()))
            .with_priority(10)
            .named("huawei-cec: tokenByAkSk")
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(SEND_PATH))
            .respond_with(SendEndpoint(state.clone()))
            .with_priority(10)
            .named("huawei-cec: sendWhatsappMessage")
            .mount(&server)
            .await;
        mount_catch_all(&server).await;
        Self { server, state }
    }

    /// The base URL to give [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Makes every token issued so far invalid: the next send gets 401.
    pub fn expire_tokens(&self) {
        lock(&self.state).issued.clear();
    }

    /// How many times `tokenByAkSk` was called.
    pub fn token_calls(&self) -> usize {
        lock(&self.state).token_calls
    }

    /// The next `times` sends get `status` with `body` (CEC documents 400,
    /// 401, 404 and 500 without a body).
    pub async fn fail_next_sends(&self, status: u16, body: Option<&str>, times: u64) {
        let mut response = ResponseTemplate::new(status);
        if let Some(b) = body {
            response = response.set_body_string(b);
        }
        self.respond_next_sends(response, times).await;
    }

    /// The next `times` sends get `response` (any status, body or delay).
    pub async fn respond_next_sends(&self, response: ResponseTemplate, times: u64) {
        Mock::given(method("POST"))
            .and(path(SEND_PATH))
            .respond_with(response)
            .up_to_n_times(times)
            .with_priority(1)
            .named("huawei-cec: scripted send answer")
            .mount(&self.server)
            .await;
    }

    /// Every request received so far (token calls and sends), oldest first.
    pub async fn requests(&self) -> Vec<RecordedRequest> {
        recorded(&self.server).await
    }

    /// The send requests received so far.
    pub async fn sends(&self) -> Vec<RecordedRequest> {
        self.requests()
            .await
            .into_iter()
            .filter(|r| r.path == SEND_PATH)
            .collect()
    }

    /// The underlying wiremock server, to mount your own mocks.
    pub fn server(&self) -> &MockServer {
        &self.server
    }
}
