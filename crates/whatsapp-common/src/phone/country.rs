//! Countries: how national numbers are written in one, and the length
//! of an international number's country calling code.

/// How national numbers are written in a country: its calling code and the
/// trunk prefix dialled before a national number (`8` in Russia, `0` in most
/// of Europe).
///
/// Used only by [`PhoneNumber::parse_with_default`](crate::PhoneNumber::parse_with_default)
/// to turn a national number into an international one.
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
    pub(super) calling_code: &'static str,
    pub(super) trunk_prefix: &'static str,
    pub(super) national_len: Option<u8>,
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

pub(super) fn country_code_len(digits: &[u8]) -> usize {
    match digits.first() {
        Some(b'1' | b'7') => 1,
        Some(_) if digits.len() >= 2 => {
            let two = (digits[0] - b'0') * 10 + (digits[1] - b'0');
            if TWO_DIGIT_CODES.contains(&two) { 2 } else { 3 }
        }
        _ => 1,
    }
}
