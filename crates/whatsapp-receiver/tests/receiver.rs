//! The receiver as a vendor meets it: real HTTP posts to 127.0.0.1, each
//! answer as documented in the crate, the handler called once per event.
//! The intake here is constructed (a token header, `{"delivery", "events"}`
//! bodies); the vendor crates' tests run their own intakes through it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use serde_json::{Value, json};
use tokio::sync::Notify;
use whatsapp_common::DecodeError;
use whatsapp_common::events::{DeliveryEvent, DeliveryStatus, Event};
use whatsapp_common::webhook::{IpAllowList, SharedSecret, WebhookError, WebhookRequest};
use whatsapp_receiver::{HandlerError, Intake, Receiver};

/// Constructed: a token header; `{"delivery": id?, "events": [{"id", "status"}]}`.
struct Constructed {
    token: SharedSecret,
    allow: Option<IpAllowList>,
    acknowledge: bool,
}

fn constructed() -> Constructed {
    Constructed {
        token: SharedSecret::new("t0ken"),
        allow: None,
        acknowledge: true,
    }
}

impl Intake for Constructed {
    fn vendor(&self) -> &'static str {
        "constructed"
    }
    fn verify(
        &self,
        r: &WebhookRequest<'_>,
        _: SystemTime,
    ) -> Result<Option<String>, WebhookError> {
        self.token.check(r.header("x-token"))?;
        if let Some(allow) = &self.allow {
            allow.check(r)?;
        }
        let body: Value = serde_json::from_slice(r.body).unwrap_or_default();
        Ok(body["delivery"].as_str().map(str::to_owned))
    }
    fn decode(&self, body: &[u8]) -> Result<Vec<Event>, DecodeError> {
        let v: Value = DecodeError::json(200, body, false)?;
        let events = v["events"].as_array().cloned().unwrap_or_default();
        Ok(events
            .iter()
            .map(|e| {
                let status = e["status"].as_str().unwrap_or_default();
                let event = DeliveryEvent::new(
                    "constructed",
                    DeliveryStatus::Unknown(status.into()),
                    status,
                );
                Event::Delivery(match e["id"].as_str() {
                    Some(id) => event.vendor_message_id(id),
                    None => event,
                })
            })
            .collect())
    }
    fn acknowledge_undecodable(&self) -> bool {
        self.acknowledge
    }
}

/// What the handler saw, and how it answers.
#[derive(Default)]
struct Seen {
    events: Mutex<Vec<String>>,
    fail_on: Mutex<Option<String>>,
    panic_on: Mutex<Option<String>>,
    /// Signalled when the handler is entered; then it waits for `hold`.
    entered: Arc<Notify>,
    hold: Option<Arc<Notify>>,
}

fn id_of(event: &Event) -> String {
    match event {
        Event::Delivery(d) => format!(
            "{}:{}",
            d.vendor_message_id.as_deref().unwrap_or("-"),
            d.vendor_status
        ),
        other => format!("{other:?}"),
    }
}

/// Serves `intake` on 127.0.0.1 with a handler recording into `seen`.
async fn serve(intake: Constructed, seen: Arc<Seen>) -> String {
    let handler = move |event: Event| {
        let seen = seen.clone();
        async move {
            if let Some(hold) = &seen.hold {
                seen.entered.notify_one();
                hold.notified().await;
            }
            let id = id_of(&event);
            if seen.panic_on.lock().unwrap().as_deref() == Some(id.as_str()) {
                panic!("the application's handler panicked");
            }
            if seen.fail_on.lock().unwrap().as_deref() == Some(id.as_str()) {
                return Err::<(), HandlerError>("the application failed".into());
            }
            seen.events.lock().unwrap().push(id);
            Ok(())
        }
    };
    let router = Receiver::new(intake, handler, "https://hooks.example.com/constructed")
        .max_body_bytes(4096)
        .router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    format!("http://{addr}/")
}

