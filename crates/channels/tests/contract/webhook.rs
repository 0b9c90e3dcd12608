//! Contract: Bird's webhooks. The signature checked exactly as Bird
//! documents it, against vectors computed outside the Rust code (each
//! changed body, URL, timestamp or key refused); the window; the
//! deliveries read as vendor-neutral events; the whole path through the
//! receiver with real posts on 127.0.0.1.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use channels::mock::MockVendor;
use channels::webhook::{BirdIntake, DEFAULT_WINDOW, MAX_CLOCK_SKEW, decode_event};
use serde_json::Value;
use whatsapp_common::events::{DeliveryStatus, Event, InboundContent};
use whatsapp_common::webhook::{Intake, WebhookError, WebhookRequest};
use whatsapp_receiver::{Recorder, serve_local};

use crate::support::{fixture, fixture_json};

struct Vector {
    name: String,
    key: String,
    timestamp: String,
    url: String,
    body: String,
    signature: String,
}

fn vectors() -> Vec<Vector> {
    let all = fixture_json("webhook/constructed_signature_vectors.json");
    let text = |v: &Value, k: &str| v[k].as_str().unwrap().to_owned();
    all.as_array()
        .unwrap()
        .iter()
        .map(|v| Vector {
            name: text(v, "name"),
            key: text(v, "signing_key"),
            timestamp: text(v, "timestamp"),
            url: text(v, "url"),
            body: text(v, "body"),
            signature: text(v, "signature"),
        })
        .collect()
}

/// The time `timestamp` (Unix seconds) plus `after`.
fn at(timestamp: &str, after: Duration) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(timestamp.parse().unwrap()) + after
}

fn verify(
    key: &str,
    signature: &str,
    timestamp: &str,
    url: &str,
    body: &str,
    now: SystemTime,
) -> Result<Option<String>, WebhookError> {
    let headers = [
        ("Messagebird-Signature", signature),
        ("messagebird-request-timestamp", timestamp),
        (
            "messagebird-request-id",
            "5d6a1b2c-0e4f-4a7b-9c8d-1e2f3a4b5c6d",
        ),
    ];
    let request = WebhookRequest::new(url, &headers, body.as_bytes());
    BirdIntake::new(key.to_owned()).verify(&request, now)
}

#[test]
fn the_vectors_are_the_scripts_output() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/channels");
    let out = std::env::temp_dir().join(format!("bird-vectors-{}.json", std::process::id()));
    let status = std::process::Command::new("python3")
        .arg(dir.join("webhook/constructed_signature_vectors.py"))
        .arg(&out)
        .status()
        .expect("python3 runs the vector script");
    assert!(status.success());
    let made = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    assert_eq!(made, fixture("webhook/constructed_signature_vectors.json"));
}

#[test]
fn every_vector_verifies_and_every_change_is_refused() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 3);
    for v in &vectors {
        let now = at(&v.timestamp, Duration::from_secs(60));
        let ok = verify(&v.key, &v.signature, &v.timestamp, &v.url, &v.body, now);
        assert_eq!(
            ok.as_ref().map(Option::as_deref),
            Ok(Some("5d6a1b2c-0e4f-4a7b-9c8d-1e2f3a4b5c6d")),
            "{}",
            v.name
        );
        // The signature the crate computes is the script's.
        let signed = BirdIntake::new(v.key.clone()).sign(&v.timestamp, &v.url, v.body.as_bytes());
        assert_eq!(signed, v.signature, "{}", v.name);

        let later = (v.timestamp.parse::<u64>().unwrap() + 1).to_string();
        let changed = [
            (
                "body",
                verify(
                    &v.key,
                    &v.signature,
                    &v.timestamp,
                    &v.url,
                    &format!("{} ", v.body),
                    now,
                ),
            ),
            (
                "url",
                verify(
                    &v.key,
                    &v.signature,
                    &v.timestamp,
                    &format!("{}/", v.url),
                    &v.body,
                    now,
                ),
            ),
            (
                "timestamp",
                verify(&v.key, &v.signature, &later, &v.url, &v.body, now),
            ),
            (
                "key",
                verify(
                    &format!("{}x", v.key),
                    &v.signature,
                    &v.timestamp,
                    &v.url,
                    &v.body,
                    now,
                ),
            ),
        ];
        for (what, result) in changed {
            assert_eq!(
                result,
                Err(WebhookError::BadSignature),
                "{}: changed {what}",
                v.name
            );
        }
    }
}

