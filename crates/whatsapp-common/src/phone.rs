//! International phone numbers (E.164), parsed from what people type.
//!
//! Every vendor in this workspace addresses a WhatsApp user by phone number,
//! and each wants a slightly different rendering of it (digits only, or with a
//! leading `+`). [`PhoneNumber`] holds the validated E.164 digits once and
//! renders both forms.
//!
//! Validation is syntactic (see `docs/architecture.md` for why the
//! `phonenumber` crate is not used): a known-length country calling code, a
//! national number of at least 4 digits, at most 15 digits in all.

use std::fmt;
use std::str::FromStr;

/// The most digits an E.164 number may have, country code included.
pub const MAX_DIGITS: usize = 15;
/// The fewest digits the national part (after the country code) may have.
pub const MIN_NATIONAL_DIGITS: usize = 4;

/// A validated international phone number in E.164 form.
///
/// ```
/// use whatsapp_common::PhoneNumber;
///
/// let n: PhoneNumber = "0041 79 302 67 27".parse()?;
/// assert_eq!(n.digits(), "41793026727");
/// assert_eq!(n.e164(), "+41793026727");
/// assert_eq!(n.country_code(), "41");
/// # Ok::<(), whatsapp_common::PhoneError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber {
    /// E.164 digits without `+`.
    digits: Box<str>,
    /// Length of the country calling code within `digits`.
    cc_len: u8,
}

/// Why a string is not a phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PhoneError {
    /// Nothing but separators was given.
    #[error("phone number is empty")]
    Empty,
    /// A character that is neither a digit nor a separator (space, `-`, `.`, `(`, `)`, `/`).
    #[error(
        "phone number contains {found:?} at position {position}: only digits, a leading '+' and the separators ' -.()/' are allowed"
    )]
    InvalidCharacter {
        /// The offending character.
        found: char,
        /// Its character index in the input.
        position: usize,
    },
    /// A national number (trunk prefix such as `8` or `0`) with no default country.
    #[error(
        "phone number {input:?} looks national (starts with a trunk prefix); give it with its country code ('+…') or parse it with a default country"
    )]
    NeedsCountry {
        /// The digits as given.
        input: String,
    },
    /// The country calling code starts with 0.
    #[error("phone number has no valid country code: it must not start with 0")]
    InvalidCountryCode,
    /// Fewer digits than a real number has.
    #[error(
        "phone number has {national} digits after country code +{country_code}; at least {MIN_NATIONAL_DIGITS} are required"
    )]
    TooShort {
        /// The country calling code found.
        country_code: String,
        /// How many digits followed it.
        national: usize,
    },
    /// More than 15 digits.
    #[error("phone number has {digits} digits; E.164 allows at most {MAX_DIGITS}")]
    TooLong {
        /// How many digits were given.
        digits: usize,
    },
}

impl From<PhoneError> for crate::ValidationError {
    fn from(e: PhoneError) -> Self {
        crate::ValidationError::new("phone", e.to_string())
    }
}

/// How national numbers are written in a country: its calling code and the
/// trunk prefix dialled before a national number (`8` in Russia, `0` in most
/// of Europe).
///
/// Used only by [`PhoneNumber::parse_with_default`] to turn a national number
/// into an international one.
///
/// ```
/// use whatsapp_common::{DefaultCountry, PhoneNumber};
///
/// let n = PhoneNumber::parse_with_default("8 (921) 123-45-67", DefaultCountry::RU)?;
/// assert_eq!(n.e164(), "+79211234567");
/// # Ok::<(), whatsapp_common::PhoneError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultCountry {
    calling_code: &'static str,
    trunk_prefix: &'static str,
    national_len: Option<u8>,
}

