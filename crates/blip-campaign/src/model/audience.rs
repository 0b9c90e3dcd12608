//! One recipient of a campaign: what is sent (`Audience`, and a list of
//! them as CSV) and what Blip reports back (`AudienceItem`, the recipient
//! statuses).

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use whatsapp_common::{PhoneNumber, ValidationError, validate};

use super::campaign::ChannelType;

/// Longest value of one message parameter ("Total characters: 250", read as
/// per value; see `docs/blip-campaign.md`).
pub const MAX_PARAM_CHARS: usize = 250;

whatsapp_common::str_enum! {
    /// Status of one recipient.
    pub enum AudienceStatus {
        /// Handed to WhatsApp.
        Processed = "PROCESSED",
        /// Failed (see the reason).
        Failed = "FAILED",
        /// Sent.
        Sent = "SENT",
        /// Delivered.
        Delivered = "DELIVERED",
        /// Read.
        Read = "READ",
    }
}

whatsapp_common::str_enum! {
    /// Whether a recipient's number was valid on WhatsApp.
    pub enum NumberStatus {
        /// Valid.
        Valid = "VALID",
        /// Invalid.
        Invalid = "INVALID",
    }
}

/// One recipient with the values of the template's parameters and, if any,
/// context variables for the bot flow.
///
/// ```
/// use blip_campaign::Audience;
/// let a = Audience::new("+55 31 99999-9999".parse()?)
///     .param("1", "Ana")
///     .context_variable("cpf", "123456789001");
/// # let _ = a;
/// # Ok::<(), whatsapp_common::PhoneError>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct Audience {
    recipient: PhoneNumber,
    /// `messageParams` in the order given, one value per name. Boxed
    /// strings in an exactly sized list: a batch holds many audiences.
    params: Vec<(Box<str>, Box<str>)>,
    context: Option<Box<Map<String, Value>>>,
}

impl Audience {
    /// A recipient (written in E.164 with `+`, as Blip expects).
    pub fn new(recipient: PhoneNumber) -> Self {
        Self {
            recipient,
            params: Vec::new(),
            context: None,
        }
    }
    /// A template parameter value (`messageParams`), kept in order; giving
    /// a name again replaces its value.
    ///
    /// ```
    /// use blip_campaign::Audience;
    /// let a = Audience::new("+5531999999999".parse()?).param("1", "Ana").param("1", "Bia");
    /// assert_eq!(a.params().collect::<Vec<_>>(), [("1", "Bia")]);
    /// # Ok::<(), whatsapp_common::PhoneError>(())
    /// ```
    #[must_use]
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        let value = value.into().into_boxed_str();
        match self.params.iter_mut().find(|(k, _)| **k == *name) {
            Some((_, v)) => *v = value,
            None => {
                self.params.reserve_exact(1);
                self.params.push((name.into_boxed_str(), value));
            }
        }
        self
    }
    /// A context variable (`contextVariables`): any JSON, nested objects allowed.
    #[must_use]
    pub fn context_variable(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.context
            .get_or_insert_with(Box::default)
            .insert(name.into(), value.into());
        self
    }
    /// The recipient.
    pub fn recipient(&self) -> &PhoneNumber {
        &self.recipient
    }
    /// The parameter values, `(name, value)` in the order given.
    pub fn params(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.params.iter().map(|(k, v)| (&**k, &**v))
    }
    /// The value of parameter `name`.
    pub fn param_value(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| **k == *name)
            .map(|(_, v)| &**v)
    }
    /// The context variables.
    pub fn context_variables(&self) -> Option<&Map<String, Value>> {
        self.context.as_deref()
    }

    pub(crate) fn validate(
        &self,
        at: &dyn fmt::Display,
        required: &[String],
    ) -> Result<(), ValidationError> {
        for name in required {
            if self.param_value(name).is_none() {
                return Err(ValidationError::new(
                    format!("{at}.messageParams"),
                    format!("parameter {name:?} of the template has no value"),
                ));
            }
        }
        for (k, v) in &self.params {
            if k.is_empty() {
                return Err(ValidationError::new(
                    format!("{at}.messageParams"),
                    "parameter names must not be empty",
                ));
            }
            // The field is named only when the bytes could exceed the cap.
            if v.len() > MAX_PARAM_CHARS {
                validate::max_chars(v, MAX_PARAM_CHARS, format!("{at}.messageParams.{k}"))?;
            }
        }
        Ok(())
    }

    /// The length of this audience's JSON when no string needs escaping.
    pub(crate) fn plain_json_len(&self) -> usize {
        // {"recipient":"+…"}
        let mut n = 17 + self.recipient.digits().len();
        if !self.params.is_empty() {
            // ,"messageParams":{…}
            n += 18;
            for (k, v) in &self.params {
                // "k":"v",
                n += k.len() + v.len() + 6;
            }
        }
        if self.context.is_some() {
            n += 64;
        }
        n
    }
}

impl fmt::Debug for Audience {
    // Parameter values and context variables are the recipient's data:
    // shown by name only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params: Vec<&str> = self.params.iter().map(|(k, _)| &**k).collect();
        let context: Option<Vec<&String>> = self.context.as_deref().map(|c| c.keys().collect());
        f.debug_struct("Audience")
            .field("recipient", &self.recipient)
            .field("params", &params)
            .field("context_variables", &context)
            .finish_non_exhaustive()
    }
}

