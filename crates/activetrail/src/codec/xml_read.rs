//! Reading DataContract XML the way .NET writes it: a namespace-aware
//! parse into an [`XmlNode`] tree (namespace URI + local name, never
//! prefixes), which [`super::xml_de`] then hands to serde. A UTF-8 BOM and
//! an XML declaration are accepted; a DOCTYPE is refused; nesting and size
//! are capped ([`MAX_DEPTH`], [`MAX_ELEMENTS`]).

use std::borrow::Cow;

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
    #[cfg(feature = "mock")]
    pub fn child(&self, name: &str) -> Option<&XmlNode> {
        self.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Compares two trees element by element: namespace, local name, nil,
    /// children in order, and text of leaf elements. Returns where the first
    /// difference is.
    #[cfg(feature = "mock")]
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    /// What would cost without bound is refused: nesting past `MAX_DEPTH`
    /// (an unclosed 100,000-deep document at the 65th level), more than
    /// `MAX_ELEMENTS` elements. Up to the limits, documents read.
    #[test]
    fn nesting_and_size_are_capped_at_the_documented_limits() {
        assert_eq!((MAX_DEPTH, MAX_ELEMENTS), (64, 200_000));
        let nested = |n: usize| "<a>".repeat(n) + &"</a>".repeat(n);
        let wide = |n: usize| format!("<r>{}</r>", "<x/>".repeat(n));
        assert!(parse(nested(MAX_DEPTH).as_bytes()).is_ok());
        assert!(parse(wide(MAX_ELEMENTS - 1).as_bytes()).is_ok());
        for (doc, why) in [
            (nested(MAX_DEPTH + 1), "deeper"),
            ("<a>".repeat(100_000), "deeper"),
            (wide(MAX_ELEMENTS + 1), "elements"),
        ] {
            let err = parse(doc.as_bytes()).unwrap_err();
            assert!(err.message.contains(why), "{err}");
        }
    }
}
