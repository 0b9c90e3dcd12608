//! The checks every vendor crate makes before a request is sent, written
//! once: each returns a [`ValidationError`] naming the field and saying
//! what to change.
//!
//! ```
//! use whatsapp_common::validate;
//!
//! validate::max_chars("Привет", 6, "text")?;
//! let err = validate::max_chars("Привет!", 6, "text").unwrap_err();
//! assert_eq!(err.to_string(), "invalid text: is 7 characters; at most 6 are allowed");
//! validate::http_url("https://example.com/a.png", "imageURL")?;
//! assert!(validate::http_url("ftp://example.com/a.png", "imageURL").is_err());
//! validate::uuid("3fa85f64-5717-4562-b3fc-2c963f66afa6", "workspaceId")?;
//! assert_eq!(validate::percent_encode("a b+c:d", b""), "a%20b%2Bc%3Ad");
//! # Ok::<(), whatsapp_common::ValidationError>(())
//! ```

use std::borrow::Cow;

use crate::ValidationError;

/// `value` is at most `max` characters (Unicode scalar values, as vendors
/// count them).
pub fn max_chars(
    value: &str,
    max: usize,
    field: impl Into<Cow<'static, str>>,
) -> Result<(), ValidationError> {
    // Bytes bound characters from above: a short value needs no count.
    if value.len() <= max {
        return Ok(());
    }
    let n = value.chars().count();
    if n > max {
        return Err(ValidationError::new(
            field,
            format!("is {n} characters; at most {max} are allowed"),
        ));
    }
    Ok(())
}

/// `value` is not empty.
pub fn not_empty(value: &str, field: impl Into<Cow<'static, str>>) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    Ok(())
}

/// `value` holds something besides white space.
pub fn not_blank(value: &str, field: impl Into<Cow<'static, str>>) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    Ok(())
}

/// A credential given to a client builder holds something besides white
/// space: a [`ConfigError`] naming the builder `setting` otherwise.
///
/// [`ConfigError`]: crate::ConfigError
pub fn credential(value: &str, setting: &'static str) -> Result<(), crate::ConfigError> {
    if value.trim().is_empty() {
        return Err(crate::ConfigError::new(setting, "must not be empty"));
    }
    Ok(())
}

/// `url` is an absolute `http://` or `https://` URL (scheme in any case)
/// with no white space or control character in it.
pub fn http_url(url: &str, field: impl Into<Cow<'static, str>>) -> Result<(), ValidationError> {
    if url.trim().is_empty() {
        return Err(ValidationError::new(field, "URL must not be empty"));
    }
    let scheme = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if !(scheme.starts_with("http://") || scheme.starts_with("https://")) {
        return Err(ValidationError::new(
            field,
            "URL must be absolute and start with http:// or https://",
        ));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ValidationError::new(
            field,
            "URL must not contain spaces or control characters",
        ));
    }
    Ok(())
}

/// `value` is a UUID in its dashed form
/// (`3fa85f64-5717-4562-b3fc-2c963f66afa6`), in either case.
pub fn uuid(value: &str, field: impl Into<Cow<'static, str>>) -> Result<(), ValidationError> {
    let ok = value.len() == 36
        && value.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!("{value:?} is not a UUID like 3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        ))
    }
}

/// `value` percent-encoded for a URL path segment or query value: every
/// byte but the unreserved ones (`A-Z a-z 0-9 - _ . ~`) and those in
/// `keep` becomes `%XX`.
pub fn percent_encode(value: &str, keep: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') || keep.contains(&b)
        {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_chars_counts_characters_on_each_side_of_the_limit() {
        for (unit, width) in [("a", 1), ("я", 2), ("😀", 4)] {
            let at = unit.repeat(10);
            assert_eq!(at.len(), 10 * width);
            assert!(max_chars(&at, 10, "f").is_ok(), "{unit}");
            let over = unit.repeat(11);
            let err = max_chars(&over, 10, "f").unwrap_err();
            assert_eq!(err.reason(), "is 11 characters; at most 10 are allowed");
        }
    }

    #[test]
    fn emptiness() {
        assert!(not_empty(" ", "f").is_ok());
        assert!(not_empty("", "f").is_err());
        assert!(not_blank(" \t", "f").is_err());
        assert!(not_blank(" x", "f").is_ok());
    }

    #[test]
    fn urls() {
        for ok in [
            "http://a",
            "HTTPS://example.com/x?y=1",
            "https://пример.рф/",
        ] {
            assert!(http_url(ok, "u").is_ok(), "{ok}");
        }
        for bad in [
            "",
            " ",
            "example.com",
            "ftp://a",
            "https://a b",
            "https://a\n",
            "http:/a",
        ] {
            assert!(http_url(bad, "u").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn uuids() {
        assert!(uuid("3FA85F64-5717-4562-B3FC-2C963F66AFA6", "id").is_ok());
        for bad in [
            "",
            "3fa85f64571745 62b3fc2c963f66afa6",
            "3fa85f64-5717-4562-b3fc-2c963f66afa",
            "3fa85f64-5717-4562-b3fc-2c963f66afa6a",
            "3fa85f64+5717-4562-b3fc-2c963f66afa6",
            "3fa85f64-5717-4562-b3fc-2c963f66afag",
            "3fa85f64-5717-4562-b3fc-2c963f66afé",
        ] {
            assert!(uuid(bad, "id").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn percent_encoding() {
        assert_eq!(percent_encode("AZaz09-_.~", b""), "AZaz09-_.~");
        assert_eq!(percent_encode("+31 6/é", b""), "%2B31%206%2F%C3%A9");
        assert_eq!(percent_encode("a:b@c", b":"), "a:b%40c");
    }
}
