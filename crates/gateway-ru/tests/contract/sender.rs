//! The vendor-neutral trait works through a `Box<dyn WhatsAppSender>`.

use gateway_ru::mock::{MockGateway, MockVendor};
use gateway_ru::{ErrorCode, RetryClass, SendErrorKind, SendOptions, Template, WhatsAppSender};

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
    assert_eq!(receipt.vendor_message_id.as_deref(), Some("107930572"));
    let sent = gateway.requests().await;
    let body = sent[0].json().unwrap();
    assert_eq!(
        Some(receipt.client_reference.as_str()),
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

/// The caller's reference is the partner `id` on every send made with it,
/// comes back in errors, and a code 10 answering a send made again with it
/// is the first send's success.
#[tokio::test]
async fn a_reference_is_the_partner_id_and_survives_errors() {
    let gateway = MockGateway::start().await;
    let sender = builder(&gateway.uri()).build().unwrap();
    let to = to();
    let options = SendOptions::new().client_reference("order-1042-shipped");
    gateway.fail_next(ErrorCode::InvalidLogin, 1).await;
    let err = sender.send_text_with(&to, "x", &options).await.unwrap_err();
    assert_eq!(err.client_reference(), Some("order-1042-shipped"));
    let receipt = sender.send_text_with(&to, "x", &options).await.unwrap();
    assert_eq!(receipt.client_reference, "order-1042-shipped");
    assert!(!receipt.already_accepted);
    gateway.fail_next(ErrorCode::DuplicateProhibited, 1).await;
    let again = sender.send_text_with(&to, "x", &options).await.unwrap();
    assert!(again.already_accepted, "code 10: accepted before");
    assert_eq!(again.vendor_message_id, None);
    assert_eq!(again.client_reference, "order-1042-shipped");
    let ids: Vec<_> = gateway
        .requests()
        .await
        .iter()
        .map(|r| r.json().unwrap()["id"].clone())
        .collect();
    assert_eq!(ids, ["order-1042-shipped"; 3], "the same id every time");
    // Without one, every send gets its own, returned in its error too.
    gateway.fail_next(ErrorCode::InvalidLogin, 1).await;
    let err = sender.send_text(&to, "x").await.unwrap_err();
    let generated = err.client_reference().unwrap().to_owned();
    let last = gateway.requests().await.pop().unwrap();
    assert_eq!(last.json().unwrap()["id"], generated.as_str());
    let invalid = sender.send_text(&to, "").await.unwrap_err();
    assert!(
        invalid.client_reference().is_some(),
        "kept before any request too"
    );
}
