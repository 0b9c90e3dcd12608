//! The `sendWhatsappMessage` request: destinations with their message ids,
//! the message, scheduling.

use std::fmt;

use serde::Serialize;
use serde::ser::SerializeMap;
use whatsapp_common::time::{civil_from_days, unix_millis_now};
use whatsapp_common::{PhoneNumber, ValidationError, new_id};

use super::content::WhatsAppMessage;

/// Furthest ahead `sendAt` may be (the OMNI API's limit): 180 days.
pub const MAX_SEND_AT_AHEAD_MILLIS: i64 = 180 * 24 * 3600 * 1000;

/// `sendAt`: when to send, rendered as the OMNI API's
/// `yyyy-MM-dd'T'HH:mm:ss.SSSZ` in UTC (`2021-05-24T10:45:38.000+0000`).
///
/// ```
/// use huawei_cec::SendAt;
/// let at = SendAt::from_unix_millis(1_621_853_138_000);
/// assert_eq!(at.to_string(), "2021-05-24T10:45:38.000+0000");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SendAt(i64);

impl SendAt {
    /// Milliseconds since the Unix epoch.
    pub fn from_unix_millis(millis: i64) -> Self {
        Self(millis)
    }
    /// A moment given as a `SystemTime`.
    pub fn from_system_time(t: std::time::SystemTime) -> Self {
        let millis = match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_millis() as i64,
            Err(e) => -(e.duration().as_millis() as i64),
        };
        Self(millis)
    }
    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(&self) -> i64 {
        self.0
    }
}

impl fmt::Display for SendAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (days, ms_of_day) = (self.0.div_euclid(86_400_000), self.0.rem_euclid(86_400_000));
        let (y, mo, d) = civil_from_days(days);
        let secs = ms_of_day / 1000;
        write!(
            f,
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}+0000",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            ms_of_day % 1000
        )
    }
}

impl Serialize for SendAt {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One recipient: its number and the message id it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    message_id: String,
    to: PhoneNumber,
}

impl Destination {
    /// The message id sent for this recipient.
    pub fn message_id(&self) -> &str {
        &self.message_id
    }
    /// The recipient.
    pub fn to(&self) -> &PhoneNumber {
        &self.to
    }
}

impl Serialize for Destination {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct To<'a> {
            #[serde(rename = "phoneNumber")]
            phone_number: &'a str,
        }
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("messageId", &self.message_id)?;
        m.serialize_entry(
            "to",
            &To {
                phone_number: self.to.digits(),
            },
        )?;
        m.end()
    }
}

/// A `sendWhatsappMessage` request. Build with [`SendRequest::builder`].
///
/// `bulkId` and each destination's `messageId` are generated (UUIDs) when
/// not given, fixed at build time and sent unchanged on every retry, so a
/// retried send is recognisably the same message.
///
/// ```
/// use huawei_cec::{SendRequest, WhatsAppMessage};
/// let req = SendRequest::builder(WhatsAppMessage::text("Hello"))
///     .to("+41 79 302 67 27".parse()?)
///     .build()?;
/// assert_eq!(req.destinations()[0].to().digits(), "41793026727");
/// assert_eq!(req.bulk_id().len(), 36);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct SendRequest {
    scenario_key: Option<String>,
    bulk_id: String,
    destinations: Vec<Destination>,
    whatsapp: WhatsAppMessage,
    send_at: Option<SendAt>,
}

impl fmt::Debug for SendRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendRequest")
            .field("bulk_id", &self.bulk_id)
            .field("destinations", &self.destinations.len())
            .field("send_at", &self.send_at)
            .finish_non_exhaustive()
    }
}

impl Serialize for SendRequest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(k) = &self.scenario_key {
            m.serialize_entry("scenarioKey", k)?;
        }
        m.serialize_entry("bulkId", &self.bulk_id)?;
        m.serialize_entry("whatsApp", &self.whatsapp)?;
        m.serialize_entry("destinations", &self.destinations)?;
        if let Some(at) = &self.send_at {
            m.serialize_entry("sendAt", at)?;
        }
        m.end()
    }
}

impl SendRequest {
    /// Starts a request carrying `message`.
    pub fn builder(message: WhatsAppMessage) -> SendRequestBuilder {
        SendRequestBuilder {
            scenario_key: None,
            bulk_id: None,
            destinations: Vec::new(),
            whatsapp: message,
            send_at: None,
        }
    }
    /// `bulkId`, given or generated.
    pub fn bulk_id(&self) -> &str {
        &self.bulk_id
    }
    /// The recipients with their message ids.
    pub fn destinations(&self) -> &[Destination] {
        &self.destinations
    }
    /// The message.
    pub fn message(&self) -> &WhatsAppMessage {
        &self.whatsapp
    }
}

