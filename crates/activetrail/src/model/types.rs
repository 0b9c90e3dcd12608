//! Value types shared by the request and the response: .NET dates, GUIDs,
//! enums that are numbers in JSON and names in XML, ordered key/value lists.

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;
use serde::de::{self, Visitor};
use whatsapp_common::time::days_in_month;
use whatsapp_common::{ValidationError, validate};

/// A .NET `DateTime` as ActiveTrail writes it: `2016-12-24T14:12:12`,
/// optionally with up to 7 fraction digits and a `Z` or `±hh:mm` suffix.
/// Kept exactly as written, so it re-encodes unchanged.
///
/// ```
/// use activetrail::DotNetDateTime;
/// let t: DotNetDateTime = "2016-12-24T14:12:12".parse()?;
/// assert_eq!(t.date(), (2016, 12, 24));
/// assert_eq!(t.to_string(), "2016-12-24T14:12:12");
/// # Ok::<(), whatsapp_common::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DotNetDateTime {
    raw: Inline<33>,
    date: (u16, u8, u8),
    time: (u8, u8, u8),
}

impl DotNetDateTime {
    /// Parses the .NET round-trip forms.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let bad = |why: &str| {
            ValidationError::new(
                "date",
                format!("{s:?} is not a date-time like 2016-12-24T14:12:12: {why}"),
            )
        };
        let b = s.as_bytes();
        if b.len() < 19
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(bad("expected YYYY-MM-DDTHH:MM:SS"));
        }
        // Read from bytes, so a field end inside a multi-byte character is
        // a refusal rather than a slicing panic.
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |n, &c| {
                let d = c.wrapping_sub(b'0');
                (d < 10).then(|| n * 10 + u32::from(d))
            })
        };
        let fields = (|| {
            Some([
                num(0..4)?,
                num(5..7)?,
                num(8..10)?,
                num(11..13)?,
                num(14..16)?,
                num(17..19)?,
            ])
        })();
        let Some([y, mo, d, h, mi, se]) = fields else {
            return Err(bad("non-digit"));
        };
        if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(i64::from(y), mo) {
            return Err(bad("no such date"));
        }
        if h > 23 || mi > 59 || se > 59 {
            return Err(bad("no such time"));
        }
        let mut rest = &s[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if !(1..=7).contains(&digits) {
                return Err(bad("1 to 7 fraction digits"));
            }
            rest = &frac[digits..];
        }
        match rest.as_bytes() {
            [] | [b'Z'] => {}
            [b'+' | b'-', h1, h2, b':', m1, m2]
                if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) => {}
            _ => return Err(bad("the suffix must be Z or ±hh:mm")),
        }
        Ok(Self {
            // At most 19 + 8 + 6 ASCII bytes once the checks above passed.
            raw: Inline::new(s).ok_or_else(|| bad("too long"))?,
            date: (y as u16, mo as u8, d as u8),
            time: (h as u8, mi as u8, se as u8),
        })
    }

    /// A UTC moment with no suffix, as in the documented samples, from
    /// seconds since the Unix epoch.
    pub fn from_unix_utc(secs: i64) -> Self {
        let (y, mo, d) = whatsapp_common::time::civil_from_days(secs.div_euclid(86_400));
        let s = secs.rem_euclid(86_400);
        let raw = format!(
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}",
            s / 3600,
            s / 60 % 60,
            s % 60
        );
        Self {
            raw: Inline::new(&raw).unwrap_or_default(),
            date: (y as u16, mo as u8, d as u8),
            time: ((s / 3600) as u8, (s / 60 % 60) as u8, (s % 60) as u8),
        }
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        self.raw.as_str()
    }
    /// Year, month, day.
    pub fn date(&self) -> (u16, u8, u8) {
        self.date
    }
    /// Hour, minute, second.
    pub fn time(&self) -> (u8, u8, u8) {
        self.time
    }
}

impl fmt::Display for DotNetDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.raw.as_str())
    }
}

impl FromStr for DotNetDateTime {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl serde::Serialize for DotNetDateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.raw.as_str())
    }
}

impl<'de> Deserialize<'de> for DotNetDateTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        whatsapp_common::__private::deserialize_str_with(d, |s| Self::parse(s.trim()))
    }
}

/// Checked ASCII text of at most `N` bytes, kept inline: dates and GUIDs
/// arrive by the dozen in one answer, and none of them needs the heap.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Inline<const N: usize> {
    bytes: [u8; N],
    len: u8,
}

impl<const N: usize> Default for Inline<N> {
    fn default() -> Self {
        Self {
            bytes: [0; N],
            len: 0,
        }
    }
}

