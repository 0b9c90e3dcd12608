//! Sends a WhatsApp template through ActiveTrail, in JSON and in XML.
//!
//! By default it starts the local mock ActiveTrail; set `ACTIVETRAIL_TOKEN`,
//! `ACTIVETRAIL_PROFILE_ID` and `ACTIVETRAIL_TO` to send for real.
//!
//! ```sh
//! cargo run -p activetrail --example activetrail_send_template --features mock
//! ```

use activetrail::mock::{MockActiveTrail, MockVendor};
use activetrail::{Client, Format, OperationalMessage, PhoneNumber, TemplateRef};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |k: &str| std::env::var(k).ok();
    let mock;
    let (base_url, token) = match env("ACTIVETRAIL_TOKEN") {
        Some(token) => (activetrail::DEFAULT_BASE_URL.to_owned(), token),
        None => {
            mock = MockActiveTrail::start().await;
            (mock.uri(), "0XTEST".to_owned())
        }
    };
    let profile: i64 = env("ACTIVETRAIL_PROFILE_ID")
        .unwrap_or_else(|| "7".into())
        .parse()?;
    let to: PhoneNumber = env("ACTIVETRAIL_TO")
        .unwrap_or_else(|| "+972 50-123-4567".into())
        .parse()?;
    for format in [Format::Json, Format::Xml] {
        let client = Client::builder(token.clone())
            .base_url(&base_url)
            .format(format)
            .build()?;
        let message = OperationalMessage::template(
            profile,
            TemplateRef::new("order_shipped").variable("name", "Dana"),
        )
        .to(to.clone())
        .build()?;
        let sent = client.send(&message).await?;
        eprintln!("{format:?}: status {:?}", sent.status_name);
    }
    Ok(())
}
