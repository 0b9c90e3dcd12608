//! Shared by the contract tests: fixtures, clients, Bird's own schemas.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, unreachable_pub)]

use std::sync::OnceLock;
use std::time::Duration;

use channels::mock::{CHANNEL_ID, MockBird, MockVendor, RecordedRequest, WORKSPACE_ID};
use channels::{Body, Client, ClientBuilder, PhoneNumber, SendRequest};
use serde_json::{Value, json};
use whatsapp_common::mock::fast_retries;

/// The contact the tests ask about.
pub const CONTACT: &str = "40d5c607-d73d-4d39-bc7f-5416cdb61ee8";

/// A fixture's text, from `fixtures/channels/`.
pub fn fixture(name: &str) -> String {
    whatsapp_common::mock::fixture("channels", name)
}

/// A fixture parsed as JSON.
pub fn fixture_json(name: &str) -> Value {
    whatsapp_common::mock::fixture_json("channels", name)
}

/// The number the tests send to.
pub fn to() -> PhoneNumber {
    "+31612345678".parse().unwrap()
}

/// A text message to [`to`].
pub fn text(text: impl Into<String>) -> SendRequest {
    SendRequest::builder(to(), Body::text(text))
        .build()
        .unwrap()
}

/// A builder for the mock's workspace and channel at `uri`.
pub fn builder(uri: &str) -> ClientBuilder {
    Client::builder("test-access-key", WORKSPACE_ID, CHANNEL_ID)
        .base_url(uri)
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries())
}

/// OpenAPI 3.0 `nullable: true` as JSON Schema: `anyOf [schema, null]`.
fn denull(v: Value) -> Value {
    match v {
        Value::Object(mut m) => {
            let nullable = m.remove("nullable") == Some(Value::Bool(true));
            // OpenAPI-only keywords a JSON Schema validator does not know.
            m.remove("discriminator");
            m.remove("example");
            let m: serde_json::Map<String, Value> = m
                .into_iter()
                .map(|(k, v)| match (k.as_str(), v) {
                    // ECMAScript reads `{{` as literal braces; Rust regex
                    // wants them escaped. Same language, other dialect.
                    ("pattern", Value::String(p)) => {
                        let p = p.replace("{{", "\\{\\{").replace("}}", "\\}\\}");
                        (k, Value::String(p))
                    }
                    (_, v) => (k, denull(v)),
                })
                .collect();
            if nullable {
                json!({ "anyOf": [Value::Object(m), { "type": "null" }] })
            } else {
                Value::Object(m)
            }
        }
        Value::Array(a) => Value::Array(a.into_iter().map(denull).collect()),
        other => other,
    }
}

/// Validates instances against one schema of Bird's OpenAPI documents.
pub struct Schema(jsonschema::Validator);

/// RFC 5646 `Language-Tag`, well-formed (the grammar of its section 2.1,
/// without the grandfathered tags), as one ECMAScript regex for the
/// `jsonschema` crate's `pattern`: the check the crate does not have for
/// Bird's `locale-bcp47` format. Written apart from the SDK's own check.
const BCP47: &str = concat!(
    "^(?:",
    // langtag
    "(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4}|[A-Za-z]{5,8})",
    "(?:-[A-Za-z]{4})?",
    "(?:-(?:[A-Za-z]{2}|[0-9]{3}))?",
    "(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*",
    "(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*",
    "(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?",
    // or privateuse alone
    "|[Xx](?:-[A-Za-z0-9]{1,8})+",
    ")$"
);

/// Whether `tag` is a well-formed BCP 47 language tag ([`BCP47`]).
pub fn is_bcp47(tag: &str) -> bool {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        jsonschema::validator_for(&json!({"type": "string", "pattern": BCP47})).unwrap()
    })
    .is_valid(&json!(tag))
}

