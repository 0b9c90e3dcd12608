//! The checks of Bird's schema that `whatsapp_common::validate` has no
//! helper for: the `uri`, `date-time`, `uuid` and `locale-bcp47` formats,
//! and the shapes of the JSON members the caller writes (`meta`, template
//! parameters of the structured types), checked by hand from
//! `fixtures/channels/openapi/create-channel-message.openapi.json`.

use std::borrow::Cow;

use serde_json::Value;
use whatsapp_common::{ValidationError, validate};

use super::time::Timestamp;

mod schema;

pub(crate) use schema::{META, parameter_value};

/// `value` is an absolute URI (RFC 3986 `URI`: a scheme, `:`, then only
/// the characters a URI may hold, `%` escapes well-formed, an authority's
/// port all digits). IP-literal hosts (`[…]`) are refused.
pub(crate) fn uri(value: &str, field: impl Into<Cow<'static, str>>) -> Result<(), ValidationError> {
    if is_uri(value) {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!(
                "{value:?} is not an absolute URI: write it like https://example.com/a.jpg, \
                 spaces and other characters outside RFC 3986 percent-encoded"
            ),
        ))
    }
}

fn is_uri(value: &str) -> bool {
    let b = value.as_bytes();
    let Some(colon) = b.iter().position(|&c| c == b':') else {
        return false;
    };
    let scheme = &b[..colon];
    if !scheme.first().is_some_and(u8::is_ascii_alphabetic)
        || !scheme
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    {
        return false;
    }
    // unreserved / sub-delims
    let plain = |c: u8| c.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&c);
    // Each character of `part` is `plain`, one of `extra`, or a `%XX`.
    let scan = |part: &[u8], extra: &[u8]| {
        let mut i = 0;
        while i < part.len() {
            let c = part[i];
            if c == b'%' {
                if !part
                    .get(i + 1..i + 3)
                    .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
                {
                    return false;
                }
                i += 3;
            } else if plain(c) || extra.contains(&c) {
                i += 1;
            } else {
                return false;
            }
        }
        true
    };
    let rest = &b[colon + 1..];
    let (before_fragment, fragment) = split_at_first(rest, b'#');
    let (hier, query) = split_at_first(before_fragment, b'?');
    if fragment.is_some_and(|f| !scan(f, b":@/?")) || query.is_some_and(|q| !scan(q, b":@/?")) {
        return false;
    }
    let path = match hier.strip_prefix(b"//") {
        Some(after) => {
            let end = after.iter().position(|&c| c == b'/').unwrap_or(after.len());
            let (authority, path) = after.split_at(end);
            let host_port = match authority.iter().rposition(|&c| c == b'@') {
                Some(at) if scan(&authority[..at], b":") => &authority[at + 1..],
                Some(_) => return false,
                None => authority,
            };
            let (host, port) = split_at_first(host_port, b':');
            if !scan(host, b"") || port.is_some_and(|p| !p.iter().all(u8::is_ascii_digit)) {
                return false;
            }
            path
        }
        None => hier,
    };
    scan(path, b":@/")
}

fn split_at_first(b: &[u8], sep: u8) -> (&[u8], Option<&[u8]>) {
    match b.iter().position(|&c| c == sep) {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    }
}

/// `value` holds a `{{variable}}`: Bird's pattern `{{[^{}]+}}`, which a
/// link's `url` may match instead of being a URI.
pub(crate) fn has_variable(value: &str) -> bool {
    value.match_indices("{{").any(|(i, _)| {
        let inner = &value[i + 2..];
        let n = inner.find(['{', '}']).unwrap_or(inner.len());
        n > 0 && inner[n..].starts_with("}}")
    })
}

