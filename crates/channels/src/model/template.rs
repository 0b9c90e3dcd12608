//! The template message (`template`): project, version, locale and the
//! named parameters Bird fills in.

use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Map, Value};
use whatsapp_common::{ValidationError, validate};

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
    /// A number parameter.
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
    /// A parameter of any other schema type.
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
    /// `pt-BR`), at its latest version. Fails if the project id is not a
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
    /// A UTM parameter (`{"key", "value"}`); 1 to 8 of them.
    #[must_use]
    pub fn utm_parameter(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.utm_parameters
            .push(serde_json::json!({"key": key.into(), "value": value.into()}));
        self
    }
    /// An attachment (`{"mediaUrl", "filename"}`).
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
        whatsapp_common::LanguageCode::new(self.locale.as_str()).map_err(|_| {
            ValidationError::new(
                "template.locale",
                format!(
                    "{:?} is not a BCP 47 locale such as \"en\" or \"pt-BR\"",
                    self.locale
                ),
            )
        })?;
        for (i, p) in self.parameters.iter().enumerate() {
            validate::not_empty(&p.key, format!("template.parameters[{i}].key"))?;
        }
        if self.utm_parameters.len() > 8 {
            return Err(ValidationError::new(
                "template.utmParameters",
                "at most 8 are allowed",
            ));
        }
        Ok(())
    }
}
