//! The vendor-neutral trait: text and templates through `Box<dyn WhatsAppSender>`.

use channels::mock::{CHANNEL_ID, MockBird, MockVendor, WORKSPACE_ID};
use channels::{Client, SendErrorKind, Template, WhatsAppSender};
use serde_json::json;

#[tokio::test]
async fn text_and_template_through_the_trait() {
    let bird = MockBird::start().await;
    let sender: Box<dyn WhatsAppSender> = Box::new(
        Client::builder("k", WORKSPACE_ID, CHANNEL_ID)
            .base_url(bird.uri())
            .template_project("ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318", "latest")
            .build()
            .unwrap(),
    );
    assert_eq!(sender.vendor(), "channels");
    assert!(sender.capabilities().text && sender.capabilities().template);
    let to = "+31 6 12345678".parse().unwrap();
    let r = sender.send_text(&to, "Hello").await.unwrap();
    assert!(r.vendor_message_id.starts_with("b7a8a4b2-"));
    let t = Template::new("order_shipped", "pt_BR")
        .unwrap()
        .named([("name", "Robert")]);
    sender.send_template(&to, &t).await.unwrap();
    let sent = bird.sent_bodies().await;
    assert_eq!(
        sent[0]["body"],
        json!({"type": "text", "text": {"text": "Hello"}})
    );
    assert_eq!(
        sent[1]["template"],
        json!({"name": "order_shipped", "projectId": "ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318", "version": "latest",
               "locale": "pt-BR", "parameters": [{"type": "string", "key": "name", "value": "Robert"}]})
    );
    // Positional values go by name: `1`, `2`, …; the version as set.
    let pinned = Client::builder("k", WORKSPACE_ID, CHANNEL_ID)
        .base_url(bird.uri())
        .template_project(
            "ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318",
            "e0e9190c-c3e7-4026-8fc3-d28a77aa1a52",
        )
        .build()
        .unwrap();
    let positional = Template::new("order_shipped", "en")
        .unwrap()
        .positional(["Anna", "#1042"]);
    pinned.send_template(&to, &positional).await.unwrap();
    assert_eq!(
        bird.sent_bodies().await[2]["template"],
        json!({"name": "order_shipped", "projectId": "ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318",
               "version": "e0e9190c-c3e7-4026-8fc3-d28a77aa1a52", "locale": "en",
               "parameters": [{"type": "string", "key": "1", "value": "Anna"},
                              {"type": "string", "key": "2", "value": "#1042"}]})
    );
    let no_project: Box<dyn WhatsAppSender> = Box::new(
        Client::builder("k", WORKSPACE_ID, CHANNEL_ID)
            .base_url(bird.uri())
            .build()
            .unwrap(),
    );
    let err = no_project.send_template(&to, &t).await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::InvalidInput);
    assert_eq!(bird.sent_bodies().await.len(), 3);
}
