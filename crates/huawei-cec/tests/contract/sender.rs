//! The vendor-neutral trait: text and template through `Box<dyn WhatsAppSender>`.

use crate::support;

use huawei_cec::mock::MockVendor;
use huawei_cec::{
    ErrorCode, MessageNotAccepted, RetryClass, SendErrorKind, SendOptions, Template, WhatsAppSender,
};
use serde_json::json;
use wiremock::ResponseTemplate;

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
        Some(r.client_reference.as_str()),
        r.vendor_message_id.as_deref(),
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

/// The caller's reference is the `bulkId` and the destination's `messageId`,
/// and a 200 whose message CEC rejected is an error that keeps it.
#[tokio::test]
async fn a_reference_is_the_message_id_and_a_rejected_200_is_an_error() {
    let (cec, client) = support::mock_cec().await;
    let to = "+41793026727".parse().unwrap();
    let options = SendOptions::new().client_reference("order-1042-shipped");
    let receipt = client.send_text_with(&to, "Hello", &options).await.unwrap();
    assert_eq!(receipt.client_reference, "order-1042-shipped");
    let sent = cec.sends().await[0].json().unwrap();
    assert_eq!(sent["bulkId"], "order-1042-shipped");
    assert_eq!(sent["destinations"][0]["messageId"], "order-1042-shipped");

    // constructed: CEC's 200 with a message in the REJECTED group (5).
    let rejected = json!({"bulkId": "order-1042-shipped", "messages": [{
        "messageId": "order-1042-shipped",
        "to": {"phoneNumber": "4179****727"},
        "status": {"groupId": 5, "groupName": "REJECTED", "id": 6,
                   "name": "REJECTED_NETWORK", "description": "Network is forbidden",
                   "action": "Contact account manager"}
    }]});
    cec.respond_next(ResponseTemplate::new(200).set_body_json(rejected), 1)
        .await;
    let err = client
        .send_text_with(&to, "Hello", &options)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::Vendor);
    assert_eq!(err.retry_class(), RetryClass::Never);
    assert_eq!(err.client_reference(), Some("order-1042-shipped"));
    let refused = err.vendor_error_as::<MessageNotAccepted>().unwrap();
    assert_eq!(refused.status.name.as_deref(), Some("REJECTED_NETWORK"));
    assert!(err.to_string().contains("Network is forbidden"), "{err}");

    // A pending message (group 1) is accepted.
    let pending = json!({"messages": [{"messageId": "m-1", "to": {"phoneNumber": "x"},
        "status": {"groupId": 1, "groupName": "PENDING", "id": 7, "name": "PENDING_ENROUTE",
                   "description": "Message sent to next instance"}}]});
    cec.respond_next(ResponseTemplate::new(200).set_body_json(pending), 1)
        .await;
    let ok = client.send_text_with(&to, "Hello", &options).await.unwrap();
    assert_eq!(ok.vendor_message_id.as_deref(), Some("m-1"));
}
