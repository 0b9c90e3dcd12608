//! Reading a command's resource into its type, whichever casing Blip
//! answered in.

use serde_json::Value;
use serde_json::value::RawValue;
use whatsapp_common::{Accepted, DecodeError};

/// Reads a resource into `T`; `status` is the answer's, for the error.
///
/// A camelCase resource (every key checked, in one pass that builds
/// nothing) is read straight into `T`; one with a capitalised key goes
/// through [`camel_keys`] first.
pub(crate) fn decode_resource<T: serde::de::DeserializeOwned>(
    status: u16,
    resource: Option<&RawValue>,
) -> Result<T, DecodeError> {
    let text = resource.map_or("null", RawValue::get);
    let mut de = serde_json::Deserializer::from_str(text);
    if serde::de::DeserializeSeed::deserialize(CamelCheck, &mut de).is_ok() {
        return DecodeError::json(status, text.as_bytes(), false);
    }
    let value: Value = DecodeError::json(status, text.as_bytes(), false)?;
    DecodeError::json_value(status, camel_keys(value))
}

/// [`decode_resource`], read leniently ([`Accepted`]): a value that does
/// not fit `T` is left out with a warning.
pub(crate) fn accept_resource<T: serde::de::DeserializeOwned>(
    status: u16,
    resource: Option<&RawValue>,
) -> Result<Accepted<T>, DecodeError> {
    let text = resource.map_or("null", RawValue::get);
    let mut de = serde_json::Deserializer::from_str(text);
    if serde::de::DeserializeSeed::deserialize(CamelCheck, &mut de).is_ok() {
        return Accepted::from_json(status, text.as_bytes(), false);
    }
    let value: Value = DecodeError::json(status, text.as_bytes(), false)?;
    DecodeError::json_value(status, camel_keys(value))
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
    use super::*;
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
            let read: Value = decode_resource(200, Some(&raw)).unwrap();
            let lowered = camel_keys(serde_json::from_str(text).unwrap());
            assert_eq!(read, lowered, "{text}");
        }
        let none: Value = decode_resource(200, None).unwrap();
        assert_eq!(none, Value::Null);
    }
}
