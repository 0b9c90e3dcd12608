//! The vendor-neutral trait sends templates through individual campaigns,
//! through a `Box<dyn WhatsAppSender>`.

use std::time::Duration;

use crate::support::KEY;

use blip_campaign::mock::{MockBlip, MockVendor};
use blip_campaign::{
    Client, Error, ErrorCode, RetryClass, SendErrorKind, SendOptions, Template, WhatsAppSender,
};
use serde_json::json;

#[tokio::test]
async fn the_trait_sends_templates_as_individual_campaigns() {
    let blip = MockBlip::start_with_credentials(KEY).await;
    let client = Client::builder(KEY)
        .base_url(blip.uri())
        .timeout(Duration::from_millis(300))
        .default_flow("f7bfd815-1327-4e5b-9d1c-3a2f9c0e7b11", "onboarding")
        .build()
        .unwrap();
    let sender: Box<dyn WhatsAppSender> = Box::new(client);
    assert_eq!(sender.vendor(), "blip-campaign");
    assert!(!sender.capabilities().text);
    assert!(sender.capabilities().template);
    let to = "+55 31 99999-0001".parse().unwrap();
    let t = Template::new("order_update", "pt_BR")
        .unwrap()
        .positional(["Ana"]);
    let receipt = sender.send_template(&to, &t).await.unwrap();
    assert_eq!(receipt.vendor, "blip-campaign");
    assert!(
        receipt
            .vendor_message_id
            .as_deref()
            .is_some_and(|id| id.starts_with("ffc99160-"))
    );
    let sent = blip.commands().await.pop().unwrap();
    assert_eq!(sent["uri"], "/campaign/full");
    let r = &sent["resource"];
    assert_eq!(r["campaign"]["campaignType"], "Individual");
    assert!(
        r["campaign"]["name"]
            .as_str()
            .unwrap()
            .starts_with("order_update-")
    );
    assert_eq!(
        r["campaign"]["flowId"],
        "f7bfd815-1327-4e5b-9d1c-3a2f9c0e7b11"
    );
    assert_eq!(r["campaign"]["stateId"], "onboarding");
    assert_eq!(
        r["audience"],
        json!({"recipient": "+5531999990001", "messageParams": {"1": "Ana"}})
    );
    assert_eq!(
        r["message"],
        json!({"messageTemplate": "order_update", "messageTemplateLanguage": "pt_BR", "messageParams": ["1"], "channelType": "WhatsApp"})
    );

    let named = Template::new("order_update", "pt_BR")
        .unwrap()
        .named([("nome", "Ana"), ("pedido", "#1042")]);
    sender.send_template(&to, &named).await.unwrap();
    let sent = blip.commands().await.pop().unwrap();
    assert_eq!(
        sent["resource"]["audience"]["messageParams"],
        json!({"nome": "Ana", "pedido": "#1042"})
    );
    assert_eq!(
        sent["resource"]["message"]["messageParams"],
        json!(["nome", "pedido"])
    );

    let err = sender.send_text(&to, "hi").await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::Unsupported);

    blip.fail_next(ErrorCode::AuthorizationError, 1).await;
    let err = sender.send_template(&to, &t).await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::Auth);
    assert_eq!(err.retry_class(), RetryClass::Never);
    let vendor = err.vendor_error_as::<Error>().unwrap();
    assert_eq!(vendor.code(), Some(ErrorCode::AuthorizationError));

    // A wrong key: HTTP 401, the same neutral kind.
    let wrong: Box<dyn WhatsAppSender> = Box::new(
        Client::builder("Key d3Jvbmc=")
            .base_url(blip.uri())
            .build()
            .unwrap(),
    );
    let err = wrong.send_template(&to, &t).await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::Auth);
    let vendor = err.vendor_error_as::<Error>().unwrap();
    assert_eq!(vendor.status(), Some(401));
}

/// The caller's reference is the command's `id` and names the campaign, on
/// every send made with it; errors keep it.
#[tokio::test]
async fn a_reference_is_the_command_id_and_survives_errors() {
    let blip = MockBlip::start_with_credentials(KEY).await;
    let client = Client::builder(KEY).base_url(blip.uri()).build().unwrap();
    let to = "+55 31 99999-0001".parse().unwrap();
    let t = Template::new("order_update", "pt_BR")
        .unwrap()
        .positional(["Ana"]);
    let options = SendOptions::new().client_reference("order-1042-shipped");
    let receipt = client.send_template_with(&to, &t, &options).await.unwrap();
    assert_eq!(receipt.client_reference, "order-1042-shipped");
    blip.fail_next(ErrorCode::AuthorizationError, 1).await;
    let err = client
        .send_template_with(&to, &t, &options)
        .await
        .unwrap_err();
    assert_eq!(err.client_reference(), Some("order-1042-shipped"));
    let sent = blip.commands().await;
    for command in &sent {
        assert_eq!(command["id"], "order-1042-shipped");
        assert_eq!(
            command["resource"]["campaign"]["name"],
            "order_update-order-1042-shipped"
        );
    }
    assert_eq!(sent.len(), 2);
    let fresh = client.send_template(&to, &t).await.unwrap();
    let last = blip.commands().await.pop().unwrap();
    assert_eq!(last["id"], fresh.client_reference.as_str());
    let blank = SendOptions::new().client_reference("  ");
    let err = client
        .send_template_with(&to, &t, &blank)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::InvalidInput);
    assert_eq!(blip.commands().await.len(), 3, "nothing sent");
}
