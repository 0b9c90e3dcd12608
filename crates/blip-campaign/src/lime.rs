//! LIME command envelopes: what goes to `POST /commands` and what comes back.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The Active Campaign extension's address.
pub const POSTMASTER: &str = "postmaster@activecampaign.msging.net";

whatsapp_common::str_enum! {
    /// A LIME command method.
    pub enum CommandMethod {
        /// `get`
        Get = "get",
        /// `set`
        Set = "set",
        /// `merge`
        Merge = "merge",
        /// `delete`
        Delete = "delete",
    }
}

whatsapp_common::str_enum! {
    /// A command's outcome.
    pub enum CommandStatus {
        /// `success`
        Success = "success",
        /// `failure`: see `reason`.
        Failure = "failure",
    }
}

/// A LIME command: `{id, to, method, uri, type?, resource?}`.
///
/// Typed operations build these for you; send any other with
/// [`Client::send_command`](crate::Client::send_command).
///
/// ```
/// use blip_campaign::{Command, CommandMethod};
/// let cmd = Command::new(CommandMethod::Get, "/campaigns/summaries?$take=10");
/// assert_eq!(cmd.to, "postmaster@activecampaign.msging.net");
/// assert_eq!(cmd.id.len(), 36);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Command {
    /// A fresh UUID per logical operation, kept on retries.
    pub id: String,
    /// The extension addressed (`postmaster@activecampaign.msging.net`).
    pub to: String,
    /// The method.
    pub method: CommandMethod,
    /// The resource path.
    pub uri: String,
    /// MIME type of `resource`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// The resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<Value>,
}

impl Command {
    /// A command to the Active Campaign extension with a fresh id.
    pub fn new(method: CommandMethod, uri: impl Into<String>) -> Self {
        Self {
            id: whatsapp_common::new_id(),
            to: POSTMASTER.to_owned(),
            method,
            uri: uri.into(),
            resource_type: None,
            resource: None,
        }
    }

    /// With a resource of MIME type `resource_type`.
    #[must_use]
    pub fn with_resource(mut self, resource_type: impl Into<String>, resource: Value) -> Self {
        self.resource_type = Some(resource_type.into());
        self.resource = Some(resource);
        self
    }

    /// With another id (e.g. your own, to correlate logs).
    #[must_use]
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }

    /// Addressed to another extension.
    #[must_use]
    pub fn with_to(mut self, to: impl Into<String>) -> Self {
        self.to = to.into();
        self
    }
}

/// `reason` of a failed command.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Reason {
    /// LIME reason code (open: Blip adds its own, like 60).
    pub code: i64,
    /// Description.
    pub description: Option<String>,
}

impl Reason {
    /// The LIME name of the code, when it is a standard one.
    pub fn code_name(&self) -> Option<&'static str> {
        Some(match self.code {
            1 => "GENERAL_ERROR",
            21 => "VALIDATION_ERROR",
            22 => "VALIDATION_EMPTY_DOCUMENT",
            23 => "VALIDATION_INVALID_RESOURCE",
            24 => "VALIDATION_INVALID_STATUS",
            25 => "VALIDATION_INVALID_IDENTITY",
            26 => "VALIDATION_INVALID_RECIPIENTS",
            27 => "VALIDATION_INVALID_METHOD",
            31 => "AUTHORIZATION_ERROR",
            32 => "AUTHORIZATION_UNAUTHORIZED_SENDER",
            33 => "AUTHORIZATION_DESTINATION_ACCOUNT_NOT_FOUND",
            34 => "AUTHORIZATION_QUOTA_THRESHOLD_EXCEEDED",
            35 => "AUTHORIZATION_PERMISSION_REQUIRED",
            41 => "ROUTING_ERROR",
            42 => "ROUTING_DESTINATION_NOT_FOUND",
            43 => "ROUTING_GATEWAY_NOT_FOUND",
            44 => "ROUTING_ROUTE_NOT_FOUND",
            51 => "DISPATCH_ERROR",
            61 => "COMMAND_PROCESSING_ERROR",
            62 => "COMMAND_RESOURCE_NOT_SUPPORTED",
            63 => "COMMAND_METHOD_NOT_SUPPORTED",
            64 => "COMMAND_INVALID_ARGUMENT",
            65 => "COMMAND_INVALID_SESSION_MODE",
            66 => "COMMAND_NOT_ALLOWED",
            67 => "COMMAND_RESOURCE_NOT_FOUND",
            71 => "MESSAGE_UNSUPPORTED_CONTENT_TYPE",
            81 => "GATEWAY_ERROR",
            82 => "GATEWAY_CONTENT_TYPE_NOT_SUPPORTED",
            83 => "GATEWAY_DESTINATION_NOT_FOUND",
            84 => "GATEWAY_NOT_SUPPORTED",
            85 => "GATEWAY_REQUEST_LIMIT_REACHED",
            86 => "GATEWAY_OPERATION_TIMED_OUT",
            87 => "GATEWAY_UNAUTHORIZED_SENDER",
            101 => "APPLICATION_ERROR",
            _ => return None,
        })
    }
}

