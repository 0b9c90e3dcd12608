//! Contract: an answer ActiveTrail sent with a 2xx is never an error. Each
//! member of each documented success sample, in turn, removed or replaced
//! by a value of another type (in XML: by unexpected text): the answer
//! decodes, and every other member keeps the value the sample gives it.

use crate::support::fixture;

use activetrail::SendResponse;
use serde_json::Value;
use whatsapp_common::conformance::member_mutations;

/// The decoded answer as JSON, every member by its JSON name, so that two
/// answers can be compared member by member.
fn view(r: &SendResponse) -> Value {
    serde_json::to_value(r).unwrap()
}

/// One step of a member's path: a member name, or an item's position.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The member names of `view` and of either wire format compared alike:
/// ASCII case ignored, and the Cyrillic "с" of `dateсreatedutc` read as
/// the Latin one XML writes.
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.to_ascii_lowercase().replace('с', "c");
    norm(a) == norm(b)
}

/// How many steps of `path` lead somewhere in `view`.
fn reach(view: &Value, path: &[Step]) -> usize {
    let mut node = view;
    for (depth, step) in path.iter().enumerate() {
        let next = match (step, node) {
            (Step::Key(k), Value::Object(map)) => {
                map.iter().find(|(m, _)| same_name(m, k)).map(|(_, v)| v)
            }
            (Step::Index(i), Value::Array(items)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(next) => node = next,
            None => return depth,
        }
    }
    path.len()
}

fn at<'a>(view: &'a mut Value, path: &[Step]) -> &'a mut Value {
    let mut node = view;
    for step in path {
        node = match (step, node) {
            (Step::Key(k), Value::Object(map)) => {
                let key = map.keys().find(|m| same_name(m, k)).unwrap().clone();
                map.get_mut(&key).unwrap()
            }
            (Step::Index(i), Value::Array(items)) => &mut items[*i],
            _ => unreachable!("a path `reach` followed"),
        };
    }
    node
}

/// Whether the member at `path` is absent from `view` or null: a value
/// that was left out.
fn left_out(view: &Value, path: &[Step]) -> bool {
    if reach(view, path) < path.len() {
        return true;
    }
    let mut copy = view.clone();
    at(&mut copy, path).is_null()
}

/// Leaves the member at `path` out of both views, so that they can be
/// compared on everything else: the value at the deepest point both reach
/// is set to null (so a path into something the view writes otherwise,
/// such as the entries of a key/value list, blanks the whole member). An
/// item of a list that `got` lacks (it was left out: the later items moved
/// up) is taken out of `want` too.
fn leave_out(got: &mut Value, want: &mut Value, path: &[Step]) {
    let depth = reach(got, path).min(reach(want, path));
    let path = &path[..depth];
    if let Some((Step::Index(i), parent)) = path.split_last() {
        let (g, w) = (at(got, parent), at(want, parent));
        if let (Value::Array(g), Value::Array(w)) = (g, w)
            && g.len() + 1 == w.len()
        {
            w.remove(*i);
            return;
        }
    }
    *at(got, path) = Value::Null;
    *at(want, path) = Value::Null;
}

/// `.campaign.links[0].id removed` → its path.
fn json_path(what: &str) -> Vec<Step> {
    let shown = what
        .rsplit_once(" removed")
        .or_else(|| what.rsplit_once(" of another type"));
    let shown = shown.map_or(what, |(p, _)| p);
    let mut steps = Vec::new();
    for part in shown.split('.').filter(|p| !p.is_empty()) {
        let mut pieces = part.split('[');
        steps.push(Step::Key(pieces.next().unwrap().to_owned()));
        for index in pieces {
            steps.push(Step::Index(index.trim_end_matches(']').parse().unwrap()));
        }
    }
    steps
}

#[test]
fn json_every_member_of_another_type_or_missing_is_left_out_alone() {
    let text = fixture("send_response.json");
    let document: Value = serde_json::from_str(&text).unwrap();
    let original = view(&SendResponse::from_json(text.as_bytes()).unwrap());
    let mutations = member_mutations(&document);
    assert!(mutations.len() > 200, "{}", mutations.len());
    for (what, mutated) in mutations {
        let body = mutated.to_string();
        let r = SendResponse::from_json(body.as_bytes())
            .unwrap_or_else(|e| panic!("the documented answer with {what}: {e}"));
        let path = json_path(&what);
        let (mut got, mut want) = (view(&r), original.clone());
        if what.ends_with(" removed") {
            assert!(r.warnings().is_empty(), "{what}: {:?}", r.warnings());
        } else if left_out(&got, &path) {
            let shown = what.trim_start_matches('.');
            let shown = shown.split(' ').next().unwrap();
            let first = shown.split(['.', '[']).next().unwrap();
            assert!(
                r.warnings().iter().any(|w| w.path().starts_with(first)),
                "{what}: left out without a warning: {:?}",
                r.warnings()
            );
        }
        leave_out(&mut got, &mut want, &path);
        assert_eq!(got, want, "the documented answer with {what}");
    }
}

/// An element of the XML sample: its path, and where it is in the text.
struct Span {
    path: Vec<Step>,
    /// Where its start tag begins, ends; where its end tag ends.
    start: usize,
    start_end: usize,
    end: usize,
    /// Its name as written (prefix included).
    qname: String,
}

