//! The WhatsApp send request and its parts.

use std::fmt;

use serde::Serialize;
use serde::ser::SerializeMap;
use whatsapp_common::{PhoneNumber, ValidationError, new_id};

use super::timestamp::GatewayTimestamp;

/// Most characters of WhatsApp text the gateway accepts.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Most characters of `notifyUrl`.
pub const MAX_NOTIFY_URL_CHARS: usize = 2048;
/// Most characters of a partner-side `id` this SDK sends. The gateway
/// documents no limit; 64 leaves room for any UUID or database key.
pub const MAX_ID_CHARS: usize = 64;

/// What a WhatsApp message carries: text *or* an image, never both (the
/// gateway refuses two kinds of content in one message).
///
/// ```
/// use gateway_ru::InstantContent;
/// let text = InstantContent::text("Заказ №1042 отправлен");
/// let image = InstantContent::image_url("https://example.ru/image.jpg");
/// # let _ = (text, image);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "data")]
#[non_exhaustive]
pub enum InstantContent {
    /// `TEXT`: up to 1000 characters.
    #[serde(rename = "TEXT")]
    Text {
        /// The message text.
        text: String,
    },
    /// `IMAGE_URL`: an image the gateway fetches (400×400 JPG or PNG recommended).
    #[serde(rename = "IMAGE_URL")]
    ImageUrl {
        /// Where the image is.
        #[serde(rename = "imageURL")]
        image_url: String,
    },
}

impl InstantContent {
    /// A text message.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text { text: text.into() }
    }

    /// An image message.
    pub fn image_url(url: impl Into<String>) -> Self {
        Self::ImageUrl {
            image_url: url.into(),
        }
    }

    fn validate(&self, field: &'static str) -> Result<(), ValidationError> {
        match self {
            Self::Text { text } => validate_text(text, field),
            Self::ImageUrl { image_url } => validate_url(image_url, field, None),
        }
    }
}

fn validate_text(text: &str, field: &'static str) -> Result<(), ValidationError> {
    if text.trim().is_empty() {
        return Err(ValidationError::new(field, "text must not be empty"));
    }
    let n = text.chars().count();
    if n > MAX_TEXT_CHARS {
        return Err(ValidationError::new(
            field,
            format!("text is {n} characters; the gateway accepts at most {MAX_TEXT_CHARS}"),
        ));
    }
    Ok(())
}

fn validate_url(url: &str, field: &'static str, max: Option<usize>) -> Result<(), ValidationError> {
    if url.trim().is_empty() {
        return Err(ValidationError::new(field, "URL must not be empty"));
    }
    if let Some(max) = max {
        let n = url.chars().count();
        if n > max {
            return Err(ValidationError::new(
                field,
                format!("URL is {n} characters; at most {max} are allowed"),
            ));
        }
    }
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
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

whatsapp_common::str_enum! {
    /// Message channel in a cascade step (and in delivery reports).
    pub enum MessageType {
        /// `WHATSAPP`
        WhatsApp = "WHATSAPP",
        /// `SMS`
        Sms = "SMS",
        /// `VIBER`
        Viber = "VIBER",
        /// `VK`
        Vk = "VK",
        /// `PUSH`
        Push = "PUSH",
        /// `TELEGRAM`
        Telegram = "TELEGRAM",
        /// `TGCODE`
        TgCode = "TGCODE",
        /// `FLASHINGCALL`
        FlashingCall = "FLASHINGCALL",
        /// `MAX`
        Max = "MAX",
        /// `CARDSMOBILE`
        CardsMobile = "CARDSMOBILE",
    }
}

/// When a cascade step fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum CascadeState {
    /// `DELIVERED`: send the next step if the previous one is not delivered
    /// within its lifetime.
    Delivered,
    /// `READ`: send the next step if the previous one is not read within its
    /// lifetime (not for flashing calls).
    Read,
}

