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

mod clean;
mod country;

use clean::clean;
pub use country::DefaultCountry;
use country::country_code_len;

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
    /// Digits without `+` or `00` and no default country: they may be
    /// national (`8 495 …` in Russia) or international, and a guess could
    /// address someone else.
    #[error(
        "phone number {input:?} has no '+' or '00': write it internationally ('+7 495 …'), parse it with a default country, or take digits known to be international with PhoneNumber::from_international_digits"
    )]
    NeedsCountry {
        /// The digits as given.
        input: String,
    },
    /// Digits parsed with a default country are not one of its national
    /// numbers: the wrong length, with or without the trunk prefix.
    #[error(
        "phone number has {found} digits, not a national number of +{calling_code} ({expected} digits after the trunk prefix); write it internationally ('+…')"
    )]
    NotNational {
        /// The default country's calling code.
        calling_code: &'static str,
        /// How many digits the country's national numbers have.
        expected: usize,
        /// How many digits were given.
        found: usize,
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

impl PhoneNumber {
    /// Parses a number written internationally: `+41 79 302 67 27` or
    /// `0041 79 302 67 27`.
    ///
    /// Digits without `+` or `00` are refused with
    /// [`PhoneError::NeedsCountry`], as libphonenumber refuses them without
    /// a region: `8 495 123-45-67` is a Moscow number to a Russian reader
    /// and `+84 95 …` (Vietnam) to a parser that guesses. Parse what people
    /// type with [`PhoneNumber::parse_with_default`]; take digits you know
    /// to be international (a vendor's wire format, an E.164 column stored
    /// without `+`) with [`PhoneNumber::from_international_digits`].
    ///
    /// ```
    /// use whatsapp_common::{DefaultCountry, PhoneError, PhoneNumber};
    ///
    /// assert_eq!(PhoneNumber::parse("+7 495 123-45-67")?.digits(), "74951234567");
    /// assert!(matches!(
    ///     PhoneNumber::parse("8 495 123-45-67"),
    ///     Err(PhoneError::NeedsCountry { .. })
    /// ));
    /// let moscow = PhoneNumber::parse_with_default("8 495 123-45-67", DefaultCountry::RU)?;
    /// assert_eq!(moscow.e164(), "+74951234567");
    /// # Ok::<(), PhoneError>(())
    /// ```
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let c = clean(input)?;
        match c.international() {
            Some(digits) => Self::from_digits(digits),
            None => Err(PhoneError::NeedsCountry { input: c.digits }),
        }
    }

    /// Takes digits that are known to be international, country code first,
    /// with or without a leading `+` or `00`: what the vendors' wire formats
    /// carry (`41793026727`). Separators are allowed as in
    /// [`PhoneNumber::parse`].
    ///
    /// Use it only for digits from a source that writes numbers
    /// internationally; for anything a person typed, use
    /// [`PhoneNumber::parse_with_default`].
    ///
    /// ```
    /// use whatsapp_common::PhoneNumber;
    /// let n = PhoneNumber::from_international_digits("41793026727")?;
    /// assert_eq!(n.e164(), "+41793026727");
    /// # Ok::<(), whatsapp_common::PhoneError>(())
    /// ```
    pub fn from_international_digits(input: &str) -> Result<Self, PhoneError> {
        let c = clean(input)?;
        Self::from_digits(c.international().unwrap_or(&c.digits))
    }

    /// Parses what a person in `country` would type, national forms
    /// included: `8 (495) 123-45-67` in Russia, `079 302 67 27` in
    /// Switzerland, `(415) 555-2671` in the US. International forms (`+…`,
    /// `00…`) are taken as in [`PhoneNumber::parse`].
    ///
    /// Digits without `+` or `00` are a national number of `country`: after
    /// its trunk prefix (`8`, `0`, `1`), or without it. Where the country's
    /// national numbers have a known length, a number of another length is
    /// refused ([`PhoneError::NotNational`]), except one that is the
    /// country's calling code followed by a national number of that length
    /// (`7 921 123 45 67` in Russia).
    pub fn parse_with_default(input: &str, country: DefaultCountry) -> Result<Self, PhoneError> {
        let c = clean(input)?;
        if let Some(digits) = c.international() {
            return Self::from_digits(digits);
        }
        let national_len = country.national_len.map(usize::from);
        let fits = |national: &str| national_len.is_none_or(|n| n == national.len());
        let national = match c.digits.strip_prefix(country.trunk_prefix) {
            Some(after) if fits(after) => after,
            _ if national_len.is_none() || fits(&c.digits) => &c.digits,
            _ => match c.digits.strip_prefix(country.calling_code) {
                Some(after) if fits(after) => after,
                _ => {
                    return Err(PhoneError::NotNational {
                        calling_code: country.calling_code,
                        expected: national_len.unwrap_or_default(),
                        found: c.digits.len(),
                    });
                }
            },
        };
        Self::from_digits(&format!("{}{national}", country.calling_code))
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
    /// Accepts what vendors send: international digits with or without
    /// `+` ([`PhoneNumber::from_international_digits`]).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::__private::deserialize_str_with(d, Self::from_international_digits)
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
            ("+41793026727", "41793026727", "41"),
            ("+972 (54) 123.4567", "972541234567", "972"),
            ("+1 (415) 555-2671", "14155552671", "1"),
            ("\u{a0}+44 20 7946 0958 ", "442079460958", "44"),
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

    /// The national and international forms of RU, KZ, GB, DE, BR, IL, IN
    /// and US numbers: without a default country only `+`/`00` parse;
    /// with one, every form gives the same number.
    #[test]
    fn national_and_international_forms_by_country() {
        use DefaultCountry as C;
        let cases: [(C, &str, &[&str], &[&str]); 8] = [
            // (country, E.164 digits, international forms, national forms)
            (
                C::RU,
                "74951234567",
                &["+7 495 123-45-67", "007 495 1234567"],
                &[
                    "8 495 123-45-67",
                    "8 (495) 123-45-67",
                    "495 123 45 67",
                    "7 495 123 45 67",
                ],
            ),
            (
                C::KZ,
                "77011234567",
                &["+7 701 123 4567", "00 7 701 123 4567"],
                &["8 701 123 4567", "701 123 4567", "7 701 123 4567"],
            ),
            (
                C::GB,
                "442079460958",
                &["+44 20 7946 0958", "0044 20 7946 0958"],
                &["020 7946 0958", "(020) 7946-0958"],
            ),
            (
                C::DE,
                "4930123456",
                &["+49 30 123456", "0049 30 123456"],
                &["030 123456", "(030) 12 34 56"],
            ),
            (
                C::BR,
                "5511912345678",
                &["+55 11 91234-5678", "0055 11 912345678"],
                &["(11) 91234-5678", "011 91234 5678"],
            ),
            (
                C::IL,
                "972501234567",
                &["+972 50-123-4567", "00972 50 123 4567"],
                &["050-123-4567", "050 1234567"],
            ),
            (
                C::IN,
                "919876543210",
                &["+91 98765 43210", "0091 98765 43210"],
                &["098765 43210", "98765 43210", "91 98765 43210"],
            ),
            (
                C::US,
                "14155552671",
                &["+1 415 555 2671", "001 415 555 2671"],
                &["(415) 555-2671", "1 415 555 2671", "415.555.2671"],
            ),
        ];
        for (country, digits, international, national) in cases {
            for input in international {
                let n = PhoneNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
                assert_eq!(n.digits(), digits, "{input}");
                let d = PhoneNumber::parse_with_default(input, country).unwrap();
                assert_eq!(d.digits(), digits, "{input} with a default");
            }
            for input in national {
                assert!(
                    matches!(
                        PhoneNumber::parse(input),
                        Err(PhoneError::NeedsCountry { .. })
                    ),
                    "{input} without a default country"
                );
                let n = PhoneNumber::parse_with_default(input, country)
                    .unwrap_or_else(|e| panic!("{input}: {e}"));
                assert_eq!(n.digits(), digits, "{input} in +{}", country.calling_code());
            }
            // The explicit constructor for digits known to be international.
            let n = PhoneNumber::from_international_digits(digits).unwrap();
            assert_eq!(n.digits(), digits);
        }
    }

    /// The numbers that a guessing parser sent to other countries.
    #[test]
    fn bare_digits_are_never_guessed() {
        for input in [
            "8 495 123-45-67", // was +84 951234567, Vietnam
            "8 701 123 4567",  // was +870 11234567, Inmarsat
            "495 123 45 67",   // was +49 51234567, Germany
            "8 921 123-45-67",
            "41793026727",
            "079 302 67 27",
        ] {
            let err = PhoneNumber::parse(input).unwrap_err();
            assert!(matches!(err, PhoneError::NeedsCountry { .. }), "{input}");
            assert!(err.to_string().contains("from_international_digits"));
        }
        let ru = PhoneNumber::parse_with_default("8 495 123-45-67", DefaultCountry::RU).unwrap();
        assert_eq!(ru.e164(), "+74951234567");
        let kz = PhoneNumber::parse_with_default("8 701 123 4567", DefaultCountry::KZ).unwrap();
        assert_eq!(kz.e164(), "+77011234567");
        let ru = PhoneNumber::parse_with_default("495 123 45 67", DefaultCountry::RU).unwrap();
        assert_eq!(ru.e164(), "+74951234567");
    }

    /// `00` is an international prefix only as written first; two zeros
    /// that separators break up are digits of a national number (found by
    /// the phone_parse fuzz target: `( (0(020 79 2(8` read as +20 79 28).
    #[test]
    fn only_a_leading_00_is_an_international_prefix() {
        for input in [
            "( (0(020 79 2(8",
            "0 0 44 20 7946 0958",
            "0-044 20 7946 0958",
            "(00) 41 79 302 67 27",
        ] {
            let err = PhoneNumber::parse(input).unwrap_err();
            assert!(
                matches!(err, PhoneError::NeedsCountry { .. }),
                "{input}: {err}"
            );
        }
        for input in [
            "0044 20 7946 0958",
            "  0044-20-7946-0958",
            "00 44 20 7946 0958",
        ] {
            assert_eq!(
                PhoneNumber::parse(input).unwrap().e164(),
                "+442079460958",
                "{input}"
            );
        }
    }

    #[test]
    fn a_default_country_with_a_known_length_refuses_other_lengths() {
        let ch = PhoneNumber::parse_with_default("079 302 67 27", DefaultCountry::CH).unwrap();
        assert_eq!(ch.digits(), "41793026727");
        let ru = PhoneNumber::parse_with_default("8-210-123-45-67", DefaultCountry::RU).unwrap();
        assert_eq!(ru.digits(), "72101234567");
        // 10 national digits for RU: 9 and 11 (without trunk prefix or
        // calling code) are refused.
        for input in ["921 123 45 6", "9 921 123 45 67", "8 921 123 45 678"] {
            assert_eq!(
                PhoneNumber::parse_with_default(input, DefaultCountry::RU),
                Err(PhoneError::NotNational {
                    calling_code: "7",
                    expected: 10,
                    found: input.chars().filter(char::is_ascii_digit).count(),
                }),
                "{input}"
            );
        }
        // An international number given with a default country stays itself.
        let intl =
            PhoneNumber::parse_with_default("0041 79 302 67 27", DefaultCountry::RU).unwrap();
        assert_eq!(intl.digits(), "41793026727");
    }

    #[test]
    fn international_digits_from_the_wire() {
        for (input, digits) in [
            ("41793026727", "41793026727"),
            ("+41793026727", "41793026727"),
            ("0041793026727", "41793026727"),
            ("81312345678", "81312345678"),
            ("8613812345678", "8613812345678"),
            ("72101234567", "72101234567"),
        ] {
            let n = PhoneNumber::from_international_digits(input).unwrap();
            assert_eq!(n.digits(), digits, "{input}");
        }
        assert_eq!(
            PhoneNumber::from_international_digits("0793026727"),
            Err(PhoneError::InvalidCountryCode)
        );
        assert!(PhoneNumber::from_international_digits("").is_err());
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
        for wire in ["\"0041793026727\"", "\"41793026727\"", "\"+41793026727\""] {
            let back: PhoneNumber = serde_json::from_str(wire).unwrap();
            assert_eq!(back, n, "{wire}");
        }
        assert!(serde_json::from_str::<PhoneNumber>("\"abc\"").is_err());
        assert_eq!(format!("{n:?}"), "PhoneNumber(+41793026727)");
        assert_eq!(n.to_string(), "+41793026727");
    }
}