impl<const N: usize> Inline<N> {
    /// `s`, when it is ASCII and at most `N` bytes long.
    fn new(s: &str) -> Option<Self> {
        if !s.is_ascii() || s.len() > N {
            return None;
        }
        let mut bytes = [0; N];
        bytes[..s.len()].copy_from_slice(s.as_bytes());
        Some(Self {
            bytes,
            len: u8::try_from(s.len()).ok()?,
        })
    }

    fn as_str(&self) -> &str {
        // ASCII by construction.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl<const N: usize> fmt::Debug for Inline<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// A GUID in its dashed form, as ActiveTrail writes ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Guid(Inline<36>);

impl Guid {
    /// Checks the `8-4-4-4-12` hex form (braces not accepted).
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        validate::uuid(s, "guid")?;
        // A UUID is 36 ASCII bytes: it fits.
        Inline::new(s)
            .map(Self)
            .ok_or_else(|| ValidationError::new("guid", "is not 36 ASCII characters"))
    }
    /// The GUID as written.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl serde::Serialize for Guid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for Guid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        whatsapp_common::__private::deserialize_str_with(d, |s| Self::parse(s.trim()))
    }
}

/// Declares an enum written as a number in JSON and as a member name in
/// XML, with `Unknown(i64)` for unknown numbers and `Other(String)` for
/// unknown names. It displays as its XML text: the name, or the number
/// where no name is known.
macro_rules! dual_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = ($value:literal, $wire:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A number this version does not know (JSON).
            Unknown(i64),
            /// A name this version does not know (XML).
            Other(String),
        }

        impl $name {
            /// The JSON number, when known.
            pub fn number(&self) -> Option<i64> {
                match self {
                    $( Self::$variant => Some($value), )+
                    Self::Unknown(n) => Some(*n),
                    Self::Other(_) => None,
                }
            }

            /// The XML name, when known.
            pub fn xml_name(&self) -> Option<&str> {
                match self {
                    $( Self::$variant => Some($wire), )+
                    Self::Unknown(_) => None,
                    Self::Other(s) => Some(s.as_str()),
                }
            }

            /// From the JSON number.
            pub fn from_number(n: i64) -> Self {
                match n {
                    $( $value => Self::$variant, )+
                    other => Self::Unknown(other),
                }
            }

            /// From the XML name (or a number written as text).
            pub fn from_name(s: &str) -> Self {
                let s = s.trim();
                $( if s.eq_ignore_ascii_case($wire) { return Self::$variant; } )+
                match s.parse::<i64>() {
                    Ok(n) => Self::from_number(n),
                    Err(_) => Self::Other(s.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::Unknown(n) => write!(f, "{n}"),
                    // Every other value has a name.
                    _ => f.write_str(self.xml_name().unwrap_or_default()),
                }
            }
        }

        /// Written as JSON writes it: the number where one is known, else
        /// the name.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match (self.number(), self) {
                    (Some(n), _) => s.serialize_i64(n),
                    (None, Self::Other(name)) => s.serialize_str(name),
                    (None, _) => s.serialize_unit(),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a number or a member name")
                    }
                    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<$name, E> {
                        Ok($name::from_number(v))
                    }
                    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<$name, E> {
                        i64::try_from(v).map($name::from_number).map_err(E::custom)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::from_name(v))
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

dual_enum! {
    /// `statustype` / `StatusType` of a campaign. Only `None` (0) is
    /// known from the documented samples.
    pub enum StatusType {
        /// `0` / `None`.
        None = (0, "None"),
    }
}

dual_enum! {
    /// `sendtype` / `SendType` of a campaign. Only `Regular` (1) is known.
    pub enum SendType {
        /// `1` / `Regular`.
        Regular = (1, "Regular"),
    }
}

dual_enum! {
    /// `type` / `Type` of a campaign. Only `Template` (1) is known.
    pub enum CampaignType {
        /// `1` / `Template`.
        Template = (1, "Template"),
    }
}

dual_enum! {
    /// `Type` of an attachment. Only `IMAGE` (0) is known.
    pub enum AttachmentType {
        /// `0` / `IMAGE`.
        Image = (0, "IMAGE"),
    }
}

/// An ordered list of key/value pairs: a JSON object, or in XML a list of
/// `KeyValueOf…` items with `Key` and `Value`. Order and duplicate keys are
/// kept, as .NET keeps them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyValues<V>(pub Vec<(String, V)>);

impl<V> KeyValues<V> {
    /// The pairs in order.
    pub fn pairs(&self) -> &[(String, V)] {
        &self.0
    }
    /// The first value for `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl<V: serde::Serialize> serde::Serialize for KeyValues<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for KeyValues<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KvVisitor<V>(std::marker::PhantomData<V>);

