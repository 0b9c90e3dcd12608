//! RFC 3339 timestamps, as Bird writes and reads them.

use std::fmt;
use std::str::FromStr;

use whatsapp_common::ValidationError;
use whatsapp_common::time::{civil_from_days, days_from_civil, days_in_month};

/// An RFC 3339 timestamp (`2025-10-24T00:41:22.23Z`, `2024-01-01T10:00:00+02:00`),
/// any number of fraction digits. Kept as written; compared by instant.
///
/// ```
/// use channels::Timestamp;
/// let t: Timestamp = "2025-10-24T00:41:22.23Z".parse()?;
/// assert_eq!(t.unix_millis(), 1_761_266_482_230);
/// assert_eq!(t.to_string(), "2025-10-24T00:41:22.23Z");
/// # Ok::<(), whatsapp_common::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    raw: String,
    unix_millis: i64,
}

impl Timestamp {
    /// Parses RFC 3339 (a `T` or a space between date and time, `Z` or an offset).
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let bad = |why: &str| {
            ValidationError::new(
                "timestamp",
                format!("{s:?} is not an RFC 3339 timestamp like 2025-10-24T00:41:22Z: {why}"),
            )
        };
        let b = s.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't' | b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(bad("expected YYYY-MM-DDTHH:MM:SS and an offset"));
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, ValidationError> {
            b[r].iter().try_fold(0u32, |n, &c| {
                if c.is_ascii_digit() {
                    Ok(n * 10 + u32::from(c - b'0'))
                } else {
                    Err(bad("non-digit"))
                }
            })
        };
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(i64::from(y), mo) {
            return Err(bad("no such date"));
        }
        if h > 23 || mi > 59 || se > 60 {
            return Err(bad("no such time"));
        }
        let mut rest = &b[19..];
        let mut millis = 0i64;
        if let Some(frac) = rest.strip_prefix(b".") {
            let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return Err(bad("empty fraction"));
            }
            // Milliseconds: the first three digits, padded with zeros.
            millis = (0..3).fold(0, |ms, i| {
                ms * 10
                    + frac
                        .get(i)
                        .filter(|_| i < digits)
                        .map_or(0, |c| i64::from(c - b'0'))
            });
            rest = &frac[digits..];
        }
        let offset_minutes: i64 = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2]
                if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) =>
            {
                let oh = i64::from((h1 - b'0') * 10 + (h2 - b'0'));
                let om = i64::from((m1 - b'0') * 10 + (m2 - b'0'));
                if oh > 23 || om > 59 {
                    return Err(bad("offset out of range"));
                }
                let m = oh * 60 + om;
                if *sign == b'-' { -m } else { m }
            }
            _ => return Err(bad("the offset must be Z or ±hh:mm")),
        };
        let days = days_from_civil(i64::from(y), mo, d);
        let secs = days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(se.min(59))
            - offset_minutes * 60;
        Ok(Self {
            raw: s.to_owned(),
            unix_millis: secs * 1000 + millis,
        })
    }

    /// The UTC timestamp for `unix_millis`, written with milliseconds and `Z`.
    pub fn from_unix_millis(unix_millis: i64) -> Self {
        let (days, ms) = (
            unix_millis.div_euclid(86_400_000),
            unix_millis.rem_euclid(86_400_000),
        );
        let (y, mo, d) = civil_from_days(days);
        let secs = ms / 1000;
        let raw = format!(
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            ms % 1000
        );
        Self { raw, unix_millis }
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(&self) -> i64 {
        self.unix_millis
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl FromStr for Timestamp {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Parsed from the input's own text where the decoder can lend it.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Timestamp, E> {
                Timestamp::parse(s).map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3339 timestamps: every one-character, two-character or empty span replaced
    /// by a two- or four-byte character is refused or read, never a panic
    /// (the digits were once sliced out of the text by byte position).
    #[test]
    fn multibyte_characters_anywhere_are_refused_not_panics() {
        whatsapp_common::hostile::assert_no_panic_on_multibyte_spans(
            &["2025-10-24T00:41:22.522Z", "2024-01-01T10:00:00+02:00"],
            Timestamp::parse,
        );
    }

    #[test]
    fn parses_fractions_and_offsets() {
        let a = Timestamp::parse("2023-06-23T15:51:19.660Z").unwrap();
        let b = Timestamp::parse("2023-06-23T17:51:19.66+02:00").unwrap();
        assert_eq!(a.unix_millis(), b.unix_millis());
        assert_eq!(
            Timestamp::parse("2023-06-23T15:51:19Z")
                .unwrap()
                .unix_millis()
                % 1000,
            0
        );
        assert_eq!(
            Timestamp::parse("2023-06-23T15:51:19.123456789Z")
                .unwrap()
                .unix_millis()
                % 1000,
            123
        );
        for (text, ms) in [
            ("2023-06-23T15:51:19.1Z", 100),
            ("2023-06-23T15:51:19.12Z", 120),
            ("2023-06-23T15:51:19.007Z", 7),
        ] {
            assert_eq!(
                Timestamp::parse(text).unwrap().unix_millis() % 1000,
                ms,
                "{text}"
            );
        }
        for bad in [
            "2023-06-23",
            "2023-06-23T15:51:19",
            "2023-06-23T15:51:19+0200",
            "2023-02-30T00:00:00Z",
            "2023-06-23T15:51:19.Z",
            "2023-06-23T15:51:19.1x",
            "2023-06-2xT15:51:19Z",
            "+023-06-23T15:51:19Z",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
        let t = Timestamp::from_unix_millis(1_687_535_479_660);
        assert_eq!(t.as_str(), "2023-06-23T15:51:19.660Z");
    }
}
