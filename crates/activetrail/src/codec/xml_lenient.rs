//! Reading an accepted XML answer leniently, as
//! [`whatsapp_common::Accepted`] reads JSON: each element that does not fit
//! the model is left out of the tree, named in a [`DecodeWarning`], and the
//! tree read again; every other element keeps its value.

use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use whatsapp_common::DecodeWarning;
use whatsapp_common::accepted::MAX_LEFT_OUT;

use super::xml_de::NodeDeserializer;
use super::xml_read::XmlNode;

/// One step of a path into the tree, by the element's own name.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Reads `node` as `T`, leaving out each element that does not fit, with
/// `warnings` (already found) extended by one per element left out.
///
/// Each failed reading names the path where it stopped; that element is
/// removed and the tree read again, at most [`MAX_LEFT_OUT`] times; past
/// that, or when the failure is at the root, the root's content is left out
/// at once. `Err` only when even an empty root does not decode: `T` has a
/// required member.
pub(crate) fn lenient<T: DeserializeOwned>(
    mut node: XmlNode,
    mut warnings: Vec<DecodeWarning>,
) -> Result<(T, Vec<DecodeWarning>), String> {
    // The common case at full speed; paths are worked out only on failure.
    if let Ok(value) = T::deserialize(NodeDeserializer(&node)) {
        return Ok((value, warnings));
    }
    let rounds = nodes(&node).min(MAX_LEFT_OUT) + 2;
    for _ in 0..rounds {
        let error = match serde_path_to_error::deserialize::<_, T>(NodeDeserializer(&node)) {
            Ok(value) => return Ok((value, warnings)),
            Err(error) => error,
        };
        let segments: Vec<Segment> = error.path().iter().cloned().collect();
        let mut message = error.into_inner().to_string();
        let removed = if warnings.len() < MAX_LEFT_OUT {
            take_duplicate(&mut node, &segments, &message).or_else(|| take(&mut node, &segments))
        } else {
            message = format!("more than {MAX_LEFT_OUT} values did not fit; the rest left out");
            None
        };
        let (path, found) = match removed {
            Some(removed) => removed,
            None if is_empty(&node) => return Err(message),
            None => (Vec::new(), empty_root(&mut node)),
        };
        warnings.push(warning(&path, message, found));
    }
    Err("the answer did not fit its model".to_owned())
}

/// Empties the root (the whole document left out); returns what it held.
fn empty_root(node: &mut XmlNode) -> String {
    let found = shown(node);
    node.children.clear();
    node.text.clear();
    node.nil = false;
    found
}

fn is_empty(node: &XmlNode) -> bool {
    node.children.is_empty() && node.text.trim().is_empty()
}

/// Removes the element at the deepest point of `segments` the tree has,
/// and returns its path (by element names) and its content. `None` when
/// the path names nothing below the root.
fn take(root: &mut XmlNode, segments: &[Segment]) -> Option<(Vec<Step>, String)> {
    // Follow the path as far as it leads: a member by name (as the
    // deserializer keys it, ASCII case ignored), an item by position.
    let mut indices = Vec::new();
    let mut path = Vec::new();
    {
        let mut node = &*root;
        for segment in segments {
            let found = match segment {
                Segment::Map { key } => node
                    .children
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(key))
                    .map(|i| (i, Step::Key(node.children[i].name.clone()))),
                Segment::Seq { index } => {
                    (*index < node.children.len()).then_some((*index, Step::Index(*index)))
                }
                _ => None,
            };
            let Some((i, step)) = found else { break };
            node = &node.children[i];
            indices.push(i);
            path.push(step);
        }
    }
    let (&last, parent) = indices.split_last()?;
    let mut node = root;
    for &i in parent {
        node = &mut node.children[i];
    }
    let removed = node.children.remove(last);
    Some((path, shown(&removed)))
}