#[test]
fn missing_or_malformed_headers_are_refused_by_name() {
    let v = &vectors()[0];
    let now = at(&v.timestamp, Duration::ZERO);
    let intake = BirdIntake::new(v.key.clone());
    let check = |headers: &[(&str, &str)]| {
        intake.verify(
            &WebhookRequest::new(&v.url, headers, v.body.as_bytes()),
            now,
        )
    };
    assert_eq!(
        check(&[("messagebird-request-timestamp", &v.timestamp)]),
        Err(WebhookError::MissingHeader("messagebird-signature"))
    );
    assert_eq!(
        check(&[("messagebird-signature", &v.signature)]),
        Err(WebhookError::MissingHeader("messagebird-request-timestamp"))
    );
    assert_eq!(
        check(&[
            ("messagebird-signature", "not base64!"),
            ("messagebird-request-timestamp", &v.timestamp)
        ]),
        Err(WebhookError::MalformedHeader("messagebird-signature"))
    );
    // A delivery without a request id verifies; it is de-duplicated by
    // its events' own ids.
    let no_id = [
        ("messagebird-signature", v.signature.as_str()),
        ("messagebird-request-timestamp", v.timestamp.as_str()),
    ];
    assert_eq!(check(&no_id), Ok(None));
}

#[test]
fn the_window_holds_on_each_side() {
    let v = &vectors()[0];
    let ok = |now| verify(&v.key, &v.signature, &v.timestamp, &v.url, &v.body, now).is_ok();
    let stale = |now| {
        matches!(
            verify(&v.key, &v.signature, &v.timestamp, &v.url, &v.body, now),
            Err(WebhookError::Stale { .. })
        )
    };
    assert!(ok(at(&v.timestamp, DEFAULT_WINDOW)));
    assert!(stale(at(
        &v.timestamp,
        DEFAULT_WINDOW + Duration::from_secs(1)
    )));
    // Bird's 8 hours of retries keep the first timestamp: well inside.
    assert!(ok(at(&v.timestamp, Duration::from_secs(8 * 3600))));
    let ahead = |d: Duration| at(&v.timestamp, Duration::ZERO) - d;
    assert!(ok(ahead(MAX_CLOCK_SKEW)));
    assert!(stale(ahead(MAX_CLOCK_SKEW + Duration::from_secs(1))));
    // A narrower window, set by the application.
    let headers = [
        ("messagebird-signature", v.signature.as_str()),
        ("messagebird-request-timestamp", v.timestamp.as_str()),
    ];
    let request = WebhookRequest::new(&v.url, &headers, v.body.as_bytes());
    let narrow = BirdIntake::new(v.key.clone()).window(Duration::from_secs(300));
    assert!(
        narrow
            .verify(&request, at(&v.timestamp, Duration::from_secs(300)))
            .is_ok()
    );
    assert_eq!(
        narrow.verify(&request, at(&v.timestamp, Duration::from_secs(301))),
        Err(WebhookError::Stale {
            age_secs: 301,
            window_secs: 300
        })
    );
    // A timestamp that is not Unix seconds, correctly signed, is refused
    // as malformed.
    let intake = BirdIntake::new("k");
    let sig = intake.sign("2024-07-01T10:00:00Z", "https://x/y", b"{}");
    let headers = [
        ("messagebird-signature", sig.as_str()),
        ("messagebird-request-timestamp", "2024-07-01T10:00:00Z"),
    ];
    assert_eq!(
        intake.verify(
            &WebhookRequest::new("https://x/y", &headers, b"{}"),
            SystemTime::now()
        ),
        Err(WebhookError::MalformedHeader(
            "messagebird-request-timestamp"
        ))
    );
}

