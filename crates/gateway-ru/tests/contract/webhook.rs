//! Contract: the gateway's callbacks through `GatewayIntake`. The gateway
//! signs nothing: a shared secret in the URL's query or a header, and an
//! address allow-list, refuse forged callbacks; the documented reports and
//! inbound messages read as vendor-neutral events with every value; a
//! real post through the receiver reaches the handler once.

use std::time::{Duration, SystemTime};

use gateway_ru::DeliveryState;
use gateway_ru::webhook::{GatewayIntake, decode_event, delivery_status};
use whatsapp_common::events::{DeliveryStatus, Event, InboundContent};
use whatsapp_common::mock::{fixture, fixture_json};
use whatsapp_common::webhook::{
    Intake, IpAllowList, SecretIn, SharedSecret, WebhookError, WebhookRequest,
};
use whatsapp_receiver::{Recorder, serve_local};

fn secs(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs()
}

#[test]
fn the_shared_secret_and_the_allow_list_refuse_forged_callbacks() {
    let now = SystemTime::now();
    let in_query = GatewayIntake::new(SharedSecret::new("s3cret"), SecretIn::Query("token".into()));
    let url = |q: &str| format!("https://hooks.example.com/gateway{q}");
    let check = |intake: &GatewayIntake, url: &str, headers: &[(&str, &str)]| {
        intake.verify(&WebhookRequest::new(url, headers, b"{}"), now)
    };
    assert_eq!(check(&in_query, &url("?token=s3cret"), &[]), Ok(None));
    assert_eq!(check(&in_query, &url("?a=1&token=s3cret#f"), &[]), Ok(None));
    for forged in [
        "",
        "?token=",
        "?token=s3cre",
        "?token=s3crett",
        "?tok=s3cret",
    ] {
        assert_eq!(
            check(&in_query, &url(forged), &[]),
            Err(WebhookError::SecretMismatch),
            "{forged}"
        );
    }
    let in_header = GatewayIntake::new(
        SharedSecret::new("s3cret"),
        SecretIn::Header("X-Callback-Token".into()),
    );
    assert_eq!(
        check(&in_header, &url(""), &[("x-callback-token", "s3cret")]),
        Ok(None)
    );
    assert_eq!(
        check(&in_header, &url("?token=s3cret"), &[]),
        Err(WebhookError::SecretMismatch)
    );

    let list = IpAllowList::parse(["198.51.100.0/24"]).unwrap();
    let both = in_query.clone().allow_addresses(list.clone());
    let from = |ip: &str| {
        WebhookRequest::new("https://h/g?token=s3cret", &[], b"{}").from_addr(ip.parse().unwrap())
    };
    assert_eq!(both.verify(&from("198.51.100.9"), now), Ok(None));
    assert_eq!(
        both.verify(&from("203.0.113.9"), now),
        Err(WebhookError::AddressNotAllowed)
    );
    let only_addresses = GatewayIntake::from_addresses(list);
    assert_eq!(only_addresses.verify(&from("198.51.100.9"), now), Ok(None));
    assert_eq!(
        only_addresses.verify(&WebhookRequest::new("https://h/g", &[], b"{}"), now),
        Err(WebhookError::AddressNotAllowed),
        "an unknown peer is refused"
    );
}

#[test]
fn the_documented_delivery_report_is_a_delivery_event() {
    let body = fixture("gateway-ru", "delivery_status_callback.json");
    let Event::Delivery(d) = decode_event(body.as_bytes()).unwrap() else {
        panic!("a delivery event");
    };
    assert_eq!(d.vendor, "gateway-ru");
    assert_eq!(d.vendor_message_id.as_deref(), Some("107930572"), "mtNum");
    assert_eq!(
        d.client_reference.as_deref(),
        Some("8770599"),
        "the partner id the send carried"
    );
    assert_eq!(d.recipient.as_deref(), Some("72101234567"));
    assert_eq!(
        (d.status.clone(), d.vendor_status.as_str()),
        (DeliveryStatus::Delivered, "2")
    );
    // doneDate 2019-05-05T10:20:35+0300
    assert_eq!(secs(d.occurred_at.unwrap()), 1_557_040_835);
    assert_eq!((d.error_code, d.error_description), (None, None));
    assert_eq!(
        d.raw,
        fixture_json("gateway-ru", "delivery_status_callback.json")
    );
}

