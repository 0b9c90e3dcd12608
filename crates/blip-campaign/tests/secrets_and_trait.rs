//! The key never reaches Debug, Display, errors or logs; the vendor-neutral
//! trait sends templates through individual campaigns.
//!
//! One test per binary would isolate `tracing`'s call-site cache; here the
//! trait test runs after the secrets test in the same thread by design.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use blip_campaign::mock::MockBlip;
use blip_campaign::{Client, WhatsAppSender};
use whatsapp_common::mock::{CapturedLog, error_chain};
use whatsapp_common::{SendErrorKind, Template};
use wiremock::ResponseTemplate;

const SECRET: &str = "Key c2VjcmV0LWJsaXAta2V5OnRvcHNlY3JldA==";

#[tokio::test]
async fn the_key_appears_nowhere_and_the_trait_sends_templates() {
    let logs = CapturedLog::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let blip = MockBlip::start_with_key(SECRET).await;
    let builder = Client::builder(SECRET)
        .base_url(blip.uri())
        .timeout(Duration::from_millis(300))
        .default_flow("f7bfd815-1327-4e5b-9d1c-3a2f9c0e7b11", "onboarding");
    let mut seen = vec![format!("{builder:?}")];
    let client = builder.build().unwrap();
    seen.push(format!("{client:?}"));

    let sender: Box<dyn WhatsAppSender> = Box::new(client.clone());
    assert_eq!(sender.vendor(), "blip-campaign");
    assert!(!sender.capabilities().text);
    let to = "+55 31 99999-0001".parse().unwrap();
    let t = Template::new("order_update", "pt_BR")
        .unwrap()
        .positional(["Ana"]);
    let receipt = sender.send_template(&to, &t).await.unwrap();
    assert!(receipt.vendor_message_id.starts_with("ffc99160-"));
    let sent = blip.commands().await.pop().unwrap();
    assert_eq!(sent["uri"], "/campaign/full");
    let r = &sent["resource"];
    assert_eq!(r["campaign"]["campaignType"], "Individual");
    assert_eq!(
        r["campaign"]["flowId"],
        "f7bfd815-1327-4e5b-9d1c-3a2f9c0e7b11"
    );
    assert_eq!(
        r["audience"],
        serde_json::json!({"recipient": "+5531999990001", "messageParams": {"1": "Ana"}})
    );
    assert_eq!(
        r["message"],
        serde_json::json!({"messageTemplate": "order_update", "messageTemplateLanguage": "pt_BR", "messageParams": ["1"], "channelType": "WhatsApp"})
    );
    let err = sender.send_text(&to, "hi").await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::Unsupported);

    blip.fail_next(31, "Unauthorized", 1);
    let err = sender.send_template(&to, &t).await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::Auth);
    seen.push(error_chain(&err));
    blip.respond_next(
        ResponseTemplate::new(200).set_delay(Duration::from_secs(2)),
        1,
    )
    .await;
    seen.push(error_chain(&client.cancel_campaign("x").await.unwrap_err()));
    blip.respond_next(ResponseTemplate::new(200).set_body_string("<html>"), 1)
        .await;
    seen.push(error_chain(&client.cancel_campaign("x").await.unwrap_err()));
    let wrong = Client::builder("Key d3Jvbmc=")
        .base_url(blip.uri())
        .build()
        .unwrap();
    seen.push(error_chain(&wrong.cancel_campaign("x").await.unwrap_err()));

    let logged = logs.text();
    assert!(logged.contains("whatsapp.request"));
    let bare = SECRET.trim_start_matches("Key ");
    for text in seen.iter().chain([&logged]) {
        assert!(!text.contains(bare), "key in {text}");
    }
}