/// For a member given twice (`duplicate field `name``, at the element
/// `segments` leads to): removes the second of those elements, keeping the
/// first, and returns its path and content. `None` for any other failure.
fn take_duplicate(
    root: &mut XmlNode,
    segments: &[Segment],
    message: &str,
) -> Option<(Vec<Step>, String)> {
    let field = message
        .strip_prefix("duplicate field `")?
        .split('`')
        .next()?;
    // The element names and serde's field names compared as the
    // deserializer matches them (ASCII case ignored), and the Cyrillic "с"
    // of `dateсreatedutc` read as the Latin one XML writes.
    let same = |name: &str| {
        let norm = |s: &str| s.to_ascii_lowercase().replace('с', "c");
        norm(name) == norm(field)
    };
    let mut path = Vec::new();
    let mut node = root;
    for segment in segments {
        let i = match segment {
            Segment::Map { key } => {
                let i = node
                    .children
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(key))?;
                path.push(Step::Key(node.children[i].name.clone()));
                i
            }
            Segment::Seq { index } if *index < node.children.len() => {
                path.push(Step::Index(*index));
                *index
            }
            _ => return None,
        };
        node = &mut node.children[i];
    }
    let second = node
        .children
        .iter()
        .enumerate()
        .filter(|(_, c)| same(&c.name))
        .nth(1)?
        .0;
    let removed = node.children.remove(second);
    path.push(Step::Key(removed.name.clone()));
    Some((path, shown(&removed)))
}

fn nodes(node: &XmlNode) -> usize {
    1 + node.children.iter().map(nodes).sum::<usize>()
}

/// An element's content as the warning shows it: its text, or its
/// elements written back (local names, no namespaces).
fn shown(node: &XmlNode) -> String {
    fn write(node: &XmlNode, out: &mut String) {
        out.push('<');
        out.push_str(&node.name);
        out.push('>');
        content(node, out);
        out.push_str("</");
        out.push_str(&node.name);
        out.push('>');
    }
    fn content(node: &XmlNode, out: &mut String) {
        if node.children.is_empty() {
            out.push_str(&node.text);
        }
        for child in &node.children {
            write(child, out);
            // Enough for a warning, which cuts it anyway.
            if out.len() > 4 * whatsapp_common::accepted::MAX_WARNING_VALUE_CHARS {
                break;
            }
        }
    }
    let mut out = String::new();
    content(node, &mut out);
    out
}

/// A [`DecodeWarning`] for the element at `path`, with `message` and the
/// element's content `found`, in the form of a JSON one (the path written
/// as JSON paths are, the content as a JSON string, cut alike).
fn warning(path: &[Step], message: String, found: String) -> DecodeWarning {
    let mut text = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(key);
            }
            Step::Index(index) => text.push_str(&format!("[{index}]")),
        }
    }
    if text.is_empty() {
        text.push('.');
    }
    DecodeWarning::new(text, message, &found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_have_the_json_form() {
        let w = warning(
            &[
                Step::Key("campaign".into()),
                Step::Key("Links".into()),
                Step::Index(1),
                Step::Key("Id".into()),
            ],
            "not a guid".into(),
            "abc".into(),
        );
        assert_eq!(w.path(), "campaign.Links[1].Id");
        assert_eq!(w.message(), "not a guid");
        assert_eq!(w.found(), r#""abc""#);
        let w = warning(&[], "another root".into(), "<a>1</a>".into());
        assert_eq!((w.path(), w.found()), (".", r#""<a>1</a>""#));
    }

    /// A member given twice: the second is left out, not the element
    /// holding both.
    #[test]
    fn a_member_given_twice_leaves_out_the_second_only() {
        let body = b"<ApiWhatsAppCampaignInfoCampaign><status_name>a</status_name>\
            <campaign><TotalSent>1</TotalSent><TotalSent>2</TotalSent><Name>n</Name></campaign>\
            <status_name>b</status_name></ApiWhatsAppCampaignInfoCampaign>";
        let r = crate::SendResponse::from_xml(body).unwrap();
        assert_eq!(r.status_name.as_deref(), Some("a"));
        let c = r.campaign.as_ref().unwrap();
        assert_eq!((c.total_sent, c.name.as_deref()), (Some(1), Some("n")));
        let paths: Vec<&str> = r.warnings().iter().map(|w| w.path()).collect();
        assert_eq!(paths, ["campaign.TotalSent", "status_name"]);
        assert_eq!(r.warnings()[0].found(), r#""2""#);
    }
}
