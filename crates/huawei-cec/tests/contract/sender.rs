//! The vendor-neutral trait: text and template through `Box<dyn WhatsAppSender>`.

use huawei_cec::mock::{MockCec, MockVendor};
use huawei_cec::{Client, ErrorCode, RetryClass, SendErrorKind, Template, WhatsAppSender};
use serde_json::json;

#[tokio::test]
async fn text_and_template_through_the_trait() {
    let cec = MockCec::start().await;
    let sender: Box<dyn WhatsAppSender> = Box::new(
        Client::builder("k", "s")
            .base_url(cec.uri())
            .build()
            .unwrap(),
    );
    assert_eq!(sender.vendor(), "huawei-cec");
    assert!(sender.capabilities().text && sender.capabilities().template);
    let to = "+41793026727".parse().unwrap();

    let r = sender.send_text(&to, "Hello").await.unwrap();
    let sent = cec.sends().await[0].json().unwrap();
    assert_eq!(sent["whatsApp"], json!({"text": "Hello"}));
    assert_eq!(
        r.client_reference.as_deref(),
        sent["destinations"][0]["messageId"].as_str()
    );
    assert_eq!(
        Some(r.vendor_message_id.as_str()),
        sent["destinations"][0]["messageId"].as_str()
    );

    let t = Template::new("order_shipped", "en_US")
        .unwrap()
        .positional(["Anna", "#1042"]);
    sender.send_template(&to, &t).await.unwrap();
    let sent = cec.sends().await[1].json().unwrap();
    assert_eq!(
        sent["whatsApp"],
        json!({"templateName": "order_shipped", "templateData": ["Anna", "#1042"], "language": "en_US"})
    );

    let named = Template::new("t", "en").unwrap().named([("name", "Anna")]);
    let err = sender.send_template(&to, &named).await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::InvalidInput);
    assert_eq!(err.retry_class(), RetryClass::Never);
    assert_eq!(cec.sends().await.len(), 2, "nothing sent");

    cec.fail_next(ErrorCode::Unauthorized, 2).await;
    let err = sender.send_text(&to, "x").await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::Auth);
    let vendor = err
        .vendor_error()
        .downcast_ref::<huawei_cec::Error>()
        .unwrap();
    assert_eq!(vendor.code(), Some(ErrorCode::Unauthorized));
}