/// `value` is a well-formed BCP 47 language tag (RFC 5646 section 2.1,
/// `-` between subtags, any case): a 2–3 letter language with up to three
/// 3-letter extensions, then optionally a 4-letter script, a 2-letter or
/// 3-digit region, variants (5–8 alphanumerics, or a digit and 3),
/// extensions (a singleton other than `x` and subtags of 2–8) and a
/// private use part (`x` and subtags of 1–8); or a private use tag alone.
/// Stricter than the RFC on one point: the reserved 4-letter and the
/// registrable 5–8 letter language subtags, which no locale uses, are
/// refused.
pub(crate) fn bcp47(
    value: &str,
    field: impl Into<Cow<'static, str>>,
) -> Result<(), ValidationError> {
    if is_bcp47(value) {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!(
                "{value:?} is not a BCP 47 locale: write it like \"en\", \"pt-BR\" or \
                 \"zh-Hant-TW\" (subtags joined by '-', not '_')"
            ),
        ))
    }
}

fn is_bcp47(value: &str) -> bool {
    let alpha = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|c| c.is_ascii_alphabetic())
    };
    let alnum = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|c| c.is_ascii_alphanumeric())
    };
    let digits = |s: &str| s.len() == 3 && s.bytes().all(|c| c.is_ascii_digit());
    let mut parts = value.split('-').peekable();
    let private = |parts: &mut std::iter::Peekable<std::str::Split<'_, char>>| {
        let mut n = 0;
        for p in parts.by_ref() {
            if !alnum(p, 1..=8) {
                return false;
            }
            n += 1;
        }
        n > 0
    };
    let Some(first) = parts.next() else {
        return false;
    };
    if first.eq_ignore_ascii_case("x") {
        return private(&mut parts);
    }
    if !alpha(first, 2..=3) {
        return false;
    }
    let mut extlangs = 0;
    while extlangs < 3 && parts.peek().is_some_and(|p| alpha(p, 3..=3)) {
        parts.next();
        extlangs += 1;
    }
    if parts.peek().is_some_and(|p| alpha(p, 4..=4)) {
        parts.next();
    }
    if parts.peek().is_some_and(|p| alpha(p, 2..=2) || digits(p)) {
        parts.next();
    }
    let variant = |p: &str| {
        alnum(p, 5..=8) || (p.len() == 4 && p.as_bytes()[0].is_ascii_digit() && alnum(p, 4..=4))
    };
    while parts.peek().is_some_and(|p| variant(p)) {
        parts.next();
    }
    while let Some(p) = parts.next() {
        if p.eq_ignore_ascii_case("x") {
            return private(&mut parts);
        }
        if !(p.len() == 1 && p.as_bytes()[0].is_ascii_alphanumeric()) {
            return false;
        }
        let mut n = 0;
        while parts.peek().is_some_and(|p| alnum(p, 2..=8)) {
            parts.next();
            n += 1;
        }
        if n == 0 {
            return false;
        }
    }
    true
}

/// `at` is an RFC 3339 `date-time` as the schema reads it: a timestamp
/// [`Timestamp`] parses, written with `T` (not a space) between date and
/// time, and no leap second (`:60`, which only some instants may carry).
pub(crate) fn date_time(
    at: &str,
    field: impl Into<Cow<'static, str>>,
) -> Result<(), ValidationError> {
    let field = field.into();
    Timestamp::parse(at).map_err(|e| ValidationError::new(field.clone(), e.reason().to_owned()))?;
    let b = at.as_bytes();
    if !matches!(b[10], b'T' | b't') {
        return Err(ValidationError::new(
            field,
            format!(
                "{at:?} has a space between date and time; Bird's schema wants 'T' (2025-10-24T00:41:22Z)"
            ),
        ));
    }
    if &b[17..19] == b"60" {
        return Err(ValidationError::new(
            field,
            format!("{at:?} is a leap second; write :59"),
        ));
    }
    Ok(())
}

