//! Sends a WhatsApp text through the gateway.
//!
//! By default it starts the local mock gateway and sends there; set
//! `GATEWAY_RU_URI`, `GATEWAY_RU_LOGIN`, `GATEWAY_RU_PASSWORD` and
//! `GATEWAY_RU_TO` to send for real.
//!
//! ```sh
//! cargo run -p gateway-ru --example gateway_ru_send_text --features mock
//! ```

use gateway_ru::mock::{MockGateway, MockVendor};
use gateway_ru::{Client, InstantContent, PhoneNumber, ScheduleInfo, SendRequest, Ttl};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |k: &str| std::env::var(k).ok();
    let mock;
    let (uri, login, password) = match env("GATEWAY_RU_URI") {
        Some(uri) => (
            uri,
            env("GATEWAY_RU_LOGIN").ok_or("GATEWAY_RU_LOGIN is not set")?,
            env("GATEWAY_RU_PASSWORD").ok_or("GATEWAY_RU_PASSWORD is not set")?,
        ),
        None => {
            mock = MockGateway::start().await;
            (mock.uri(), "YOUR_LOGIN".into(), "YOUR_PASSWORD".into())
        }
    };
    let to: PhoneNumber = env("GATEWAY_RU_TO")
        .unwrap_or_else(|| "+7 921 123-45-67".into())
        .parse()?;

    let client = Client::builder(login, password)
        .base_url(uri)
        .default_service_number("SHOP")
        .build()?;
    let request = SendRequest::builder(to, InstantContent::text("Ваш заказ №1042 отправлен"))
        .schedule(
            ScheduleInfo::builder()
                .window("10:00", "20:00")
                .weekdays("12345")
                .build()?,
        )
        .ttl(Ttl::days(1)?)
        .build()?;
    let accepted = client.send(&request).await?;
    eprintln!(
        "accepted: mtNum {} for id {}",
        accepted.mt_num.as_deref().unwrap_or("-"),
        request.id()
    );
    Ok(())
}