impl Serialize for Audience {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct E164<'a>(&'a PhoneNumber);
        impl Serialize for E164<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self.0)
            }
        }
        struct Params<'a>(&'a [(Box<str>, Box<str>)]);
        impl Serialize for Params<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
            }
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("recipient", &E164(&self.recipient))?;
        if !self.params.is_empty() {
            m.serialize_entry("messageParams", &Params(&self.params))?;
        }
        if let Some(c) = &self.context {
            m.serialize_entry("contextVariables", c)?;
        }
        m.end()
    }
}

/// About the length of `audiences` as a JSON array: exact when no string
/// needs escaping, plus a little room.
pub(crate) fn audiences_json_len(audiences: &[Audience]) -> usize {
    let n: usize = audiences.iter().map(|a| a.plain_json_len() + 1).sum();
    n + n / 64 + 2
}

/// The CSV form of an audience list, for `/audiences/v2/{id}/file`: a
/// `recipient` column, one column per parameter name, and
/// `#contextvariables#` holding each recipient's context variables as JSON
/// with its quotes backslash-escaped, as Blip's documentation shows. Fields
/// are quoted when they hold a comma, a quote or a line break, with quotes
/// doubled (RFC 4180).
///
/// The parameter columns are `params` (the template's), then every other
/// parameter name the audiences carry, in the order first seen: the CSV
/// carries every value the JSON upload ([`Client::add_audiences`]) sends
/// in `messageParams`. An audience without a parameter leaves its cell
/// empty. *Inferred*: Blip documents the `recipient` and
/// `#contextvariables#` columns; that an extra column is read as a
/// parameter of that name is our reading of the JSON form.
///
/// [`Client::add_audiences`]: crate::Client::add_audiences
///
/// ```
/// use blip_campaign::{Audience, audience_csv};
/// let csv = audience_csv(&["1"], &[Audience::new("+5531999999999".parse()?).param("1", "Ana, \"Bia\"")]);
/// assert_eq!(csv, "recipient,1,#contextvariables#\r\n+5531999999999,\"Ana, \"\"Bia\"\"\",\r\n");
///
/// // A parameter beyond the template's gets a column of its own.
/// let a = Audience::new("+5531999999999".parse()?).param("1", "Ana").param("order", "A-1");
/// let csv = audience_csv(&["1"], &[a]);
/// assert_eq!(csv, "recipient,1,order,#contextvariables#\r\n+5531999999999,Ana,A-1,\r\n");
/// # Ok::<(), whatsapp_common::PhoneError>(())
/// ```
pub fn audience_csv<S: AsRef<str>>(params: &[S], audiences: &[Audience]) -> String {
    fn field(out: &mut String, value: &str) {
        if value.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&value.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(value);
        }
    }
    // The template's parameters, then the audiences' others, first seen first.
    let mut columns: Vec<&str> = params.iter().map(AsRef::as_ref).collect();
    let mut seen: std::collections::HashSet<&str> = columns.iter().copied().collect();
    for a in audiences {
        for (name, _) in a.params() {
            if seen.insert(name) {
                columns.push(name);
            }
        }
    }
    let mut out = String::from("recipient");
    for p in &columns {
        out.push(',');
        field(&mut out, p);
    }
    out.push_str(",#contextvariables#\r\n");
    for a in audiences {
        field(&mut out, &a.recipient().e164());
        for p in &columns {
            out.push(',');
            field(&mut out, a.param_value(p).unwrap_or(""));
        }
        out.push(',');
        if let Some(c) = a.context_variables() {
            // The documented form: the JSON with its quotes backslash-escaped,
            // then quoted as any CSV field.
            let escaped = serde_json::to_string(c)
                .unwrap_or_default()
                .replace('"', "\\\"");
            field(&mut out, &escaped);
        }
        out.push_str("\r\n");
    }
    out
}

/// One recipient of a campaign (`/audiences/{id}`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AudienceItem {
    /// `OwnerIdentity`.
    pub owner_identity: Option<String>,
    /// `CampaignId`.
    pub campaign_id: Option<String>,
    /// `Recipient`.
    pub recipient: Option<String>,
    /// `RecipientType`.
    pub recipient_type: Option<String>,
    /// `ChannelType`.
    pub channel_type: Option<ChannelType>,
    /// `MessageParams`.
    pub message_params: Option<BTreeMap<String, String>>,
    /// `Status`.
    pub status: Option<AudienceStatus>,
    /// `AudienceStatus`.
    pub audience_status: Option<String>,
    /// `ValidatedAccount`.
    pub validated_account: Option<String>,
    /// `Processed`.
    pub processed: Option<String>,
    /// `Received`.
    pub received: Option<String>,
    /// `Read`.
    pub read: Option<String>,
    /// `Failed`.
    pub failed: Option<String>,
    /// `ReasonCode`.
    pub reason_code: Option<i64>,
    /// `ReasonDescription`.
    pub reason_description: Option<String>,
}
