//! The template message (`template`): project, version, locale and the
//! named parameters Bird fills in.

use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Map, Value};
use whatsapp_common::{ValidationError, validate};

use super::check;

/// Most UTM parameters on a template.
pub const MAX_UTM_PARAMETERS: usize = 8;
/// Longest UTM parameter key.
pub const MAX_UTM_KEY_CHARS: usize = 20;
/// Longest UTM parameter value.
pub const MAX_UTM_VALUE_CHARS: usize = 100;

/// A template parameter value.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ParameterValue {
    /// `"type": "string"`
    String(String),
    /// `"type": "number"`
    Number(f64),
    /// `"type": "boolean"`
    Boolean(bool),
    /// Any other type (`object`, `sectionList`, `productList`, …) with its value as JSON.
    Other {
        /// The `type`.
        kind: String,
        /// The `value`.
        value: Value,
    },
}

/// A named template parameter: `{"type", "key", "value"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    key: String,
    value: ParameterValue,
}

impl Parameter {
    /// A string parameter.
    pub fn string(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: ParameterValue::String(value.into()),
        }
    }
    /// A number parameter (finite: `build()` refuses NaN and infinities).
    pub fn number(key: impl Into<String>, value: f64) -> Self {
        Self {
            key: key.into(),
            value: ParameterValue::Number(value),
        }
    }
    /// A boolean parameter.
    pub fn boolean(key: impl Into<String>, value: bool) -> Self {
        Self {
            key: key.into(),
            value: ParameterValue::Boolean(value),
        }
    }
    /// A parameter of any other type of Bird's `TemplateParameter`
    /// (`object`, `sectionList`, `timeslotList`, `productSections`,
    /// `productList`, `shippingMethodList`, `lineItemList`,
    /// `whatsappProductSections`, `whatsappProductItems`) with its value
    /// as JSON; `build()` checks the value against that type's schema.
    pub fn other(key: impl Into<String>, kind: impl Into<String>, value: Value) -> Self {
        Self {
            key: key.into(),
            value: ParameterValue::Other {
                kind: kind.into(),
                value,
            },
        }
    }
}

impl Parameter {
    /// Its value against Bird's `TemplateParameter`: a finite number; a
    /// type Bird has, with a value of that type's shape.
    fn validate(&self, at: &str) -> Result<(), ValidationError> {
        match &self.value {
            ParameterValue::Number(n) if !n.is_finite() => Err(ValidationError::new(
                format!("{at}.value"),
                format!(
                    "{n} is not a finite number; JSON has no NaN or infinity (it would be sent as null)"
                ),
            )),
            ParameterValue::Other { kind, value } => match check::parameter_value(kind) {
                Some(shape) => shape.check(value, &format!("{at}.value")),
                None => Err(ValidationError::new(
                    format!("{at}.type"),
                    format!(
                        "{kind:?} is not a parameter type of Bird's: use string, number, \
                         boolean, object, sectionList, timeslotList, productSections, \
                         productList, shippingMethodList, lineItemList, \
                         whatsappProductSections or whatsappProductItems"
                    ),
                )),
            },
            _ => Ok(()),
        }
    }
}

impl Serialize for Parameter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        let kind = match &self.value {
            ParameterValue::String(_) => "string",
            ParameterValue::Number(_) => "number",
            ParameterValue::Boolean(_) => "boolean",
            ParameterValue::Other { kind, .. } => kind,
        };
        m.serialize_entry("type", kind)?;
        m.serialize_entry("key", &self.key)?;
        m.serialize_entry("value", &self.value)?;
        m.end()
    }
}

/// The `value` alone; its `type` is written beside it by [`Parameter`].
impl Serialize for ParameterValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::String(v) => s.serialize_str(v),
            Self::Number(v) => s.serialize_f64(*v),
            Self::Boolean(v) => s.serialize_bool(*v),
            Self::Other { value, .. } => value.serialize(s),
        }
    }
}

/// Which version of a template: the latest, or a version id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateVersion {
    /// `"latest"`
    Latest,
    /// A version UUID.
    Id(String),
}

impl Serialize for TemplateVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            Self::Latest => "latest",
            Self::Id(v) => v,
        })
    }
}

