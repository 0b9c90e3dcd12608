//! The configuration file: one profile per vendor account. Secrets come
//! from the environment or a file named by the profile, never from the
//! file itself nor from the command line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use whatsapp_common::SecretString;

use crate::Failure;

/// The vendors a profile can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Vendor {
    /// Rapporto gateway (REST v6).
    GatewayRu,
    /// Huawei Cloud CEC.
    HuaweiCec,
    /// ActiveTrail operational messages.
    Activetrail,
    /// Bird Channels API.
    Channels,
    /// Blip Active Campaign.
    BlipCampaign,
}

impl Vendor {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::GatewayRu => "gateway-ru",
            Self::HuaweiCec => "huawei-cec",
            Self::Activetrail => "activetrail",
            Self::Channels => "channels",
            Self::BlipCampaign => "blip-campaign",
        }
    }
}

/// One vendor account. Which keys a vendor needs: docs/cli.md.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Profile {
    pub vendor: Option<Vendor>,
    pub base_url: Option<String>,
    /// The environment variable holding the account's secret (the
    /// gateway's password, CEC's app secret, ActiveTrail's token, Bird's
    /// access key, Blip's authorization key).
    pub secret_env: Option<String>,
    /// A file holding it (relative to the configuration file).
    pub secret_file: Option<PathBuf>,
    pub login: Option<String>,
    pub service_number: Option<String>,
    pub app_key: Option<String>,
    pub whatsapp_profile_id: Option<i64>,
    pub workspace_id: Option<String>,
    pub channel_id: Option<String>,
    pub template_project: Option<String>,
    pub template_version: Option<String>,
    pub contract: Option<String>,
    pub flow_id: Option<String>,
    pub state_id: Option<String>,
    /// Sends per second for `bulk` (the vendor's documented limit where
    /// there is one).
    pub rate_per_second: Option<u32>,
    /// `listen`: the URL the vendor posts to, as it signs it.
    pub public_url: Option<String>,
    /// `listen`: the callback secret (Bird's signing key, the shared
    /// secret of the gateway or Blip).
    pub webhook_secret_env: Option<String>,
    pub webhook_secret_file: Option<PathBuf>,
    /// `listen`: where the gateway's or Blip's callbacks carry the secret:
    /// `query:NAME` or `header:NAME`.
    pub webhook_secret_in: Option<String>,
    // A secret written into the file itself: refused, with where to put it.
    secret: Option<Present>,
    password: Option<Present>,
    token: Option<Present>,
    access_key: Option<Present>,
    app_secret: Option<Present>,
    key: Option<Present>,
    signing_key: Option<Present>,
    webhook_secret: Option<Present>,
}

/// A key written in the file, its value dropped as it is read: a secret
/// put there by mistake is refused and never kept (nor shown by `Debug`).
#[derive(Debug, Clone, Copy)]
struct Present;

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Present)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// A profile, with where its relative paths start.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub name: String,
    pub profile: Profile,
    pub vendor: Vendor,
    dir: PathBuf,
}

/// Reads `path` and picks profile `name`.
pub(crate) fn load(path: &Path, name: &str) -> Result<Loaded, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::input(format!(
            "cannot read the configuration file {}: {e} (give another with --config or WHATSAPP_CONFIG)",
            path.display()
        ))
    })?;
    // The error's message and line, never its quote of the line: a
    // mistyped secret key would be printed with its value.
    let file: File = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .and_then(|span| text.get(..span.start))
            .map(|before| before.matches('\n').count() + 1);
        let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
        Failure::input(format!("{}{at}: {}", path.display(), e.message()))
    })?;
    let Some(profile) = file.profiles.get(name).cloned() else {
        let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
        return Err(Failure::input(format!(
            "{}: no profile `{name}` (profiles: {})",
            path.display(),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        )));
    };
    let inline = [
        ("secret", &profile.secret),
        ("password", &profile.password),
        ("token", &profile.token),
        ("access_key", &profile.access_key),
        ("app_secret", &profile.app_secret),
        ("key", &profile.key),
        ("signing_key", &profile.signing_key),
        ("webhook_secret", &profile.webhook_secret),
    ];
    if let Some((field, _)) = inline.iter().find(|(_, v)| v.is_some()) {
        let prefix = if field.starts_with("webhook") || *field == "signing_key" {
            "webhook_secret"
        } else {
            "secret"
        };
        return Err(Failure::input(format!(
            "profile `{name}`: `{field}` holds a secret in the configuration file; \
             put it in an environment variable ({prefix}_env = \"VARIABLE\") or a file \
             ({prefix}_file = \"PATH\") instead"
        )));
    }
    let Some(vendor) = profile.vendor else {
        return Err(Failure::input(format!(
            "profile `{name}`: set vendor = \"gateway-ru\" | \"huawei-cec\" | \"activetrail\" | \"channels\" | \"blip-campaign\""
        )));
    };
    Ok(Loaded {
        name: name.to_owned(),
        profile,
        vendor,
        dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
    })
}

