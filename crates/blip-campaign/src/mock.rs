//! A local mock Blip for your own tests (feature `mock`).
//!
//! [`MockBlip`] is a real HTTP server on 127.0.0.1 answering `POST /commands`
//! as Blip does, always HTTP 200 with a LIME envelope:
//!
//! - `set /campaign/full` and `set /campaign/v2` answer with the campaign
//!   entity in the documented response shape (`status: new`, upper-case
//!   `campaignType`), or `failure` (reason 21) when the campaign has no
//!   name, a WhatsApp message no template, or an RCS message no content;
//! - `set /audiences/v2/{id}` (and `/file`) and `set /dispatch/v2` succeed,
//!   except that audiences for a dispatched campaign fail (reason 64);
//! - the reads answer with the documented response shapes
//!   (`fixtures/blip-campaign/constructed_*.json`): `get /campaigns` lists
//!   the campaigns created, oldest first, and `get /campaigns/{id}` answers
//!   one (reason 67 for an unknown id); `get /audiences/{id}` lists the
//!   audiences added to the campaign as JSON (by `/campaign/full` or
//!   `/audiences/v2/{id}`; not those of a CSV file), or the fixture's for
//!   a campaign without any;
//! - every collection is paged by the `uri`'s `$skip` and `$take` (no
//!   `$take`: every item from `$skip` on; a `$take` over 100 fails with
//!   reason 21, as Blip's other endpoints answer), its `total` being the
//!   page's length;
//! - `delete /campaigns/{id}` cancels;
//! - unknown commands fail with reason 62 (no processor available);
//! - a wrong key (with [`MockBlip::start_with_credentials`]) gets HTTP 401;
//! - [`MockVendor::fail_next`] answers the next commands with a failure
//!   envelope carrying any [`ErrorCode`] ([`MockBlip::fail_next_with`] with
//!   your own description);
//! - [`MockVendor::respond_next`] scripts HTTP answers (errors, delays);
//! - [`MockVendor::requests`] and [`MockBlip::commands`] return what it
//!   received, for assertions.
//!
//! [`MockVendor`] is the API every vendor crate's mock shares.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use blip_campaign::mock::{MockBlip, MockVendor};
//! use blip_campaign::{Audience, CampaignInfo, Client, ErrorCode, FullCampaign, MessageTemplate};
//!
//! let blip = MockBlip::start().await;
//! let client = Client::builder("Key dGVzdDp0ZXN0").base_url(blip.uri()).build()?;
//! let campaign = FullCampaign::individual(
//!     CampaignInfo::new("welcome"),
//!     Audience::new("+5531999999999".parse()?).param("1", "Ana"),
//!     MessageTemplate::whatsapp("welcome", ["1"]),
//! ).build()?;
//! let created = client.create_full_campaign(&campaign).await?;
//! assert_eq!(created.status, Some(blip_campaign::CampaignStatus::New));
//! assert_eq!(blip.commands().await[0]["uri"], "/campaign/full");
//!
//! blip.fail_next(ErrorCode::CommandNotAllowed, 1).await;
//! let id = created.id.as_deref().unwrap_or_default();
//! let err = client.cancel_campaign(id).await.unwrap_err();
//! assert_eq!(err.code(), Some(ErrorCode::CommandNotAllowed));
//! # Ok(()) }
//! ```

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

pub use whatsapp_common::mock::{MockHttp, MockVendor, RecordedRequest, ResponseTemplate};
use wiremock::{Request, Respond};

use crate::ErrorCode;

/// The path every command is posted to.
pub const COMMANDS_PATH: &str = "/commands";

/// The documented `/campaign/v2` answer, verbatim (with `//`-free JSON).
pub const DOCUMENTED_CREATE_RESPONSE: &str =
    include_str!("../../../fixtures/blip-campaign/v2_create_response.json");
const SUMMARIES: &str =
    include_str!("../../../fixtures/blip-campaign/constructed_summaries_response.json");
const AUDIENCE: &str =
    include_str!("../../../fixtures/blip-campaign/constructed_audience_response.json");
const MESSAGES: &str =
    include_str!("../../../fixtures/blip-campaign/constructed_messages_response.json");
const REPORT: &str =
    include_str!("../../../fixtures/blip-campaign/constructed_report_response.json");

#[derive(Default)]
struct State {
    key: Option<String>,
    dispatched: HashSet<String>,
    /// Campaigns whose messages went out: full campaigns and dispatched
    /// ones, in that order.
    sent: Vec<String>,
    created: u64,
    /// The campaigns created, oldest first, as `get /campaigns` lists them.
    campaigns: Vec<Value>,
    /// The audience items added to each campaign, in the order added.
    audiences: HashMap<String, Vec<Value>>,
    /// Failure envelopes to answer next, oldest first.
    failures: VecDeque<(ErrorCode, String)>,
}