/// Builds a [`SendRequest`].
#[derive(Debug, Clone)]
pub struct SendRequestBuilder {
    scenario_key: Option<String>,
    bulk_id: Option<String>,
    destinations: Vec<(PhoneNumber, Option<String>)>,
    whatsapp: WhatsAppMessage,
    send_at: Option<SendAt>,
}

impl SendRequestBuilder {
    /// Adds a recipient; its `messageId` is generated.
    #[must_use]
    pub fn to(mut self, number: PhoneNumber) -> Self {
        self.destinations.push((number, None));
        self
    }
    /// Adds a recipient with your own `messageId`.
    #[must_use]
    pub fn to_with_id(mut self, number: PhoneNumber, message_id: impl Into<String>) -> Self {
        self.destinations.push((number, Some(message_id.into())));
        self
    }
    /// Your own `bulkId` (generated when not set).
    #[must_use]
    pub fn bulk_id(mut self, id: impl Into<String>) -> Self {
        self.bulk_id = Some(id.into());
        self
    }
    /// `scenarioKey`: the sending solution (the default one when unset).
    #[must_use]
    pub fn scenario_key(mut self, key: impl Into<String>) -> Self {
        self.scenario_key = Some(key.into());
        self
    }
    /// `sendAt`: send at this moment instead of now (at most 180 days ahead;
    /// a past moment sends at once).
    #[must_use]
    pub fn send_at(mut self, at: SendAt) -> Self {
        self.send_at = Some(at);
        self
    }

    /// Checks every documented rule and builds the request.
    pub fn build(self) -> Result<SendRequest, ValidationError> {
        if self.destinations.is_empty() {
            return Err(ValidationError::new(
                "destinations",
                "at least one recipient is required; add one with .to(…)",
            ));
        }
        self.whatsapp.validate()?;
        let id_ok = |id: &str| !id.trim().is_empty() && !id.chars().any(char::is_control);
        if let Some(b) = &self.bulk_id
            && !id_ok(b)
        {
            return Err(ValidationError::new(
                "bulkId",
                "must be non-empty without control characters; leave it unset to generate one",
            ));
        }
        if let Some(k) = &self.scenario_key
            && k.trim().is_empty()
        {
            return Err(ValidationError::new(
                "scenarioKey",
                "must not be empty; leave it unset for the default solution",
            ));
        }
        if let Some(at) = self.send_at
            && at.unix_millis() - unix_millis_now() > MAX_SEND_AT_AHEAD_MILLIS
        {
            return Err(ValidationError::new(
                "sendAt",
                format!("{at} is more than 180 days ahead"),
            ));
        }
        let mut destinations = Vec::with_capacity(self.destinations.len());
        let mut seen = std::collections::HashSet::new();
        for (i, (to, id)) in self.destinations.into_iter().enumerate() {
            let message_id = match id {
                Some(id) if id_ok(&id) => id,
                Some(_) => {
                    return Err(ValidationError::new(
                        format!("destinations[{i}].messageId"),
                        "must be non-empty without control characters",
                    ));
                }
                None => new_id(),
            };
            if !seen.insert(message_id.clone()) {
                return Err(ValidationError::new(
                    format!("destinations[{i}].messageId"),
                    format!("{message_id:?} is used twice; each message id must be unique"),
                ));
            }
            destinations.push(Destination { message_id, to });
        }
        Ok(SendRequest {
            scenario_key: self.scenario_key,
            bulk_id: self.bulk_id.unwrap_or_else(new_id),
            destinations,
            whatsapp: self.whatsapp,
            send_at: self.send_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_at_renders_the_omni_format() {
        assert_eq!(
            SendAt::from_unix_millis(0).to_string(),
            "1970-01-01T00:00:00.000+0000"
        );
        assert_eq!(
            SendAt::from_unix_millis(1_621_853_138_007).to_string(),
            "2021-05-24T10:45:38.007+0000"
        );
        assert_eq!(
            SendAt::from_unix_millis(-1).to_string(),
            "1969-12-31T23:59:59.999+0000"
        );
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_621_853_138_000);
        assert_eq!(SendAt::from_system_time(t).unix_millis(), 1_621_853_138_000);
    }
}
