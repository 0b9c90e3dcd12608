//! The `SendOperationalMessage` request.

use std::fmt;

use serde::Serialize;
use whatsapp_common::{PhoneNumber, ValidationError, validate};

use super::types::{DotNetDateTime, KeyValues};

/// How phone numbers are written in `segment.mobiles`.
///
/// ActiveTrail does not document the form; international digits work for
/// every country, so they are the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum MobileFormat {
    /// `972501234567`: country code and number, digits only (default).
    #[default]
    InternationalDigits,
    /// `+972501234567`.
    E164,
    /// The national form with this trunk prefix: `0501234567` for `"0"`.
    National(&'static str),
}

impl MobileFormat {
    /// Renders `n` in this form.
    pub fn render(&self, n: &PhoneNumber) -> String {
        match self {
            Self::InternationalDigits => n.digits().to_owned(),
            Self::E164 => n.e164(),
            Self::National(trunk) => format!("{trunk}{}", n.national_number()),
        }
    }
}

/// `scheduling`: send now or at a moment.
///
/// **Inferred** (the API documents only the member names): `is_sent: true`
/// sends at once, `is_sent: false` with `scheduled_date_utc` schedules.
/// [`Scheduling::new`] sets both members as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduling {
    is_sent: bool,
    scheduled_date_utc: Option<DotNetDateTime>,
}

impl Scheduling {
    /// Send at once: `{"is_sent": true}`.
    pub fn now() -> Self {
        Self {
            is_sent: true,
            scheduled_date_utc: None,
        }
    }
    /// Send at `when` (UTC): `{"is_sent": false, "scheduled_date_utc": …}`.
    pub fn at(when: DotNetDateTime) -> Self {
        Self {
            is_sent: false,
            scheduled_date_utc: Some(when),
        }
    }
    /// Both members exactly as given.
    pub fn new(is_sent: bool, scheduled_date_utc: Option<DotNetDateTime>) -> Self {
        Self {
            is_sent,
            scheduled_date_utc,
        }
    }
    /// `is_sent`.
    pub fn is_sent(&self) -> bool {
        self.is_sent
    }
    /// `scheduled_date_utc`.
    pub fn scheduled_date_utc(&self) -> Option<&DotNetDateTime> {
        self.scheduled_date_utc.as_ref()
    }
}

/// An approved template and the values of its variables, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRef {
    id: String,
    variables: KeyValues<String>,
}

impl TemplateRef {
    /// The template's id in ActiveTrail.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            variables: KeyValues::default(),
        }
    }
    /// Adds a variable; order is kept.
    #[must_use]
    pub fn variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.variables.0.push((name.into(), value.into()));
        self
    }
    /// `template.id`.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// `template.variables`.
    pub fn variables(&self) -> &[(String, String)] {
        self.variables.pairs()
    }
}

/// A WhatsApp operational message.
///
/// WhatsApp's rule, which ActiveTrail enforces: the first message to a
/// contact must be an approved template and nothing else
/// ([`OperationalMessage::template`]); content (free text) may be sent only
/// within 24 hours of the contact's last reply
/// ([`OperationalMessage::content`], or [`OperationalMessageBuilder::content`]
/// next to a template). A message that breaks the rule fails at ActiveTrail.
///
/// ```
/// use activetrail::{OperationalMessage, TemplateRef};
/// let first_contact = OperationalMessage::template(
///     7,
///     TemplateRef::new("order_shipped").variable("name", "Dana").variable("order", "1042"),
/// )
/// .to("+972 50-123-4567".parse()?)
/// .build()?;
/// # let _ = first_contact;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct OperationalMessage {
    pub(crate) scheduling: Option<Scheduling>,
    pub(crate) mobiles: Vec<PhoneNumber>,
    pub(crate) whatsapp_profile_id: i64,
    pub(crate) name: Option<String>,
    pub(crate) content: Option<String>,
    pub(crate) template: Option<TemplateRef>,
}

impl fmt::Debug for OperationalMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationalMessage")
            .field("whatsapp_profile_id", &self.whatsapp_profile_id)
            .field("mobiles", &self.mobiles.len())
            .field("template", &self.template.as_ref().map(TemplateRef::id))
            .field("content", &self.content.as_ref().map(|c| c.chars().count()))
            .field("scheduling", &self.scheduling)
            .finish_non_exhaustive()
    }
}

impl OperationalMessage {
    /// A template message (the only kind allowed as a first message) from
    /// the sending profile `whatsapp_profile_id`.
    pub fn template(whatsapp_profile_id: i64, template: TemplateRef) -> OperationalMessageBuilder {
        OperationalMessageBuilder::new(whatsapp_profile_id, Some(template), None)
    }

    /// A free-text message: only within 24 hours of the contact's last reply.
    pub fn content(
        whatsapp_profile_id: i64,
        content: impl Into<String>,
    ) -> OperationalMessageBuilder {
        OperationalMessageBuilder::new(whatsapp_profile_id, None, Some(content.into()))
    }

    /// The recipients.
    pub fn mobiles(&self) -> &[PhoneNumber] {
        &self.mobiles
    }

    /// The template, if any.
    pub fn template_ref(&self) -> Option<&TemplateRef> {
        self.template.as_ref()
    }

    /// The free text, if any.
    pub fn content_text(&self) -> Option<&str> {
        self.content.as_deref()
    }
}

