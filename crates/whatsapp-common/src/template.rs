//! WhatsApp message templates: name, language and parameters.
//!
//! WhatsApp lets a business start a conversation only with a template the
//! platform approved beforehand. Each vendor wires the template differently
//! (ordered parameters, a key/value map, placeholders by name); these types hold
//! what the caller means once, and each vendor crate renders them.

use std::fmt;

use crate::ValidationError;

/// The longest template name WhatsApp accepts.
pub const MAX_TEMPLATE_NAME_LEN: usize = 512;

/// A template's registered name, as approved on the WhatsApp Business account.
///
/// Non-empty, at most 512 characters, no control characters. Vendors differ
/// on the allowed alphabet (WhatsApp itself uses `lower_snake_case`, some
/// vendors register display names), so only what no vendor accepts is refused.
///
/// ```
/// use whatsapp_common::TemplateName;
/// let name = TemplateName::new("order_shipped")?;
/// assert_eq!(name.as_str(), "order_shipped");
/// assert!(TemplateName::new("").is_err());
/// # Ok::<(), whatsapp_common::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct TemplateName(String);

impl TemplateName {
    /// Validates and wraps a template name.
    pub fn new(name: impl Into<String>) -> Result<Self, ValidationError> {
        let name = name.into();
        if name.trim().is_empty() {
            return Err(ValidationError::new("template.name", "must not be empty"));
        }
        let len = name.chars().count();
        if len > MAX_TEMPLATE_NAME_LEN {
            return Err(ValidationError::new(
                "template.name",
                format!("is {len} characters; at most {MAX_TEMPLATE_NAME_LEN} are allowed"),
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(ValidationError::new(
                "template.name",
                "must not contain control characters",
            ));
        }
        Ok(Self(name))
    }

    /// The name as registered.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TemplateName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A template language: an ISO 639 language code with an optional region,
/// e.g. `en`, `en_US`, `pt-BR`, `zh_Hans` style codes are kept as given.
///
/// Vendors disagree on the separator (`en_US` for WhatsApp, `en-US` for BCP 47
/// locales); [`LanguageCode::with_separator`] renders either.
///
/// ```
/// use whatsapp_common::LanguageCode;
/// let lang = LanguageCode::new("en_US")?;
/// assert_eq!(lang.language(), "en");
/// assert_eq!(lang.region(), Some("US"));
/// assert_eq!(lang.with_separator('-'), "en-US");
/// # Ok::<(), whatsapp_common::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct LanguageCode(String);

impl LanguageCode {
    /// Validates a language code: 2–3 ASCII letters, then optionally `_` or
    /// `-` and a 2–8 character alphanumeric region or script subtag.
    pub fn new(code: impl Into<String>) -> Result<Self, ValidationError> {
        let code = code.into();
        let bad = || {
            ValidationError::new(
                "template.language",
                format!("{code:?} is not a language code such as \"en\", \"en_US\" or \"pt-BR\""),
            )
        };
        let (lang, region) = match code.find(['_', '-']) {
            Some(i) => (&code[..i], Some(&code[i + 1..])),
            None => (code.as_str(), None),
        };
        if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(bad());
        }
        if let Some(region) = region
            && (!(2..=8).contains(&region.len())
                || !region.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err(bad());
        }
        Ok(Self(code))
    }

    /// The code exactly as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The language part: `en` of `en_US`.
    pub fn language(&self) -> &str {
        self.0.split(['_', '-']).next().unwrap_or(&self.0)
    }

    /// The region or script part, if any: `US` of `en_US`.
    pub fn region(&self) -> Option<&str> {
        self.0.find(['_', '-']).map(|i| &self.0[i + 1..])
    }

    /// The code with `sep` between language and region.
    pub fn with_separator(&self, sep: char) -> String {
        match self.region() {
            Some(region) => format!("{}{sep}{region}", self.language()),
            None => self.language().to_owned(),
        }
    }
}

impl fmt::Display for LanguageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The values that fill a template's placeholders.
///
/// WhatsApp templates number their placeholders (`{{1}}`, `{{2}}`) or, for
/// newer templates, name them (`{{first_name}}`). Vendors take one or the
/// other; a vendor crate refuses the form it cannot send.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TemplateParameters {
    /// No placeholders.
    #[default]
    None,
    /// Values for `{{1}}`, `{{2}}`, … in order.
    Positional(Vec<String>),
    /// Values by placeholder name, in the order given.
    Named(Vec<(String, String)>),
}

impl TemplateParameters {
    /// How many values there are.
    pub fn len(&self) -> usize {
        match self {
            Self::None => 0,
            Self::Positional(v) => v.len(),
            Self::Named(v) => v.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every value with a name: named values under their own, positional
    /// ones under their 1-based position (`"1"`, `"2"`, …), as vendors that
    /// name their variables number `{{1}}`, `{{2}}`.
    ///
    /// ```
    /// use whatsapp_common::TemplateParameters;
    /// let p = TemplateParameters::Positional(vec!["Anna".into(), "#1042".into()]);
    /// let named: Vec<(String, &str)> = p.by_name().map(|(k, v)| (k.into_owned(), v)).collect();
    /// assert_eq!(named, [("1".to_owned(), "Anna"), ("2".to_owned(), "#1042")]);
    /// ```
    pub fn by_name(&self) -> impl Iterator<Item = (std::borrow::Cow<'_, str>, &str)> {
        use std::borrow::Cow;
        let (positional, named): (&[String], &[(String, String)]) = match self {
            Self::None => (&[], &[]),
            Self::Positional(v) => (v, &[]),
            Self::Named(v) => (&[], v),
        };
        let positional = positional
            .iter()
            .enumerate()
            .map(|(i, v)| (Cow::Owned((i + 1).to_string()), v.as_str()));
        let named = named
            .iter()
            .map(|(k, v)| (Cow::Borrowed(k.as_str()), v.as_str()));
        positional.chain(named)
    }
}

/// A template message: which template, in which language, with which values.
///
/// ```
/// use whatsapp_common::{Template, TemplateParameters};
/// let t = Template::new("order_shipped", "en_US")?
///     .positional(["Anna", "#1042"]);
/// assert_eq!(t.parameters(), &TemplateParameters::Positional(vec!["Anna".into(), "#1042".into()]));
/// # Ok::<(), whatsapp_common::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    name: TemplateName,
    language: LanguageCode,
    parameters: TemplateParameters,
}

impl Template {
    /// A template with no parameters yet; validates name and language.
    pub fn new(
        name: impl Into<String>,
        language: impl Into<String>,
    ) -> Result<Self, ValidationError> {
        Ok(Self {
            name: TemplateName::new(name)?,
            language: LanguageCode::new(language)?,
            parameters: TemplateParameters::None,
        })
    }

