//! The `tokenByAkSk` call: the app key and secret out, the token back.

use serde::{Deserialize, Serialize};
use whatsapp_common::SecretString;

/// The token call's body: `{"app_key": …, "app_secret": …}`.
#[derive(Serialize)]
pub(crate) struct TokenRequest<'a> {
    pub(crate) app_key: &'a str,
    pub(crate) app_secret: &'a str,
}

/// The `tokenByAkSk` answer. Every value is a string on the wire; the
/// token itself is a secret and never shows in `Debug`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct TokenResponse {
    /// `AccessToken`: sent as `Authorization: Bearer …`.
    #[serde(deserialize_with = "secret_string")]
    pub access_token: SecretString,
    /// `ApplyType` (`Bearer`).
    #[serde(default)]
    pub apply_type: Option<String>,
    /// `CreateTime`: Unix seconds, as a string.
    #[serde(default)]
    pub create_time: Option<String>,
    /// `Expires`: lifetime in seconds, as a string.
    #[serde(default)]
    pub expires: Option<String>,
    /// `Scope`.
    #[serde(default)]
    pub scope: Option<String>,
    /// `AppKey`.
    #[serde(default)]
    pub app_key: Option<String>,
    /// `UserID`.
    #[serde(default, rename = "UserID")]
    pub user_id: Option<String>,
}

fn secret_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<SecretString, D::Error> {
    let s = String::deserialize(d)?;
    if s.is_empty() {
        return Err(serde::de::Error::custom("AccessToken is empty"));
    }
    Ok(s.into())
}

impl TokenResponse {
    /// `Expires` as a duration.
    pub fn expires_in(&self) -> Option<std::time::Duration> {
        self.expires
            .as_deref()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(std::time::Duration::from_secs)
    }

    /// `CreateTime` as Unix seconds.
    pub fn created_at_unix(&self) -> Option<i64> {
        self.create_time
            .as_deref()
            .and_then(|s| s.trim().parse().ok())
    }
}
