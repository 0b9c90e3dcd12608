//! The DataContract XML format, done the way .NET reads and writes it.
//!
//! - Reading: a namespace-aware parse into an [`XmlNode`] tree (namespace
//!   URI + local name, never prefixes), which then drives serde through a
//!   small deserializer: members in any order, unknown members ignored,
//!   `i:nil="true"` read as null, names matched case-insensitively. A UTF-8
//!   BOM and an XML declaration are accepted; a DOCTYPE is refused.
//! - Writing: [`XmlElement`] trees written with every contract's members in
//!   ordinal (`CompareOrdinal`) order, as DataContractSerializer expects
//!   (it silently drops a member that comes out of order), namespaces
//!   declared with `dNpM` prefixes where a member's type changes namespace.
//!
//! This module is public for the mock server and for tests that compare
//! XML element by element; applications do not need it.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

/// The XMLSchema-instance namespace (`i:nil`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// The namespace of DataContract collection items (`string`, `long`, `KeyValueOf…`).
pub const ARRAYS_NS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";

/// Deepest element nesting accepted when reading.
pub const MAX_DEPTH: usize = 64;
/// Most elements accepted in one document.
pub const MAX_ELEMENTS: usize = 200_000;

/// A parsed XML element: namespace URI, local name, `i:nil`, text, children.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XmlNode {
    /// Namespace URI, if the element is in one (shared between elements).
    pub namespace: Option<std::sync::Arc<str>>,
    /// Local name (no prefix).
    pub name: String,
    /// Whether `i:nil="true"` was set.
    pub nil: bool,
    /// Text content (for an element with children, the whitespace between
    /// them is dropped).
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<XmlNode>,
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid XML at byte {position}: {message}")]
pub struct XmlError {
    /// Byte offset where the problem was found.
    pub position: u64,
    /// What is wrong.
    pub message: String,
}

fn err(position: u64, message: impl Into<String>) -> XmlError {
    XmlError {
        position,
        message: message.into(),
    }
}