#[test]
fn an_undelivered_whatsapp_report_carries_its_reason() {
    let body = br#"{"id":"order-7","mtNum":"107930573","status":5,"type":"WHATSAPP",
        "doneDate":"","submitDate":"2019-05-05T10:19:55+0300","sourceAddr":"SHOP",
        "destAddr":"72101234567","partCount":"001","errorCode":"6","trafficType":1}"#;
    let Event::Delivery(d) = decode_event(body).unwrap() else {
        panic!("a delivery event")
    };
    assert_eq!(d.status, DeliveryStatus::Failed);
    assert_eq!(d.error_code.as_deref(), Some("6"));
    assert_eq!(
        d.error_description.as_deref(),
        Some("TeleserviceNotProvisioned")
    );
    // No doneDate while undelivered: the time is submitDate's.
    assert_eq!(secs(d.occurred_at.unwrap()), 1_557_040_795);
}

#[test]
fn every_documented_status_has_its_neutral_reading() {
    let cases = [
        (DeliveryState::Sent, DeliveryStatus::Sent),
        (DeliveryState::Delivered, DeliveryStatus::Delivered),
        (DeliveryState::Undelivered, DeliveryStatus::Failed),
        (DeliveryState::Read, DeliveryStatus::Read),
        (
            DeliveryState::from_i64(4),
            DeliveryStatus::Unknown("4".into()),
        ),
    ];
    for (gateway, neutral) in cases {
        assert_eq!(delivery_status(&gateway), neutral, "{gateway:?}");
    }
}

#[test]
fn the_documented_inbound_messages_are_inbound_messages() {
    let image = fixture("gateway-ru", "inbound_whatsapp_image_callback.json");
    let Event::Inbound(m) = decode_event(image.as_bytes()).unwrap() else {
        panic!("inbound")
    };
    assert_eq!(m.vendor_message_id.as_deref(), Some("20190418175651967014"));
    assert_eq!(m.from.as_deref(), Some("72101234567"));
    let url = "https://image.service/WHATSAPP_TEST/3GfxBJRj-bN3QA.jpg";
    assert_eq!(
        m.content,
        InboundContent::Media {
            url: Some(url.into()),
            mime_type: None,
            caption: None
        }
    );
    // receivedDate 2022-09-22T10:22:45+0300
    assert_eq!(secs(m.received_at.unwrap()), 1_663_831_365);

    let captioned = fixture("gateway-ru", "inbound_whatsapp_image_caption_callback.json");
    let Event::Inbound(m) = decode_event(captioned.as_bytes()).unwrap() else {
        panic!("inbound")
    };
    assert_eq!(
        m.content,
        InboundContent::Media {
            url: Some(url.into()),
            mime_type: None,
            caption: Some("Подпись к изображению".into())
        }
    );
    let text = r#"{"transactionId":"t-1","destAddr":"0000","sourceAddr":"72101234567","type":"WHATSAPP","message":"Да"}"#;
    let Event::Inbound(m) = decode_event(text.as_bytes()).unwrap() else {
        panic!("inbound")
    };
    assert_eq!(
        m.content,
        InboundContent::Text {
            text: "Да".into()
        }
    );
}