async fn post(url: &str, token: &str, body: impl Into<String>) -> u16 {
    reqwest::Client::new()
        .post(url)
        .header("x-token", token)
        .body(body.into())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn body(delivery: Option<&str>, events: &[(&str, &str)]) -> String {
    let events: Vec<Value> = events
        .iter()
        .map(|(id, s)| json!({"id": id, "status": s}))
        .collect();
    json!({"delivery": delivery, "events": events}).to_string()
}

fn events(seen: &Seen) -> Vec<String> {
    seen.events.lock().unwrap().clone()
}

#[tokio::test]
async fn a_delivery_sent_twice_reaches_the_handler_once() {
    let seen = Arc::new(Seen::default());
    let url = serve(constructed(), seen.clone()).await;
    let delivery = body(Some("d-1"), &[("m-1", "sent"), ("m-2", "sent")]);
    assert_eq!(post(&url, "t0ken", delivery.clone()).await, 200);
    assert_eq!(post(&url, "t0ken", delivery).await, 200);
    assert_eq!(events(&seen), ["m-1:sent", "m-2:sent"]);
}

#[tokio::test]
async fn events_without_a_delivery_id_are_deduplicated_by_their_own_ids() {
    let seen = Arc::new(Seen::default());
    let url = serve(constructed(), seen.clone()).await;
    assert_eq!(
        post(&url, "t0ken", body(None, &[("m-1", "sent")])).await,
        200
    );
    let again = body(None, &[("m-1", "sent"), ("m-1", "delivered")]);
    assert_eq!(post(&url, "t0ken", again).await, 200);
    assert_eq!(events(&seen), ["m-1:sent", "m-1:delivered"]);
}

#[tokio::test]
async fn a_handler_error_is_a_500_and_the_redelivery_is_handled() {
    let seen = Arc::new(Seen::default());
    *seen.fail_on.lock().unwrap() = Some("m-2:sent".into());
    let url = serve(constructed(), seen.clone()).await;
    let delivery = body(Some("d-1"), &[("m-1", "sent"), ("m-2", "sent")]);
    assert_eq!(post(&url, "t0ken", delivery.clone()).await, 500);
    *seen.fail_on.lock().unwrap() = None;
    assert_eq!(post(&url, "t0ken", delivery.clone()).await, 200);
    assert_eq!(post(&url, "t0ken", delivery).await, 200);
    // The first try handled m-1 before m-2 failed; the delivery as a
    // whole was handled once more, then never again.
    assert_eq!(events(&seen), ["m-1:sent", "m-1:sent", "m-2:sent"]);

    // Without a delivery id, only the failed event and those after it
    // come again.
    let seen = Arc::new(Seen::default());
    *seen.fail_on.lock().unwrap() = Some("m-2:sent".into());
    let url = serve(constructed(), seen.clone()).await;
    let each = body(None, &[("m-1", "sent"), ("m-2", "sent"), ("m-3", "sent")]);
    assert_eq!(post(&url, "t0ken", each.clone()).await, 500);
    *seen.fail_on.lock().unwrap() = None;
    assert_eq!(post(&url, "t0ken", each).await, 200);
    assert_eq!(events(&seen), ["m-1:sent", "m-2:sent", "m-3:sent"]);
}

#[tokio::test]
async fn a_request_that_is_not_the_vendors_reaches_nothing() {
    let seen = Arc::new(Seen::default());
    let url = serve(constructed(), seen.clone()).await;
    let delivery = body(Some("d-1"), &[("m-1", "sent")]);
    assert_eq!(post(&url, "guess", delivery.clone()).await, 401);
    assert_eq!(post(&url, "", delivery).await, 401);
    assert!(events(&seen).is_empty());

    let allow = IpAllowList::parse(["192.0.2.0/24"]).unwrap();
    let seen = Arc::new(Seen::default());
    let intake = Constructed {
        allow: Some(allow),
        ..constructed()
    };
    let url = serve(intake, seen.clone()).await;
    assert_eq!(
        post(&url, "t0ken", body(None, &[("m-1", "sent")])).await,
        401,
        "127.0.0.1 is not on the list"
    );
    assert!(events(&seen).is_empty());
    let allow = IpAllowList::parse(["127.0.0.0/8"]).unwrap();
    let url = serve(
        Constructed {
            allow: Some(allow),
            ..constructed()
        },
        seen.clone(),
    )
    .await;
    assert_eq!(
        post(&url, "t0ken", body(None, &[("m-1", "sent")])).await,
        200
    );
}

#[tokio::test]
async fn bodies_over_the_limit_and_bodies_that_do_not_decode() {
    let seen = Arc::new(Seen::default());
    let url = serve(constructed(), seen.clone()).await;
    let large = body(Some("d-1"), &[("m-1", &"x".repeat(5000))]);
    assert_eq!(post(&url, "t0ken", large).await, 413);
    assert_eq!(post(&url, "t0ken", "<html>").await, 200, "acknowledged");
    let refusing = Constructed {
        acknowledge: false,
        ..constructed()
    };
    let url = serve(refusing, seen.clone()).await;
    assert_eq!(post(&url, "t0ken", "<html>").await, 400, "refused");
    assert!(events(&seen).is_empty());
}

/// A receiver whose handler waits on the returned `Notify`, and one
/// delivery for it.
async fn held_delivery() -> (Arc<Notify>, Arc<Seen>, String, String) {
    let hold = Arc::new(Notify::new());
    let seen = Arc::new(Seen {
        hold: Some(hold.clone()),
        ..Seen::default()
    });
    let url = serve(constructed(), seen.clone()).await;
    (hold, seen, url, body(Some("d-1"), &[("m-1", "sent")]))
}

#[tokio::test]
async fn a_delivery_under_way_elsewhere_is_asked_for_again_later() {
    let (hold, seen, url, delivery) = held_delivery().await;
    let first = tokio::spawn({
        let (url, delivery) = (url.clone(), delivery.clone());
        async move { post(&url, "t0ken", delivery).await }
    });
    seen.entered.notified().await;
    assert_eq!(post(&url, "t0ken", delivery).await, 503);
    hold.notify_one();
    assert_eq!(first.await.unwrap(), 200);
    assert_eq!(events(&seen), ["m-1:sent"]);
}

/// A handler that panics is a handler that failed: 500, and the
/// redelivery gets through (the delivery is not left under way).
#[tokio::test]
async fn a_panicking_handler_is_a_500_and_the_redelivery_gets_through() {
    let seen = Arc::new(Seen::default());
    *seen.panic_on.lock().unwrap() = Some("m-1:sent".into());
    let url = serve(constructed(), seen.clone()).await;
    let delivery = body(Some("d-1"), &[("m-1", "sent")]);
    assert_eq!(post(&url, "t0ken", delivery.clone()).await, 500);
    *seen.panic_on.lock().unwrap() = None;
    assert_eq!(post(&url, "t0ken", delivery).await, 200);
    assert_eq!(events(&seen), ["m-1:sent"]);
}

/// A vendor that gives up waiting (its connection closed while the
/// handler runs) does not leave the delivery under way: the handler
/// finishes, and the vendor's next try is acknowledged without a second
/// call.
#[tokio::test]
async fn a_delivery_whose_vendor_gave_up_still_ends() {
    let (hold, seen, url, delivery) = held_delivery().await;
    let impatient = reqwest::Client::new()
        .post(&url)
        .header("x-token", "t0ken")
        .timeout(std::time::Duration::from_millis(200))
        .body(delivery.clone())
        .send()
        .await;
    assert!(impatient.is_err(), "the vendor gave up");
    seen.entered.notified().await;
    hold.notify_one();
    // The handler finishes on its own; the next try finds it done.
    for _ in 0..100 {
        if !events(&seen).is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(events(&seen), ["m-1:sent"]);
    assert_eq!(post(&url, "t0ken", delivery).await, 200);
    assert_eq!(events(&seen), ["m-1:sent"], "not handled twice");
}