/// The answer to a command: always HTTP 200; `status` says how it went.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CommandResponse {
    /// The command's id, echoed.
    #[serde(default)]
    pub id: Option<String>,
    /// Who answered.
    #[serde(default)]
    pub from: Option<String>,
    /// To whom.
    #[serde(default)]
    pub to: Option<String>,
    /// The method, echoed.
    #[serde(default)]
    pub method: Option<CommandMethod>,
    /// `success` or `failure`.
    pub status: CommandStatus,
    /// Why it failed.
    #[serde(default)]
    pub reason: Option<Reason>,
    /// MIME type of `resource`.
    #[serde(rename = "type", default)]
    pub resource_type: Option<String>,
    /// The result.
    #[serde(default)]
    pub resource: Option<Value>,
    /// `metadata` (`traceparent`, `#command.uri`).
    #[serde(default)]
    pub metadata: Option<Map<String, Value>>,
}

/// A LIME collection: `{total, itemType, items}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Collection<T> {
    /// `total`.
    #[serde(default)]
    pub total: Option<u64>,
    /// `itemType`.
    #[serde(default)]
    pub item_type: Option<String>,
    /// `items`.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
}

/// The answer to a command whose resource the client reads into a type:
/// the resource is kept as its JSON text until then.
#[derive(Deserialize)]
pub(crate) struct TypedAnswer {
    pub(crate) status: CommandStatus,
    #[serde(default)]
    pub(crate) reason: Option<Reason>,
    #[serde(default)]
    pub(crate) resource: Option<Box<serde_json::value::RawValue>>,
}

/// Reads a resource into `T`, whichever casing Blip answered in.
///
/// A camelCase resource (every key checked, in one pass that builds
/// nothing) is read straight into `T`; one with a capitalised key goes
/// through [`camel_keys`] first.
pub(crate) fn decode_resource<T: serde::de::DeserializeOwned>(
    resource: Option<&serde_json::value::RawValue>,
) -> Result<T, whatsapp_common::DecodeError> {
    let text = resource.map_or("null", serde_json::value::RawValue::get);
    let mut de = serde_json::Deserializer::from_str(text);
    if serde::de::DeserializeSeed::deserialize(CamelCheck, &mut de).is_ok() {
        return whatsapp_common::DecodeError::json(200, text.as_bytes(), false);
    }
    let value: Value = whatsapp_common::DecodeError::json(200, text.as_bytes(), false)?;
    whatsapp_common::DecodeError::json_value(200, camel_keys(value))
}

/// Walks a JSON value and fails at the first key that [`camel_keys`] would
/// change (user data under `messageParams` and `contextVariables` aside).
struct CamelCheck;

/// A map key: whether it starts with a capital, and whether it holds user
/// data whose keys stay as given.
struct KeyInfo {
    capital: bool,
    user_data: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for CamelCheck {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Deserialize<'de> for KeyInfo {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        whatsapp_common::__private::deserialize_str_with(d, |k| {
            Ok::<_, std::convert::Infallible>(KeyInfo {
                capital: k.starts_with(|c: char| c.is_ascii_uppercase()),
                user_data: matches!(k, "messageParams" | "contextVariables"),
            })
        })
    }
}

