//! Reading DataContract XML the way .NET writes it: a namespace-aware
//! parse into an [`XmlNode`] tree (namespace URI + local name, never
//! prefixes), which [`super::xml_de`] then hands to serde. A UTF-8 BOM and
//! an XML declaration are accepted; a DOCTYPE is refused; nesting, size and
//! the namespace declarations in scope are capped ([`MAX_DEPTH`],
//! [`MAX_ELEMENTS`], [`MAX_NAMESPACE_DECLARATIONS`]).
//!
//! Namespaces are resolved here ([`Scopes`]), not by quick-xml's
//! `NsReader`: each lookup is one hash probe, so the work per element is
//! bounded by its own declarations and names, whatever is in scope, and
//! reading stays linear in the document.

use std::borrow::Cow;
use std::sync::Arc;

use quick_xml::Reader;
use quick_xml::events::Event;

mod scopes;

use scopes::Scopes;

/// The XMLSchema-instance namespace (`i:nil`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// The namespace of DataContract collection items (`string`, `long`, `KeyValueOf…`).
pub const ARRAYS_NS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";

/// Deepest element nesting accepted when reading.
pub const MAX_DEPTH: usize = 64;
/// Most elements accepted in one document.
pub const MAX_ELEMENTS: usize = 200_000;
/// Most namespace declarations (`xmlns="…"`, `xmlns:p="…"`) in scope at
/// once: those on an element and on the elements it is nested in. A
/// declaration leaves scope with its element, so a document may make any
/// number of them in all. (The figure is quick-xml's default, which this
/// reader applied before it resolved namespaces itself; DataContract
/// documents declare about ten.)
pub const MAX_NAMESPACE_DECLARATIONS: usize = 128;

/// A parsed XML element: namespace URI, local name, `i:nil`, text, children.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XmlNode {
    /// Namespace URI, if the element is in one (shared by the elements one
    /// declaration covers).
    pub namespace: Option<Arc<str>>,
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

/// The character an `_xHHHH_` or `_xHHHHHHHH_` escape at the start of
/// `text` stands for, and the escape's length in bytes.
pub(crate) fn escape_at(text: &str) -> Option<(char, usize)> {
    let hex = text
        .strip_prefix("_x")
        .or_else(|| text.strip_prefix("_X"))?;
    [4, 8].into_iter().find_map(|n| {
        let digits = hex.get(..n)?;
        if hex.as_bytes().get(n) != Some(&b'_') || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let c = char::from_u32(u32::from_str_radix(digits, 16).ok()?)?;
        Some((c, n + 3))
    })
}

