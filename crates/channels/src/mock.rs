//! A local mock Bird for your own tests (feature `mock`).
//!
//! [`MockBird`] is a real HTTP server on 127.0.0.1 serving the workspace
//! [`WORKSPACE_ID`] and channel [`CHANNEL_ID`]:
//!
//! - a send gets 202 and a message object built from the documented shape
//!   (status `accepted`, direction `outgoing`, your body or template,
//!   receiver, reference and tags echoed, a fresh message id);
//! - a send without a receiver, or with both or neither of `body` and
//!   `template`, gets 422 `MalformedRequest` with `details`, as Bird
//!   answers;
//! - a wrong access key (when started with
//!   [`MockBird::start_with_credentials`]) gets 401 with no body;
//! - the contact details call answers with a window open for 24 hours,
//!   unless [`MockBird::set_window`] says otherwise; an unknown contact
//!   set with [`MockBird::forget_contact`] gets 404 `NotFound`;
//! - the batch call answers with a batch id; a body Bird's
//!   `CreateBatchMessages` rejects (no `messageRequests` array of 1 to 100
//!   messages, or a message refused as a send would be) gets 422 `MalformedRequest` with `details`;
//!   each message of an accepted batch is stored with the batch's
//!   `batchId`, status `accepted`, or `rejected` with a `failure` when its
//!   receiver was named with [`MockBird::reject_in_batches`] (as Bird
//!   rejects a batch message that fails validation after accepting the
//!   batch);
//! - every message accepted is read back: `GET …/messages/{id}` (404
//!   `NotFound` for an unknown id) and `GET …/messages`, oldest first,
//!   filtered by `status`, `direction`, `batchId`, `startAt`/`endAt`, paged
//!   by `limit` (1 to 100, default 10) and `pageToken` → `nextPageToken`;
//! - a message with a member `CreateMessage` does not have gets 422;
//! - [`MockVendor::fail_next`] answers the next requests, whatever the
//!   operation, with a documented [`ErrorCode`] (its status and Bird's
//!   `{code, message}`), and [`MockVendor::respond_next`] with any answer.
//!
//! [`MockVendor`] is the API every vendor crate's mock shares.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use channels::mock::{MockBird, MockVendor, CHANNEL_ID, WORKSPACE_ID};
//! use channels::{Body, Client, ErrorCode, SendRequest};
//!
//! let bird = MockBird::start().await;
//! let client = Client::builder("key", WORKSPACE_ID, CHANNEL_ID).base_url(bird.uri()).build()?;
//! let contact = "40d5c607-d73d-4d39-bc7f-5416cdb61ee8";
//! assert!(client.contact_channel_info(contact, None).await?.is_window_open());
//! bird.set_window(contact, None);
//! assert!(!client.contact_channel_info(contact, None).await?.is_window_open());
//! let request = SendRequest::builder("+31612345678".parse()?, Body::text("hi")).build()?;
//! client.send(&request).await?;
//! assert_eq!(bird.sent_bodies().await[0]["body"]["text"]["text"], "hi");
//!
//! bird.fail_next(ErrorCode::NotFound, 1).await;
//! let err = client.send(&request).await.unwrap_err();
//! assert_eq!((err.status(), err.code()), (Some(404), Some(ErrorCode::NotFound)));
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

pub use whatsapp_common::mock::{MockHttp, MockVendor, RecordedRequest, ResponseTemplate};
use wiremock::matchers::{path, path_regex};
use wiremock::{Request, Respond};

use crate::{ErrorCode, Timestamp};

mod messages;
#[cfg(feature = "webhook")]
mod webhooks;
#[cfg(feature = "webhook")]
pub use webhooks::Subscription;

/// The workspace the mock serves.
pub const WORKSPACE_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
/// The channel the mock serves.
pub const CHANNEL_ID: &str = "8e046034-bca7-5124-89d0-1a64c1cbe819";