/// The message of a cascade step.
///
/// WhatsApp and SMS are typed (the gateway documents both); other channels
/// take their documented `data` object as JSON.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CascadeMessage {
    /// A WhatsApp message, as in the main request.
    WhatsApp(WhatsAppMessage),
    /// An SMS.
    Sms {
        /// Message text.
        text: String,
        /// Sender name.
        service_number: Option<String>,
        /// Lifetime, in `ttl_unit` (the gateway's default for SMS is minutes).
        ttl: Option<u32>,
        /// Unit of `ttl`.
        ttl_unit: Option<TtlUnit>,
    },
    /// Any other channel (`VIBER`, `VK`, `PUSH`, `TELEGRAM`, `FLASHINGCALL`):
    /// the `data` object of that channel's own send, sent as given.
    Other {
        /// `message.type`.
        message_type: MessageType,
        /// `message.data`.
        data: serde_json::Map<String, serde_json::Value>,
    },
}

impl CascadeMessage {
    /// An SMS step.
    pub fn sms(text: impl Into<String>, service_number: impl Into<String>) -> Self {
        Self::Sms {
            text: text.into(),
            service_number: Some(service_number.into()),
            ttl: None,
            ttl_unit: None,
        }
    }

    fn message_type(&self) -> MessageType {
        match self {
            Self::WhatsApp(_) => MessageType::WhatsApp,
            Self::Sms { .. } => MessageType::Sms,
            Self::Other { message_type, .. } => message_type.clone(),
        }
    }
}

impl Serialize for CascadeMessage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::WhatsApp(m) => m.serialize(s),
            Self::Sms {
                text,
                service_number,
                ttl,
                ttl_unit,
            } => {
                #[derive(Serialize)]
                #[serde(rename_all = "camelCase")]
                struct Data<'a> {
                    text: &'a str,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    service_number: Option<&'a str>,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    ttl: Option<u32>,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    ttl_unit: Option<&'a TtlUnit>,
                }
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("type", "SMS")?;
                m.serialize_entry(
                    "data",
                    &Data {
                        text,
                        service_number: service_number.as_deref(),
                        ttl: *ttl,
                        ttl_unit: ttl_unit.as_ref(),
                    },
                )?;
                m.end()
            }
            Self::Other { message_type, data } => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("type", message_type)?;
                m.serialize_entry("data", data)?;
                m.end()
            }
        }
    }
}

/// `cascadeChainLink`: what to send next if the message is not delivered
/// (or not read) within its lifetime. Links chain through `next_link`.
///
/// Cascades are off until the gateway enables them for the account.
///
/// ```
/// use gateway_ru::{CascadeChainLink, CascadeMessage, CascadeState};
/// let fallback = CascadeChainLink::new(
///     CascadeState::Delivered,
///     CascadeMessage::sms("Your code is 1234", "SHOP"),
/// );
/// # let _ = fallback;
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CascadeChainLink {
    state: CascadeState,
    message: CascadeMessage,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_link: Option<Box<CascadeChainLink>>,
}

impl CascadeChainLink {
    /// A step sent when the previous one reaches no `state` in time.
    pub fn new(state: CascadeState, message: CascadeMessage) -> Self {
        Self {
            state,
            message,
            next_link: None,
        }
    }

    /// The step after this one.
    #[must_use]
    pub fn then(mut self, next: CascadeChainLink) -> Self {
        self.next_link = Some(Box::new(next));
        self
    }

    /// The firing condition.
    pub fn state(&self) -> CascadeState {
        self.state
    }
    /// The message of this step.
    pub fn message(&self) -> &CascadeMessage {
        &self.message
    }
    /// The next step, if any.
    pub fn next_link(&self) -> Option<&CascadeChainLink> {
        self.next_link.as_deref()
    }

