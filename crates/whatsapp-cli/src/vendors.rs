//! Each vendor's client, mock and credential check, built from a profile.

use std::sync::Arc;

use whatsapp_common::mock::{MockVendor, RecordedRequest};
use whatsapp_common::{RetryPolicy, SecretString, SendError, WhatsAppSender};

use crate::Failure;
use crate::config::{Loaded, Vendor};

/// A vendor client, as the profile describes it.
#[derive(Debug)]
pub(crate) enum Client {
    Gateway(gateway_ru::Client),
    Huawei(huawei_cec::Client),
    ActiveTrail(activetrail::Client),
    Bird(channels::Client),
    Blip(blip_campaign::Client),
}

fn config_error(e: impl std::fmt::Display) -> Failure {
    Failure::input(format!("configuration: {e}"))
}

/// The base URL requests go to: the profile's, or the vendor's default.
pub(crate) fn base_url(p: &Loaded) -> Result<String, Failure> {
    if let Some(url) = &p.profile.base_url {
        return Ok(url.trim_end_matches('/').to_owned());
    }
    Ok(match p.vendor {
        Vendor::GatewayRu | Vendor::HuaweiCec => {
            p.need(&p.profile.base_url, "base_url")?.to_owned()
        }
        Vendor::Activetrail => activetrail::DEFAULT_BASE_URL.to_owned(),
        Vendor::Channels => channels::DEFAULT_BASE_URL.to_owned(),
        Vendor::BlipCampaign => match &p.profile.contract {
            Some(contract) => format!("https://{contract}.http.msging.net"),
            None => p
                .need(&p.profile.contract, "contract (or base_url)")?
                .to_owned(),
        },
    })
}

/// Builds the profile's client, sending to `base_url` (the profile's own,
/// or a local mock's for a dry run).
pub(crate) fn build(p: &Loaded, base_url: &str, retries: RetryPolicy) -> Result<Client, Failure> {
    let secret: SecretString = p.secret()?;
    let pr = &p.profile;
    Ok(match p.vendor {
        Vendor::GatewayRu => {
            let mut b = gateway_ru::Client::builder(p.need(&pr.login, "login")?, secret)
                .base_url(base_url)
                .retry_policy(retries);
            if let Some(n) = &pr.service_number {
                b = b.default_service_number(n);
            }
            Client::Gateway(b.build().map_err(config_error)?)
        }
        Vendor::HuaweiCec => Client::Huawei(
            huawei_cec::Client::builder(p.need(&pr.app_key, "app_key")?, secret)
                .base_url(base_url)
                .retry_policy(retries)
                .build()
                .map_err(config_error)?,
        ),
        Vendor::Activetrail => {
            let mut b = activetrail::Client::builder(secret)
                .base_url(base_url)
                .retry_policy(retries);
            if let Some(id) = pr.whatsapp_profile_id {
                b = b.default_profile(id);
            }
            Client::ActiveTrail(b.build().map_err(config_error)?)
        }
        Vendor::Channels => {
            let mut b = channels::Client::builder(
                secret,
                p.need(&pr.workspace_id, "workspace_id")?,
                p.need(&pr.channel_id, "channel_id")?,
            )
            .base_url(base_url)
            .retry_policy(retries);
            if let Some(project) = &pr.template_project {
                b = b.template_project(project, pr.template_version.as_deref().unwrap_or("latest"));
            }
            Client::Bird(b.build().map_err(config_error)?)
        }
        Vendor::BlipCampaign => {
            let mut b = blip_campaign::Client::builder(secret)
                .base_url(base_url)
                .retry_policy(retries);
            if let (Some(flow), Some(state)) = (&pr.flow_id, &pr.state_id) {
                b = b.default_flow(flow, state);
            }
            Client::Blip(b.build().map_err(config_error)?)
        }
    })
}

impl Client {
    pub(crate) fn sender(self) -> Arc<dyn WhatsAppSender> {
        match self {
            Self::Gateway(c) => Arc::new(c),
            Self::Huawei(c) => Arc::new(c),
            Self::ActiveTrail(c) => Arc::new(c),
            Self::Bird(c) => Arc::new(c),
            Self::Blip(c) => Arc::new(c),
        }
    }