fn lock(s: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    s.lock().unwrap_or_else(|p| p.into_inner())
}

fn envelope(cmd: &Value, status: &str) -> Value {
    json!({
        "id": cmd["id"],
        "from": "postmaster@activecampaign.msging.net/#mock",
        "to": "bot@msging.net",
        "method": cmd["method"],
        "status": status,
        "metadata": { "#command.uri": format!("lime://bot@msging.net{}", cmd["uri"].as_str().unwrap_or("")) }
    })
}

fn failure(cmd: &Value, code: ErrorCode, description: &str) -> ResponseTemplate {
    let mut e = envelope(cmd, "failure");
    e["reason"] = json!({ "code": code.as_i64(), "description": description });
    ResponseTemplate::new(200).set_body_json(e)
}

fn success(cmd: &Value, resource: Option<(String, Value)>) -> ResponseTemplate {
    let mut e = envelope(cmd, "success");
    if let Some((t, r)) = resource {
        e["type"] = json!(t);
        e["resource"] = r;
    }
    ResponseTemplate::new(200).set_body_json(e)
}

fn fixture_resource(text: &str) -> Option<(String, Value)> {
    let v: Value = serde_json::from_str(text).ok()?;
    Some((v["type"].as_str()?.to_owned(), v["resource"].clone()))
}

