//! The gateway's date-time form: `2019-05-10T16:29:30+0300`.

use std::fmt;
use std::str::FromStr;

use whatsapp_common::ValidationError;
use whatsapp_common::time::{civil_from_days, days_from_civil, days_in_month};

/// A local date-time with a UTC offset, in the gateway's form
/// `YYYY-MM-DDTHH:MM:SS±HHMM` (no colon in the offset).
///
/// Used for `scheduleInfo.deadline` and the dates in callbacks.
///
/// ```
/// use gateway_ru::GatewayTimestamp;
/// let t: GatewayTimestamp = "2019-05-10T16:29:30+0300".parse()?;
/// assert_eq!(t.offset_minutes(), 180);
/// assert_eq!(t.unix_seconds(), 1_557_494_970);
/// assert_eq!(t.to_string(), "2019-05-10T16:29:30+0300");
/// # Ok::<(), whatsapp_common::ValidationError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GatewayTimestamp {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    offset_minutes: i16,
}

/// The number written in `digits` (ASCII digits only). Works on bytes, so
/// a field boundary inside a multi-byte character is a refusal, not a
/// slicing panic.
fn num(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

impl GatewayTimestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SS±HHMM`.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let bad = |why: &str| {
            ValidationError::new(
                "timestamp",
                format!("{s:?} is not a date-time like 2019-05-10T16:29:30+0300: {why}"),
            )
        };
        let b = s.as_bytes();
        if b.len() != 24 {
            return Err(bad("expected 24 characters"));
        }
        if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
            return Err(bad("separators must be - - T : :"));
        }
        let sign = match b[19] {
            b'+' => 1,
            b'-' => -1,
            _ => return Err(bad("offset must start with + or -")),
        };
        let field = |r: std::ops::Range<usize>| num(&b[r]).ok_or_else(|| bad("non-digit"));
        let (year, month, day) = (field(0..4)?, field(5..7)?, field(8..10)?);
        let (hour, minute, second) = (field(11..13)?, field(14..16)?, field(17..19)?);
        let (oh, om) = (field(20..22)?, field(22..24)?);
        if !(1..=12).contains(&month) {
            return Err(bad("month out of range"));
        }
        if day == 0 || day > days_in_month(i64::from(year), month) {
            return Err(bad("day out of range"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(bad("time out of range"));
        }
        if oh > 14 || om > 59 {
            return Err(bad("offset out of range"));
        }
        Ok(Self {
            year: year as u16,
            month: month as u8,
            day: day as u8,
            hour: hour as u8,
            minute: minute as u8,
            second: second as u8,
            offset_minutes: sign * (oh * 60 + om) as i16,
        })
    }

    /// The instant `unix_seconds` seen at UTC offset `offset_minutes`
    /// (Moscow is `180`).
    pub fn from_unix(unix_seconds: i64, offset_minutes: i16) -> Result<Self, ValidationError> {
        if offset_minutes.unsigned_abs() > 14 * 60 {
            return Err(ValidationError::new(
                "timestamp",
                "offset must be within ±14 hours",
            ));
        }
        let local = unix_seconds + i64::from(offset_minutes) * 60;
        let (y, m, d) = civil_from_days(local.div_euclid(86_400));
        if !(0..=9999).contains(&y) {
            return Err(ValidationError::new(
                "timestamp",
                "year must be 0000..=9999",
            ));
        }
        let secs = local.rem_euclid(86_400);
        Ok(Self {
            year: y as u16,
            month: m as u8,
            day: d as u8,
            hour: (secs / 3600) as u8,
            minute: (secs / 60 % 60) as u8,
            second: (secs % 60) as u8,
            offset_minutes,
        })
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(&self) -> i64 {
        let days = days_from_civil(
            i64::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        );
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.offset_minutes) * 60
    }

    /// The UTC offset in minutes.
    pub fn offset_minutes(&self) -> i16 {
        self.offset_minutes
    }

    /// Year, month, day as written.
    pub fn date(&self) -> (u16, u8, u8) {
        (self.year, self.month, self.day)
    }

    /// Hour, minute, second as written.
    pub fn time(&self) -> (u8, u8, u8) {
        (self.hour, self.minute, self.second)
    }
}

impl fmt::Display for GatewayTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let off = self.offset_minutes.unsigned_abs();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}{:02}",
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            off / 60,
            off % 60
        )
    }
}

impl FromStr for GatewayTimestamp {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl serde::Serialize for GatewayTimestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for GatewayTimestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        whatsapp_common::__private::deserialize_str_with(d, Self::parse)
    }
}

/// Serde helper: an empty string (the gateway's "no date") as `None`.
pub(crate) mod empty_as_none {
    use super::GatewayTimestamp;
    use serde::Deserialize;

    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<GatewayTimestamp>, D::Error> {
        let s = Option::<std::borrow::Cow<'de, str>>::deserialize(d)?;
        match s.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => GatewayTimestamp::parse(s)
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gateway timestamps: every one-character, two-character or empty span replaced
    /// by a two- or four-byte character is refused or read, never a panic
    /// (the digits were once sliced out of the text by byte position).
    #[test]
    fn multibyte_characters_anywhere_are_refused_not_panics() {
        whatsapp_common::hostile::assert_no_panic_on_multibyte_spans(
            &["2019-05-10T16:29:30+0300", "2020-02-29T00:00:00-0130"],
            GatewayTimestamp::parse,
        );
    }

    #[test]
    fn parses_and_renders() {
        let t = GatewayTimestamp::parse("2024-12-31T16:29:30+0300").unwrap();
        assert_eq!(t.date(), (2024, 12, 31));
        assert_eq!(t.time(), (16, 29, 30));
        assert_eq!(t.to_string(), "2024-12-31T16:29:30+0300");
        assert_eq!(t.unix_seconds(), 1_735_651_770);
        let neg = GatewayTimestamp::parse("2020-02-29T00:00:00-0130").unwrap();
        assert_eq!(neg.offset_minutes(), -90);
        assert_eq!(neg.to_string(), "2020-02-29T00:00:00-0130");
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "2019-05-10T16:29:30+03:00",
            "2019-05-10 16:29:30+0300",
            "2019-13-10T16:29:30+0300",
            "2019-02-29T16:29:30+0300",
            "2019-05-10T24:00:00+0300",
            "2019-05-10T16:60:30+0300",
            "2019-05-10T16:29:30Z0300",
            "2019-05-10T16:29:30+1500",
            "2019-05-1xT16:29:30+0300",
            // Two-byte characters across field ends, at 24 bytes in all.
            "2019-05-10T16:29:30+0é0",
            "2019-05-10T16:29:3é+030",
        ] {
            assert!(GatewayTimestamp::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn from_unix_round_trips() {
        for (secs, off) in [
            (0, 0),
            (1_557_494_970, 180),
            (951_782_400, -90),
            (4_102_444_799, 840),
        ] {
            let t = GatewayTimestamp::from_unix(secs, off).unwrap();
            assert_eq!(t.unix_seconds(), secs, "{t}");
            assert_eq!(GatewayTimestamp::parse(&t.to_string()).unwrap(), t);
        }
        assert_eq!(
            GatewayTimestamp::from_unix(1_557_494_970, 180)
                .unwrap()
                .to_string(),
            "2019-05-10T16:29:30+0300"
        );
        assert!(GatewayTimestamp::from_unix(0, 15 * 60).is_err());
    }
}
