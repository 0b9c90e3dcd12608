//! The password never reaches Debug, Display, error chains or logs; the
//! vendor-neutral trait works through a `Box<dyn WhatsAppSender>`.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gateway_ru::mock::MockGateway;
use gateway_ru::{Client, ErrorCode, InstantContent, SendRequest, WhatsAppSender};
use whatsapp_common::{SendErrorKind, Template};
use wiremock::ResponseTemplate;

const SECRET: &str = "Pa55-SECRET-4f9c2e";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = format!("{e} | {e:?}");
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(&format!(" | {s} | {s:?}"));
        source = s.source();
    }
    out
}

#[tokio::test]
async fn the_password_appears_nowhere() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let gateway = MockGateway::start_with_credentials("YOUR_LOGIN", SECRET).await;
    let builder = Client::builder("YOUR_LOGIN", SECRET)
        .base_url(gateway.uri())
        .timeout(Duration::from_millis(300))
        .retry_policy(support::fast_retries());
    let mut seen = vec![format!("{builder:?}")];
    let client = builder.build().unwrap();
    seen.push(format!("{client:?}"));
    let request = SendRequest::builder("+79211234567".parse().unwrap(), InstantContent::text("hi"))
        .build()
        .unwrap();
    seen.push(format!("{request:?}"));

    // Success, then every documented error, then transport and decode failures.
    client.send(&request).await.unwrap();
    for code in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 100] {
        gateway.fail_next(ErrorCode::from_i64(code), 3).await;
        let err = client.send(&request).await.unwrap_err();
        seen.push(error_chain(&err));
    }
    gateway
        .respond_next(ResponseTemplate::new(200).set_body_string("<html>"), 1)
        .await;
    seen.push(error_chain(&client.send(&request).await.unwrap_err()));
    gateway
        .respond_next(
            ResponseTemplate::new(200).set_delay(Duration::from_secs(2)),
            1,
        )
        .await;
    seen.push(error_chain(&client.send(&request).await.unwrap_err()));
    let wrong = Client::builder("YOUR_LOGIN", "not-it")
        .base_url(gateway.uri())
        .build()
        .unwrap();
    seen.push(error_chain(&wrong.send(&request).await.unwrap_err()));
    let dead = Client::builder("YOUR_LOGIN", SECRET)
        .base_url("http://127.0.0.1:9/send")
        .retry_policy(gateway_ru::RetryPolicy::none())
        .build()
        .unwrap();
    let err = dead.send(&request).await.unwrap_err();
    seen.push(error_chain(&err));
    let boxed: whatsapp_common::SendError = err.into();
    seen.push(error_chain(&boxed));

    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("whatsapp.request"),
        "spans were logged: {logged}"
    );
    assert!(logged.contains("retrying"), "retries were logged");
    assert!(!logged.contains(SECRET), "secret in logs");
    for s in &seen {
        assert!(!s.contains(SECRET), "secret in {s}");
    }
    // The secret did reach the gateway, in the body where it belongs.
    assert_eq!(
        gateway.requests().await[0].json().unwrap()["password"],
        SECRET
    );
}

#[tokio::test]
async fn the_vendor_neutral_trait_sends_text_and_refuses_templates() {
    let gateway = MockGateway::start().await;
    let sender: Box<dyn WhatsAppSender> = Box::new(
        Client::builder("YOUR_LOGIN", "YOUR_PASSWORD")
            .base_url(gateway.uri())
            .default_service_number("SHOP")
            .build()
            .unwrap(),
    );
    assert_eq!(sender.vendor(), "gateway-ru");
    assert!(sender.capabilities().text);
    assert!(!sender.capabilities().template);
    let to = "+79211234567".parse().unwrap();
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
    assert!(!err.is_retryable());
    gateway.fail_next(ErrorCode::InvalidLogin, 1).await;
    let err = sender.send_text(&to, "x").await.unwrap_err();
    assert_eq!(err.kind(), SendErrorKind::Auth);
    let vendor = err
        .vendor_error()
        .downcast_ref::<gateway_ru::Error>()
        .unwrap();
    assert_eq!(vendor.code(), Some(ErrorCode::InvalidLogin));
}