impl DefaultCountry {
    /// Russia: `+7`, trunk prefix `8`, 10-digit national numbers.
    pub const RU: Self = Self::new("7", "8", Some(10));
    /// Kazakhstan: `+7`, trunk prefix `8`, 10-digit national numbers.
    pub const KZ: Self = Self::new("7", "8", Some(10));
    /// United States, Canada and the rest of the NANP: `+1`, trunk prefix `1`, 10-digit national numbers.
    pub const US: Self = Self::new("1", "1", Some(10));
    /// United Kingdom: `+44`, trunk prefix `0`.
    pub const GB: Self = Self::new("44", "0", None);
    /// Germany: `+49`, trunk prefix `0`.
    pub const DE: Self = Self::new("49", "0", None);
    /// Switzerland: `+41`, trunk prefix `0`, 9-digit national numbers.
    pub const CH: Self = Self::new("41", "0", Some(9));
    /// France: `+33`, trunk prefix `0`, 9-digit national numbers.
    pub const FR: Self = Self::new("33", "0", Some(9));
    /// Israel: `+972`, trunk prefix `0`.
    pub const IL: Self = Self::new("972", "0", None);
    /// Brazil: `+55`, trunk prefix `0`.
    pub const BR: Self = Self::new("55", "0", None);
    /// India: `+91`, trunk prefix `0`, 10-digit national numbers.
    pub const IN: Self = Self::new("91", "0", Some(10));

    /// A country not in the list above.
    ///
    /// `national_len`, when known, lets a national number typed without its
    /// trunk prefix (e.g. `9211234567` in Russia) be recognised too.
    pub const fn new(
        calling_code: &'static str,
        trunk_prefix: &'static str,
        national_len: Option<u8>,
    ) -> Self {
        Self {
            calling_code,
            trunk_prefix,
            national_len,
        }
    }

    /// The country calling code, without `+`.
    pub const fn calling_code(&self) -> &'static str {
        self.calling_code
    }
}

/// Two-digit ITU country calling codes. Codes starting with 1 or 7 are one
/// digit; every other assigned code is three digits.
const TWO_DIGIT_CODES: [u8; 44] = [
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56,
    57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];

fn country_code_len(digits: &[u8]) -> usize {
    match digits.first() {
        Some(b'1' | b'7') => 1,
        Some(_) if digits.len() >= 2 => {
            let two = (digits[0] - b'0') * 10 + (digits[1] - b'0');
            if TWO_DIGIT_CODES.contains(&two) { 2 } else { 3 }
        }
        _ => 1,
    }
}

/// What the input looked like once separators were stripped.
struct Cleaned {
    plus: bool,
    digits: String,
}

fn clean(input: &str) -> Result<Cleaned, PhoneError> {
    let mut plus = false;
    let mut digits = String::with_capacity(input.len());
    for (position, c) in input.trim().chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if position == 0 => plus = true,
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' => {}
            found => return Err(PhoneError::InvalidCharacter { found, position }),
        }
        if digits.len() > MAX_DIGITS + 4 {
            // Long enough to be rejected whatever follows; stop copying.
            return Err(PhoneError::TooLong {
                digits: digits.len(),
            });
        }
    }
    if digits.is_empty() {
        return Err(PhoneError::Empty);
    }
    Ok(Cleaned { plus, digits })
}

