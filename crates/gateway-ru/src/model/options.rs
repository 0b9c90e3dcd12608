//! Send options: lifetime (`ttl`), schedule, delivery reports, extra
//! parameters.

use serde::Serialize;
use whatsapp_common::ValidationError;

use super::timestamp::GatewayTimestamp;

whatsapp_common::str_enum! {
    /// Unit of `ttl`. The gateway's default is minutes.
    pub enum TtlUnit {
        /// `SECONDS`
        Seconds = "SECONDS",
        /// `MINUTES` (the default)
        Minutes = "MINUTES",
        /// `HOURS`
        Hours = "HOURS",
    }
}

/// How long the gateway keeps trying to deliver a message.
///
/// The gateway documents lifetimes of 1 to 7 whole days in minutes (1440,
/// 2880, …, 10080), the default unit. Its own cascade example sends
/// `ttl: 120` with `ttlUnit: SECONDS`, so other units are accepted with any
/// value from 1 up to the same 7-day maximum. Leave `ttl` unset for the
/// account default (the gateway treats `0` the same way).
///
/// ```
/// use gateway_ru::{Ttl, TtlUnit};
/// let one_day = Ttl::days(1)?;
/// assert_eq!((one_day.value(), one_day.unit()), (1440, None));
/// assert!(Ttl::minutes(1000).is_err());
/// let two_minutes = Ttl::seconds(120)?;
/// assert_eq!(two_minutes.unit(), Some(&TtlUnit::Seconds));
/// # Ok::<(), whatsapp_common::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ttl {
    value: u32,
    unit: Option<TtlUnit>,
}

impl Ttl {
    /// The documented lifetimes in minutes: one to seven days.
    pub const DOCUMENTED_MINUTES: [u32; 7] = [1440, 2880, 4320, 5760, 7200, 8640, 10080];
    const MAX_SECONDS: u32 = 7 * 24 * 3600;

    /// `days` whole days (1–7), sent in minutes with no `ttlUnit` (as in the
    /// documented sample).
    pub fn days(days: u8) -> Result<Self, ValidationError> {
        if !(1..=7).contains(&days) {
            return Err(ValidationError::new(
                "message.data.ttl",
                format!("{days} days is outside the documented 1 to 7 days"),
            ));
        }
        Ok(Self {
            value: u32::from(days) * 1440,
            unit: None,
        })
    }

    /// A lifetime in minutes (the default unit, sent without `ttlUnit`):
    /// one of [`Ttl::DOCUMENTED_MINUTES`].
    pub fn minutes(minutes: u32) -> Result<Self, ValidationError> {
        if !Self::DOCUMENTED_MINUTES.contains(&minutes) {
            return Err(ValidationError::new(
                "message.data.ttl",
                format!(
                    "{minutes} minutes is not a documented lifetime; use one of {:?} (1 to 7 days)",
                    Self::DOCUMENTED_MINUTES
                ),
            ));
        }
        Ok(Self {
            value: minutes,
            unit: None,
        })
    }

    /// A lifetime in seconds (`ttlUnit: SECONDS`), 1 to 604800 (7 days).
    pub fn seconds(seconds: u32) -> Result<Self, ValidationError> {
        Self::with_unit(seconds, TtlUnit::Seconds, 1)
    }

    /// A lifetime in hours (`ttlUnit: HOURS`), 1 to 168 (7 days).
    pub fn hours(hours: u32) -> Result<Self, ValidationError> {
        Self::with_unit(hours, TtlUnit::Hours, 3600)
    }

    fn with_unit(value: u32, unit: TtlUnit, secs_per: u32) -> Result<Self, ValidationError> {
        let max = Self::MAX_SECONDS / secs_per;
        if value == 0 || value > max {
            return Err(ValidationError::new(
                "message.data.ttl",
                format!(
                    "{value} {} is outside 1..={max} (at most 7 days); leave ttl unset for the account default",
                    unit.as_str().to_lowercase()
                ),
            ));
        }
        Ok(Self {
            value,
            unit: Some(unit),
        })
    }