    fn validate(&self) -> Result<(), ValidationError> {
        let mut link = Some(self);
        let mut depth = 0usize;
        let mut path = String::from("cascadeChainLink");
        while let Some(l) = link {
            depth += 1;
            if depth > 10 {
                return Err(ValidationError::new(
                    "cascadeChainLink",
                    "more than 10 cascade steps; the gateway's channels allow far fewer",
                ));
            }
            if l.state == CascadeState::Read
                && l.message.message_type() == MessageType::FlashingCall
            {
                return Err(ValidationError::new(
                    format!("{path}.state"),
                    "a FLASHINGCALL step can only be triggered by DELIVERED",
                ));
            }
            match &l.message {
                CascadeMessage::WhatsApp(m) => m
                    .validate()
                    .map_err(|e| e.within(&format!("{path}.message")))?,
                CascadeMessage::Sms { text, .. } if text.trim().is_empty() => {
                    return Err(ValidationError::new(
                        format!("{path}.message.data.text"),
                        "SMS text must not be empty",
                    ));
                }
                _ => {}
            }
            link = l.next_link.as_deref();
            path.push_str(".nextLink");
        }
        Ok(())
    }
}

/// The `message` object of a WhatsApp send: content, sender name, lifetime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatsAppMessage {
    content: InstantContent,
    service_number: Option<String>,
    ttl: Option<Ttl>,
}

impl WhatsAppMessage {
    /// A WhatsApp message with `content`.
    pub fn new(content: InstantContent) -> Self {
        Self {
            content,
            service_number: None,
            ttl: None,
        }
    }
    /// The sender name (`serviceNumber`) agreed with the gateway.
    #[must_use]
    pub fn service_number(mut self, name: impl Into<String>) -> Self {
        self.service_number = Some(name.into());
        self
    }
    /// The lifetime.
    #[must_use]
    pub fn ttl(mut self, ttl: Ttl) -> Self {
        self.ttl = Some(ttl);
        self
    }
    /// The content.
    pub fn content(&self) -> &InstantContent {
        &self.content
    }

    fn validate(&self) -> Result<(), ValidationError> {
        self.content.validate("data.instantContent.data")?;
        if let Some(s) = &self.service_number
            && s.trim().is_empty()
        {
            return Err(ValidationError::new(
                "data.serviceNumber",
                "sender name must not be empty; leave it unset to use the account's",
            ));
        }
        Ok(())
    }
}

impl Serialize for WhatsAppMessage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Data<'a> {
            instant_content: &'a InstantContent,
            #[serde(skip_serializing_if = "Option::is_none")]
            service_number: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            ttl: Option<u32>,
            #[serde(skip_serializing_if = "Option::is_none")]
            ttl_unit: Option<&'a TtlUnit>,
        }
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("type", "WHATSAPP")?;
        m.serialize_entry(
            "data",
            &Data {
                instant_content: &self.content,
                service_number: self.service_number.as_deref(),
                ttl: self.ttl.as_ref().map(Ttl::value),
                ttl_unit: self.ttl.as_ref().and_then(Ttl::unit),
            },
        )?;
        m.end()
    }
}

/// A WhatsApp send: recipient, content and every option the gateway
/// documents. Build it with [`SendRequest::builder`]; `build()` checks every
/// documented limit before anything is sent.
///
/// The partner-side `id` is generated (a UUID) when not given, fixed at
/// build time, and sent unchanged on every retry of this request, so the
/// gateway's duplicate control recognises a retry as the same message.
///
/// ```
/// use gateway_ru::{InstantContent, PhoneNumber, SendRequest, Ttl};
/// let req = SendRequest::builder(
///     "+7 921 123-45-67".parse::<PhoneNumber>()?,
///     InstantContent::text("Ваш заказ отправлен"),
/// )
/// .service_number("SHOP")
/// .ttl(Ttl::days(1)?)
/// .build()?;
/// assert_eq!(req.id().len(), 36);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct SendRequest {
    pub(crate) id: String,
    pub(crate) dest_addr: PhoneNumber,
    pub(crate) message: WhatsAppMessage,
    pub(crate) use_time_diff: Option<bool>,
    pub(crate) shorten_links: Option<bool>,
    pub(crate) schedule_info: Option<ScheduleInfo>,
    pub(crate) extra_param: Option<ExtraParams>,
    pub(crate) registered_delivery: Option<RegisteredDelivery>,
    pub(crate) notify_url: Option<String>,
    pub(crate) cascade_chain_link: Option<CascadeChainLink>,
}