impl PhoneNumber {
    /// Parses an international number: `+41 79 302 67 27`, `0041 79 302 67 27`
    /// or bare digits starting with the country code (`41793026727`).
    ///
    /// A number starting with a single `0`, or an 11-digit one starting with
    /// `89` (a Russian mobile written nationally), looks national and is refused with [`PhoneError::NeedsCountry`]: use
    /// [`PhoneNumber::parse_with_default`] for those.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let c = clean(input)?;
        if c.plus {
            return Self::from_digits(&c.digits);
        }
        if let Some(rest) = c.digits.strip_prefix("00") {
            return Self::from_digits(rest);
        }
        if c.digits.starts_with('0') || (c.digits.starts_with("89") && c.digits.len() == 11) {
            // A single leading 0 is a trunk prefix. `8 9xx …` is a Russian or
            // Kazakh mobile written nationally: no country code starts with 89,
            // so the guess "international" could only be wrong. (Other numbers
            // starting with 8 are valid international ones: 81 Japan, 86 China.)
            return Err(PhoneError::NeedsCountry { input: c.digits });
        }
        Self::from_digits(&c.digits)
    }

    /// Parses what a person in `country` would type, national forms included:
    /// `8 (921) 123-45-67` in Russia, `079 302 67 27` in Switzerland.
    /// International forms (`+…`, `00…`) are accepted as in [`PhoneNumber::parse`].
    pub fn parse_with_default(input: &str, country: DefaultCountry) -> Result<Self, PhoneError> {
        let c = clean(input)?;
        if c.plus {
            return Self::from_digits(&c.digits);
        }
        if let Some(rest) = c.digits.strip_prefix("00") {
            return Self::from_digits(rest);
        }
        let national_len = country.national_len.map(usize::from);
        if let Some(national) = c.digits.strip_prefix(country.trunk_prefix)
            && national_len.is_none_or(|n| n == national.len())
        {
            return Self::from_digits(&format!("{}{national}", country.calling_code));
        }
        if national_len == Some(c.digits.len()) {
            return Self::from_digits(&format!("{}{}", country.calling_code, c.digits));
        }
        Self::from_digits(&c.digits)
    }

    fn from_digits(digits: &str) -> Result<Self, PhoneError> {
        let bytes = digits.as_bytes();
        if bytes.is_empty() {
            return Err(PhoneError::Empty);
        }
        if bytes.len() > MAX_DIGITS {
            return Err(PhoneError::TooLong {
                digits: bytes.len(),
            });
        }
        if bytes[0] == b'0' {
            return Err(PhoneError::InvalidCountryCode);
        }
        let cc_len = country_code_len(bytes);
        let national = bytes.len().saturating_sub(cc_len);
        if national < MIN_NATIONAL_DIGITS {
            return Err(PhoneError::TooShort {
                country_code: digits[..cc_len.min(digits.len())].to_owned(),
                national,
            });
        }
        Ok(Self {
            digits: digits.into(),
            cc_len: cc_len as u8,
        })
    }

    /// Digits only, country code first, no `+`: `41793026727`.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// E.164 with the leading `+`: `+41793026727`.
    pub fn e164(&self) -> String {
        format!("+{}", self.digits)
    }

    /// The country calling code, without `+`: `41`.
    pub fn country_code(&self) -> &str {
        &self.digits[..usize::from(self.cc_len)]
    }

    /// The national significant number, after the country code: `793026727`.
    pub fn national_number(&self) -> &str {
        &self.digits[usize::from(self.cc_len)..]
    }
}

impl FromStr for PhoneNumber {
    type Err = PhoneError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for PhoneNumber {
    type Error = PhoneError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse(s)
    }
}

impl fmt::Display for PhoneNumber {
    /// Formats as E.164 with `+`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.digits)
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber(+{})", self.digits)
    }
}

