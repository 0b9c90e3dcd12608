//! The vendor-neutral trait works through a `Box<dyn WhatsAppSender>`.

use gateway_ru::mock::{MockGateway, MockVendor};
use gateway_ru::{ErrorCode, RetryClass, SendErrorKind, Template, WhatsAppSender};

use crate::support::{builder, to};

#[tokio::test]
async fn the_vendor_neutral_trait_sends_text_and_refuses_templates() {
    let gateway = MockGateway::start().await;
    let sender: Box<dyn WhatsAppSender> = Box::new(
        builder(&gateway.uri())
            .default_service_number("SHOP")
            .build()
            .unwrap(),
    );
    assert_eq!(sender.vendor(), "gateway-ru");
    assert!(sender.capabilities().text);
    assert!(!sender.capabilities().template);
    let to = to();
    let receipt = sender.send_text(&to, "Привет").await.unwrap();
    assert_eq!(receipt.vendor, "gateway-ru");
    assert_eq!(receipt.vendor_message_id, "107930572");
    let sent = gateway.requests().await;
    let body = sent[0].json().unwrap();
    assert_eq!(
        receipt.client_reference.as_deref(),
        body["id"].as_str(),
        "the receipt carries the id that was sent"
    );
    assert_eq!(body["message"]["data"]["serviceNumber"], "SHOP");
    assert_eq!(
        body["message"]["data"]["instantContent"]["data"]["text"],
        "Привет"
    );

    let template = Template::new("order_shipped", "ru").unwrap();
    let err = sender.send_template(&to, &template).await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::Unsupported);
    assert_eq!(
        gateway.requests().await.len(),
        1,
        "nothing sent for a template"
    );

    let err = sender.send_text(&to, &"я".repeat(1001)).await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::InvalidInput);
    assert_eq!(err.retry_class(), RetryClass::Never);
    gateway.fail_next(ErrorCode::InvalidLogin, 1).await;
    let err = sender.send_text(&to, "x").await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::Auth);
    let vendor = err.vendor_error_as::<gateway_ru::Error>().unwrap();
    assert_eq!(vendor.code(), Some(ErrorCode::InvalidLogin));
}