/// The documented shape of an accepted send (constructed from the schema).
pub const ACCEPTED_TEMPLATE: &str =
    include_str!("../../../fixtures/channels/constructed_send_accepted.json");

#[derive(Default)]
struct State {
    key: Option<String>,
    windows: HashMap<String, Option<i64>>,
    forgotten: Vec<String>,
    sent: u64,
    batches: u64,
    /// Every message accepted, oldest first.
    messages: Vec<Value>,
    /// Receivers whose batch messages are rejected.
    rejected: Vec<String>,
}

fn lock(s: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    s.lock().unwrap_or_else(|p| p.into_inner())
}

fn authorised(state: &State, req: &Request) -> bool {
    match &state.key {
        None => req.headers.contains_key("authorization"),
        Some(k) => req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == format!("AccessKey {k}")),
    }
}

/// Bird's error body for `code`: `{code, message}`.
pub fn error_body(code: &ErrorCode, message: &str) -> Value {
    json!({ "code": code.as_str(), "message": message })
}

fn error(status: u16, code: ErrorCode, message: &str, details: Option<Value>) -> ResponseTemplate {
    let mut body = error_body(&code, message);
    if let Some(d) = details {
        body["details"] = d;
    }
    ResponseTemplate::new(status).set_body_json(body)
}

/// How the mock answers `code`: its documented status (400 where Bird
/// documents none) and a message Bird's samples use.
fn code_response(code: ErrorCode) -> ResponseTemplate {
    let status = code.documented_http_status().unwrap_or(400);
    let message = match &code {
        ErrorCode::NotFound => "The requested resource does not exist",
        ErrorCode::MalformedRequest => {
            "One or more fields provided in the request body are malformed"
        }
        ErrorCode::InvalidPayload => "The request body is not JSON",
        _ => "The request was refused",
    };
    error(status, code, message, None)
}

fn accepted(state: &mut State, body: &Value) -> Value {
    state.sent += 1;
    let mut m: Value = serde_json::from_str(ACCEPTED_TEMPLATE).unwrap_or_else(|_| json!({}));
    let now = Timestamp::from_unix_millis(whatsapp_common::time::unix_millis_now());
    m["id"] = json!(format!("b7a8a4b2-6c1d-4e0f-9a3b-{:012x}", state.sent));
    m["channelId"] = json!(CHANNEL_ID);
    m["receiver"] = body["receiver"].clone();
    if let Some(o) = m.as_object_mut() {
        o.remove("body");
        o.remove("template");
        o.remove("reference");
        o.remove("tags");
    }
    for key in [
        "body",
        "template",
        "reference",
        "tags",
        "replyTo",
        "scheduledFor",
        "meta",
    ] {
        if let Some(v) = body.get(key) {
            m[key] = v.clone();
        }
    }
    if body.get("scheduledFor").is_some() {
        m["status"] = json!("scheduled");
    }
    for key in ["lastStatusAt", "createdAt", "updatedAt"] {
        m[key] = json!(now.as_str());
    }
    m
}

fn check_send(body: &Value) -> Option<ResponseTemplate> {
    let has = |k: &str| body.get(k).is_some_and(|v| !v.is_null());
    let mut details = serde_json::Map::new();
    for other in body
        .as_object()
        .into_iter()
        .flat_map(|m| m.keys())
        .filter(|k| !CREATE_MESSAGE_MEMBERS.contains(&k.as_str()))
    {
        details.insert(format!(".{other}"), json!(["Property is not allowed"]));
    }
    if !has("receiver") {
        details.insert(
            ".receiver".into(),
            json!(["Property 'receiver' is missing"]),
        );
    }
    match (has("body"), has("template")) {
        (true, true) => {
            details.insert(
                ".body".into(),
                json!(["Set either body or template, not both"]),
            );
        }
        (false, false) => {
            details.insert(
                ".body".into(),
                json!(["Property 'body' or 'template' is required"]),
            );
        }
        _ => {}
    }
    (!details.is_empty()).then(|| {
        error(
            422,
            ErrorCode::MalformedRequest,
            "One or more fields provided in the request body are malformed",
            Some(Value::Object(details)),
        )
    })
}