impl XmlNode {
    /// The first child called `name` (ASCII case-insensitive).
    pub fn child(&self, name: &str) -> Option<&XmlNode> {
        self.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Compares two trees element by element: namespace, local name, nil,
    /// children in order, and text of leaf elements. Returns where the first
    /// difference is.
    pub fn diff(&self, other: &XmlNode) -> Option<String> {
        fn walk(a: &XmlNode, b: &XmlNode, path: &str) -> Option<String> {
            let here = format!("{path}/{}", a.name);
            if a.name != b.name || a.namespace != b.namespace {
                return Some(format!(
                    "{here}: element {{{}}}{} vs {{{}}}{}",
                    a.namespace.as_deref().unwrap_or(""),
                    a.name,
                    b.namespace.as_deref().unwrap_or(""),
                    b.name
                ));
            }
            if a.nil != b.nil {
                return Some(format!("{here}: nil {} vs {}", a.nil, b.nil));
            }
            if a.children.is_empty() && b.children.is_empty() && a.text != b.text {
                return Some(format!("{here}: text {:?} vs {:?}", a.text, b.text));
            }
            if a.children.len() != b.children.len() {
                let names = |n: &XmlNode| {
                    n.children
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                };
                return Some(format!("{here}: children [{}] vs [{}]", names(a), names(b)));
            }
            a.children
                .iter()
                .zip(&b.children)
                .find_map(|(x, y)| walk(x, y, &here))
        }
        walk(self, other, "")
    }
}

/// Parses a document into its root element.
pub fn parse(bytes: &[u8]) -> Result<XmlNode, XmlError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        err(
            e.valid_up_to() as u64,
            "not UTF-8 (the only encoding this client reads)",
        )
    })?;
    let mut reader = NsReader::from_str(text);
    let config = reader.config_mut();
    config.trim_text(false);
    config.expand_empty_elements = true;
    config.check_end_names = true;

    let mut stack: Vec<XmlNode> = Vec::new();
    // Documents use a handful of namespaces: one allocation each.
    let mut namespaces: Vec<std::sync::Arc<str>> = Vec::new();
    let mut root: Option<XmlNode> = None;
    let mut elements = 0usize;
    loop {
        let position = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| err(position, e.to_string()))?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err(err(position, "content after the root element"));
                }
                elements += 1;
                if elements > MAX_ELEMENTS {
                    return Err(err(position, format!("more than {MAX_ELEMENTS} elements")));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(err(position, format!("nested deeper than {MAX_DEPTH}")));
                }
                let namespace = match ns {
                    ResolveResult::Bound(n) => {
                        let uri: &str = n.as_ref();
                        Some(match namespaces.iter().find(|known| &***known == uri) {
                            Some(known) => known.clone(),
                            None => {
                                let new: std::sync::Arc<str> = uri.into();
                                namespaces.push(new.clone());
                                new
                            }
                        })
                    }
                    ResolveResult::Unbound => None,
                    ResolveResult::Unknown(p) => {
                        return Err(err(position, format!("undeclared prefix {p:?}")));
                    }
                };
                let name = AsRef::<str>::as_ref(&start.local_name()).to_owned();
                let mut nil = false;
                for attr in start.attributes() {
                    let attr = attr.map_err(|e| err(position, e.to_string()))?;
                    let (attr_ns, local) = reader.resolver().resolve_attribute(attr.key);
                    if AsRef::<str>::as_ref(&local) == "nil"
                        && matches!(attr_ns, ResolveResult::Bound(n) if AsRef::<str>::as_ref(&n) == XSI_NS)
                    {
                        nil = AsRef::<str>::as_ref(&attr.value).trim() == "true";
                    }
                }
                stack.push(XmlNode {
                    namespace,
                    name,
                    nil,
                    text: String::new(),
                    children: Vec::new(),
                });
            }
            Event::End(_) => {
                let mut node = stack
                    .pop()
                    .ok_or_else(|| err(position, "end tag without a start"))?;
                if !node.children.is_empty() {
                    if !node.text.trim().is_empty() {
                        return Err(err(
                            position,
                            format!("element {} mixes text and elements", node.name),
                        ));
                    }
                    node.text.clear();
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                match stack.last_mut() {
                    Some(node) => node.text.push_str(&content),
                    None if content.trim().is_empty() => {}
                    None => return Err(err(position, "text outside the root element")),
                }
            }
            Event::CData(c) => {
                let content = c.xml10_content();
                match stack.last_mut() {
                    Some(node) => node.text.push_str(&content),
                    None => return Err(err(position, "CDATA outside the root element")),
                }
            }
            Event::GeneralRef(r) => {
                let resolved: Cow<'_, str> = match r.resolve_char_ref() {
                    Ok(Some(c)) => Cow::Owned(c.to_string()),
                    Ok(None) => {
                        let name: &str = r.as_ref();
                        match quick_xml::escape::resolve_predefined_entity(name) {
                            Some(s) => Cow::Borrowed(s),
                            None => {
                                return Err(err(position, format!("unknown entity &{name};")));
                            }
                        }
                    }
                    Err(e) => return Err(err(position, e.to_string())),
                };
                match stack.last_mut() {
                    Some(node) => node.text.push_str(&resolved),
                    None => return Err(err(position, "reference outside the root element")),
                }
            }
            Event::DocType(_) => return Err(err(position, "a DOCTYPE is not accepted")),
            Event::Empty(_) => return Err(err(position, "unexpected empty element event")),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(err(
            reader.buffer_position(),
            "the document ends inside an element",
        ));
    }
    root.ok_or_else(|| err(0, "no root element"))
}

/// An element to write.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlElement {
    namespace: &'static str,
    name: Cow<'static, str>,
    content: Content,
}

#[derive(Debug, Clone, PartialEq)]
enum Content {
    Text(String),
    Nil,
    /// Members of a data contract: written in ordinal order.
    Members(Vec<XmlElement>),
    /// Items of a collection: written in the order given.
    Items(Vec<XmlElement>),
}

