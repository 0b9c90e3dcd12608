//! The vendor-neutral trait: templates, and text inside the 24-hour window.

use activetrail::mock::{MockActiveTrail, MockVendor};
use activetrail::{
    Client, ErrorCode, Format, RetryClass, SendErrorKind, SendOptions, Template, WhatsAppSender,
};

#[tokio::test]
async fn template_and_text_through_the_trait() {
    let at = MockActiveTrail::start().await;
    let sender: Box<dyn WhatsAppSender> = Box::new(
        Client::builder("t")
            .base_url(at.uri())
            .format(Format::Xml)
            .default_profile(7)
            .build()
            .unwrap(),
    );
    assert_eq!(sender.vendor(), "activetrail");
    let to = "+972501234567".parse().unwrap();

    let t = Template::new("order_shipped", "he")
        .unwrap()
        .named([("name", "Dana"), ("order", "1042")]);
    let r = sender.send_template(&to, &t).await.unwrap();
    assert_eq!(
        r.vendor_message_id.as_deref(),
        Some("31203993-a781-4163-95dd-ae3bfa386fc4")
    );
    let m = &at.messages().await[0];
    let tpl = m.template.as_ref().unwrap();
    assert_eq!(tpl.id.as_deref(), Some("order_shipped"));
    assert_eq!(
        tpl.variables.as_ref().unwrap().pairs(),
        &[
            ("name".to_owned(), "Dana".to_owned()),
            ("order".to_owned(), "1042".to_owned())
        ]
    );
    assert_eq!(m.details.as_ref().unwrap().whatsapp_profile_id, Some(7));

    let positional = Template::new("t", "he").unwrap().positional(["a", "b"]);
    sender.send_template(&to, &positional).await.unwrap();
    let m = &at.messages().await[1];
    assert_eq!(
        m.template
            .as_ref()
            .unwrap()
            .variables
            .as_ref()
            .unwrap()
            .pairs()[1],
        ("2".to_owned(), "b".to_owned())
    );

    sender.send_text(&to, "שלום").await.unwrap();
    let m = &at.messages().await[2];
    assert_eq!(m.design.as_ref().unwrap().content.as_deref(), Some("שלום"));
    assert!(m.template.is_none());

    let no_profile: Box<dyn WhatsAppSender> =
        Box::new(Client::builder("t").base_url(at.uri()).build().unwrap());
    let err = no_profile.send_text(&to, "x").await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::InvalidInput);
    assert_eq!(
        at.requests().await.len(),
        3,
        "nothing sent without a profile"
    );

    at.fail_next(ErrorCode::ApiKeyMissing, 1).await;
    let err = sender.send_text(&to, "x").await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::Auth);
    assert_eq!(err.retry_class(), RetryClass::Never);
    let vendor = err.vendor_error_as::<activetrail::Error>().unwrap();
    assert_eq!(vendor.code(), Some(ErrorCode::ApiKeyMissing));
}

/// ActiveTrail's send has no field for a reference: the caller's comes back
/// in the receipt and in errors, and nothing of it goes on the wire.
#[tokio::test]
async fn a_reference_comes_back_in_receipts_and_errors() {
    let at = MockActiveTrail::start().await;
    let client = Client::builder("t")
        .base_url(at.uri())
        .default_profile(7)
        .build()
        .unwrap();
    let to = "+972501234567".parse().unwrap();
    let t = Template::new("order_shipped", "he").unwrap();
    let options = SendOptions::new().client_reference("order-1042-shipped");
    let receipt = client.send_template_with(&to, &t, &options).await.unwrap();
    assert_eq!(receipt.client_reference, "order-1042-shipped");
    at.fail_next(ErrorCode::Forbidden, 1).await;
    let err = client
        .send_template_with(&to, &t, &options)
        .await
        .unwrap_err();
    assert_eq!(err.client_reference(), Some("order-1042-shipped"));
    for sent in at.requests().await {
        let body = String::from_utf8_lossy(&sent.body).into_owned();
        assert!(!body.contains("order-1042-shipped"), "{body}");
    }
    let no_profile = Client::builder("t").base_url(at.uri()).build().unwrap();
    let err = no_profile
        .send_text_with(&to, "hi", &options)
        .await
        .unwrap_err();
    assert_eq!(err.client_reference(), Some("order-1042-shipped"));
}
