//! The vendor-neutral trait: text and templates through `Box<dyn WhatsAppSender>`.

use crate::support;

use channels::mock::{MockBird, MockVendor};
use channels::{ErrorCode, SendErrorKind, SendOptions, Template, WhatsAppSender};
use serde_json::json;

const PROJECT: &str = "ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318";

/// A sender for `bird`, with the template project at `version`, if any.
fn sender(bird: &MockBird, version: Option<&str>) -> Box<dyn WhatsAppSender> {
    let mut builder = support::builder(&bird.uri());
    if let Some(version) = version {
        builder = builder.template_project(PROJECT, version);
    }
    Box::new(builder.build().unwrap())
}

#[tokio::test]
async fn text_and_template_through_the_trait() {
    let bird = support::bird().await;
    let latest = sender(&bird, Some("latest"));
    assert_eq!(latest.vendor(), "channels");
    assert!(latest.capabilities().text && latest.capabilities().template);
    let to = "+31 6 12345678".parse().unwrap();
    let r = latest.send_text(&to, "Hello").await.unwrap();
    assert!(
        r.vendor_message_id
            .as_deref()
            .is_some_and(|id| id.starts_with("b7a8a4b2-"))
    );
    let t = Template::new("order_shipped", "pt_BR")
        .unwrap()
        .named([("name", "Robert")]);
    latest.send_template(&to, &t).await.unwrap();
    let sent = bird.sent_bodies().await;
    assert_eq!(
        sent[0]["body"],
        json!({"type": "text", "text": {"text": "Hello"}})
    );
    assert_eq!(
        sent[1]["template"],
        json!({"name": "order_shipped", "projectId": PROJECT, "version": "latest",
               "locale": "pt-BR", "parameters": [{"type": "string", "key": "name", "value": "Robert"}]})
    );
    // Positional values go by name: `1`, `2`, …; the version as set.
    let pinned = sender(&bird, Some("e0e9190c-c3e7-4026-8fc3-d28a77aa1a52"));
    let positional = Template::new("order_shipped", "en")
        .unwrap()
        .positional(["Anna", "#1042"]);
    pinned.send_template(&to, &positional).await.unwrap();
    assert_eq!(
        bird.sent_bodies().await[2]["template"],
        json!({"name": "order_shipped", "projectId": PROJECT,
               "version": "e0e9190c-c3e7-4026-8fc3-d28a77aa1a52", "locale": "en",
               "parameters": [{"type": "string", "key": "1", "value": "Anna"},
                              {"type": "string", "key": "2", "value": "#1042"}]})
    );
    let err = sender(&bird, None)
        .send_template(&to, &t)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::InvalidInput);
    assert_eq!(bird.sent_bodies().await.len(), 3);
}

/// The caller's reference is Bird's `reference`, on the message sent and in
/// the error when Bird refuses it.
#[tokio::test]
async fn a_reference_is_birds_reference_and_survives_errors() {
    let bird = support::bird().await;
    let s = sender(&bird, Some("latest"));
    let to = "+31 6 12345678".parse().unwrap();
    let options = SendOptions::new().client_reference("order-1042-shipped");
    let receipt = s.send_text_with(&to, "Hello", &options).await.unwrap();
    assert_eq!(receipt.client_reference, "order-1042-shipped");
    assert_eq!(
        bird.sent_bodies().await[0]["reference"],
        "order-1042-shipped"
    );
    bird.fail_next(ErrorCode::NotFound, 1).await;
    let err = s.send_text_with(&to, "Hello", &options).await.unwrap_err();
    assert_eq!(err.client_reference(), Some("order-1042-shipped"));
    // Without one, a fresh reference per send, the one sent.
    let fresh = s.send_text(&to, "Hello").await.unwrap();
    let last = bird.sent_bodies().await.pop().unwrap();
    assert_eq!(last["reference"], fresh.client_reference.as_str());
    assert_ne!(fresh.client_reference, "order-1042-shipped");
}