#[test]
fn other_bodies_are_kept_and_only_non_json_is_an_error() {
    assert!(matches!(
        decode_event(br#"{"hello":1}"#).unwrap(),
        Event::Other { .. }
    ));
    // A report whose status is of another type is kept as it came.
    let odd = br#"{"mtNum":"1","status":"two","type":"WHATSAPP"}"#;
    assert!(matches!(decode_event(odd).unwrap(), Event::Other { .. }));
    assert!(decode_event(b"status=2").is_err());
}

/// A report posted to the receiver with the token in `notifyUrl`'s query
/// reaches the handler once, the same report again not at all, a forged
/// one never.
#[tokio::test]
async fn a_report_reaches_the_handler_once_through_the_receiver() {
    let seen = Recorder::default();
    let handler = seen.clone();
    let intake = GatewayIntake::new(SharedSecret::new("s3cret"), SecretIn::Query("token".into()));
    let router =
        whatsapp_receiver::Receiver::new(intake, handler, "https://hooks.example.com/gateway")
            .router();
    let base = serve_local(router).await.unwrap();
    let body = fixture("gateway-ru", "delivery_status_callback.json");
    let post = |query: &str| {
        reqwest::Client::new()
            .post(format!("{base}{query}"))
            .timeout(Duration::from_secs(5))
            .body(body.clone())
            .send()
    };
    assert_eq!(post("?token=s3cret").await.unwrap().status(), 200);
    assert_eq!(post("?token=s3cret").await.unwrap().status(), 200);
    assert_eq!(post("?token=guess").await.unwrap().status(), 401);
    let seen = seen.events();
    assert_eq!(seen.len(), 1);
    let Event::Delivery(d) = &seen[0] else {
        panic!("{:?}", seen[0])
    };
    assert_eq!(d.client_reference.as_deref(), Some("8770599"));
}

/// Hostile bodies and URLs never make the check or the decoder panic.
#[test]
fn hostile_bodies_and_urls_never_panic() {
    use whatsapp_common::hostile::{Hostile, assert_no_panic};
    let samples = [
        fixture("gateway-ru", "delivery_status_callback.json"),
        fixture("gateway-ru", "inbound_whatsapp_image_caption_callback.json"),
    ];
    let samples: Vec<&[u8]> = samples.iter().map(|s| s.as_bytes()).collect();
    let inputs = Hostile::new(15).inputs(&samples, 3000);
    let intake = GatewayIntake::new(SharedSecret::new("k"), SecretIn::Query("token".into()));
    assert_no_panic(&inputs, |bytes| {
        let _ = decode_event(bytes);
        let url = format!("https://h/g?token={}", String::from_utf8_lossy(bytes));
        let _ = intake.verify(&WebhookRequest::new(&url, &[], bytes), SystemTime::now());
    });
}

/// A send carrying `notifyUrl`, then the gateway's report for it: posted
/// to that URL (with its token), it reaches the handler as a
/// `DeliveryEvent` with the send's reference and `mtNum`.
#[tokio::test]
async fn a_send_is_followed_by_its_report_to_notify_url() {
    use gateway_ru::mock::{MockGateway, MockVendor};
    use gateway_ru::{InstantContent, SendRequest};
    let gateway = MockGateway::start().await;
    let client = crate::support::builder(&gateway.uri()).build().unwrap();

    let seen = Recorder::default();
    let handler = seen.clone();
    let intake = GatewayIntake::new(SharedSecret::new("s3cret"), SecretIn::Query("token".into()));
    let public = "https://hooks.example.com/gateway";
    let router = whatsapp_receiver::Receiver::new(intake, handler, public).router();
    let base = serve_local(router).await.unwrap();

    let to = "+7 921 123-45-67".parse().unwrap();
    let request = SendRequest::builder(to, InstantContent::text("Заказ готов"))
        .id("order-9")
        .notify_url(format!("{base}?token=s3cret"))
        .build()
        .unwrap();
    let sent = client.send(&request).await.unwrap();
    let answers = gateway
        .deliver_reports(None, DeliveryState::Delivered)
        .await
        .unwrap();
    assert_eq!(answers, [200]);
    let seen = seen.events();
    let [Event::Delivery(d)] = seen.as_slice() else {
        panic!("{seen:?}")
    };
    assert_eq!(d.status, DeliveryStatus::Delivered);
    assert_eq!(d.client_reference.as_deref(), Some("order-9"));
    assert_eq!(d.vendor_message_id, sent.mt_num);
    assert_eq!(d.recipient.as_deref(), Some("79211234567"));
}

/// A cascade reports each step under the same `mtNum`: the WhatsApp
/// step's report and the SMS step's, both status 2, are two events, and
/// each reaches the handler (only a report sent again is one).
#[tokio::test]
async fn a_cascade_reports_each_step_and_each_reaches_the_handler() {
    let seen = Recorder::default();
    let intake = GatewayIntake::new(SharedSecret::new("s3cret"), SecretIn::Query("token".into()));
    let router = whatsapp_receiver::Receiver::new(intake, seen.clone(), "https://h/g").router();
    let base = serve_local(router).await.unwrap();
    let report = |channel: &str| {
        format!(
            r#"{{"id":"order-9","mtNum":"107930572","status":2,"type":"{channel}","doneDate":"2019-05-05T10:20:35+0300","submitDate":"2019-05-05T10:19:55+0300","sourceAddr":"SHOP","destAddr":"72101234567","partCount":"001","errorCode":"0"}}"#
        )
    };
    let post = |body: String| {
        reqwest::Client::new()
            .post(format!("{base}?token=s3cret"))
            .body(body)
            .send()
    };
    for body in [report("WHATSAPP"), report("SMS"), report("SMS")] {
        assert_eq!(post(body).await.unwrap().status(), 200);
    }
    let channels: Vec<_> = seen
        .events()
        .iter()
        .map(|e| match e {
            Event::Delivery(d) => d.raw["type"].as_str().unwrap_or_default().to_owned(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(channels, ["WHATSAPP", "SMS"]);
}
