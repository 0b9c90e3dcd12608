//! Sends a WhatsApp template through Huawei CEC.
//!
//! By default it starts the local mock CEC; set `HUAWEI_CEC_URL`,
//! `HUAWEI_CEC_APP_KEY`, `HUAWEI_CEC_APP_SECRET` and `HUAWEI_CEC_TO` to send
//! for real.
//!
//! ```sh
//! cargo run -p huawei-cec --example huawei_cec_send_template --features mock
//! ```

use huawei_cec::mock::{MockCec, MockVendor};
use huawei_cec::{Client, PhoneNumber, SendRequest, TemplateMessage, WhatsAppMessage};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |k: &str| std::env::var(k).ok();
    let mock;
    let (url, key, secret) = match env("HUAWEI_CEC_URL") {
        Some(url) => (
            url,
            env("HUAWEI_CEC_APP_KEY").ok_or("HUAWEI_CEC_APP_KEY is not set")?,
            env("HUAWEI_CEC_APP_SECRET").ok_or("HUAWEI_CEC_APP_SECRET is not set")?,
        ),
        None => {
            mock = MockCec::start().await;
            (mock.uri(), "app-key".into(), "app-secret".into())
        }
    };
    let to: PhoneNumber = env("HUAWEI_CEC_TO")
        .unwrap_or_else(|| "+41 79 302 67 27".into())
        .parse()?;
    let client = Client::builder(key, secret).base_url(url).build()?;
    let request = SendRequest::builder(WhatsAppMessage::template(
        TemplateMessage::new("order_shipped", "en_US")?.data(["Anna", "#1042"]),
    ))
    .to(to)
    .build()?;
    let accepted = client.send(&request).await?;
    for m in &accepted.messages {
        let status = m.status.as_ref().and_then(|s| s.name.as_deref());
        eprintln!(
            "{} -> {:?} ({})",
            m.message_id.as_deref().unwrap_or("-"),
            m.outcome(),
            status.unwrap_or("-")
        );
    }
    for warning in accepted.warnings() {
        eprintln!("note: {warning}");
    }
    Ok(())
}