/// An element name read back as .NET's `XmlConvert.DecodeName` does: each
/// `_xHHHH_` or `_xHHHHHHHH_` escape is the character it stands for (how
/// ASP.NET writes a `ModelState` key such as `message.items[0]`, not a
/// valid name as it is).
pub(crate) fn decode_name(name: &str) -> Cow<'_, str> {
    if !name.contains("_x") && !name.contains("_X") {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(at) = rest.find('_') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match escape_at(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('_');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
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
    #[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
    pub fn child(&self, name: &str) -> Option<&XmlNode> {
        self.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Compares two trees element by element: namespace, local name, nil,
    /// children in order, and text of leaf elements. Returns where the first
    /// difference is.
    #[cfg(feature = "mock")]
    #[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
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
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.trim_text(false);
    config.expand_empty_elements = true;
    config.check_end_names = true;

    let mut stack: Vec<XmlNode> = Vec::new();
    let mut scopes = Scopes::default();
    let mut root: Option<XmlNode> = None;
    let mut elements = 0usize;
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
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
                scopes.open(&start, position)?;
                let (local, prefix) = start.name().decompose();
                let prefix = prefix.map(|p| p.into_inner());
                let namespace = scopes.resolve(prefix).map_err(|()| {
                    let p = prefix.unwrap_or_default();
                    err(position, format!("undeclared prefix {p:?}"))
                })?;
                let name = local.into_inner().to_owned();
                let mut nil = false;
                // Only a prefixed `nil` can be `i:nil`, so nothing else is
                // resolved. `open` has checked the attributes.
                for attr in start.attributes().with_checks(false).flatten() {
                    let (local, prefix) = attr.key.decompose();
                    if let Some(prefix) = prefix
                        && local.into_inner() == "nil"
                        && matches!(scopes.resolve(Some(prefix.into_inner())), Ok(Some(ns)) if &*ns == XSI_NS)
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
                scopes.close();
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
    use super::scopes::XML_NS;
    use super::*;

    thread_local! {
        /// Namespace work done on this thread: see [`counted`].
        pub(super) static NAMESPACE_WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// `parse(doc)`, and the namespace work it took.
    fn parse_counted(doc: &str) -> (Result<XmlNode, XmlError>, usize) {
        NAMESPACE_WORK.with(|n| n.set(0));
        let parsed = parse(doc.as_bytes());
        (parsed, NAMESPACE_WORK.with(std::cell::Cell::get))
    }

    /// Documents made of `n` namespace declarations, each with a URI of its
    /// own, in every shape the caps let through; and the two hostile shapes
    /// the caps refuse.
    fn declaration_documents(n: usize) -> Vec<(&'static str, String)> {
        let uri = |i: usize| format!("urn:ns:{i}");
        let siblings =
            |f: &dyn Fn(usize) -> String| format!("<r>{}</r>", (0..n).map(f).collect::<String>());
        let mut nested = String::from("<r>");
        for chain in 0..n / 50 {
            for d in 0..50 {
                nested += &format!(r#"<p{d}:a xmlns:p{d}="{}">"#, uri(chain * 50 + d));
            }
            nested += &(0..50)
                .rev()
                .map(|d| format!("</p{d}:a>"))
                .collect::<String>();
        }
        nested += "</r>";
        let hundred_per_element = siblings(&|e| {
            if e % 100 != 0 {
                return String::new();
            }
            let declarations: String = (0..100)
                .map(|p| format!(r#" xmlns:p{p}="{}""#, uri(e + p)))
                .collect();
            format!("<a{declarations}/>")
        });
        // The most in scope, the outermost used by every element: a stack
        // scanned from the innermost binding would pay for all of them.
        let outermost_used = format!(
            "<r{}>{}</r>",
            (0..MAX_NAMESPACE_DECLARATIONS)
                .map(|p| format!(r#" xmlns:p{p}="{}""#, uri(p)))
                .collect::<String>(),
            r#"<p0:a p0:nil="true" p1:x="y"/>"#.repeat(n)
        );
        vec![
            (
                "defaults on siblings",
                siblings(&|i| format!(r#"<a xmlns="{}"/>"#, uri(i))),
            ),
            (
                "prefixes on siblings",
                siblings(&|i| format!(r#"<p:a xmlns:p="{}"/>"#, uri(i))),
            ),
            ("prefixes nested 50 deep", nested),
            ("100 per element", hundred_per_element),
            ("128 in scope, outermost used", outermost_used),
            (
                "all on the root (refused)",
                format!(
                    "<r{}/>",
                    (0..n)
                        .map(|i| format!(r#" xmlns:p{i}="{}""#, uri(i)))
                        .collect::<String>()
                ),
            ),
            (
                "nested all the way (refused)",
                (0..n)
                    .map(|i| format!(r#"<p{i}:a xmlns:p{i}="{}">"#, uri(i)))
                    .collect::<String>()
                    + &(0..n)
                        .rev()
                        .map(|i| format!("</p{i}:a>"))
                        .collect::<String>(),
            ),
        ]
    }

    /// Resolving namespaces is linear: for 10,000 declarations, in any
    /// shape, at most 4 units of namespace work (hash probes) each, counted,
    /// not timed. A reader that scanned the namespaces met so far, or the
    /// bindings in scope, per element or attribute does quadratic or
    /// 128-fold work here.
    #[test]
    fn namespace_work_is_linear_in_the_declarations() {
        let n = 10_000;
        for (shape, doc) in declaration_documents(n) {
            let (parsed, work) = parse_counted(&doc);
            assert_eq!(
                parsed.is_ok(),
                !shape.ends_with("(refused)"),
                "{shape}: {parsed:?}"
            );
            eprintln!("{shape}: {work}");
            assert!(
                work <= 4 * n,
                "{shape}: {work} units of namespace work for {n} declarations"
            );
        }
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

    /// Scoping as Namespaces in XML has it: the innermost declaration wins,
    /// leaves with its element, `xmlns=""` undeclares the default, a
    /// declaration later on the element still applies to it (and to its
    /// `i:nil`), and a reserved prefix keeps its namespace.
    #[test]
    fn declarations_are_scoped_to_their_element() {
        let n = parse(
            br#"<r xmlns="urn:d" xmlns:p="urn:1"><p:a xmlns:p="urn:2"><p:b/></p:a><p:c/><d xmlns=""><e/></d><f/><q:g i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:q="urn:q"/><xml:h/></r>"#,
        )
        .unwrap();
        let ns = |node: &XmlNode| node.namespace.as_deref().map(str::to_owned);
        let c = &n.children;
        assert_eq!(ns(&n).as_deref(), Some("urn:d"));
        assert_eq!(ns(&c[0]).as_deref(), Some("urn:2"));
        assert_eq!(ns(&c[0].children[0]).as_deref(), Some("urn:2"));
        assert_eq!(ns(&c[1]).as_deref(), Some("urn:1"));
        assert_eq!((ns(&c[2]), ns(&c[2].children[0])), (None, None));
        assert_eq!(ns(&c[3]).as_deref(), Some("urn:d"));
        assert_eq!((ns(&c[4]).as_deref(), c[4].nil), (Some("urn:q"), true));
        assert_eq!(ns(&c[5]).as_deref(), Some(XML_NS));
        for bad in [
            &br#"<r><p:a xmlns:p="urn:1"/><p:b/></r>"#[..],
            br#"<r xmlns:p="urn:1"><a xmlns:p=""><p:b/></a></r>"#,
            br#"<r xmlns:xml="urn:x"/>"#,
            br#"<r xmlns:xmlns="urn:x"/>"#,
            br#"<r xmlns:p="http://www.w3.org/2000/xmlns/"/>"#,
            br#"<r xmlns:p="urn:1" xmlns:p="urn:2"/>"#,
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    /// `MAX_NAMESPACE_DECLARATIONS` in scope read, on one element or
    /// spread over the nesting, and again on every sibling (leaving an
    /// element frees its room); one more is refused with a decode error,
    /// after bounded work.
    #[test]
    fn declarations_in_scope_are_capped_at_the_documented_limit() {
        assert_eq!(MAX_NAMESPACE_DECLARATIONS, 128);
        let declarations = |from: usize, n: usize| -> String {
            (from..from + n)
                .map(|i| format!(r#" xmlns:p{i}="urn:ns:{i}""#))
                .collect()
        };
        let on_one = |n: usize| format!("<r{}/>", declarations(0, n));
        let spread = |levels: usize, each: usize, extra: usize| {
            let open: String = (0..levels)
                .map(|l| {
                    format!(
                        "<a{}>",
                        declarations(l * each, each + if l == 0 { extra } else { 0 })
                    )
                })
                .collect();
            open + &"</a>".repeat(levels)
        };
        let siblings = |n: usize| format!("<r>{}</r>", on_one(n).replace("<r", "<a").repeat(100));
        let max = MAX_NAMESPACE_DECLARATIONS;
        for doc in [on_one(max), spread(32, max / 32, 0), siblings(max)] {
            assert!(parse(doc.as_bytes()).is_ok(), "{doc}");
        }
        for doc in [on_one(max + 1), spread(32, max / 32, 1), siblings(max + 1)] {
            let (parsed, work) = parse_counted(&doc);
            let err = parsed.unwrap_err();
            assert!(
                err.message.contains("more than 128 namespace declarations"),
                "{err}"
            );
            assert!(work <= 2 * max, "{work}");
        }
    }
}