        #[derive(Deserialize)]
        struct Item<V> {
            #[serde(alias = "key", rename = "Key")]
            key: String,
            #[serde(alias = "value", rename = "Value")]
            value: V,
        }

        impl<'de, V: Deserialize<'de>> Visitor<'de> for KvVisitor<V> {
            type Value = KeyValues<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or a list of Key/Value items")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    out.push((k, v));
                }
                Ok(KeyValues(out))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<Item<V>>()? {
                    out.push((item.key, item.value));
                }
                Ok(KeyValues(out))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v.trim().is_empty() {
                    Ok(KeyValues(Vec::new()))
                } else {
                    Err(E::custom("expected key/value pairs, found text"))
                }
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(KeyValues(Vec::new()))
            }
        }
        d.deserialize_any(KvVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dates and GUIDs: every one-character, two-character or empty span replaced
    /// by a two- or four-byte character is refused or read, never a panic
    /// (the digits were once sliced out of the text by byte position).
    #[test]
    fn multibyte_characters_anywhere_are_refused_not_panics() {
        whatsapp_common::hostile::assert_no_panic_on_multibyte_spans(
            &[
                "2016-12-24T14:12:12",
                "2016-12-24T14:12:12.1234567+02:00",
                "2016-12-24T14:12:12Z",
            ],
            DotNetDateTime::parse,
        );
    }

    /// GUIDs: every one-character, two-character or empty span replaced
    /// by a two- or four-byte character is refused or read, never a panic
    /// (the digits were once sliced out of the text by byte position).
    #[test]
    fn guids_with_multibyte_characters_are_refused_not_panics() {
        whatsapp_common::hostile::assert_no_panic_on_multibyte_spans(
            &["31203993-a781-4163-95dd-ae3bfa386fc4"],
            Guid::parse,
        );
    }

    #[test]
    fn dotnet_dates() {
        for ok in [
            "2016-12-24T14:12:12",
            "2012-05-23T20:21:37.9116538Z",
            "2016-12-24T14:12:12.5+02:00",
            "2024-02-29T00:00:00-05:30",
        ] {
            assert_eq!(DotNetDateTime::parse(ok).unwrap().to_string(), ok);
        }
        for bad in [
            "2016-12-24",
            "2016-12-24 14:12:12",
            "2016-13-24T14:12:12",
            "2023-02-29T14:12:12",
            "2016-12-24T24:12:12",
            "2016-12-24T14:12:12.12345678",
            "2016-12-24T14:12:12+0200",
            "2016-12-24T14:12:12x",
            // A two-byte character across a field's end: refused, not a
            // slice panic.
            "2016-12-24T14:12:1é",
            "2016-12-2é14:12:12",
        ] {
            assert!(DotNetDateTime::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            DotNetDateTime::from_unix_utc(1_482_588_732).to_string(),
            "2016-12-24T14:12:12"
        );
    }

    #[test]
    fn guids() {
        assert!(Guid::parse("31203993-a781-4163-95dd-ae3bfa386fc4").is_ok());
        assert!(Guid::parse("31203993-A781-4163-95DD-AE3BFA386FC4").is_ok());
        for bad in [
            "",
            "31203993a7814163",
            "{31203993-a781-4163-95dd-ae3bfa386fc4}",
            "g1203993-a781-4163-95dd-ae3bfa386fc4",
        ] {
            assert!(Guid::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dual_enums_read_numbers_and_names() {
        assert_eq!(
            serde_json::from_str::<SendType>("1").unwrap(),
            SendType::Regular
        );
        assert_eq!(
            serde_json::from_str::<SendType>("7").unwrap(),
            SendType::Unknown(7)
        );
        assert_eq!(SendType::from_name("Regular"), SendType::Regular);
        assert_eq!(SendType::from_name("regular"), SendType::Regular);
        assert_eq!(SendType::from_name("Bulk"), SendType::Other("Bulk".into()));
        assert_eq!(SendType::from_name("1"), SendType::Regular);
        assert_eq!(AttachmentType::Image.xml_name(), Some("IMAGE"));
        assert_eq!(AttachmentType::Image.number(), Some(0));
        assert_eq!(StatusType::Other("Sent".into()).number(), None);
        assert_eq!(AttachmentType::Image.to_string(), "IMAGE");
        assert_eq!(SendType::Unknown(7).to_string(), "7");
        assert_eq!(StatusType::Other("Sent".into()).to_string(), "Sent");
    }
}