/// DataContractSerializer's member order: `String.CompareOrdinal`, i.e.
/// UTF-16 code units compared one by one.
pub fn compare_ordinal(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

impl XmlElement {
    /// A leaf holding `text`.
    pub fn text(
        namespace: &'static str,
        name: impl Into<Cow<'static, str>>,
        text: impl Into<String>,
    ) -> Self {
        Self {
            namespace,
            name: name.into(),
            content: Content::Text(text.into()),
        }
    }

    /// A data contract with `members` (written sorted by [`compare_ordinal`]).
    pub fn members(
        namespace: &'static str,
        name: impl Into<Cow<'static, str>>,
        members: Vec<XmlElement>,
    ) -> Self {
        Self {
            namespace,
            name: name.into(),
            content: Content::Members(members),
        }
    }

    /// A collection with `items` (written in the order given).
    pub fn items(
        namespace: &'static str,
        name: impl Into<Cow<'static, str>>,
        items: Vec<XmlElement>,
    ) -> Self {
        Self {
            namespace,
            name: name.into(),
            content: Content::Items(items),
        }
    }

    /// An element with `i:nil="true"`.
    pub fn nil(namespace: &'static str, name: impl Into<Cow<'static, str>>) -> Self {
        Self {
            namespace,
            name: name.into(),
            content: Content::Nil,
        }
    }

    /// Writes the document with this element as its root: the root's
    /// namespace as the default namespace, `xmlns:i` declared, no XML
    /// declaration (as the documented samples).
    pub fn to_document(&self) -> String {
        let mut out = String::with_capacity(1024);
        let mut scope: Vec<(&'static str, String)> = Vec::new();
        self.write(&mut out, 1, &mut scope, true);
        out
    }

    fn children(&self) -> Option<Vec<&XmlElement>> {
        match &self.content {
            Content::Members(m) => {
                let mut sorted: Vec<&XmlElement> = m.iter().collect();
                sorted.sort_by(|a, b| compare_ordinal(&a.name, &b.name));
                Some(sorted)
            }
            Content::Items(i) => Some(i.iter().collect()),
            _ => None,
        }
    }

    fn write(
        &self,
        out: &mut String,
        depth: usize,
        scope: &mut Vec<(&'static str, String)>,
        root: bool,
    ) {
        let scope_len = scope.len();
        let prefix = if root || scope.is_empty() {
            None
        } else {
            scope
                .iter()
                .rev()
                .find(|(ns, _)| *ns == self.namespace)
                .map(|(_, p)| p.clone())
                .filter(|p| !p.is_empty())
        };
        let qname = match &prefix {
            Some(p) => format!("{p}:{}", self.name),
            None => self.name.to_string(),
        };
        out.push('<');
        out.push_str(&qname);
        if root {
            let _ = write!(out, " xmlns:i=\"{XSI_NS}\" xmlns=\"{}\"", self.namespace);
            scope.push((self.namespace, String::new()));
        }
        let children = self.children();
        if let Some(children) = &children {
            let mut counter = 0;
            for c in children {
                if !scope.iter().any(|(ns, _)| *ns == c.namespace) {
                    counter += 1;
                    let p = format!("d{depth}p{counter}");
                    let _ = write!(out, " xmlns:{p}=\"{}\"", c.namespace);
                    scope.push((c.namespace, p));
                }
            }
        }
        match (&self.content, children) {
            (Content::Nil, _) => out.push_str(" i:nil=\"true\"/>"),
            (Content::Text(t), _) => {
                out.push('>');
                escape_text(out, t);
                let _ = write!(out, "</{qname}>");
            }
            (_, Some(children)) => {
                out.push('>');
                for c in children {
                    c.write(out, depth + 1, scope, false);
                }
                let _ = write!(out, "</{qname}>");
            }
            (_, None) => out.push_str("/>"),
        }
        scope.truncate(scope_len);
    }
}

impl fmt::Display for XmlElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_document())
    }
}

fn escape_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

/// Whether `c` may appear in an XML 1.0 document.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A serde deserializer over a parsed element. Struct member names are
/// matched ASCII case-insensitively.
pub(crate) struct NodeDeserializer<'a>(pub(crate) &'a XmlNode);

