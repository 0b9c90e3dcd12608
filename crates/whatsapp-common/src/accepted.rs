//! Reading an answer the vendor sent with a 2xx: the request was accepted,
//! so its answer is read leniently and never turned into an error the
//! caller would resend on.
//!
//! [`Accepted<T>`] decodes any JSON document. Where a value does not fit
//! `T` (a field of an unexpected JSON type, an element that will not
//! decode), that value alone is left out, as if the vendor had not sent it,
//! and a [`DecodeWarning`] records where and what it was; every other value
//! keeps its place. The models a vendor crate reads this way make every
//! field optional (or defaulted), so that a field the vendor left out is
//! `None` rather than a failure. Only a body that is not JSON at all fails
//! to decode, as a [`DecodeError`](crate::DecodeError), whose retry class
//! is [`RetryClass::Never`](crate::RetryClass::Never): the vendor accepted
//! the request.
//!
//! ```
//! use serde::Deserialize;
//! use whatsapp_common::Accepted;
//!
//! #[derive(Debug, Deserialize)]
//! struct Answer {
//!     id: Option<String>,
//!     count: Option<u32>,
//! }
//!
//! let answer: Accepted<Answer> = serde_json::from_str(r#"{"id":"m-1","count":"seven"}"#)?;
//! assert_eq!(answer.value.id.as_deref(), Some("m-1"));
//! assert_eq!(answer.value.count, None);
//! assert_eq!(answer.warnings[0].path(), "count");
//! assert_eq!(answer.warnings[0].found(), r#""seven""#);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;
use serde_path_to_error::Segment;

/// The most characters of a left-out value a [`DecodeWarning`] keeps.
pub const MAX_WARNING_VALUE_CHARS: usize = 200;

/// The most values left out one by one. Each is one more reading of the
/// document; past this many, the rest of the document is left out at once
/// (read as an empty object), so that a hostile answer costs bounded work.
pub const MAX_LEFT_OUT: usize = 64;

/// A value of an accepted answer that did not fit its model and was left
/// out: where it was, why, and what it was (as JSON, cut at
/// [`MAX_WARNING_VALUE_CHARS`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeWarning {
    path: String,
    message: String,
    found: String,
}

impl DecodeWarning {
    /// A warning made by a lenient reader of another format (XML): the
    /// value left out at `path` (written as JSON paths are: `a.b[2].c`,
    /// `.` for the whole document) for `message`; `found` is its text in
    /// that format, kept as a JSON string and cut like any other.
    ///
    /// ```
    /// use whatsapp_common::DecodeWarning;
    ///
    /// let w = DecodeWarning::new("campaign.num1", "not a number", "abc");
    /// assert_eq!((w.path(), w.message(), w.found()), ("campaign.num1", "not a number", r#""abc""#));
    /// ```
    pub fn new(path: impl Into<String>, message: impl Into<String>, found: &str) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
            found: shown(&Value::String(found.to_owned())),
        }
    }

    /// Where the value was, e.g. `messages[0].status.groupId`; `.` for the
    /// whole document.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Why it did not fit, in serde's words.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The value as the vendor sent it, as JSON (cut at
    /// [`MAX_WARNING_VALUE_CHARS`], then marked `…`).
    pub fn found(&self) -> &str {
        &self.found
    }
}

impl fmt::Display for DecodeWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "left out {} ({}): {}",
            self.path, self.message, self.found
        )
    }
}

/// A `T` read leniently from an accepted answer, with what had to be left
/// out: see the [module](self) documentation.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Accepted<T> {
    /// The answer, without the values that did not fit.
    pub value: T,
    /// The values left out, in the order they were found; empty when the
    /// answer fit its model.
    pub warnings: Vec<DecodeWarning>,
}

impl<T> Accepted<T> {
    /// `value` with the `warnings` its reading made.
    pub fn new(value: T, warnings: Vec<DecodeWarning>) -> Self {
        Self { value, warnings }
    }
}

