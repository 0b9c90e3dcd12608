//! Contract: Blip's callbacks through `BlipIntake`. Blip signs nothing: a
//! custom header with a shared secret and an address allow-list refuse
//! forged callbacks; Blip's documented notifications and messages read as
//! vendor-neutral events with every value; a real post through the
//! receiver reaches the handler once.

use std::time::SystemTime;

use blip_campaign::webhook::{BlipIntake, NotificationEvent, decode_event, delivery_status};
use whatsapp_common::events::{DeliveryStatus, Event, InboundContent};
use whatsapp_common::mock::{fixture, fixture_json};
use whatsapp_common::webhook::{
    Intake, IpAllowList, SecretIn, SharedSecret, WebhookError, WebhookRequest,
};
use whatsapp_receiver::{Recorder, serve_local};

fn decoded(name: &str) -> Event {
    decode_event(fixture("blip-campaign", name).as_bytes()).unwrap()
}

#[test]
fn the_custom_header_and_the_allow_list_refuse_forged_callbacks() {
    let now = SystemTime::now();
    let intake = BlipIntake::new(
        SharedSecret::new("s3cret"),
        SecretIn::Header("X-Bot-Secret".into()),
    );
    let check = |intake: &BlipIntake, headers: &[(&str, &str)]| {
        intake.verify(&WebhookRequest::new("https://h/blip", headers, b"{}"), now)
    };
    assert_eq!(check(&intake, &[("x-bot-secret", "s3cret")]), Ok(None));
    for forged in [
        &[][..],
        &[("x-bot-secret", "s3cre")][..],
        &[("authorization", "s3cret")][..],
    ] {
        assert_eq!(
            check(&intake, forged),
            Err(WebhookError::SecretMismatch),
            "{forged:?}"
        );
    }
    let list = IpAllowList::parse(["198.51.100.0/24"]).unwrap();
    let both = intake.allow_addresses(list.clone());
    let headers = [("x-bot-secret", "s3cret")];
    let from = |ip: &str| {
        WebhookRequest::new("https://h/blip", &headers, b"{}").from_addr(ip.parse().unwrap())
    };
    assert_eq!(both.verify(&from("198.51.100.1"), now), Ok(None));
    assert_eq!(
        both.verify(&from("192.0.2.1"), now),
        Err(WebhookError::AddressNotAllowed)
    );
    assert_eq!(
        BlipIntake::from_addresses(list).verify(&from("198.51.100.1"), now),
        Ok(None)
    );
}

#[test]
fn the_documented_notifications_are_delivery_events() {
    let Event::Delivery(d) = decoded("webhook/notification_received.json") else {
        panic!("a delivery event")
    };
    assert_eq!(d.vendor, "blip-campaign");
    assert_eq!(
        d.vendor_message_id.as_deref(),
        Some("65603604-fe19-479c-c885-3195b196fe8e")
    );
    assert_eq!(
        (d.status.clone(), d.vendor_status.as_str()),
        (DeliveryStatus::Delivered, "received")
    );
    assert_eq!(
        d.recipient.as_deref(),
        Some("551199991111@0mn.io"),
        "the contact's node, its instance cut"
    );
    assert_eq!(d.client_reference, None, "Blip documents none");
    assert_eq!(
        (d.error_code.clone(), d.error_description.clone()),
        (None, None)
    );
    assert_eq!(
        d.raw,
        fixture_json("blip-campaign", "webhook/notification_received.json")
    );

    let Event::Delivery(f) = decoded("webhook/notification_failed.json") else {
        panic!("a delivery event")
    };
    assert_eq!(
        (f.status.clone(), f.vendor_status.as_str()),
        (DeliveryStatus::Failed, "failed")
    );
    assert_eq!(f.error_code.as_deref(), Some("42"));
    assert_eq!(
        f.error_description.as_deref(),
        Some("Destination not found")
    );
    assert_eq!(f.recipient, None, "postmaster is not the recipient");
}

#[test]
fn every_lime_event_has_its_neutral_reading() {
    use NotificationEvent as N;
    let cases = [
        (N::Accepted, DeliveryStatus::Accepted),
        (N::Validated, DeliveryStatus::Accepted),
        (N::Authorized, DeliveryStatus::Accepted),
        (N::Dispatched, DeliveryStatus::Sent),
        (N::Received, DeliveryStatus::Delivered),
        (N::Consumed, DeliveryStatus::Read),
        (N::Failed, DeliveryStatus::Failed),
        (N::Deleted, DeliveryStatus::Unknown("deleted".into())),
        (
            N::from_wire("bounced"),
            DeliveryStatus::Unknown("bounced".into()),
        ),
    ];
    for (lime, neutral) in cases {
        assert_eq!(delivery_status(&lime), neutral, "{lime:?}");
    }
}