    /// Sets positional values for `{{1}}`, `{{2}}`, ….
    #[must_use]
    pub fn positional<I, S>(mut self, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.parameters =
            TemplateParameters::Positional(values.into_iter().map(Into::into).collect());
        self
    }

    /// Sets named values, kept in the order given.
    #[must_use]
    pub fn named<I, K, V>(mut self, values: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.parameters = TemplateParameters::Named(
            values
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        );
        self
    }

    /// Checks what every vendor requires of parameters: no empty names.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let TemplateParameters::Named(values) = &self.parameters
            && let Some(i) = values.iter().position(|(k, _)| k.trim().is_empty())
        {
            return Err(ValidationError::new(
                format!("template.parameters[{i}]"),
                "parameter name must not be empty",
            ));
        }
        Ok(())
    }

    /// The template's name.
    pub fn name(&self) -> &TemplateName {
        &self.name
    }

    /// The template's language.
    pub fn language(&self) -> &LanguageCode {
        &self.language
    }

    /// The placeholder values.
    pub fn parameters(&self) -> &TemplateParameters {
        &self.parameters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_name_limits() {
        assert!(TemplateName::new("a".repeat(MAX_TEMPLATE_NAME_LEN)).is_ok());
        let err = TemplateName::new("a".repeat(MAX_TEMPLATE_NAME_LEN + 1)).unwrap_err();
        assert_eq!(err.field(), "template.name");
        assert!(err.to_string().contains("513 characters"));
        assert!(TemplateName::new("  ").is_err());
        assert!(TemplateName::new("line\nbreak").is_err());
        // Non-ASCII names count characters, not bytes.
        assert!(TemplateName::new("я".repeat(MAX_TEMPLATE_NAME_LEN)).is_ok());
    }

    #[test]
    fn language_codes() {
        for ok in ["en", "en_US", "pt-BR", "fil", "zh_Hans", "es_419"] {
            assert!(LanguageCode::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "e",
            "english",
            "en_",
            "en_U",
            "e1",
            "en US",
            "en_USA_LONGER",
        ] {
            assert!(LanguageCode::new(bad).is_err(), "{bad}");
        }
        let l = LanguageCode::new("pt-BR").unwrap();
        assert_eq!(l.with_separator('_'), "pt_BR");
        assert_eq!(LanguageCode::new("en").unwrap().with_separator('-'), "en");
        assert_eq!(LanguageCode::new("en").unwrap().region(), None);
    }

    #[test]
    fn parameters() {
        let t = Template::new("welcome", "en").unwrap();
        assert!(t.parameters().is_empty());
        let t = t.named([("name", "Anna"), ("order", "1042")]);
        assert_eq!(t.parameters().len(), 2);
        assert!(t.validate().is_ok());
        let bad = Template::new("welcome", "en")
            .unwrap()
            .named([("ok", "1"), (" ", "2")]);
        assert_eq!(
            bad.validate().unwrap_err().field(),
            "template.parameters[1]"
        );
    }
}