    /// Also send `ttlUnit: MINUTES` for a lifetime in the default unit.
    #[must_use]
    pub fn with_explicit_unit(mut self) -> Self {
        if self.unit.is_none() {
            self.unit = Some(TtlUnit::Minutes);
        }
        self
    }

    /// The value sent as `ttl`.
    pub fn value(&self) -> u32 {
        self.value
    }

    /// The unit sent as `ttlUnit`, if any (none means minutes).
    pub fn unit(&self) -> Option<&TtlUnit> {
        self.unit.as_ref()
    }
}

/// When the gateway may deliver: a daily time window, weekdays and a final
/// deadline. Without it the message is sent at once.
///
/// ```
/// use gateway_ru::ScheduleInfo;
/// let s = ScheduleInfo::builder()
///     .window("10:00", "20:00")
///     .weekdays("12345")
///     .deadline("2019-05-10T16:29:30+0300")
///     .build()?;
/// # let _ = s;
/// # Ok::<(), whatsapp_common::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    time_begin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weekdays_schedule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<GatewayTimestamp>,
}

impl ScheduleInfo {
    /// Starts a schedule.
    pub fn builder() -> ScheduleInfoBuilder {
        ScheduleInfoBuilder::default()
    }

    /// Start of the daily window (`HH:MM`).
    pub fn time_begin(&self) -> Option<&str> {
        self.time_begin.as_deref()
    }
    /// End of the daily window (`HH:MM`).
    pub fn time_end(&self) -> Option<&str> {
        self.time_end.as_deref()
    }
    /// Days allowed, digits 1 (Monday) to 7 (Sunday).
    pub fn weekdays(&self) -> Option<&str> {
        self.weekdays_schedule.as_deref()
    }
    /// The last moment to send.
    pub fn deadline(&self) -> Option<&GatewayTimestamp> {
        self.deadline.as_ref()
    }
}

/// Builds a [`ScheduleInfo`]; `build()` checks every field.
#[derive(Debug, Clone, Default)]
pub struct ScheduleInfoBuilder {
    time_begin: Option<String>,
    time_end: Option<String>,
    weekdays: Option<String>,
    deadline: Option<String>,
}

impl ScheduleInfoBuilder {
    /// The daily window, `HH:MM` to `HH:MM` (24-hour clock), in UTC+3 or
    /// in the recipient's zone with `use_time_diff(true)`.
    #[must_use]
    pub fn window(mut self, begin: impl Into<String>, end: impl Into<String>) -> Self {
        self.time_begin = Some(begin.into());
        self.time_end = Some(end.into());
        self
    }
    /// Only a start time.
    #[must_use]
    pub fn time_begin(mut self, begin: impl Into<String>) -> Self {
        self.time_begin = Some(begin.into());
        self
    }
    /// Only an end time.
    #[must_use]
    pub fn time_end(mut self, end: impl Into<String>) -> Self {
        self.time_end = Some(end.into());
        self
    }
    /// Allowed weekdays as digits, 1 (Monday) to 7 (Sunday): `"12345"`.
    /// Empty means every day and is not sent.
    #[must_use]
    pub fn weekdays(mut self, days: impl Into<String>) -> Self {
        self.weekdays = Some(days.into());
        self
    }
    /// Last moment to send, `2019-05-10T16:29:30+0300`.
    #[must_use]
    pub fn deadline(mut self, deadline: impl Into<String>) -> Self {
        self.deadline = Some(deadline.into());
        self
    }

