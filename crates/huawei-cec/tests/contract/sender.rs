//! The vendor-neutral trait: text and template through `Box<dyn WhatsAppSender>`.

use crate::support;

use huawei_cec::mock::MockVendor;
use huawei_cec::{ErrorCode, RetryClass, SendErrorKind, Template, WhatsAppSender};
use serde_json::json;

#[tokio::test]
async fn text_and_template_through_the_trait() {
    let (cec, client) = support::mock_cec().await;
    let sender: Box<dyn WhatsAppSender> = Box::new(client);
    assert_eq!(sender.vendor(), "huawei-cec");
    assert!(sender.capabilities().text && sender.capabilities().template);
    let to = "+41793026727".parse().unwrap();

    let r = sender.send_text(&to, "Hello").await.unwrap();
    let sent = cec.sends().await[0].json().unwrap();
    assert_eq!(sent["whatsApp"], json!({"text": "Hello"}));
    // The mock echoes the `messageId` sent as CEC's id for the message.
    let id = sent["destinations"][0]["messageId"].as_str();
    let receipt = (
        r.client_reference.as_deref(),
        Some(r.vendor_message_id.as_str()),
    );
    assert_eq!(receipt, (id, id));

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

    // Still unauthorized after the renewal: an auth error, typed inside.
    cec.fail_next(ErrorCode::Unauthorized, 2).await;
    let err = sender.send_text(&to, "x").await.unwrap_err();
    let typed = err.vendor_error_as::<huawei_cec::Error>();
    let code = typed.and_then(huawei_cec::Error::code);
    assert_eq!(
        (err.kind(), code),
        (SendErrorKind::Auth, Some(ErrorCode::Unauthorized))
    );
}