#[test]
fn the_documented_messages_are_inbound_messages() {
    let Event::Inbound(m) = decoded("webhook/message_text_received.json") else {
        panic!("inbound")
    };
    assert_eq!(
        m.vendor_message_id.as_deref(),
        Some("99cf454e-f25d-4ebd-831f-e48a1c612cd4")
    );
    assert_eq!(m.from.as_deref(), Some("551100001111@0mn.io"));
    assert_eq!(
        m.content,
        InboundContent::Text {
            text: "Help".into()
        }
    );

    // Blip documents these contents on messages it sends; received ones
    // have the same type and content.
    let Event::Inbound(m) = decoded("webhook/content_media_link.json") else {
        panic!("inbound")
    };
    let uri = "http://2.bp.blogspot.com/-pATX0YgNSFs/VP-82AQKcuI/AAAAAAAALSU/Vet9e7Qsjjw/s1600/Cat-hd-wallpapers.jpg";
    assert_eq!(
        m.content,
        InboundContent::Media {
            url: Some(uri.into()),
            mime_type: Some("image/jpeg".into()),
            caption: Some("Here is a cat image for you!".into())
        }
    );
    let Event::Inbound(m) = decoded("webhook/content_location.json") else {
        panic!("inbound")
    };
    assert_eq!(
        m.content,
        InboundContent::Location {
            latitude: -19.918899,
            longitude: -43.959275,
            label: Some("Take's place".into())
        }
    );
    let Event::Inbound(m) = decoded("webhook/lime_reply_message.json") else {
        panic!("inbound")
    };
    assert_eq!(
        m.content,
        InboundContent::ButtonReply {
            payload: None,
            text: Some("{text1}".into())
        }
    );
    assert_eq!(m.from.as_deref(), Some("{@from}"));
}

#[test]
fn other_bodies_are_kept_and_only_non_json_is_an_error() {
    let command = fixture("blip-campaign", "research_command_success.json");
    assert!(matches!(
        decode_event(command.as_bytes()).unwrap(),
        Event::Other { .. }
    ));
    let unknown_type = br#"{"id":"m","from":"a@b","type":"application/vnd.lime.chatstate+json","content":{"state":"composing"}}"#;
    let Event::Inbound(m) = decode_event(unknown_type).unwrap() else {
        panic!("inbound")
    };
    assert_eq!(m.content, InboundContent::Other);
    assert!(decode_event(b"event=received").is_err());
}

#[tokio::test]
async fn a_notification_reaches_the_handler_once_through_the_receiver() {
    let seen = Recorder::default();
    let handler = seen.clone();
    let intake = BlipIntake::new(
        SharedSecret::new("s3cret"),
        SecretIn::Header("X-Bot-Secret".into()),
    );
    let router =
        whatsapp_receiver::Receiver::new(intake, handler, "https://hooks.example.com/blip")
            .router();
    let url = serve_local(router).await.unwrap();
    let body = fixture("blip-campaign", "webhook/notification_received.json");
    let post = |secret: &'static str| {
        reqwest::Client::new()
            .post(&url)
            .header("x-bot-secret", secret)
            .body(body.clone())
            .send()
    };
    assert_eq!(post("s3cret").await.unwrap().status(), 200);
    assert_eq!(post("s3cret").await.unwrap().status(), 200);
    assert_eq!(post("guess").await.unwrap().status(), 401);
    assert_eq!(seen.events().len(), 1);
}

/// Hostile bodies and headers never make the check or the decoder panic.
#[test]
fn hostile_bodies_and_headers_never_panic() {
    use whatsapp_common::hostile::{Hostile, assert_no_panic};
    let samples = [
        fixture("blip-campaign", "webhook/notification_failed.json"),
        fixture("blip-campaign", "webhook/content_location.json"),
        fixture("blip-campaign", "webhook/lime_reply_message.json"),
    ];
    let samples: Vec<&[u8]> = samples.iter().map(|s| s.as_bytes()).collect();
    let inputs = Hostile::new(15).inputs(&samples, 3000);
    let intake = BlipIntake::new(
        SharedSecret::new("k"),
        SecretIn::Header("x-bot-secret".into()),
    );
    assert_no_panic(&inputs, |bytes| {
        let _ = decode_event(bytes);
        let text = String::from_utf8_lossy(bytes);
        let headers = [("x-bot-secret", text.as_ref())];
        let _ = intake.verify(
            &WebhookRequest::new("https://h/b", &headers, bytes),
            SystemTime::now(),
        );
    });
}

/// A campaign sent through the vendor-neutral trait, then Blip's
/// notifications for its message: each reaches the handler as a
/// `DeliveryEvent` naming the recipient (Blip documents no client
/// reference in them).
#[tokio::test]
async fn a_campaign_is_followed_by_its_notifications() {
    use blip_campaign::mock::{MockBlip, MockVendor};
    use whatsapp_common::{SendOptions, Template, WhatsAppSender};
    let blip = MockBlip::start().await;
    let client = crate::support::client(&blip.uri());
    let seen = Recorder::default();
    let handler = seen.clone();
    let intake = BlipIntake::new(
        SharedSecret::new("s3cret"),
        SecretIn::Header("X-Bot-Secret".into()),
    );
    let public = "https://hooks.example.com/blip";
    let router = whatsapp_receiver::Receiver::new(intake, handler, public).router();
    let url = serve_local(router).await.unwrap();

    let to = crate::support::phone(crate::support::PHONE_1);
    let template = Template::new("order_update", "pt_BR").unwrap();
    client
        .send_template_with(&to, &template, &SendOptions::default())
        .await
        .unwrap();
    let header = ("x-bot-secret", "s3cret");
    assert_eq!(
        blip.deliver_notifications(&url, header, "received")
            .await
            .unwrap(),
        [200]
    );
    assert_eq!(
        blip.deliver_notifications(&url, header, "received")
            .await
            .unwrap(),
        [200],
        "a redelivery"
    );
    assert_eq!(
        blip.deliver_notifications(&url, ("x-bot-secret", "guess"), "consumed")
            .await
            .unwrap(),
        [401]
    );
    let seen = seen.events();
    let [Event::Delivery(d)] = seen.as_slice() else {
        panic!("{seen:?}")
    };
    assert_eq!(d.status, DeliveryStatus::Delivered);
    assert_eq!(
        d.recipient.as_deref(),
        Some(format!("{}@wa.gw.msging.net", to.digits()).as_str())
    );
}