/// A JSON shape of Bird's schema, for the members the caller writes as
/// JSON.
pub(crate) enum Shape {
    /// Any string.
    Str,
    /// A string of `min..=max` characters.
    StrLen(usize, usize),
    /// A UUID string.
    Uuid,
    /// An RFC 3339 `date-time` string ([`date_time`]).
    DateTime,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// `true` or `false`.
    Bool,
    /// An integer.
    Int,
    /// Any number.
    Number,
    /// Any object.
    AnyObject,
    /// An object of string values.
    StrMap,
    /// `null` or the shape.
    Nullable(&'static Shape),
    /// An array of the shape.
    Array(&'static Shape),
    /// An object of these members (`true`: required); other members are
    /// refused unless `open`.
    Object {
        /// The members.
        members: &'static [(&'static str, bool, Shape)],
        /// Whether other members are allowed.
        open: bool,
    },
}

impl Shape {
    /// Checks `value` at `at` (its path, for the error).
    pub(crate) fn check(&self, value: &Value, at: &str) -> Result<(), ValidationError> {
        let wrong = |what: &str| {
            Err(ValidationError::new(
                at.to_owned(),
                format!("must be {what}, as Bird's schema says; got {value}"),
            ))
        };
        match (self, value) {
            (Self::Str, Value::String(_)) => Ok(()),
            (Self::StrLen(min, max), Value::String(s)) => {
                let n = s.chars().count();
                if (*min..=*max).contains(&n) {
                    Ok(())
                } else {
                    wrong(&format!("a string of {min} to {max} characters"))
                }
            }
            (Self::Uuid, Value::String(s)) => validate::uuid(s, at.to_owned()),
            (Self::DateTime, Value::String(s)) => date_time(s, at.to_owned()),
            (Self::Enum(values), Value::String(s)) if values.contains(&s.as_str()) => Ok(()),
            (Self::Enum(values), _) => wrong(&format!("one of {values:?}")),
            (Self::Bool, Value::Bool(_)) => Ok(()),
            (Self::Int, Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(()),
            (Self::Number, Value::Number(_)) => Ok(()),
            (Self::AnyObject, Value::Object(_)) => Ok(()),
            (Self::StrMap, Value::Object(m)) => m
                .iter()
                .try_for_each(|(k, v)| Self::Str.check(v, &format!("{at}.{k}"))),
            (Self::Nullable(_), Value::Null) => Ok(()),
            (Self::Nullable(inner), v) => inner.check(v, at),
            (Self::Array(inner), Value::Array(items)) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, v)| inner.check(v, &format!("{at}[{i}]"))),
            (Self::Object { members, open }, Value::Object(m)) => {
                check_members(members, *open, m, at)
            }
            (Self::Str | Self::Uuid | Self::DateTime, _) => wrong("a string"),
            (Self::StrLen(..), _) => wrong("a string"),
            (Self::Bool, _) => wrong("true or false"),
            (Self::Int, _) => wrong("an integer"),
            (Self::Number, _) => wrong("a number"),
            (Self::AnyObject | Self::StrMap | Self::Object { .. }, _) => wrong("an object"),
            (Self::Array(_), _) => wrong("an array"),
        }
    }
}

/// The members `m` of an object at `at` against `members`; others refused
/// unless `open`.
pub(crate) fn check_members(
    members: &[(&'static str, bool, Shape)],
    open: bool,
    m: &serde_json::Map<String, Value>,
    at: &str,
) -> Result<(), ValidationError> {
    for (name, required, _) in members {
        if *required && !m.contains_key(*name) {
            return Err(ValidationError::new(
                format!("{at}.{name}"),
                "is required by Bird's schema",
            ));
        }
    }
    for (k, v) in m {
        match members.iter().find(|(name, _, _)| name == k) {
            Some((_, _, shape)) => shape.check(v, &format!("{at}.{k}"))?,
            None if open => {}
            None => {
                let known: Vec<&str> = members.iter().map(|(n, _, _)| *n).collect();
                return Err(ValidationError::new(
                    format!("{at}.{k}"),
                    format!("is not a member Bird's schema allows here; use one of {known:?}"),
                ));
            }
        }
    }
    Ok(())
}
