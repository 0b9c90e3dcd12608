//! Shared by the contract tests: fixtures, clients, Bird's own schemas.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, unreachable_pub)]

use std::time::Duration;

use channels::mock::{CHANNEL_ID, WORKSPACE_ID};
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

impl Schema {
    /// The schema `name` of `create-channel-message.openapi.json` (or of
    /// the contact document when `contact` is set).
    pub fn load(name: &str, contact: bool) -> Self {
        let doc = fixture_json(if contact {
            "openapi/get-channel-contact.openapi.json"
        } else {
            "openapi/create-channel-message.openapi.json"
        });
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": { "schemas": denull(doc["components"]["schemas"].clone()) },
            "$ref": format!("#/components/schemas/{name}"),
        });
        let v = jsonschema::options()
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("schema {name}: {e}"));
        Self(v)
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