impl fmt::Debug for SendRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // No credentials live here; the message text is the caller's and
        // shown only as its kind and length.
        let content = match &self.message.content {
            InstantContent::Text { text } => format!("Text({} chars)", text.chars().count()),
            InstantContent::ImageUrl { .. } => "ImageUrl".to_owned(),
        };
        f.debug_struct("SendRequest")
            .field("id", &self.id)
            .field("dest_addr", &self.dest_addr)
            .field("content", &content)
            .field("schedule_info", &self.schedule_info.is_some())
            .field("cascade", &self.cascade_chain_link.is_some())
            .finish_non_exhaustive()
    }
}

impl SendRequest {
    /// Starts a send to `to` with `content`.
    pub fn builder(to: PhoneNumber, content: InstantContent) -> SendRequestBuilder {
        SendRequestBuilder {
            id: None,
            to,
            message: WhatsAppMessage::new(content),
            use_time_diff: None,
            shorten_links: None,
            schedule_info: None,
            extra_param: None,
            registered_delivery: None,
            notify_url: None,
            cascade_chain_link: None,
        }
    }

    /// The partner-side id sent as `id` (given or generated).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The recipient.
    pub fn to(&self) -> &PhoneNumber {
        &self.dest_addr
    }
    /// The WhatsApp message.
    pub fn message(&self) -> &WhatsAppMessage {
        &self.message
    }
}

/// Builds a [`SendRequest`].
#[derive(Debug, Clone)]
pub struct SendRequestBuilder {
    id: Option<String>,
    to: PhoneNumber,
    message: WhatsAppMessage,
    use_time_diff: Option<bool>,
    shorten_links: Option<bool>,
    schedule_info: Option<ScheduleInfo>,
    extra_param: Option<ExtraParams>,
    registered_delivery: Option<RegisteredDelivery>,
    notify_url: Option<String>,
    cascade_chain_link: Option<CascadeChainLink>,
}

