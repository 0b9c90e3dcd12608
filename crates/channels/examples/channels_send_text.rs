//! Checks the 24-hour window, then sends a text with buttons through Bird.
//!
//! By default it starts the local mock Bird; set `BIRD_ACCESS_KEY`,
//! `BIRD_WORKSPACE_ID`, `BIRD_CHANNEL_ID`, `BIRD_CONTACT_ID` and `BIRD_TO` to
//! send for real.
//!
//! ```sh
//! cargo run -p channels --example channels_send_text --features mock
//! ```

use channels::mock::{CHANNEL_ID, MockBird, MockVendor, WORKSPACE_ID};
use channels::{Action, Body, Client, PhoneNumber, SendRequest};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |k: &str| std::env::var(k).ok();
    let mock;
    let builder = match env("BIRD_ACCESS_KEY") {
        Some(key) => Client::builder(
            key,
            env("BIRD_WORKSPACE_ID").ok_or("BIRD_WORKSPACE_ID is not set")?,
            env("BIRD_CHANNEL_ID").ok_or("BIRD_CHANNEL_ID is not set")?,
        ),
        None => {
            mock = MockBird::start().await;
            Client::builder("test-key", WORKSPACE_ID, CHANNEL_ID).base_url(mock.uri())
        }
    };
    let client = builder.build()?;
    let contact =
        env("BIRD_CONTACT_ID").unwrap_or_else(|| "40d5c607-d73d-4d39-bc7f-5416cdb61ee8".into());
    let to: PhoneNumber = env("BIRD_TO")
        .unwrap_or_else(|| "+31 6 12345678".into())
        .parse()?;
    let info = client.contact_channel_info(&contact, None).await?;
    if !info.is_window_open() {
        eprintln!("the 24-hour window is closed: send a template instead");
        return Ok(());
    }
    let body = Body::text("Your order has shipped").with_actions(vec![Action::reply("Track it")]);
    let sent = client
        .send(&SendRequest::builder(to, body).build()?)
        .await?;
    eprintln!("message {:?} is {:?}", sent.id, sent.status);
    for warning in sent.warnings() {
        eprintln!("note: {warning}");
    }
    Ok(())
}