impl serde::Serialize for PhoneNumber {
    /// Serializes as E.164 with `+`; vendor crates choose their own rendering.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PhoneNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::__private::deserialize_str_with(d, Self::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_people_type() {
        let cases = [
            ("+7 921 123-45-67", "79211234567", "7"),
            ("0041 79 302 67 27", "41793026727", "41"),
            ("41793026727", "41793026727", "41"),
            ("+41793026727", "41793026727", "41"),
            ("+972 (54) 123.4567", "972541234567", "972"),
            ("+1 (415) 555-2671", "14155552671", "1"),
            ("72101234567", "72101234567", "7"),
        ];
        for (input, digits, cc) in cases {
            let n = PhoneNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(n.digits(), digits, "{input}");
            assert_eq!(n.e164(), format!("+{digits}"), "{input}");
            assert_eq!(n.country_code(), cc, "{input}");
            assert_eq!(
                format!("{}{}", n.country_code(), n.national_number()),
                digits
            );
        }
    }

    #[test]
    fn national_form_needs_a_default_country() {
        assert_eq!(
            PhoneNumber::parse("8 (921) 123-45-67"),
            Err(PhoneError::NeedsCountry {
                input: "89211234567".into()
            })
        );
        // Japan and China written without '+' stay international.
        assert_eq!(
            PhoneNumber::parse("81312345678").unwrap().country_code(),
            "81"
        );
        assert_eq!(
            PhoneNumber::parse("8613812345678").unwrap().country_code(),
            "86"
        );
        assert!(matches!(
            PhoneNumber::parse("079 302 67 27"),
            Err(PhoneError::NeedsCountry { .. })
        ));
        let ru = PhoneNumber::parse_with_default("8 (921) 123-45-67", DefaultCountry::RU).unwrap();
        assert_eq!(ru.digits(), "79211234567");
        let ru = PhoneNumber::parse_with_default("8-210-123-45-67", DefaultCountry::RU).unwrap();
        assert_eq!(ru.digits(), "72101234567");
        let ru = PhoneNumber::parse_with_default("921 123 45 67", DefaultCountry::RU).unwrap();
        assert_eq!(ru.digits(), "79211234567");
        let ru = PhoneNumber::parse_with_default("+7 921 123-45-67", DefaultCountry::RU).unwrap();
        assert_eq!(ru.digits(), "79211234567");
        let ch = PhoneNumber::parse_with_default("079 302 67 27", DefaultCountry::CH).unwrap();
        assert_eq!(ch.digits(), "41793026727");
        let us = PhoneNumber::parse_with_default("(415) 555-2671", DefaultCountry::US).unwrap();
        assert_eq!(us.digits(), "14155552671");
        // An international number given with a default country stays itself.
        let intl =
            PhoneNumber::parse_with_default("0041 79 302 67 27", DefaultCountry::RU).unwrap();
        assert_eq!(intl.digits(), "41793026727");
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        assert_eq!(PhoneNumber::parse(""), Err(PhoneError::Empty));
        assert_eq!(PhoneNumber::parse(" - ( ) "), Err(PhoneError::Empty));
        assert_eq!(
            PhoneNumber::parse("+7 921 ABC"),
            Err(PhoneError::InvalidCharacter {
                found: 'A',
                position: 7
            })
        );
        assert!(matches!(
            PhoneNumber::parse("7+921"),
            Err(PhoneError::InvalidCharacter { found: '+', .. })
        ));
        assert_eq!(
            PhoneNumber::parse("+0123456789"),
            Err(PhoneError::InvalidCountryCode)
        );
    }

    #[test]
    fn length_limits_on_both_sides() {
        // 15 digits: the most E.164 allows.
        assert!(PhoneNumber::parse("+123456789012345").is_ok());
        assert_eq!(
            PhoneNumber::parse("+1234567890123456"),
            Err(PhoneError::TooLong { digits: 16 })
        );
        // Very long input is refused without copying all of it.
        assert!(matches!(
            PhoneNumber::parse(&"1".repeat(10_000)),
            Err(PhoneError::TooLong { .. })
        ));
        // National part: 4 digits is the minimum.
        assert_eq!(
            PhoneNumber::parse("+41 1234").unwrap().national_number(),
            "1234"
        );
        assert_eq!(
            PhoneNumber::parse("+41 123"),
            Err(PhoneError::TooShort {
                country_code: "41".into(),
                national: 3
            })
        );
        assert_eq!(
            PhoneNumber::parse("+683 4002").unwrap().country_code(),
            "683"
        );
        assert!(matches!(
            PhoneNumber::parse("+683 400"),
            Err(PhoneError::TooShort { .. })
        ));
    }

    #[test]
    fn serde_round_trip_and_redaction_free_debug() {
        let n = PhoneNumber::parse("+41 79 302 67 27").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"+41793026727\"");
        let back: PhoneNumber = serde_json::from_str("\"0041793026727\"").unwrap();
        assert_eq!(back, n);
        assert!(serde_json::from_str::<PhoneNumber>("\"abc\"").is_err());
        assert_eq!(format!("{n:?}"), "PhoneNumber(+41793026727)");
        assert_eq!(n.to_string(), "+41793026727");
    }
}