#[test]
fn an_outbound_status_is_a_delivery_event_with_the_send_references() {
    let Event::Delivery(d) =
        decode_event(fixture("webhook/constructed_outbound_delivered.json").as_bytes()).unwrap()
    else {
        panic!("a delivery event");
    };
    assert_eq!(d.vendor, "channels");
    assert_eq!(
        d.vendor_message_id.as_deref(),
        Some("b7a8a4b2-6c1d-4e0f-9a3b-000000000001")
    );
    assert_eq!(d.client_reference.as_deref(), Some("order-1042"));
    assert_eq!(d.recipient.as_deref(), Some("+31612345678"));
    assert_eq!(
        (d.status.clone(), d.vendor_status.as_str()),
        (DeliveryStatus::Delivered, "delivered")
    );
    let millis = d
        .occurred_at
        .unwrap()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    assert_eq!(
        millis, 1_761_266_485_101,
        "lastStatusAt 2025-10-24T00:41:25.101Z"
    );
    assert_eq!((d.error_code, d.error_description), (None, None));
    assert_eq!(
        d.raw,
        fixture_json("webhook/constructed_outbound_delivered.json")
    );

    let Event::Delivery(f) =
        decode_event(fixture("webhook/constructed_outbound_delivery_failed.json").as_bytes())
            .unwrap()
    else {
        panic!("a delivery event");
    };
    assert_eq!(
        (f.status.clone(), f.vendor_status.as_str()),
        (DeliveryStatus::Failed, "delivery_failed")
    );
    assert_eq!(f.error_code.as_deref(), Some("15005"));
    assert_eq!(f.error_description.as_deref(), Some("unknown subscriber"));
    assert_eq!(f.client_reference.as_deref(), Some("order-1043"));
}

#[test]
fn every_bird_status_has_its_neutral_reading() {
    use channels::MessageStatus as S;
    use channels::webhook::delivery_status;
    let cases = [
        (S::Accepted, DeliveryStatus::Accepted),
        (S::Processing, DeliveryStatus::Accepted),
        (S::Scheduled, DeliveryStatus::Accepted),
        (S::Sent, DeliveryStatus::Sent),
        (S::Delivered, DeliveryStatus::Delivered),
        (S::Rejected, DeliveryStatus::Failed),
        (S::SendingFailed, DeliveryStatus::Failed),
        (S::DeliveryFailed, DeliveryStatus::Failed),
        (S::Skipped, DeliveryStatus::Failed),
        (S::Deleted, DeliveryStatus::Unknown("deleted".into())),
        (
            S::from_wire("queued"),
            DeliveryStatus::Unknown("queued".into()),
        ),
    ];
    for (bird, neutral) in cases {
        assert_eq!(delivery_status(&bird), neutral, "{bird:?}");
    }
}