/// Every element below the root, in document order.
fn xml_elements(text: &str) -> Vec<Span> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    // Each open element: its span so far, and how many children it has.
    let mut open: Vec<(Span, usize)> = Vec::new();
    let mut out = Vec::new();
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().unwrap();
        let here = reader.buffer_position() as usize;
        let begin = |name: &str, open: &mut Vec<(Span, usize)>| {
            let qname = name.to_owned();
            let local = qname.rsplit(':').next().unwrap().to_owned();
            let mut path = open.last().map(|(s, _)| s.path.clone()).unwrap_or_default();
            if let Some((_, children)) = open.last_mut() {
                path.push(Step::Index(*children));
                *children += 1;
            }
            path.push(Step::Key(local));
            Span {
                path,
                start,
                start_end: here,
                end: here,
                qname,
            }
        };
        match event {
            Event::Start(e) => {
                let span = begin(e.name().into_inner(), &mut open);
                open.push((span, 0));
            }
            Event::Empty(e) => {
                let span = begin(e.name().into_inner(), &mut open);
                out.push(span);
            }
            Event::End(_) => {
                let (mut span, _) = open.pop().unwrap();
                span.end = here;
                out.push(span);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // The root stays: without it the body is another document.
    out.retain(|s| s.path.len() > 1);
    out.sort_by_key(|s| s.start);
    out
}

/// An XML path (`Key(name)`, and `Index(position)` among the parent's
/// children before each) mapped onto `view`: a member is found by name, an
/// item of a list by position.
fn view_path(view: &Value, xml: &[Step]) -> Vec<Step> {
    let mut out = Vec::new();
    let mut node = view;
    // Skip the root's own name.
    for step in &xml[1..] {
        match (step, node) {
            (Step::Index(i), Value::Array(items)) => {
                out.push(Step::Index(*i));
                match items.get(*i) {
                    Some(next) => node = next,
                    None => break,
                }
            }
            (Step::Index(_), _) => {}
            (Step::Key(_), Value::Array(_)) => {}
            (Step::Key(k), Value::Object(map)) => match map.iter().find(|(m, _)| same_name(m, k)) {
                Some((m, next)) => {
                    out.push(Step::Key(m.clone()));
                    node = next;
                }
                None => break,
            },
            (Step::Key(_), _) => break,
        }
    }
    out
}

#[test]
fn xml_every_element_with_unexpected_text_or_missing_is_left_out_alone() {
    let text = fixture("send_response.xml");
    let original = view(&SendResponse::from_xml(text.as_bytes()).unwrap());
    let elements = xml_elements(&text);
    assert!(elements.len() > 100, "{}", elements.len());
    for e in &elements {
        let tag = &text[e.start..e.start_end];
        let open_tag = tag
            .strip_suffix("/>")
            .map_or(tag.to_owned(), |t| format!("{t}>"));
        let name = e.path.iter().filter_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        });
        let name: Vec<&str> = name.collect();
        for (how, replacement) in [
            ("removed", String::new()),
            (
                "holding unexpected text",
                format!("{open_tag}abc</{}>", e.qname),
            ),
        ] {
            let body = format!("{}{replacement}{}", &text[..e.start], &text[e.end..]);
            let what = format!("<{}> {how}", name.join("/"));
            let r = SendResponse::from_xml(body.as_bytes())
                .unwrap_or_else(|err| panic!("the documented answer with {what}: {err}"));
            let path = view_path(&original, &e.path);
            let (mut got, mut want) = (view(&r), original.clone());
            if how != "removed" && left_out(&got, &path) {
                assert!(
                    !r.warnings().is_empty(),
                    "{what}: left out without a warning"
                );
            }
            leave_out(&mut got, &mut want, &path);
            assert_eq!(got, want, "the documented answer with {what}");
        }
    }
}

/// A value that does not fit is left out with a warning naming it, in
/// either format; the rest of the answer is kept.
#[test]
fn a_value_that_does_not_fit_is_named_in_a_warning() {
    let xml = fixture("send_response.xml");
    let json = fixture("send_response.json");
    let cases = [
        (
            SendResponse::from_xml(
                xml.replace("<TotalSent>8</TotalSent>", "<TotalSent>eight</TotalSent>")
                    .as_bytes(),
            ),
            "campaign.TotalSent",
            r#""eight""#,
        ),
        (
            SendResponse::from_json(
                json.replace(r#""totalsent": 8"#, r#""totalsent": "x""#)
                    .as_bytes(),
            ),
            "campaign.totalsent",
            r#""x""#,
        ),
    ];
    for (decoded, path, found) in cases {
        let r = decoded.unwrap();
        let [w] = r.warnings() else {
            panic!("{path}: {:?}", r.warnings())
        };
        assert_eq!((w.path(), w.found()), (path, found), "{w}");
        let c = r.campaign.as_ref().unwrap();
        assert_eq!((c.total_sent, c.total_succeeded), (None, Some(9)), "{path}");
    }
    // As documented: no warnings.
    assert!(
        SendResponse::from_xml(xml.as_bytes())
            .unwrap()
            .warnings()
            .is_empty()
    );
    assert!(
        SendResponse::from_json(json.as_bytes())
            .unwrap()
            .warnings()
            .is_empty()
    );
}

/// An answer with values left out writes back to XML that reads as the
/// same answer (equality compares members, not warnings): the fuzz
/// target's round trip holds for lenient answers too.
#[test]
fn an_answer_with_warnings_round_trips_through_xml() {
    let xml = fixture("send_response.xml")
        .replace("<TotalSent>8</TotalSent>", "<TotalSent>eight</TotalSent>");
    let r = SendResponse::from_xml(xml.as_bytes()).unwrap();
    assert_eq!(r.warnings().len(), 1);
    let again = SendResponse::from_xml(r.to_xml().as_bytes()).unwrap();
    assert!(again.warnings().is_empty());
    assert_eq!(again, r);
    assert_ne!(
        again,
        SendResponse::from_xml(fixture("send_response.xml").as_bytes()).unwrap()
    );
}
