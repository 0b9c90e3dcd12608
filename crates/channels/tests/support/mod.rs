//! Shared by the contract tests: fixtures, clients, Bird's own schemas.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, unreachable_pub)]

use std::time::Duration;

use channels::mock::{CHANNEL_ID, WORKSPACE_ID};
use channels::{Client, ClientBuilder, RetryPolicy};
use serde_json::{Value, json};

/// A fixture's text, from `fixtures/channels/`.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/channels/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A fixture parsed as JSON.
pub fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// Milliseconds since the Unix epoch, now.
pub fn now_millis() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(since.as_millis()).unwrap()
}

/// A builder for the mock's workspace and channel at `uri`.
pub fn builder(uri: &str) -> ClientBuilder {
    Client::builder("test-access-key", WORKSPACE_ID, CHANNEL_ID)
        .base_url(uri)
        .timeout(Duration::from_secs(5))
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(20)),
        )
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
        let path = if contact {
            format!(
                "{}/../../fixtures/channels/openapi/get-channel-contact.openapi.json",
                env!("CARGO_MANIFEST_DIR")
            )
        } else {
            format!(
                "{}/../../fixtures/channels/openapi/create-channel-message.openapi.json",
                env!("CARGO_MANIFEST_DIR")
            )
        };
        let doc: Value = serde_json::from_str(
            &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
        )
        .unwrap();
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