impl<T: DeserializeOwned> Accepted<T> {
    /// Reads a JSON answer body: straight into `T` when it fits (the cost
    /// of a strict decode), else leniently. `truncated` (the body was cut
    /// at the client's limit) and a body that is not JSON at all are
    /// [`DecodeError`](crate::DecodeError)s.
    ///
    /// ```
    /// use whatsapp_common::Accepted;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Answer {
    ///     id: Option<u32>,
    /// }
    ///
    /// let a = Accepted::<Answer>::from_json(200, br#"{"id":"x"}"#, false)?;
    /// assert_eq!((a.value.id, a.warnings.len()), (None, 1));
    /// assert!(Accepted::<Answer>::from_json(200, b"<html>", false).is_err());
    /// # Ok::<(), whatsapp_common::DecodeError>(())
    /// ```
    pub fn from_json(
        status: u16,
        body: &[u8],
        truncated: bool,
    ) -> Result<Self, crate::DecodeError> {
        if truncated {
            return crate::DecodeError::json(status, body, true);
        }
        let fast = match std::str::from_utf8(body) {
            Ok(text) => serde_json::from_str::<T>(text),
            Err(_) => serde_json::from_slice::<T>(body),
        };
        if let Ok(value) = fast {
            return Ok(Self {
                value,
                warnings: Vec::new(),
            });
        }
        let document: Value = crate::DecodeError::json(status, body, false)?;
        lenient(document).map_err(|message| {
            crate::DecodeError::new(status, ".", message, crate::RawBody::capture(body, false))
        })
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Accepted<T> {
    /// An answer that fits is read straight into `T`, at the cost of a
    /// strict decode; only one that does not is read again leniently.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
        if let Ok(value) = serde_json::from_str::<T>(raw.get()) {
            return Ok(Self {
                value,
                warnings: Vec::new(),
            });
        }
        let document: Value = serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)?;
        lenient(document).map_err(serde::de::Error::custom)
    }
}

/// Reads `document` as `T`, leaving out each value that does not fit.
///
/// Each failed attempt names the path where decoding stopped; that value
/// (a member of an object, an element of an array) is removed and the
/// document read again, so the work is bounded by the document's size.
/// When the whole document does not fit (a JSON string where an object was
/// expected), an empty object is read instead, which a model of optional
/// fields accepts. `Err` only when even that does not decode: the model has
/// a required field.
pub fn lenient<T: DeserializeOwned>(mut document: Value) -> Result<Accepted<T>, String> {
    let mut warnings = Vec::new();
    // Every removal takes at least one node away; one more round reads
    // the empty object.
    let rounds = nodes(&document).min(MAX_LEFT_OUT) + 2;
    for _ in 0..rounds {
        let error = match serde_path_to_error::deserialize::<_, T>(&document) {
            Ok(value) => return Ok(Accepted { value, warnings }),
            Err(error) => error,
        };
        let segments: Vec<Segment> = error.path().iter().cloned().collect();
        let mut message = error.into_inner().to_string();
        let removed = if warnings.len() < MAX_LEFT_OUT {
            take(&mut document, &segments)
        } else {
            message = format!("more than {MAX_LEFT_OUT} values did not fit; the rest left out");
            None
        };
        let (path, found) = match removed {
            Some(removed) => removed,
            None if document.as_object().is_some_and(serde_json::Map::is_empty) => {
                return Err(message);
            }
            None => {
                let found = std::mem::replace(&mut document, Value::Object(Default::default()));
                (".".to_owned(), found)
            }
        };
        warnings.push(DecodeWarning {
            path,
            message,
            found: shown(&found),
        });
    }
    Err("the answer did not fit its model".to_owned())
}

/// Removes the value at the deepest removable point of `segments` (a
/// member or an element; the whole path when it can be followed), and
/// returns its path and value. `None` when nothing below the root can be
/// removed.
fn take(document: &mut Value, segments: &[Segment]) -> Option<(String, Value)> {
    // Follow the path as far as it leads through objects and arrays.
    let mut depth = 0;
    {
        let mut node = &*document;
        for segment in segments {
            let next = match (segment, node) {
                (Segment::Map { key }, Value::Object(map)) => map.get(key),
                (Segment::Seq { index }, Value::Array(items)) => items.get(*index),
                _ => None,
            };
            match next {
                Some(next) => {
                    node = next;
                    depth += 1;
                }
                None => break,
            }
        }
    }
    if depth == 0 {
        return None;
    }
    let (parent, last) = segments[..depth].split_at(depth - 1);
    let mut node = document;
    for segment in parent {
        node = match (segment, node) {
            (Segment::Map { key }, Value::Object(map)) => map.get_mut(key)?,
            (Segment::Seq { index }, Value::Array(items)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    let removed = match (&last[0], node) {
        (Segment::Map { key }, Value::Object(map)) => map.remove(key)?,
        (Segment::Seq { index }, Value::Array(items)) if *index < items.len() => {
            items.remove(*index)
        }
        _ => return None,
    };
    Some((path_text(&segments[..depth]), removed))
}

fn path_text(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => out += &format!("[{index}]"),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out += key;
            }
            Segment::Unknown => out += ".?",
        }
    }
    out
}