/// The items of a fixture's collection.
fn fixture_items(text: &str) -> (String, Vec<Value>) {
    let v: Value = serde_json::from_str(text).unwrap_or_default();
    let item_type = v["resource"]["itemType"].as_str().unwrap_or_default();
    let items = v["resource"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (item_type.to_owned(), items)
}

/// The most a `$take` may ask for, as Blip's other OData endpoints answer.
const MAX_TAKE: usize = 100;

/// One page of `items`, by the uri's `$skip` and `$take` (none: every item
/// from `$skip` on), as a LIME collection whose `total` is the page's
/// length; `Err` with Blip's words for a `$take` over 100.
fn page(uri: &str, item_type: &str, items: &[Value]) -> Result<(String, Value), &'static str> {
    let query = uri.split_once('?').map_or("", |(_, q)| q);
    let param = |name: &str| {
        query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let skip = param("$skip").unwrap_or(0);
    let take = param("$take").unwrap_or(usize::MAX);
    if take != usize::MAX && take > MAX_TAKE {
        return Err("The take parameter can not be greater than 100");
    }
    let items: Vec<Value> = items.iter().skip(skip).take(take).cloned().collect();
    let collection = json!({ "total": items.len(), "itemType": item_type, "items": items });
    Ok((
        "application/vnd.lime.collection+json".to_owned(),
        collection,
    ))
}

/// An audience item as `get /audiences/{id}` answers it, for an audience
/// added to campaign `id`.
fn audience_item(id: &str, audience: &Value) -> Value {
    let mut item = json!({
        "campaignId": id,
        "recipient": audience["recipient"],
        "recipientType": "Phone",
        "channelType": "WHATSAPP",
    });
    if let Some(params) = audience.get("messageParams") {
        item["messageParams"] = params.clone();
    }
    item
}

/// The success envelope with one page of `items`, or a failure (reason
/// 21) for a `$take` over 100.
fn paged(cmd: &Value, uri: &str, item_type: &str, items: &[Value]) -> ResponseTemplate {
    match page(uri, item_type, items) {
        Ok(resource) => success(cmd, Some(resource)),
        Err(description) => failure(cmd, ErrorCode::ValidationError, description),
    }
}

struct Commands(Arc<Mutex<State>>);

impl Respond for Commands {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut state = lock(&self.0);
        if let Some(k) = &state.key {
            let sent = req
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok());
            if sent != Some(k.as_str()) {
                return ResponseTemplate::new(401);
            }
        }
        let Ok(cmd) = serde_json::from_slice::<Value>(&req.body) else {
            return ResponseTemplate::new(400);
        };
        if cmd["id"].as_str().is_none_or(str::is_empty) || cmd["uri"].as_str().is_none() {
            return ResponseTemplate::new(400);
        }
        if let Some((code, description)) = state.failures.pop_front() {
            return failure(&cmd, code, &description);
        }
        let uri = cmd["uri"].as_str().unwrap_or_default().to_owned();
        let path = uri.split('?').next().unwrap_or_default();
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let resource = &cmd["resource"];
        match (
            cmd["method"].as_str().unwrap_or_default(),
            segments.as_slice(),
        ) {
            ("set", ["campaign", "full"] | ["campaign", "v2"]) => {
                let c = &resource["campaign"];
                let m = &resource["message"];
                let rcs = m["channelType"]
                    .as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case("GoogleRcs"));
                let missing = if c["name"].as_str().is_none_or(|n| n.trim().is_empty()) {
                    Some("The campaign name is required")
                } else if !rcs && m["messageTemplate"].as_str().is_none() {
                    Some("The message template is required")
                } else if rcs && m["messageContent"].as_str().is_none() {
                    Some("The message content is required")
                } else {
                    None
                };
                if let Some(description) = missing {
                    return failure(&cmd, ErrorCode::ValidationError, description);
                }
                state.created += 1;
                let mut created: Value =
                    serde_json::from_str(DOCUMENTED_CREATE_RESPONSE).unwrap_or_default();
                let mut campaign = created["resource"].take();
                campaign["id"] = json!(format!("ffc99160-5182-4c33-8a21-{:012x}", state.created));
                campaign["name"] = c["name"].clone();
                campaign["campaignType"] =
                    json!(c["campaignType"].as_str().unwrap_or("Batch").to_uppercase());
                campaign["flowId"] = c["flowId"].clone();
                campaign["stateId"] = c["stateId"].clone();
                campaign["channelType"] = json!(
                    m["channelType"]
                        .as_str()
                        .unwrap_or("WhatsApp")
                        .to_uppercase()
                );
                if c.get("scheduled").is_some() {
                    campaign["scheduled"] = c["scheduled"].clone();
                    campaign["status"] = json!("scheduled");
                }
                let id = campaign["id"].as_str().unwrap_or_default().to_owned();
                let added: Vec<Value> = match (&resource["audience"], &resource["audiences"]) {
                    (Value::Object(_), _) => vec![audience_item(&id, &resource["audience"])],
                    (_, Value::Array(list)) => list.iter().map(|a| audience_item(&id, a)).collect(),
                    _ => Vec::new(),
                };
                if !added.is_empty() {
                    state.audiences.entry(id.clone()).or_default().extend(added);
                }
                if c.get("scheduled").is_none_or(|s| s.is_null()) {
                    state.sent.push(id);
                }
                state.campaigns.push(campaign.clone());
                success(
                    &cmd,
                    Some((
                        "application/vnd.iris.activecampaign.campaign+json".into(),
                        campaign,
                    )),
                )
            }
            ("set", ["audiences", "v2", id] | ["audiences", "v2", id, "file"]) => {
                if state.dispatched.contains(*id) {
                    return failure(
                        &cmd,
                        ErrorCode::CommandInvalidArgument,
                        "Campaign already dispatched: audiences can no longer be added",
                    );
                }
                if let Some(items) = resource["items"].as_array() {
                    let added: Vec<Value> = items.iter().map(|a| audience_item(id, a)).collect();
                    state
                        .audiences
                        .entry((*id).to_owned())
                        .or_default()
                        .extend(added);
                }
                success(&cmd, None)
            }
            ("set", ["dispatch", "v2"]) => match resource["id"].as_str() {
                Some(id) => {
                    state.dispatched.insert(id.to_owned());
                    state.sent.push(id.to_owned());
                    success(&cmd, None)
                }
                None => failure(
                    &cmd,
                    ErrorCode::ValidationError,
                    "The campaign id is required",
                ),
            },
            ("get", ["campaigns", "summaries"]) | ("get", ["campaigns", _, "summaries"]) => {
                let (item_type, items) = fixture_items(SUMMARIES);
                paged(&cmd, &uri, &item_type, &items)
            }
            ("get", ["campaigns"]) => {
                let item_type = "application/vnd.iris.activecampaign.campaign+json";
                paged(&cmd, &uri, item_type, &state.campaigns)
            }
            ("get", ["campaigns", id]) => {
                let found = state.campaigns.iter().find(|c| c["id"] == *id);
                match found {
                    Some(c) => success(
                        &cmd,
                        Some((
                            "application/vnd.iris.activecampaign.campaign+json".into(),
                            c.clone(),
                        )),
                    ),
                    None => failure(
                        &cmd,
                        ErrorCode::CommandResourceNotFound,
                        "The campaign was not found",
                    ),
                }
            }
            ("get", ["audiences", id]) => {
                let (item_type, fixture) = fixture_items(AUDIENCE);
                let items = state.audiences.get(*id).unwrap_or(&fixture);
                paged(&cmd, &uri, &item_type, items)
            }
            ("get", ["messages", _]) => {
                let (item_type, items) = fixture_items(MESSAGES);
                paged(&cmd, &uri, &item_type, &items)
            }
            ("get", ["campaigns", _, "reports"]) => success(&cmd, fixture_resource(REPORT)),
            ("delete", ["campaigns", id]) => {
                if state.dispatched.contains(*id) {
                    failure(
                        &cmd,
                        ErrorCode::CommandInvalidArgument,
                        "The campaign was already dispatched and cannot be canceled",
                    )
                } else {
                    success(&cmd, None)
                }
            }
            _ => failure(
                &cmd,
                ErrorCode::CommandResourceNotSupported,
                "There's no processor available to handle the requested Uri",
            ),
        }
    }
}