    /// Checks and builds.
    pub fn build(self) -> Result<ScheduleInfo, ValidationError> {
        for (value, field) in [
            (&self.time_begin, "scheduleInfo.timeBegin"),
            (&self.time_end, "scheduleInfo.timeEnd"),
        ] {
            if let Some(v) = value {
                validate_hh_mm(v, field)?;
            }
        }
        let weekdays = match self.weekdays {
            Some(d) if d.is_empty() => None,
            Some(d) => {
                let mut seen = [false; 8];
                for c in d.chars() {
                    let n = match c {
                        '1'..='7' => c as usize - '0' as usize,
                        _ => {
                            return Err(ValidationError::new(
                                "scheduleInfo.weekdaysSchedule",
                                format!(
                                    "{c:?} is not a weekday digit; use 1 (Monday) to 7 (Sunday)"
                                ),
                            ));
                        }
                    };
                    if std::mem::replace(&mut seen[n], true) {
                        return Err(ValidationError::new(
                            "scheduleInfo.weekdaysSchedule",
                            format!("weekday {c} is given twice"),
                        ));
                    }
                }
                Some(d)
            }
            None => None,
        };
        let deadline = self
            .deadline
            .map(|d| GatewayTimestamp::parse(&d).map_err(|e| e.within("scheduleInfo.deadline")))
            .transpose()?;
        Ok(ScheduleInfo {
            time_begin: self.time_begin,
            time_end: self.time_end,
            weekdays_schedule: weekdays,
            deadline,
        })
    }
}

fn validate_hh_mm(v: &str, field: &'static str) -> Result<(), ValidationError> {
    let b = v.as_bytes();
    let ok = b.len() == 5
        && b[2] == b':'
        && b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit)
        && (b[0] - b'0') * 10 + (b[1] - b'0') <= 23
        && b[3] <= b'5';
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!("{v:?} is not a time of day; use HH:MM from 00:00 to 23:59"),
        ))
    }
}

/// `registeredDelivery`: which delivery reports the gateway sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegisteredDelivery {
    /// `0`: no reports.
    None,
    /// `1`: every status (the gateway's default).
    All,
    /// `2`: only "undelivered".
    UndeliveredOnly,
}

impl Serialize for RegisteredDelivery {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(match self {
            Self::None => 0,
            Self::All => 1,
            Self::UndeliveredOnly => 2,
        })
    }
}

/// `extraParam`: extra `name=value` pairs, encoded as the gateway wants:
/// pairs joined by `,`, a comma inside a value doubled.
///
/// ```
/// use gateway_ru::ExtraParams;
/// let p = ExtraParams::new()
///     .with("coordinates", "53.8085896, 58.6362112")?
///     .with("from", "23.02.09")?;
/// assert_eq!(p.encode(), "coordinates=53.8085896,, 58.6362112,from=23.02.09");
/// assert_eq!(ExtraParams::decode(&p.encode())?, p);
/// # Ok::<(), whatsapp_common::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExtraParams(Vec<(String, String)>);

impl ExtraParams {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `name=value`. Names must be non-empty and hold neither `,` nor
    /// `=`; values may hold anything (commas are doubled when encoded).
    pub fn with(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Self, ValidationError> {
        let name = name.into();
        if name.is_empty() || name.contains([',', '=']) {
            return Err(ValidationError::new(
                "extraParam",
                format!(
                    "parameter name {name:?} must be non-empty and contain neither ',' nor '='"
                ),
            ));
        }
        self.0.push((name, value.into()));
        Ok(self)
    }

    /// The pairs, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The wire form: `a=1,b=x,,y`.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(k);
            out.push('=');
            out.push_str(&v.replace(',', ",,"));
        }
        out
    }

    /// Parses the wire form back into pairs.
    pub fn decode(s: &str) -> Result<Self, ValidationError> {
        let mut pairs = Vec::new();
        let mut current = String::new();
        let mut chars = s.chars().peekable();
        let mut finish = |segment: &mut String| -> Result<(), ValidationError> {
            let (k, v) = segment.split_once('=').ok_or_else(|| {
                ValidationError::new("extraParam", format!("{segment:?} has no '='"))
            })?;
            pairs.push((k.to_owned(), v.to_owned()));
            segment.clear();
            Ok(())
        };
        while let Some(c) = chars.next() {
            if c == ',' {
                if chars.peek() == Some(&',') {
                    chars.next();
                    current.push(',');
                } else {
                    finish(&mut current)?;
                }
            } else {
                current.push(c);
            }
        }
        if !s.is_empty() {
            finish(&mut current)?;
        }
        let mut out = Self::new();
        for (k, v) in pairs {
            out = out.with(k, v)?;
        }
        Ok(out)
    }
}