#[test]
fn an_inbound_delivery_is_an_inbound_message() {
    let Event::Inbound(m) = decode_event(fixture("inbound_webhook.json").as_bytes()).unwrap()
    else {
        panic!("an inbound message");
    };
    assert_eq!(
        m.vendor_message_id.as_deref(),
        Some("7b9ef840-361f-4aee-9fbb-8c870ceaa620")
    );
    assert_eq!(m.from.as_deref(), Some("+201004331262"));
    // The capture is a tap on a postback button (`replyTo.type: click`).
    assert_eq!(
        m.content,
        InboundContent::ButtonReply {
            payload: Some("Image".into()),
            text: Some("…".into())
        }
    );
    let millis = m
        .received_at
        .unwrap()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    assert_eq!(
        millis, 1_761_266_482_230,
        "createdAt 2025-10-24T00:41:22.23Z"
    );

    // Constructed: the other kinds of content.
    let inbound = |body: &str| {
        let raw = format!(
            r#"{{"service":"channels","event":"whatsapp.inbound","payload":{{"id":"m","body":{body}}}}}"#
        );
        match decode_event(raw.as_bytes()).unwrap() {
            Event::Inbound(m) => m.content,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        inbound(r#"{"type":"text","text":{"text":"hi"}}"#),
        InboundContent::Text { text: "hi".into() }
    );
    assert_eq!(
        inbound(
            r#"{"type":"image","image":{"images":[{"mediaUrl":"https://media.api.bird.com/x"}],"text":"look"}}"#
        ),
        InboundContent::Media {
            url: Some("https://media.api.bird.com/x".into()),
            mime_type: None,
            caption: Some("look".into())
        }
    );
    assert_eq!(
        inbound(
            r#"{"type":"file","file":{"files":[{"mediaUrl":"https://m/f","contentType":"application/pdf","filename":"a.pdf"}]}}"#
        ),
        InboundContent::Media {
            url: Some("https://m/f".into()),
            mime_type: Some("application/pdf".into()),
            caption: Some("a.pdf".into())
        }
    );
    assert_eq!(
        inbound(
            r#"{"type":"location","location":{"coordinates":{"latitude":52.1,"longitude":4.3},"location":{"label":"Office"}}}"#
        ),
        InboundContent::Location {
            latitude: 52.1,
            longitude: 4.3,
            label: Some("Office".into())
        }
    );
    assert_eq!(
        inbound(r#"{"type":"list","list":{}}"#),
        InboundContent::Other
    );
}

#[test]
fn a_read_interaction_is_a_read_and_other_interactions_are_kept() {
    let documented =
        fixture_json("webhook/message_interactions_example.json")["results"][0].clone();
    let envelope = |payload: &Value| {
        serde_json::json!({"service": "channels", "event": "whatsapp.interaction", "payload": payload}).to_string()
    };
    // Bird's documented interaction is a click: kept as it came.
    match decode_event(envelope(&documented).as_bytes()).unwrap() {
        Event::Other { kind, raw, .. } => {
            assert_eq!(kind.as_deref(), Some("whatsapp.interaction"));
            assert_eq!(raw["payload"], documented);
        }
        other => panic!("{other:?}"),
    }
    let mut read = documented.clone();
    read["type"] = "read".into();
    let Event::Delivery(d) = decode_event(envelope(&read).as_bytes()).unwrap() else {
        panic!("a delivery event");
    };
    assert_eq!(
        (d.status, d.vendor_status.as_str()),
        (DeliveryStatus::Read, "read")
    );
    assert_eq!(
        d.vendor_message_id.as_deref(),
        Some("123e4567-e89b-12d3-a456-426614174000")
    );
    assert_eq!(d.client_reference.as_deref(), Some("text"));
    assert!(d.occurred_at.is_some());
}

#[test]
fn unknown_events_are_kept_and_only_non_json_is_an_error() {
    let other =
        decode_event(br#"{"service":"channels","event":"channel.updated","payload":{"id":"c"}}"#)
            .unwrap();
    assert!(matches!(other, Event::Other { kind: Some(k), .. } if k == "channel.updated"));
    // A payload of the wrong type is kept as it came, never an error.
    let odd = decode_event(br#"{"event":"whatsapp.outbound","payload":"x"}"#).unwrap();
    assert!(matches!(odd, Event::Delivery(_) | Event::Other { .. }));
    assert!(decode_event(b"<html>").is_err());
    assert!(decode_event(b"[1]").is_err());
}

/// The whole path: a signed post to the receiver on 127.0.0.1 reaches the
/// handler as a `DeliveryEvent`; the same delivery again (Bird's retry)
/// does not; a forged one is a 401.
#[tokio::test]
async fn a_signed_delivery_reaches_the_handler_once_through_the_receiver() {
    let seen = Recorder::default();
    let handler = seen.clone();
    let public = "https://hooks.example.com/bird";
    let router =
        whatsapp_receiver::Receiver::new(BirdIntake::new("signing-key"), handler, public).router();
    let url = serve_local(router).await.unwrap();

    let body = fixture("webhook/constructed_outbound_delivered.json");
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let signature = BirdIntake::new("signing-key").sign(&now, public, body.as_bytes());
    let post = |signature: String| {
        reqwest::Client::new()
            .post(&url)
            .header("messagebird-signature", signature)
            .header("messagebird-request-timestamp", &now)
            .header("messagebird-request-id", "req-1")
            .body(body.clone())
            .send()
    };
    assert_eq!(post(signature.clone()).await.unwrap().status(), 200);
    assert_eq!(
        post(signature).await.unwrap().status(),
        200,
        "the retry is acknowledged"
    );
    let forged = BirdIntake::new("another key").sign(&now, public, body.as_bytes());
    assert_eq!(post(forged).await.unwrap().status(), 401);
    let seen = seen.events();
    assert_eq!(seen.len(), 1, "once");
    let Event::Delivery(d) = &seen[0] else {
        panic!("{:?}", seen[0])
    };
    assert_eq!(d.client_reference.as_deref(), Some("order-1042"));
}

/// Hostile bodies and headers (random, truncated, bit-flipped, spliced,
/// nested, multi-byte) never make the check or the decoder panic.
#[test]
fn hostile_bodies_and_headers_never_panic() {
    use whatsapp_common::hostile::{Hostile, assert_no_panic};
    let samples = [
        fixture("inbound_webhook.json"),
        fixture("webhook/constructed_outbound_delivered.json"),
        fixture("webhook/constructed_outbound_delivery_failed.json"),
    ];
    let samples: Vec<&[u8]> = samples.iter().map(|s| s.as_bytes()).collect();
    let inputs = Hostile::new(15).inputs(&samples, 3000);
    let intake = BirdIntake::new("k");
    assert_no_panic(&inputs, |bytes| {
        let _ = decode_event(bytes);
        let text = String::from_utf8_lossy(bytes);
        let header = &text[..text.char_indices().nth(40).map_or(text.len(), |(i, _)| i)];
        let headers = [
            ("messagebird-signature", header),
            ("messagebird-request-timestamp", header),
        ];
        let _ = intake.verify(
            &WebhookRequest::new(&text, &headers, bytes),
            SystemTime::now(),
        );
    });
}

/// A send, then Bird's status webhook for it: the mock delivers it signed
/// to the receiver, and the handler gets a `DeliveryEvent` with the send's
/// message id and reference.
#[tokio::test]
async fn a_send_is_followed_by_its_signed_status_webhook() {
    use channels::mock::Subscription;
    let bird = crate::support::bird().await;
    let client = crate::support::builder(&bird.uri()).build().unwrap();
    let request = channels::SendRequest::builder(crate::support::to(), channels::Body::text("hi"))
        .reference("order-9")
        .build()
        .unwrap();
    let sent = client.send(&request).await.unwrap();

    let seen = Recorder::default();
    let handler = seen.clone();
    let public = "https://hooks.example.com/bird";
    let router =
        whatsapp_receiver::Receiver::new(BirdIntake::new("signing-key"), handler, public).router();
    let post_to = serve_local(router).await.unwrap();
    let subscription = Subscription {
        url: public.into(),
        post_to,
        signing_key: "signing-key".into(),
    };
    let answers = bird
        .deliver_status_webhooks(&subscription, channels::MessageStatus::Delivered)
        .await
        .unwrap();
    assert_eq!(answers, [200]);
    // A subscription with another key: refused, nothing reaches the handler.
    let wrong = Subscription {
        signing_key: "other".into(),
        ..subscription
    };
    assert_eq!(
        bird.deliver_status_webhooks(&wrong, channels::MessageStatus::Sent)
            .await
            .unwrap(),
        [401]
    );
    let seen = seen.events();
    let [Event::Delivery(d)] = seen.as_slice() else {
        panic!("{seen:?}")
    };
    assert_eq!(d.status, DeliveryStatus::Delivered);
    assert_eq!(d.vendor_message_id, sent.id);
    assert_eq!(d.client_reference.as_deref(), Some("order-9"));
    // The mock's own record moved on with its webhooks.
    let read = client
        .get_message(sent.id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(read.status, Some(channels::MessageStatus::Sent));
}

/// The vectors, posted to the receiver as Bird would post them (the
/// receiver's clock at the vector's time): the first, Bird's own example
/// key and URL around the captured inbound delivery, reaches the handler
/// as that inbound message; a vector's body under another vector's
/// signature is a 401.
#[tokio::test]
async fn the_vectors_pass_through_the_receiver() {
    let vectors = vectors();
    let v = &vectors[0];
    assert_eq!(
        v.timestamp, "1719823259",
        "the clock below is this vector's"
    );
    let seen = Recorder::default();
    let router = whatsapp_receiver::Receiver::new(
        BirdIntake::new(v.key.clone()),
        seen.clone(),
        v.url.clone(),
    )
    .clock(|| SystemTime::UNIX_EPOCH + Duration::from_secs(1_719_823_259 + 30))
    .router();
    let url = serve_local(router).await.unwrap();
    let post = |signature: &str| {
        reqwest::Client::new()
            .post(&url)
            .header("messagebird-signature", signature)
            .header("messagebird-request-timestamp", &v.timestamp)
            .body(v.body.clone())
            .send()
    };
    assert_eq!(post(&vectors[1].signature).await.unwrap().status(), 401);
    assert!(seen.events().is_empty());
    assert_eq!(post(&v.signature).await.unwrap().status(), 200);
    let events = seen.events();
    let [Event::Inbound(m)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(
        m.vendor_message_id.as_deref(),
        Some("7b9ef840-361f-4aee-9fbb-8c870ceaa620")
    );
}