fn nodes(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(nodes).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(nodes).sum::<usize>(),
        _ => 1,
    }
}

fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= MAX_WARNING_VALUE_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_WARNING_VALUE_CHARS).collect();
    cut.push('…');
    cut
}

/// For an answer type that keeps its [`DecodeWarning`]s in a private
/// field `warnings: Vec<DecodeWarning>` (`#[serde(skip)]`): its public
/// `warnings()` and `From<Accepted<T>>`, the same in every vendor crate.
///
/// ```
/// use whatsapp_common::{Accepted, DecodeWarning};
///
/// #[derive(Debug, Default, serde::Deserialize)]
/// #[serde(default)]
/// pub struct Answer {
///     pub id: Option<String>,
///     #[serde(skip)]
///     warnings: Vec<DecodeWarning>,
/// }
/// whatsapp_common::keeps_warnings!(Answer);
///
/// let answer: Answer = Accepted::<Answer>::from_json(200, br#"{"id":7}"#, false)?.into();
/// assert_eq!(answer.id, None);
/// assert_eq!(answer.warnings()[0].path(), "id");
/// # Ok::<(), whatsapp_common::DecodeError>(())
/// ```
#[macro_export]
macro_rules! keeps_warnings {
    ($answer:ty) => {
        impl $answer {
            /// The values of the answer that did not fit their documented
            /// type and were left out, each with its path, why, and the
            /// value as sent; empty for an answer as documented (and for
            /// one not read from an accepted request's answer).
            pub fn warnings(&self) -> &[$crate::DecodeWarning] {
                &self.warnings
            }
        }

        impl ::core::convert::From<$crate::Accepted<$answer>> for $answer {
            fn from(accepted: $crate::Accepted<$answer>) -> Self {
                Self {
                    warnings: accepted.warnings,
                    ..accepted.value
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Status {
        group_id: Option<u32>,
        name: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Message {
        message_id: Option<String>,
        status: Option<Status>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Answer {
        #[serde(default)]
        messages: Vec<Message>,
        bulk_id: Option<String>,
    }

    fn read(text: &str) -> Accepted<Answer> {
        serde_json::from_str(text).unwrap()
    }

    const SAMPLE: &str = r#"{"messages":[{"messageId":"m1","status":{"groupId":1,"name":"n"}},{"messageId":"m2"}],"bulkId":"b"}"#;

    #[test]
    fn a_fitting_answer_has_no_warnings() {
        let a = read(SAMPLE);
        assert!(a.warnings.is_empty());
        assert_eq!(
            a.value.messages[0].status.as_ref().unwrap().group_id,
            Some(1)
        );
    }

    /// Each value replaced by one of another JSON type: that value alone is
    /// left out, with a warning naming it; every other value is kept.
    #[test]
    fn only_the_value_that_does_not_fit_is_left_out() {
        let original = read(SAMPLE).value;
        let cases = [
            (
                r#""groupId":1"#,
                r#""groupId":"one""#,
                "messages[0].status.groupId",
            ),
            (r#""name":"n""#, r#""name":7"#, "messages[0].status.name"),
            (
                r#""messageId":"m2""#,
                r#""messageId":[1]"#,
                "messages[1].messageId",
            ),
            (r#""bulkId":"b""#, r#""bulkId":{"x":1}"#, "bulkId"),
        ];
        for (from, to, path) in cases {
            let a = read(&SAMPLE.replace(from, to));
            assert_eq!(a.warnings.len(), 1, "{to}: {:?}", a.warnings);
            assert_eq!(a.warnings[0].path(), path);
            assert_eq!(a.warnings[0].found(), to.split_once(':').unwrap().1);
            let mut expected = read(SAMPLE).value;
            match path {
                "messages[0].status.groupId" => {
                    expected.messages[0].status.as_mut().unwrap().group_id = None;
                }
                "messages[0].status.name" => {
                    expected.messages[0].status.as_mut().unwrap().name = None
                }
                "messages[1].messageId" => expected.messages[1].message_id = None,
                _ => expected.bulk_id = None,
            }
            assert_eq!(a.value, expected, "{to}");
            assert_ne!(a.value, original);
        }
        // A list that is not a list: left out, the rest kept.
        let a = read(r#"{"messages":"none","bulkId":"b"}"#);
        assert_eq!(
            (a.value.messages.len(), a.value.bulk_id.as_deref()),
            (0, Some("b"))
        );
        assert_eq!(a.warnings[0].path(), "messages");
    }

    #[test]
    fn a_document_of_another_type_reads_as_empty() {
        // serde reads a struct from an array too, member by member: each
        // element that does not fit is left out.
        let a = read("[1,2]");
        assert_eq!((a.value.messages.len(), a.value.bulk_id), (0, None));
        assert!(!a.warnings.is_empty());
        for text in [r#""ok""#, "3", "null", "true"] {
            let a = read(text);
            assert_eq!(
                a.value,
                Answer {
                    messages: vec![],
                    bulk_id: None
                },
                "{text}"
            );
            assert_eq!(a.warnings[0].path(), ".", "{text}");
            assert_eq!(a.warnings[0].found(), text);
        }
    }

    /// Read from a parsed document as well as from text.
    #[test]
    fn reads_from_a_value_too() {
        let value: Value = serde_json::from_str(SAMPLE).unwrap();
        let a: Accepted<Answer> = serde_json::from_value(value).unwrap();
        assert_eq!(a.value, read(SAMPLE).value);
        let a: Accepted<Answer> = serde_json::from_value(serde_json::json!({"bulkId": 5})).unwrap();
        assert_eq!(a.warnings[0].path(), "bulkId");
    }

    #[test]
    fn only_text_that_is_not_json_fails() {
        assert!(serde_json::from_str::<Accepted<Answer>>("<html>").is_err());
        // A model with a required field: reported, not looped on.
        #[derive(Debug, Deserialize)]
        struct Strict {
            #[allow(dead_code)]
            id: String,
        }
        let err = serde_json::from_str::<Accepted<Strict>>(r#"{"id":5}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `id`"), "{err}");
    }

    #[test]
    fn a_long_value_is_cut_in_the_warning() {
        let long = "x".repeat(1000);
        let a = read(&format!(r#"{{"bulkId":["{long}"]}}"#));
        let found = a.warnings[0].found();
        assert_eq!(found.chars().count(), MAX_WARNING_VALUE_CHARS + 1);
        assert!(found.ends_with('…'));
    }

    /// The work is bounded: values that do not fit are left out one by
    /// one up to `MAX_LEFT_OUT`, each with its warning; past that, the rest
    /// of the document at once.
    #[test]
    fn values_are_left_out_one_by_one_up_to_the_limit() {
        let doc = |n: usize| {
            let items: Vec<String> = (0..n).map(|i| format!(r#"{{"messageId":{i}}}"#)).collect();
            format!(r#"{{"messages":[{}],"bulkId":"b"}}"#, items.join(","))
        };
        let a = read(&doc(MAX_LEFT_OUT));
        assert_eq!(
            (a.value.messages.len(), a.warnings.len()),
            (MAX_LEFT_OUT, MAX_LEFT_OUT)
        );
        assert!(a.value.messages.iter().all(|m| m.message_id.is_none()));
        assert_eq!(a.value.bulk_id.as_deref(), Some("b"));

        let a = read(&doc(MAX_LEFT_OUT + 1));
        assert_eq!(
            a.value,
            Answer {
                messages: vec![],
                bulk_id: None
            }
        );
        assert_eq!(a.warnings.len(), MAX_LEFT_OUT + 1);
        let last = a.warnings.last().unwrap();
        assert_eq!(last.path(), ".");
        assert!(last.message().contains("more than 64 values"), "{last}");
    }
}