impl<'de> serde::de::Visitor<'de> for CamelCheck {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(CamelCheck)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<KeyInfo>()? {
            if key.capital {
                return Err(serde::de::Error::custom("a capitalised key"));
            }
            if key.user_data {
                map.next_value::<serde::de::IgnoredAny>()?;
            } else {
                map.next_value_seed(CamelCheck)?;
            }
        }
        Ok(())
    }
}

/// Blip answers in PascalCase or camelCase depending on the service:
/// lower-case the first letter of every key so one set of types reads both
/// (the keys inside `messageParams` and `contextVariables` are user data and
/// stay as they are).
pub(crate) fn camel_keys(mut v: Value) -> Value {
    camel_in_place(&mut v);
    v
}

/// [`camel_keys`] in place: a map is rebuilt only when one of its keys
/// starts with a capital, so a camelCase answer is walked, not copied.
fn camel_in_place(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.keys()
                .any(|k| k.starts_with(|c: char| c.is_ascii_uppercase()))
            {
                *m = std::mem::take(m)
                    .into_iter()
                    .map(|(k, v)| {
                        let mut chars = k.chars();
                        match chars.next() {
                            Some(c) if c.is_ascii_uppercase() => {
                                let mut s = String::with_capacity(k.len());
                                s.push(c.to_ascii_lowercase());
                                s.push_str(chars.as_str());
                                (s, v)
                            }
                            _ => (k, v),
                        }
                    })
                    .collect();
            }
            for (k, v) in m.iter_mut() {
                // User data keeps its keys as given.
                if !matches!(k.as_str(), "messageParams" | "contextVariables") {
                    camel_in_place(v);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(camel_in_place),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::camel_keys;
    use serde_json::json;

    #[test]
    fn keys_are_lowered_at_every_depth_but_user_data_keeps_its_own() {
        let pascal = json!({
            "Id": "1",
            "Items": [{"Recipient": "+1", "MessageParams": {"Name": "Ana"}}],
            "camel": {"Inner": true, "ContextVariables": {"Cpf": 1}},
            "Plain": 3
        });
        assert_eq!(
            camel_keys(pascal),
            json!({
                "id": "1",
                "items": [{"recipient": "+1", "messageParams": {"Name": "Ana"}}],
                "camel": {"inner": true, "contextVariables": {"Cpf": 1}},
                "plain": 3
            })
        );
        let camel = json!({"id": "1", "items": [{"recipient": "+1"}], "n": null});
        assert_eq!(camel_keys(camel.clone()), camel);
        assert_eq!(camel_keys(json!("Text")), json!("Text"));
    }

    /// The one-pass check lets through exactly the resources that lowering
    /// would leave as they are, and either way a resource reads as its
    /// lowered form.
    #[test]
    fn typed_resources_read_as_their_lowered_form_by_either_path() {
        use super::{CamelCheck, decode_resource};
        use serde_json::Value;
        use serde_json::value::RawValue;
        let cases = [
            (r#"{"id":"1","items":[{"recipient":"+1"}],"n":null}"#, true),
            (
                r#"{"messageParams":{"Name":"Ana"},"contextVariables":{"Cpf":[{"X":1}]}}"#,
                true,
            ),
            (r#"[1,"Text",{"a":{"b":[true,2.5,-3]}}]"#, true),
            ("null", true),
            (r#"{"Id":"1"}"#, false),
            (r#"{"items":[{"ok":1},{"Recipient":"+1"}]}"#, false),
            (r#"{"a":{"b":{"C":1}}}"#, false),
            (r#"{"MessageParams":{"Name":"Ana"}}"#, false),
        ];
        for (text, camel) in cases {
            let mut de = serde_json::Deserializer::from_str(text);
            let passed = serde::de::DeserializeSeed::deserialize(CamelCheck, &mut de).is_ok();
            assert_eq!(passed, camel, "{text}");
            let raw = RawValue::from_string(text.to_owned()).unwrap();
            let read: Value = decode_resource(Some(&raw)).unwrap();
            let lowered = camel_keys(serde_json::from_str(text).unwrap());
            assert_eq!(read, lowered, "{text}");
        }
        let none: Value = decode_resource(None).unwrap();
        assert_eq!(none, Value::Null);
    }
}