impl Schema {
    /// The schema `name` of `create-channel-message.openapi.json` (or of
    /// the contact document when `contact` is set); `CreateBatchMessages`
    /// comes from `create-batch-messages.schema.json`, its messages from
    /// the former.
    ///
    /// Formats are enforced: `uri`, `date-time` and `uuid` by `jsonschema`;
    /// `locale-bcp47`, which it does not know, by [`is_bcp47`]. Any other
    /// unknown format fails the load, so none is skipped unseen (`float`,
    /// a number's, is declared as always valid).
    pub fn load(name: &str, contact: bool) -> Self {
        let doc = fixture_json(if contact {
            "openapi/get-channel-contact.openapi.json"
        } else {
            "openapi/create-channel-message.openapi.json"
        });
        let mut schemas = doc["components"]["schemas"].clone();
        if !contact {
            let batch = fixture_json("openapi/create-batch-messages.schema.json");
            for (k, v) in batch.as_object().unwrap() {
                schemas[k] = v.clone();
            }
        }
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": { "schemas": denull(schemas) },
            "$ref": format!("#/components/schemas/{name}"),
        });
        let v = jsonschema::options()
            .should_validate_formats(true)
            .should_ignore_unknown_formats(false)
            .with_format("locale-bcp47", is_bcp47)
            .with_format("float", |_: &str| true)
            .build(&root)
            .unwrap_or_else(|e| panic!("schema {name}: {e}"));
        Self(v)
    }

    /// The schema `name` of the create document, loaded once.
    pub fn shared(name: &'static str) -> &'static Schema {
        static SEND: OnceLock<Schema> = OnceLock::new();
        static BATCH: OnceLock<Schema> = OnceLock::new();
        match name {
            "CreateMessage" => SEND.get_or_init(|| Schema::load(name, false)),
            "CreateBatchMessages" => BATCH.get_or_init(|| Schema::load(name, false)),
            other => panic!("no shared schema {other}"),
        }
    }

    /// The schema's complaints about `instance` (empty: valid).
    pub fn errors(&self, instance: &Value) -> Vec<String> {
        self.0
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    /// Panics with the complaints unless `instance` is valid.
    pub fn assert_valid(&self, instance: &Value, what: &str) {
        let errors = self.errors(instance);
        assert!(
            errors.is_empty(),
            "{what} fails Bird's schema: {errors:#?}\n{instance:#}"
        );
    }
}

/// Checks every request the SDK sent against Bird's schema: a send's body
/// against `CreateMessage`, a batch chunk's against `CreateBatchMessages`
/// (and so each of its messages against `CreateMessage`). Other requests
/// (the contact read) carry no body. Returns how many bodies it checked.
pub fn assert_wire_valid(requests: &[RecordedRequest]) -> usize {
    let mut checked = 0;
    for r in requests.iter().filter(|r| r.method == "POST") {
        let schema = if r.path.ends_with("/batch/messages") {
            "CreateBatchMessages"
        } else if r.path.ends_with("/messages") {
            "CreateMessage"
        } else {
            continue;
        };
        let body: Value = r
            .json()
            .unwrap_or_else(|e| panic!("{} {}: not JSON: {e}", r.method, r.path));
        Schema::shared(schema).assert_valid(&body, &format!("POST {}", r.path));
        checked += 1;
    }
    checked
}

/// A [`MockBird`] whose every received request body is checked against
/// Bird's schema ([`assert_wire_valid`]) when the test is done with it:
/// start the tests' mocks with [`bird`] or [`bird_with_key`].
pub struct Bird(Option<MockBird>);

impl std::ops::Deref for Bird {
    type Target = MockBird;
    fn deref(&self) -> &MockBird {
        self.0.as_ref().unwrap()
    }
}

impl Drop for Bird {
    fn drop(&mut self) {
        let Some(bird) = self.0.take() else { return };
        if std::thread::panicking() {
            return;
        }
        // The test's runtime is busy dropping us: read the recorded
        // requests on a runtime of our own, on another thread.
        let requests = std::thread::scope(|s| {
            s.spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(bird.requests())
            })
            .join()
            .unwrap()
        });
        assert_wire_valid(&requests);
    }
}

/// A mock Bird accepting any access key; its requests checked on drop.
pub async fn bird() -> Bird {
    Bird(Some(MockBird::start().await))
}

/// A mock Bird accepting only `key`; its requests checked on drop.
pub async fn bird_with_key(key: &str) -> Bird {
    Bird(Some(MockBird::start_with_credentials(key).await))
}