/// One of the mock's operations: the access key checked first (a wrong
/// one gets 401 with no body, as Bird answers), then `answer`.
struct Operation(
    Arc<Mutex<State>>,
    fn(&mut State, &Request) -> ResponseTemplate,
);

impl Respond for Operation {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut state = lock(&self.0);
        if !authorised(&state, req) {
            return ResponseTemplate::new(401);
        }
        (self.1)(&mut state, req)
    }
}

fn send(state: &mut State, req: &Request) -> ResponseTemplate {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return code_response(ErrorCode::InvalidPayload);
    };
    match check_send(&body) {
        Some(refusal) => refusal,
        None => {
            let message = accepted(state, &body);
            state.messages.push(message.clone());
            ResponseTemplate::new(202).set_body_json(message)
        }
    }
}

/// The members of Bird's `CreateMessage` (its `additionalProperties` is
/// false).
const CREATE_MESSAGE_MEMBERS: [&str; 16] = [
    "sender",
    "receiver",
    "reference",
    "template",
    "meta",
    "replyTo",
    "body",
    "notification",
    "capFrequency",
    "enableLinkTracking",
    "ignoreQuietHours",
    "ignoreGlobalHoldout",
    "tags",
    "shortLinks",
    "scheduledFor",
    "validity",
];

/// Bird's `CreateBatchMessages`, checked by hand: an object with
/// `messageRequests`, an array of 1 to 100 messages, each a `CreateMessage`
/// object refused as a send would be.
fn check_batch(body: &Value) -> Option<ResponseTemplate> {
    let malformed = |field: &str, message: &str| {
        error(
            422,
            ErrorCode::MalformedRequest,
            "One or more fields provided in the request body are malformed",
            Some(json!({ field: [message] })),
        )
    };
    let Some(members) = body.as_object() else {
        return Some(malformed(".", "The request body must be an object"));
    };
    let Some(messages) = members.get("messageRequests").and_then(Value::as_array) else {
        return Some(malformed(
            ".messageRequests",
            "Property 'messageRequests' is required and must be an array",
        ));
    };
    if messages.is_empty() || messages.len() > crate::MAX_BATCH {
        return Some(malformed(
            ".messageRequests",
            "The batch can contain 1 to 100 messages",
        ));
    }
    messages.iter().enumerate().find_map(|(i, m)| {
        if !m.is_object() {
            return Some(malformed(
                &format!(".messageRequests[{i}]"),
                "Each message must be an object",
            ));
        }
        check_send(m)
    })
}

fn batch(state: &mut State, req: &Request) -> ResponseTemplate {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return code_response(ErrorCode::InvalidPayload);
    };
    if let Some(refusal) = check_batch(&body) {
        return refusal;
    }
    state.batches += 1;
    let batch_id = format!("5a2c1f3e-8b7d-4c6a-9e0f-{:012x}", state.batches);
    for request in body["messageRequests"].as_array().into_iter().flatten() {
        let mut message = accepted(state, request);
        message["batchId"] = json!(batch_id);
        let receiver = messages::receiver_value(request).unwrap_or_default();
        if state.rejected.iter().any(|r| r == receiver) {
            message["status"] = json!("rejected");
            message["reason"] = json!("The receiver cannot be reached on this channel");
            message["failure"] = messages::rejection();
        }
        state.messages.push(message);
    }
    ResponseTemplate::new(202).set_body_json(json!({ "batchId": batch_id }))
}

fn contact_info(state: &mut State, req: &Request) -> ResponseTemplate {
    let contact = req.url.path().rsplit('/').next().unwrap_or_default();
    if state.forgotten.iter().any(|c| c == contact) {
        return error(404, ErrorCode::NotFound, "Contact not found", None);
    }
    let now = whatsapp_common::time::unix_millis_now();
    let expire = state
        .windows
        .get(contact)
        .copied()
        .unwrap_or(Some(now + 24 * 3600 * 1000));
    let expire = expire.map(|ms| Timestamp::from_unix_millis(ms).as_str().to_owned());
    ResponseTemplate::new(200).set_body_json(json!({
        "serviceWindowExpireAt": expire,
        "isPermanentSession": false,
        "metadata": {}
    }))
}

