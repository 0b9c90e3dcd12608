//! A serde deserializer over a parsed [`XmlNode`]: members in any order,
//! unknown members ignored, `i:nil="true"` read as null, member names
//! matched ASCII case-insensitively, so one set of serde types reads both
//! wire formats.

use std::fmt;

use super::xml_read::{ARRAYS_NS, XmlNode};

/// A serde deserializer over a parsed element. Struct member names are
/// matched ASCII case-insensitively.
pub(crate) struct NodeDeserializer<'a>(pub(crate) &'a XmlNode);

/// A deserialization error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct DeError(String);

impl serde::de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

macro_rules! parse_number {
    ($($method:ident => $visit:ident: $ty:ty),* $(,)?) => {$(
        fn $method<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let text = self.0.text.trim();
            let value: $ty = text.parse().map_err(|_| {
                DeError(format!("<{}> holds {:?}, not a {}", self.0.name, text, stringify!($ty)))
            })?;
            visitor.$visit(value)
        }
    )*};
}

/// Methods that read the node as another method does (serde's own
/// `forward_to_deserialize_any!`, to other targets).
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*) => $target:ident),* $(,)?) => {$(
        fn $method<V: serde::de::Visitor<'de>>(
            self,
            $($arg: $ty,)*
            visitor: V,
        ) -> Result<V::Value, DeError> {
            self.$target(visitor)
        }
    )*};
}

impl<'de> serde::Deserializer<'de> for NodeDeserializer<'de> {
    type Error = DeError;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let node = self.0;
        if node.nil {
            return visitor.visit_unit();
        }
        if node.children.is_empty() {
            return visitor.visit_borrowed_str(&node.text);
        }
        // A collection: repeated items, items in the Arrays namespace, or
        // DataContract dictionary entries. Otherwise a contract's members.
        let first = &node.children[0];
        let same_name = node.children.iter().all(|c| c.name == first.name);
        if same_name
            && (node.children.len() > 1
                || first.namespace.as_deref() == Some(ARRAYS_NS)
                || first.name.starts_with("KeyValueOf"))
        {
            visitor.visit_seq(Items(node.children.iter()))
        } else {
            visitor.visit_map(Members::new(node))
        }
    }

    fn deserialize_bool<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0.text.trim() {
            "true" | "1" => visitor.visit_bool(true),
            "false" | "0" => visitor.visit_bool(false),
            other => Err(DeError(format!(
                "<{}> holds {other:?}, not true or false",
                self.0.name
            ))),
        }
    }

    parse_number! {
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
    }

    fn deserialize_str<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !self.0.children.is_empty() {
            return Err(DeError(format!(
                "<{}> holds elements, not text",
                self.0.name
            )));
        }
        visitor.visit_borrowed_str(&self.0.text)
    }

    forward! {
        deserialize_char() => deserialize_str,
        deserialize_string() => deserialize_str,
        deserialize_bytes() => deserialize_str,
        deserialize_byte_buf() => deserialize_str,
        deserialize_identifier() => deserialize_str,
        deserialize_unit_struct(_name: &'static str) => deserialize_unit,
        deserialize_ignored_any() => deserialize_unit,
        deserialize_tuple(_len: usize) => deserialize_seq,
        deserialize_tuple_struct(_name: &'static str, _len: usize) => deserialize_seq,
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if self.0.nil {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_seq(Items(self.0.children.iter()))
    }

    fn deserialize_map<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_map(Members::new(self.0))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if !self.0.children.is_empty() || self.0.text.trim().is_empty() {
            visitor.visit_map(Members::new(self.0))
        } else {
            Err(DeError(format!(
                "<{}> holds text, not members",
                self.0.name
            )))
        }
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        use serde::de::IntoDeserializer;
        visitor.visit_enum(self.0.text.trim().to_owned().into_deserializer())
    }
}

struct Items<'a>(std::slice::Iter<'a, XmlNode>);

impl<'de> serde::de::SeqAccess<'de> for Items<'de> {
    type Error = DeError;
    fn next_element_seed<T: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        self.0
            .next()
            .map(|n| seed.deserialize(NodeDeserializer(n)))
            .transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Members<'a> {
    iter: std::slice::Iter<'a, XmlNode>,
    value: Option<&'a XmlNode>,
}

impl<'a> Members<'a> {
    fn new(node: &'a XmlNode) -> Self {
        Self {
            iter: node.children.iter(),
            value: None,
        }
    }
}

impl<'de> serde::de::MapAccess<'de> for Members<'de> {
    type Error = DeError;
    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        use serde::de::IntoDeserializer;
        match self.iter.next() {
            Some(node) => {
                self.value = Some(node);
                if node.name.bytes().any(|b| b.is_ascii_uppercase()) {
                    let key = node.name.to_ascii_lowercase();
                    seed.deserialize(key.into_deserializer()).map(Some)
                } else {
                    seed.deserialize(serde::de::value::BorrowedStrDeserializer::new(&node.name))
                        .map(Some)
                }
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DeError> {
        let node = self
            .value
            .take()
            .ok_or_else(|| DeError("value asked before key".into()))?;
        seed.deserialize(NodeDeserializer(node))
    }
}
