//! Writing DataContract XML the way .NET reads it: [`XmlElement`] trees
//! written with every contract's members in ordinal (`CompareOrdinal`)
//! order, as DataContractSerializer expects (it silently drops a member
//! that comes out of order), namespaces declared with `dNpM` prefixes where
//! a member's type changes namespace; [`Members`], which collects a
//! contract's members with absent ones left out, for the request document
//! built here from an [`OperationalMessage`] and for the mock's response.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use super::xml_read::{ARRAYS_NS, XSI_NS};
use crate::model::REPORT_NS;
use crate::{MobileFormat, OperationalMessage};

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
    #[cfg(feature = "mock")]
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

    /// A DataContract dictionary entry `name` (`KeyValueOfstringstring`, …)
    /// holding `Key` and `Value`, in the Arrays namespace.
    pub(crate) fn entry(name: &'static str, key: &str, value: impl Into<String>) -> Self {
        Self::members(
            ARRAYS_NS,
            name,
            vec![
                Self::text(ARRAYS_NS, "Key", key),
                Self::text(ARRAYS_NS, "Value", value),
            ],
        )
    }

    /// An element with `i:nil="true"`.
    #[cfg(feature = "mock")]
    #[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
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
            #[cfg(feature = "mock")]
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

/// A data contract's members as they are collected, absent ones skipped.
/// Values are written as they display (an enum as its XML name, see
/// `dual_enum!`).
pub(crate) struct Members {
    ns: &'static str,
    list: Vec<XmlElement>,
}

impl Members {
    /// Members in the namespace `ns`.
    pub(crate) fn new(ns: &'static str) -> Self {
        Self {
            ns,
            list: Vec::new(),
        }
    }

    /// A leaf holding `value`.
    pub(crate) fn value(&mut self, name: &'static str, value: impl fmt::Display) {
        self.list
            .push(XmlElement::text(self.ns, name, value.to_string()));
    }

    /// A leaf holding `value`, when there is one.
    pub(crate) fn text<T: fmt::Display>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(v) = value {
            self.value(name, v);
        }
    }

    /// An element built elsewhere.
    pub(crate) fn push(&mut self, e: XmlElement) {
        self.list.push(e);
    }

    /// An element built elsewhere, when there is one.
    #[cfg(feature = "mock")]
    pub(crate) fn element(&mut self, e: Option<XmlElement>) {
        self.list.extend(e);
    }

    /// A collection, when there is one, each item written by `item`.
    pub(crate) fn items<T>(
        &mut self,
        name: &'static str,
        items: Option<&[T]>,
        item: impl Fn(&T) -> XmlElement,
    ) {
        if let Some(items) = items {
            let items = items.iter().map(item).collect();
            self.list.push(XmlElement::items(self.ns, name, items));
        }
    }

    /// The contract as the element `name`, in the members' namespace.
    pub(crate) fn finish(self, name: &'static str) -> XmlElement {
        XmlElement::members(self.ns, name, self.list)
    }

    /// The contract as the element `name` in `ns`: a member's element is
    /// in its parent's namespace where its type's members are in another.
    #[cfg(feature = "mock")]
    pub(crate) fn finish_in(self, ns: &'static str, name: &'static str) -> XmlElement {
        XmlElement::members(ns, name, self.list)
    }
}

/// `text` escaped as an element's content (the mock's hand-written error
/// bodies).
#[cfg(feature = "mock")]
pub(crate) fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_text(&mut out, text);
    out
}

/// `name` as .NET's `XmlConvert.EncodeLocalName` makes it an element name,
/// as ASP.NET Web API writes each `ModelState` key: a character an XML
/// name may not have there (a leading digit, `[`, `]`, `:`, a space, …)
/// becomes `_xHHHH_` (`_xHHHHHHHH_` beyond the BMP), and an `_` that would
/// read as such an escape becomes `_x005F_`. Letters and digits are taken
/// in the Unicode sense, which is close to, not exactly, XML's name
/// characters.
#[cfg(feature = "mock")]
pub(crate) fn encode_local_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, c) in name.char_indices() {
        let allowed = if i == 0 {
            c.is_alphabetic() || c == '_'
        } else {
            c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
        };
        let escape_like = c == '_' && super::xml_read::escape_at(&name[i..]).is_some();
        if allowed && !escape_like {
            out.push(c);
        } else if u32::from(c) > 0xFFFF {
            let _ = write!(out, "_x{:08X}_", u32::from(c));
        } else {
            let _ = write!(out, "_x{:04X}_", u32::from(c));
        }
    }
    out
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

impl OperationalMessage {
    /// The XML body: every level in ordinal order, absent optional members
    /// omitted.
    pub(crate) fn to_xml(&self, format: MobileFormat) -> String {
        let contract = || Members::new(REPORT_NS);
        let mut root = contract();
        if let Some(s) = &self.scheduling {
            let mut scheduling = contract();
            scheduling.value("is_sent", s.is_sent());
            scheduling.text("scheduled_date_utc", &s.scheduled_date_utc());
            root.push(scheduling.finish("scheduling"));
        }
        let mut segment = contract();
        segment.items("mobiles", Some(&self.mobiles[..]), |m| {
            XmlElement::text(ARRAYS_NS, "string", format.render(m))
        });
        root.push(segment.finish("segment"));
        let mut details = contract();
        details.value("whatsapp_profile_id", self.whatsapp_profile_id);
        root.push(details.finish("details"));
        if self.name.is_some() || self.content.is_some() {
            let mut design = contract();
            design.text("name", &self.name);
            design.text("content", &self.content);
            root.push(design.finish("design"));
        }
        if let Some(t) = &self.template {
            let mut template = contract();
            template.value("id", t.id());
            template.items("variables", Some(t.variables()), |(k, v)| {
                XmlElement::entry("KeyValueOfstringstring", k, v.as_str())
            });
            root.push(template.finish("template"));
        }
        root.finish(super::SEND_REQUEST_ROOT).to_document()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::xml_read::parse;

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

#[cfg(all(test, feature = "mock"))]
mod name_tests {
    use super::encode_local_name;
    use crate::codec::xml_read::decode_name;

    /// ModelState keys as `XmlConvert.EncodeLocalName` writes them, and
    /// back as `XmlConvert.DecodeName` reads them.
    #[test]
    fn model_state_keys_survive_as_element_names() {
        for (key, name) in [
            ("message.segment.mobiles", "message.segment.mobiles"),
            ("message.items[0].name", "message.items_x005B_0_x005D_.name"),
            ("1st", "_x0031_st"),
            ("a b:c", "a_x0020_b_x003A_c"),
            ("a_x0041_b", "a_x005F_x0041_b"),
            ("snake_case_x", "snake_case_x"),
            ("emoji😀", "emoji_x0001F600_"),
        ] {
            assert_eq!(encode_local_name(key), name, "{key}");
            assert_eq!(decode_name(name), key, "{name}");
            crate::xml::parse(format!("<{name}/>").as_bytes())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        // Not escapes: kept as written.
        for name in ["a_x12_b", "a_xZZZZ_b", "_", "a_x0041"] {
            assert_eq!(decode_name(name), name);
        }
    }
}
