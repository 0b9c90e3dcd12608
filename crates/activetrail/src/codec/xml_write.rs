//! Writing DataContract XML the way .NET reads it: [`XmlElement`] trees
//! written with every contract's members in ordinal (`CompareOrdinal`)
//! order, as DataContractSerializer expects (it silently drops a member
//! that comes out of order), namespaces declared with `dNpM` prefixes where
//! a member's type changes namespace; and the request document built from
//! an [`OperationalMessage`].

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
        use XmlElement as E;
        const NS: &str = REPORT_NS;
        let mut members = Vec::new();
        if let Some(s) = &self.scheduling {
            let mut sched = vec![E::text(NS, "is_sent", s.is_sent().to_string())];
            if let Some(d) = s.scheduled_date_utc() {
                sched.push(E::text(NS, "scheduled_date_utc", d.as_str()));
            }
            members.push(E::members(NS, "scheduling", sched));
        }
        members.push(E::members(
            NS,
            "segment",
            vec![E::items(
                NS,
                "mobiles",
                self.mobiles
                    .iter()
                    .map(|m| E::text(ARRAYS_NS, "string", format.render(m)))
                    .collect(),
            )],
        ));
        members.push(E::members(
            NS,
            "details",
            vec![E::text(
                NS,
                "whatsapp_profile_id",
                self.whatsapp_profile_id.to_string(),
            )],
        ));
        if self.name.is_some() || self.content.is_some() {
            let mut design = Vec::new();
            if let Some(n) = &self.name {
                design.push(E::text(NS, "name", n.as_str()));
            }
            if let Some(c) = &self.content {
                design.push(E::text(NS, "content", c.as_str()));
            }
            members.push(E::members(NS, "design", design));
        }
        if let Some(t) = &self.template {
            let variables = t
                .variables()
                .iter()
                .map(|(k, v)| E::entry("KeyValueOfstringstring", k, v.as_str()))
                .collect();
            members.push(E::members(
                NS,
                "template",
                vec![
                    E::text(NS, "id", t.id()),
                    E::items(NS, "variables", variables),
                ],
            ));
        }
        E::members(NS, super::SEND_REQUEST_ROOT, members).to_document()
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