/// A template message (`template`): the only kind Bird delivers outside
/// the 24-hour customer-service window.
///
/// The version defaults to [`TemplateVersion::Latest`]; it is always sent.
///
/// ```
/// use channels::{Parameter, TemplateMessage, TemplateVersion};
/// let t = TemplateMessage::new("ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318", "en")?
///     .parameter(Parameter::string("name", "Robert"));
/// assert_eq!(serde_json::to_value(&t)?["version"], "latest");
/// let pinned = TemplateMessage::new("6449eb42-dffb-41c2-81a1-7fd956d2e7a6", "en")?
///     .version(TemplateVersion::Id("e0e9190c-c3e7-4026-8fc3-d28a77aa1a52".into()));
/// # let _ = pinned;
/// assert!(TemplateMessage::new("not-a-uuid", "en").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateMessage {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    project_id: String,
    version: TemplateVersion,
    locale: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parameters: Vec<Parameter>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    variables: Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_links: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    utm_parameters: Vec<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Value>,
}

impl TemplateMessage {
    /// A template by project id (a UUID) and locale (BCP 47, e.g. `en`,
    /// `pt-BR`, `zh-Hant-TW`; not `pt_BR`), at its latest version. Fails if the project id is not a
    /// UUID or the locale is empty; the locale's form is checked when the
    /// request is built.
    pub fn new(
        project_id: impl Into<String>,
        locale: impl Into<String>,
    ) -> Result<Self, ValidationError> {
        let (project_id, locale) = (project_id.into(), locale.into());
        validate::uuid(&project_id, "template.projectId")?;
        validate::not_empty(&locale, "template.locale")?;
        Ok(Self {
            name: None,
            project_id,
            version: TemplateVersion::Latest,
            locale,
            parameters: Vec::new(),
            variables: Map::new(),
            short_links: None,
            utm_parameters: Vec::new(),
            attachments: Vec::new(),
        })
    }
    /// Which version (default [`TemplateVersion::Latest`]).
    #[must_use]
    pub fn version(mut self, version: TemplateVersion) -> Self {
        self.version = version;
        self
    }
    /// Adds a parameter.
    #[must_use]
    pub fn parameter(mut self, p: Parameter) -> Self {
        self.parameters.push(p);
        self
    }
    /// Adds a variable (`variables`).
    #[must_use]
    pub fn variable(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.variables
            .insert(key.into(), Value::String(value.into()));
        self
    }
    /// The platform name of the template (`name`).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// Template-level link shortening: `{"enabled": …, "domain": …}`.
    #[must_use]
    pub fn short_links(mut self, enabled: bool, domain: Option<String>) -> Self {
        let mut m = Map::new();
        m.insert("enabled".into(), Value::Bool(enabled));
        if let Some(d) = domain {
            m.insert("domain".into(), Value::String(d));
        }
        self.short_links = Some(Value::Object(m));
        self
    }
    /// A UTM parameter (`{"key", "value"}`): 1 to 8 of them, each key 1 to
    /// 20 characters, each value 1 to 100.
    #[must_use]
    pub fn utm_parameter(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.utm_parameters
            .push(serde_json::json!({"key": key.into(), "value": value.into()}));
        self
    }
    /// An attachment (`{"mediaUrl", "filename"}`); the URL must be an
    /// absolute URI.
    #[must_use]
    pub fn attachment(mut self, media_url: impl Into<String>, filename: impl Into<String>) -> Self {
        self.attachments
            .push(serde_json::json!({"mediaUrl": media_url.into(), "filename": filename.into()}));
        self
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        if let TemplateVersion::Id(v) = &self.version {
            validate::uuid(v, "template.version")?;
        }
        check::bcp47(&self.locale, "template.locale")?;
        for (i, p) in self.parameters.iter().enumerate() {
            validate::not_empty(&p.key, format!("template.parameters[{i}].key"))?;
            p.validate(&format!("template.parameters[{i}]"))?;
        }
        if self.utm_parameters.len() > MAX_UTM_PARAMETERS {
            return Err(ValidationError::new(
                "template.utmParameters",
                format!(
                    "{} UTM parameters; at most {MAX_UTM_PARAMETERS} are allowed",
                    self.utm_parameters.len()
                ),
            ));
        }
        for (i, utm) in self.utm_parameters.iter().enumerate() {
            for (member, max) in [("key", MAX_UTM_KEY_CHARS), ("value", MAX_UTM_VALUE_CHARS)] {
                let s = utm[member].as_str().unwrap_or_default();
                let n = s.chars().count();
                if n == 0 || n > max {
                    return Err(ValidationError::new(
                        format!("template.utmParameters[{i}].{member}"),
                        format!("is {n} characters; a UTM {member} is 1 to {max}"),
                    ));
                }
            }
        }
        for (i, a) in self.attachments.iter().enumerate() {
            let at = format!("template.attachments[{i}].mediaUrl");
            check::uri(a["mediaUrl"].as_str().unwrap_or_default(), at)?;
        }
        Ok(())
    }
}
