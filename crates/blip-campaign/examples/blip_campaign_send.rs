//! Runs an individual campaign through Blip Active Campaign.
//!
//! By default it starts the local mock Blip; set `BLIP_KEY`,
//! `BLIP_CONTRACT` and `BLIP_TO` to send for real.
//!
//! ```sh
//! cargo run -p blip-campaign --example blip_campaign_send --features mock
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use blip_campaign::mock::{MockBlip, MockVendor};
use blip_campaign::{Audience, CampaignInfo, Client, FullCampaign, MessageTemplate, PhoneNumber};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |k: &str| std::env::var(k).ok();
    let mock;
    let builder = match env("BLIP_KEY") {
        Some(key) => {
            Client::builder(key).contract(env("BLIP_CONTRACT").ok_or("BLIP_CONTRACT is not set")?)
        }
        None => {
            mock = MockBlip::start().await;
            Client::builder("Key dGVzdDp0ZXN0").base_url(mock.uri())
        }
    };
    let client = builder.build()?;
    let to: PhoneNumber = env("BLIP_TO")
        .unwrap_or_else(|| "+55 31 99999-9999".into())
        .parse()?;
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let campaign = FullCampaign::individual(
        // Campaign names are unique per bot.
        CampaignInfo::new(format!("welcome-{millis}")),
        Audience::new(to).param("1", "Ana"),
        MessageTemplate::whatsapp("welcome", ["1"]).language("pt_BR"),
    )
    .build()?;
    let created = client.create_full_campaign(&campaign).await?;
    eprintln!("campaign {:?} is {:?}", created.id, created.status);
    Ok(())
}