    /// Checks the credentials without sending a message, where the vendor
    /// has a call for it: what was checked, or what could not be.
    pub(crate) async fn check(&self) -> Result<String, Failure> {
        match self {
            Self::Huawei(c) => {
                let token = c.fetch_token().await.map_err(|e| Failure::send(&SendError::from(e)))?;
                Ok(format!(
                    "credentials accepted: CEC issued a token (expires: {})",
                    token.expires.as_deref().unwrap_or("not said")
                ))
            }
            Self::Bird(c) => {
                c.messages(&channels::MessageQuery::default(), 1, None)
                    .await
                    .map_err(|e| Failure::send(&SendError::from(e)))?;
                Ok("credentials accepted: Bird answered a read of the channel's messages".to_owned())
            }
            Self::Blip(c) => {
                c.campaigns(blip_campaign::Paging::new(0, 1))
                    .await
                    .map_err(|e| Failure::send(&SendError::from(e)))?;
                Ok("credentials accepted: Blip answered a read of the campaigns".to_owned())
            }
            Self::Gateway(_) => Ok(
                "configuration valid; credentials NOT checked: the gateway has no call that checks them without sending a message"
                    .to_owned(),
            ),
            Self::ActiveTrail(_) => Ok(
                "configuration valid; credentials NOT checked: the operational-message API has no call that checks them without sending a message"
                    .to_owned(),
            ),
        }
    }
}

/// A local mock vendor on 127.0.0.1.
#[derive(Debug)]
pub(crate) enum Mock {
    Gateway(gateway_ru::mock::MockGateway),
    Huawei(huawei_cec::mock::MockCec),
    ActiveTrail(activetrail::mock::MockActiveTrail),
    Bird(channels::mock::MockBird),
    Blip(blip_campaign::mock::MockBlip),
}

impl Mock {
    /// Starts `vendor`'s mock, accepting any credentials.
    pub(crate) async fn start(vendor: Vendor) -> Self {
        match vendor {
            Vendor::GatewayRu => Self::Gateway(MockVendor::start().await),
            Vendor::HuaweiCec => Self::Huawei(MockVendor::start().await),
            Vendor::Activetrail => Self::ActiveTrail(MockVendor::start().await),
            Vendor::Channels => Self::Bird(MockVendor::start().await),
            Vendor::BlipCampaign => Self::Blip(MockVendor::start().await),
        }
    }

    /// The base URL to give the client.
    pub(crate) fn uri(&self) -> String {
        match self {
            Self::Gateway(m) => m.uri(),
            Self::Huawei(m) => m.uri(),
            Self::ActiveTrail(m) => m.uri(),
            Self::Bird(m) => m.uri(),
            Self::Blip(m) => m.uri(),
        }
    }

    /// Every request received, oldest first.
    pub(crate) async fn requests(&self) -> Vec<RecordedRequest> {
        match self {
            Self::Gateway(m) => m.requests().await,
            Self::Huawei(m) => m.requests().await,
            Self::ActiveTrail(m) => m.requests().await,
            Self::Bird(m) => m.requests().await,
            Self::Blip(m) => m.requests().await,
        }
    }

    /// A profile for this mock, its secret in `secret_file`.
    pub(crate) fn profile(&self, secret_file: &str) -> String {
        let uri = self.uri();
        let vendor_keys = match self {
            Self::Gateway(_) => {
                "vendor = \"gateway-ru\"\nlogin = \"YOUR_LOGIN\"\nservice_number = \"SHOP\"\n"
                    .to_owned()
            }
            Self::Huawei(_) => "vendor = \"huawei-cec\"\napp_key = \"mock-app-key\"\n".to_owned(),
            Self::ActiveTrail(_) => {
                "vendor = \"activetrail\"\nwhatsapp_profile_id = 1\n".to_owned()
            }
            Self::Bird(_) => format!(
                "vendor = \"channels\"\nworkspace_id = \"{}\"\nchannel_id = \"{}\"\ntemplate_project = \"5d8ec4b2-5a3b-4a8e-9b0f-4f1a2c3d4e5f\"\n",
                channels::mock::WORKSPACE_ID,
                channels::mock::CHANNEL_ID
            ),
            Self::Blip(_) => "vendor = \"blip-campaign\"\n".to_owned(),
        };
        format!(
            "# A profile for the local mock at {uri} (written by `whatsapp mock`).\n[profiles.mock]\n{vendor_keys}base_url = \"{uri}\"\nsecret_file = \"{secret_file}\"\n"
        )
    }
}