/// A local Blip answering LIME commands. Dropping it stops it.
#[derive(Debug)]
pub struct MockBlip {
    http: MockHttp,
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is the test's own, but a test log is still a log.
        f.debug_struct("State")
            .field("dispatched", &self.dispatched.len())
            .field("failures", &self.failures.len())
            .finish_non_exhaustive()
    }
}

impl MockBlip {
    /// Starts a mock that accepts only `Authorization: Key <key>` (give the
    /// key with or without the `Key ` prefix); any other gets HTTP 401.
    pub async fn start_with_credentials(key: &str) -> Self {
        let k = if key.starts_with("Key ") {
            key.to_owned()
        } else {
            format!("Key {key}")
        };
        Self::start_with(Some(k)).await
    }

    /// Like [`MockVendor::fail_next`], with your own description.
    pub async fn fail_next_with(&self, code: ErrorCode, description: &str, times: u64) {
        let mut s = lock(&self.state);
        for _ in 0..times {
            s.failures.push_back((code, description.to_owned()));
        }
    }

    /// Delivers a LIME notification of `event` (`dispatched`, `received`,
    /// `consumed`, `failed` with reason 42 *"Destination not found"*, …)
    /// for every message the mock's campaigns sent (each audience of a
    /// full campaign, or of a dispatched one), POSTed to the bot's
    /// notification `url` with the custom header `header` as Blip sends
    /// the portal's custom headers. **Constructed**: Blip documents the
    /// notification's shape but not the id a campaign message's
    /// notifications carry; the mock's ids are its own, and its `from` is
    /// the recipient at `wa.gw.msging.net`. Returns the receiver's answer
    /// to each, in order.
    ///
    /// # Errors
    ///
    /// When a post cannot be made (see
    /// [`whatsapp_common::mock::post_callback`]).
    pub async fn deliver_notifications(
        &self,
        url: &str,
        header: (&str, &str),
        event: &str,
    ) -> Result<Vec<u16>, String> {
        let notifications: Vec<Vec<u8>> = {
            let state = lock(&self.state);
            let audiences = state
                .sent
                .iter()
                .flat_map(|c| state.audiences.get(c).into_iter().flatten());
            audiences
                .enumerate()
                .map(|(n, a)| {
                    let digits: String = a["recipient"]
                        .as_str()
                        .unwrap_or_default()
                        .chars()
                        .filter(char::is_ascii_digit)
                        .collect();
                    let mut notification = json!({
                        "id": format!("8d7c2a1e-4b3f-4e5d-9a6b-{:012x}", n + 1),
                        "from": format!("{digits}@wa.gw.msging.net/blip"),
                        "to": "bot@msging.net",
                        "event": event,
                    });
                    if event == "failed" {
                        notification["reason"] =
                            json!({"code": 42, "description": "Destination not found"});
                    }
                    serde_json::to_vec(&notification).unwrap_or_default()
                })
                .collect()
        };
        let mut answers = Vec::with_capacity(notifications.len());
        for body in notifications {
            answers.push(whatsapp_common::mock::post_callback(url, &[header], &body).await?);
        }
        Ok(answers)
    }

    /// The command envelopes received so far, as JSON.
    pub async fn commands(&self) -> Vec<Value> {
        self.requests()
            .await
            .iter()
            .filter_map(|r| r.json().ok())
            .collect()
    }
}

#[async_trait::async_trait]
impl MockVendor for MockBlip {
    type Code = ErrorCode;
    /// The full `Key …` value.
    type Credentials = String;

    /// Starts a mock that accepts only `Authorization: <key>`, or any key.
    async fn start_with(key: Option<String>) -> Self {
        let state = Arc::new(Mutex::new(State {
            key,
            ..State::default()
        }));
        let commands = Commands(state.clone());
        let http = MockHttp::serving(crate::VENDOR, COMMANDS_PATH, commands, "commands").await;
        Self { http, state }
    }

    fn http(&self) -> &MockHttp {
        &self.http
    }

    /// The next `times` commands get a failure envelope (HTTP 200) with
    /// `code` and its LIME name as the description.
    async fn fail_next(&self, code: ErrorCode, times: u64) {
        let description = code.name().unwrap_or("Blip's own reason");
        self.fail_next_with(code, description, times).await;
    }
}