/// A local Bird seeded with the documented shapes. Dropping it stops it.
pub struct MockBird {
    http: MockHttp,
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for MockBird {
    // The state holds the access key the mock accepts: not shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockBird")
            .field("uri", &self.http.uri())
            .finish_non_exhaustive()
    }
}

impl MockBird {
    /// Starts a mock that accepts only the access key `key` (any other gets
    /// 401 with no body, as Bird answers).
    pub async fn start_with_credentials(key: &str) -> Self {
        Self::start_with(Some(key.to_owned())).await
    }

    /// Sets when `contact_id`'s window closes (`None`: no open window).
    pub fn set_window(&self, contact_id: &str, expires_at_unix_millis: Option<i64>) {
        lock(&self.state)
            .windows
            .insert(contact_id.to_owned(), expires_at_unix_millis);
    }

    /// Makes `contact_id` unknown: its details call gets 404.
    pub fn forget_contact(&self, contact_id: &str) {
        lock(&self.state).forgotten.push(contact_id.to_owned());
    }

    /// From now on, messages of a batch to `identifier_value` (a phone
    /// number as sent, `+31600000000`) are rejected after the batch is
    /// accepted: stored with status `rejected`, a `reason` and a `failure`,
    /// as Bird rejects a batch message that fails its validation.
    pub fn reject_in_batches(&self, identifier_value: &str) {
        lock(&self.state).rejected.push(identifier_value.to_owned());
    }

    /// The JSON bodies of the single sends received so far.
    pub async fn sent_bodies(&self) -> Vec<Value> {
        self.requests()
            .await
            .into_iter()
            .filter(|r| {
                r.method == "POST" && r.path.ends_with("/messages") && !r.path.contains("/batch/")
            })
            .filter_map(|r| r.json().ok())
            .collect()
    }
}

#[async_trait::async_trait]
impl MockVendor for MockBird {
    type Code = ErrorCode;
    /// The access key.
    type Credentials = String;

    /// Starts a mock that accepts only the access key `key`, or any.
    async fn start_with(key: Option<String>) -> Self {
        // Bird's answers to any operation are scripted alike.
        let http = MockHttp::start(crate::VENDOR, None).await;
        let state = Arc::new(Mutex::new(State {
            key,
            ..State::default()
        }));
        let base = format!("/workspaces/{WORKSPACE_ID}/channels/{CHANNEL_ID}");
        let operation = |answer| Operation(state.clone(), answer);
        let sends = path(format!("{base}/messages"));
        http.route("POST", sends, operation(send), "send").await;
        let batches = path(format!("{base}/batch/messages"));
        http.route("POST", batches, operation(batch), "batch send")
            .await;
        let list = path(format!("{base}/messages"));
        http.route("GET", list, operation(messages::list), "list messages")
            .await;
        let one = path_regex(format!("^{base}/messages/[^/]+$"));
        http.route("GET", one, operation(messages::get), "get message")
            .await;
        let contact = path_regex(format!("^{base}/contacts/[0-9a-fA-F-]{{36}}$"));
        http.route(
            "GET",
            contact,
            operation(contact_info),
            "contact channel details",
        )
        .await;
        Self { http, state }
    }

    fn http(&self) -> &MockHttp {
        &self.http
    }

    /// The next `times` requests, whatever the operation, fail with `code`
    /// (and [`MockVendor::respond_next`] scripts any request alike).
    async fn fail_next(&self, code: ErrorCode, times: u64) {
        let what = format!("error {code}");
        self.http
            .answer_sends(code_response(code), times, &what)
            .await;
    }
}