/// Builds an [`OperationalMessage`]; `build()` checks it.
#[derive(Debug, Clone)]
pub struct OperationalMessageBuilder {
    inner: OperationalMessage,
}

impl OperationalMessageBuilder {
    fn new(profile: i64, template: Option<TemplateRef>, content: Option<String>) -> Self {
        Self {
            inner: OperationalMessage {
                scheduling: None,
                mobiles: Vec::new(),
                whatsapp_profile_id: profile,
                name: None,
                content,
                template,
            },
        }
    }

    /// Adds a recipient.
    #[must_use]
    pub fn to(mut self, mobile: PhoneNumber) -> Self {
        self.inner.mobiles.push(mobile);
        self
    }

    /// Adds recipients.
    #[must_use]
    pub fn to_all(mut self, mobiles: impl IntoIterator<Item = PhoneNumber>) -> Self {
        self.inner.mobiles.extend(mobiles);
        self
    }

    /// `design.name`: the name the message is listed under in ActiveTrail.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.inner.name = Some(name.into());
        self
    }

    /// `design.content`: free text, only within 24 hours of the contact's
    /// last reply.
    #[must_use]
    pub fn content(mut self, content: impl Into<String>) -> Self {
        self.inner.content = Some(content.into());
        self
    }

    /// `scheduling` (unset: the account's default, which is to send now).
    #[must_use]
    pub fn scheduling(mut self, scheduling: Scheduling) -> Self {
        self.inner.scheduling = Some(scheduling);
        self
    }

    /// Checks the message.
    pub fn build(self) -> Result<OperationalMessage, ValidationError> {
        let m = self.inner;
        if m.mobiles.is_empty() {
            return Err(ValidationError::new(
                "segment.mobiles",
                "at least one mobile number is required; add one with .to(…)",
            ));
        }
        if m.whatsapp_profile_id <= 0 {
            return Err(ValidationError::new(
                "details.whatsapp_profile_id",
                format!(
                    "{} is not a profile id; use the id of your WhatsApp sending profile",
                    m.whatsapp_profile_id
                ),
            ));
        }
        if m.template.is_none() && m.content.as_deref().is_none_or(|c| c.trim().is_empty()) {
            return Err(ValidationError::new(
                "template",
                "a message needs a template or content (content only within 24 hours of the contact's reply)",
            ));
        }
        check_text("design.name", m.name.as_deref(), false)?;
        check_text("design.content", m.content.as_deref(), false)?;
        if let Some(t) = &m.template {
            check_text("template.id", Some(&t.id), false)?;
            for (i, (k, v)) in t.variables.pairs().iter().enumerate() {
                if k.trim().is_empty() {
                    return Err(ValidationError::new(
                        format!("template.variables[{i}]"),
                        "variable names must not be empty",
                    ));
                }
                check_text("template.variables", Some(k), false)?;
                check_text("template.variables", Some(v), true)?;
            }
        }
        Ok(m)
    }
}

/// Non-empty (unless `empty_ok`), and only characters XML can carry, so
/// both wire formats can send it.
fn check_text(
    field: &'static str,
    value: Option<&str>,
    empty_ok: bool,
) -> Result<(), ValidationError> {
    let Some(v) = value else { return Ok(()) };
    if !empty_ok {
        validate::not_blank(v, field)?;
    }
    if let Some(c) = v.chars().find(|c| !crate::codec::is_xml_char(*c)) {
        return Err(ValidationError::new(
            field,
            format!(
                "contains the control character U+{:04X}, which the API cannot carry",
                c as u32
            ),
        ));
    }
    Ok(())
}

/// The JSON body.
#[derive(Serialize)]
pub(crate) struct WireRequest<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    scheduling: Option<WireScheduling<'a>>,
    segment: WireSegment,
    details: WireDetails,
    #[serde(skip_serializing_if = "Option::is_none")]
    design: Option<WireDesign<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<WireTemplate<'a>>,
}

#[derive(Serialize)]
struct WireScheduling<'a> {
    is_sent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheduled_date_utc: Option<&'a DotNetDateTime>,
}

#[derive(Serialize)]
struct WireSegment {
    mobiles: Vec<String>,
}

#[derive(Serialize)]
struct WireDetails {
    whatsapp_profile_id: i64,
}

#[derive(Serialize)]
struct WireDesign<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a str>,
}

#[derive(Serialize)]
struct WireTemplate<'a> {
    id: &'a str,
    variables: &'a KeyValues<String>,
}

impl OperationalMessage {
    pub(crate) fn wire(&self, format: MobileFormat) -> WireRequest<'_> {
        WireRequest {
            scheduling: self.scheduling.as_ref().map(|s| WireScheduling {
                is_sent: s.is_sent,
                scheduled_date_utc: s.scheduled_date_utc.as_ref(),
            }),
            segment: WireSegment {
                mobiles: self.mobiles.iter().map(|m| format.render(m)).collect(),
            },
            details: WireDetails {
                whatsapp_profile_id: self.whatsapp_profile_id,
            },
            design: (self.name.is_some() || self.content.is_some()).then_some(WireDesign {
                name: self.name.as_deref(),
                content: self.content.as_deref(),
            }),
            template: self.template.as_ref().map(|t| WireTemplate {
                id: &t.id,
                variables: &t.variables,
            }),
        }
    }
}