impl SendRequestBuilder {
    /// Your own unique id for this message (`id`): the gateway sends a
    /// message only once per id when its duplicate control is on, and
    /// echoes it in delivery reports. Generated when not set.
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }
    /// The sender name (`serviceNumber`); defaults to the client's.
    #[must_use]
    pub fn service_number(mut self, name: impl Into<String>) -> Self {
        self.message = self.message.service_number(name);
        self
    }
    /// How long delivery is attempted (`ttl`, `ttlUnit`).
    #[must_use]
    pub fn ttl(mut self, ttl: Ttl) -> Self {
        self.message = self.message.ttl(ttl);
        self
    }
    /// `useTimeDiff`: apply the schedule in the recipient's time zone
    /// (`true`) or in UTC+3 (`false`, the gateway's default).
    #[must_use]
    pub fn use_time_diff(mut self, on: bool) -> Self {
        self.use_time_diff = Some(on);
        self
    }
    /// `shortenLinks`: shorten long links in the text (the gateway's
    /// default when the service is enabled for you).
    #[must_use]
    pub fn shorten_links(mut self, on: bool) -> Self {
        self.shorten_links = Some(on);
        self
    }
    /// `scheduleInfo`: when the message may be sent.
    #[must_use]
    pub fn schedule(mut self, schedule: ScheduleInfo) -> Self {
        self.schedule_info = Some(schedule);
        self
    }
    /// `extraParam`: extra `name=value` pairs.
    #[must_use]
    pub fn extra_params(mut self, params: ExtraParams) -> Self {
        self.extra_param = Some(params);
        self
    }
    /// `registeredDelivery`: which delivery reports to send.
    #[must_use]
    pub fn registered_delivery(mut self, r: RegisteredDelivery) -> Self {
        self.registered_delivery = Some(r);
        self
    }
    /// `notifyUrl`: where delivery reports go for this message (non-empty,
    /// at most 2048 characters).
    #[must_use]
    pub fn notify_url(mut self, url: impl Into<String>) -> Self {
        self.notify_url = Some(url.into());
        self
    }
    /// `cascadeChainLink`: what to send if this message is not delivered or read.
    #[must_use]
    pub fn cascade(mut self, link: CascadeChainLink) -> Self {
        self.cascade_chain_link = Some(link);
        self
    }

    /// Checks every documented rule and builds the request.
    pub fn build(self) -> Result<SendRequest, ValidationError> {
        let id = match self.id {
            Some(id) => {
                if id.trim().is_empty() || id.chars().any(char::is_control) {
                    return Err(ValidationError::new(
                        "id",
                        "must be non-empty without control characters; leave it unset to generate one",
                    ));
                }
                let n = id.chars().count();
                if n > MAX_ID_CHARS {
                    return Err(ValidationError::new(
                        "id",
                        format!("is {n} characters; at most {MAX_ID_CHARS} are sent"),
                    ));
                }
                id
            }
            None => new_id(),
        };
        self.message.validate().map_err(|e| e.within("message"))?;
        if let Some(url) = &self.notify_url {
            validate_url(url, "notifyUrl", Some(MAX_NOTIFY_URL_CHARS))?;
        }
        if let Some(link) = &self.cascade_chain_link {
            link.validate()?;
        }
        Ok(SendRequest {
            id,
            dest_addr: self.to,
            message: self.message,
            use_time_diff: self.use_time_diff,
            shorten_links: self.shorten_links,
            schedule_info: self.schedule_info,
            extra_param: self.extra_param.filter(|p| !p.is_empty()),
            registered_delivery: self.registered_delivery,
            notify_url: self.notify_url,
            cascade_chain_link: self.cascade_chain_link,
        })
    }
}

/// The body on the wire: the request plus credentials, in the documented order.
pub(crate) struct WireRequest<'a> {
    pub(crate) login: &'a str,
    pub(crate) password: &'a str,
    pub(crate) default_service_number: Option<&'a str>,
    pub(crate) request: &'a SendRequest,
}

impl Serialize for WireRequest<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.request;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("login", self.login)?;
        m.serialize_entry("password", self.password)?;
        if let Some(v) = r.use_time_diff {
            m.serialize_entry("useTimeDiff", &v)?;
        }
        if let Some(v) = r.shorten_links {
            m.serialize_entry("shortenLinks", &v)?;
        }
        m.serialize_entry("id", &r.id)?;
        if let Some(v) = &r.schedule_info {
            m.serialize_entry("scheduleInfo", v)?;
        }
        m.serialize_entry("destAddr", r.dest_addr.digits())?;
        match (&r.message.service_number, self.default_service_number) {
            (None, Some(default)) => {
                let msg = r.message.clone().service_number(default);
                m.serialize_entry("message", &msg)?;
            }
            _ => m.serialize_entry("message", &r.message)?,
        }
        if let Some(v) = &r.extra_param {
            m.serialize_entry("extraParam", &v.encode())?;
        }
        if let Some(v) = &r.registered_delivery {
            m.serialize_entry("registeredDelivery", v)?;
        }
        if let Some(v) = &r.notify_url {
            m.serialize_entry("notifyUrl", v)?;
        }
        if let Some(v) = &r.cascade_chain_link {
            m.serialize_entry("cascadeChainLink", v)?;
        }
        m.end()
    }
}