/// A deserialization error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DeError(String);

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

    fn deserialize_char<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
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

    fn deserialize_string<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
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

    fn deserialize_unit_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
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

    fn deserialize_tuple<V: serde::de::Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
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

    fn deserialize_identifier<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_unit()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinal_order_is_utf16_code_units() {
        use std::cmp::Ordering::*;
        assert_eq!(compare_ordinal("design", "details"), Less);
        assert_eq!(compare_ordinal("Z", "_"), Less);
        assert_eq!(compare_ordinal("_", "a"), Less);
        assert_eq!(compare_ordinal("Id", "IsDeleted"), Less);
        assert_eq!(compare_ordinal("ext10", "ext2"), Less);
        // A supplementary character (a surrogate pair, 0xD83D…) sorts before
        // U+FF01 in UTF-16, though after it by code point.
        assert_eq!(compare_ordinal("\u{1F600}", "\u{FF01}"), Less);
    }

    #[test]
    fn reads_by_namespace_not_prefix() {
        let a = parse(br#"<r xmlns="urn:x" xmlns:p="urn:y"><p:a>1</p:a></r>"#).unwrap();
        let b = parse(br#"<q:r xmlns:q="urn:x"><z:a xmlns:z="urn:y">1</z:a></q:r>"#).unwrap();
        assert_eq!(a.diff(&b), None);
        assert_eq!(a.children[0].namespace.as_deref(), Some("urn:y"));
        let c = parse(br#"<r xmlns="urn:x"><a>1</a></r>"#).unwrap();
        assert!(a.diff(&c).unwrap().contains("element"));
    }

    #[test]
    fn accepts_bom_declaration_nil_and_entities() {
        let doc = "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<r xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><a i:nil=\"true\"/><b>x &amp; y &lt;&#x5D0;&#1488;&gt;</b><c/><d><![CDATA[<raw>]]></d></r>";
        let n = parse(doc.as_bytes()).unwrap();
        assert!(n.child("a").unwrap().nil);
        assert_eq!(n.child("b").unwrap().text, "x & y <אא>");
        assert_eq!(n.child("c").unwrap().text, "");
        assert_eq!(n.child("d").unwrap().text, "<raw>");
    }

    #[test]
    fn refuses_broken_documents() {
        for bad in [
            &b""[..],
            b"<a>",
            b"<a></b>",
            b"<a/><b/>",
            b"text",
            b"<a>&bogus;</a>",
            b"<p:a/>",
            b"<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
            b"<a>x<b/>y</a>",
            b"\xff\xfe<a/>",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(
            parse(deep.as_bytes())
                .unwrap_err()
                .message
                .contains("deeper")
        );
    }

    #[test]
    fn writes_members_in_ordinal_order_with_prefixes() {
        const NS: &str = "urn:root";
        const OTHER: &str = "urn:other";
        let doc = XmlElement::members(
            NS,
            "Root",
            vec![
                XmlElement::text(NS, "b", "2"),
                XmlElement::items(
                    NS,
                    "list",
                    vec![
                        XmlElement::text(ARRAYS_NS, "string", "z"),
                        XmlElement::text(ARRAYS_NS, "string", "a"),
                    ],
                ),
                XmlElement::members(NS, "A", vec![XmlElement::text(OTHER, "x", "<&>\r")]),
                XmlElement::nil(NS, "n"),
            ],
        )
        .to_document();
        assert_eq!(
            doc,
            "<Root xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"urn:root\">\
             <A xmlns:d2p1=\"urn:other\"><d2p1:x>&lt;&amp;&gt;&#xD;</d2p1:x></A><b>2</b>\
             <list xmlns:d2p1=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\">\
             <d2p1:string>z</d2p1:string><d2p1:string>a</d2p1:string></list><n i:nil=\"true\"/></Root>"
        );
        let back = parse(doc.as_bytes()).unwrap();
        assert_eq!(back.child("A").unwrap().children[0].text, "<&>\r");
        assert!(back.child("n").unwrap().nil);
    }
}