impl Loaded {
    /// A required key of the profile.
    pub(crate) fn need<'a>(
        &self,
        value: &'a Option<String>,
        key: &str,
    ) -> Result<&'a str, Failure> {
        value.as_deref().ok_or_else(|| {
            Failure::input(format!(
                "profile `{}` ({}): set `{key}`",
                self.name,
                self.vendor.name()
            ))
        })
    }

    /// The account's secret.
    pub(crate) fn secret(&self) -> Result<SecretString, Failure> {
        self.read_secret(
            &self.profile.secret_env,
            &self.profile.secret_file,
            "secret",
        )
    }

    /// The callback secret, for `listen`.
    pub(crate) fn webhook_secret(&self) -> Result<SecretString, Failure> {
        self.read_secret(
            &self.profile.webhook_secret_env,
            &self.profile.webhook_secret_file,
            "webhook_secret",
        )
    }

    fn read_secret(
        &self,
        env: &Option<String>,
        file: &Option<PathBuf>,
        what: &str,
    ) -> Result<SecretString, Failure> {
        let value = match (env, file) {
            (Some(var), _) => std::env::var(var).map_err(|_| {
                Failure::input(format!(
                    "profile `{}`: {what}_env names {var}, which is not set",
                    self.name
                ))
            })?,
            (None, Some(path)) => {
                let path = self.dir.join(path);
                std::fs::read_to_string(&path)
                    .map_err(|e| {
                        Failure::input(format!(
                            "profile `{}`: cannot read {what}_file {}: {e}",
                            self.name,
                            path.display()
                        ))
                    })?
                    .trim_end_matches(['\r', '\n'])
                    .to_owned()
            }
            (None, None) => {
                return Err(Failure::input(format!(
                    "profile `{}`: set {what}_env = \"VARIABLE\" or {what}_file = \"PATH\"",
                    self.name
                )));
            }
        };
        if value.is_empty() {
            return Err(Failure::input(format!(
                "profile `{}`: the {what} is empty",
                self.name
            )));
        }
        Ok(SecretString::from(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Loaded, Failure> {
        let dir = std::env::temp_dir().join(format!("whatsapp-cli-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| Failure::input(e.to_string()))?;
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!("{n}.toml"));
        std::fs::write(&path, text).map_err(|e| Failure::input(e.to_string()))?;
        load(&path, "p")
    }

    #[test]
    fn a_secret_in_the_file_is_refused_with_where_to_put_it() {
        let e = parse("[profiles.p]\nvendor = \"channels\"\naccess_key = \"abc\"\n")
            .expect_err("refused");
        assert!(
            e.message.contains("`access_key` holds a secret"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("secret_env = \"VARIABLE\""),
            "{}",
            e.message
        );
        assert!(!e.message.contains("abc"));
    }

    #[test]
    fn a_parse_error_does_not_quote_the_line() {
        let e = parse("[profiles.p]\nvendor = \"channels\"\naccess_keyy = \"s3cr3t\"\n")
            .expect_err("a typo");
        assert!(
            e.message.contains("unknown field `access_keyy`"),
            "{}",
            e.message
        );
        assert!(e.message.contains("line 3"), "{}", e.message);
        assert!(!e.message.contains("s3cr3t"), "{}", e.message);
    }

    #[test]
    fn a_secret_written_into_the_file_is_not_kept() {
        let file: File =
            toml::from_str("[profiles.p]\nvendor = \"gateway-ru\"\npassword = \"hunter2\"\n")
                .expect("parsed");
        let shown = format!("{file:?}");
        assert!(shown.contains("password"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn an_unknown_key_and_a_missing_vendor_are_refused() {
        let e =
            parse("[profiles.p]\nvendor = \"channels\"\nworkspace = \"w\"\n").expect_err("typo");
        assert!(
            e.message.contains("unknown field `workspace`"),
            "{}",
            e.message
        );
        let e = parse("[profiles.p]\nbase_url = \"https://x\"\n").expect_err("no vendor");
        assert!(e.message.contains("set vendor ="), "{}", e.message);
        let e = parse("[profiles.q]\nvendor = \"channels\"\n").expect_err("no p");
        assert!(
            e.message.contains("no profile `p` (profiles: q)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn secrets_come_from_a_file_beside_the_configuration() {
        let dir = std::env::temp_dir().join(format!("whatsapp-cli-secret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        std::fs::write(dir.join("key.txt"), "s3cret\n").expect("written");
        let path = dir.join("c.toml");
        std::fs::write(
            &path,
            "[profiles.p]\nvendor = \"channels\"\nsecret_file = \"key.txt\"\n",
        )
        .expect("written");
        let loaded = load(&path, "p").expect("a profile");
        use whatsapp_common::ExposeSecret;
        assert_eq!(loaded.secret().expect("read").expose_secret(), "s3cret");
        let missing = Loaded {
            profile: Profile {
                secret_env: Some("WHATSAPP_CLI_TEST_UNSET_VARIABLE".into()),
                ..Profile::default()
            },
            ..loaded
        };
        let e = missing.secret().expect_err("unset");
        assert!(
            e.message
                .contains("WHATSAPP_CLI_TEST_UNSET_VARIABLE, which is not set")
        );
    }
}
