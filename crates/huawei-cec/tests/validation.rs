//! Every documented limit, on both sides, refused before anything is sent.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, SystemTime};

use huawei_cec::{
    Client, Location, MediaButton, MediaHeader, MediaTemplateData, PhoneNumber, SendAt,
    SendRequest, TemplateMessage, ValidationError, WhatsAppMessage,
};

fn build(m: WhatsAppMessage) -> Result<SendRequest, ValidationError> {
    SendRequest::builder(m)
        .to("+41793026727".parse().unwrap())
        .build()
}

fn url(len: usize) -> String {
    let base = "https://example.com/";
    format!("{base}{}", "a".repeat(len - base.len()))
}

#[test]
fn media_urls_are_at_most_2048_characters() {
    for (make, field) in [
        (
            WhatsAppMessage::image as fn(String) -> WhatsAppMessage,
            "whatsApp.imageUrl",
        ),
        (WhatsAppMessage::audio, "whatsApp.audioUrl"),
        (WhatsAppMessage::video, "whatsApp.videoUrl"),
    ] {
        assert!(build(make(url(2048))).is_ok(), "{field}");
        let err = build(make(url(2049))).unwrap_err();
        assert_eq!(err.field(), field);
        assert!(err.reason().contains("2049"), "{err}");
        assert!(build(make(String::new())).is_err());
        assert!(build(make("example.com/a.png".into())).is_err());
    }
}

#[test]
fn message_limits() {
    let at = || Location::new(1.0, 1.0);
    let template =
        |media| WhatsAppMessage::template(TemplateMessage::new("t", "en").unwrap().media(media));
    let header = |h| template(MediaTemplateData::new().header(h));
    let button = |b| template(MediaTemplateData::new().button(b));
    let body =
        |values: &[&str]| template(MediaTemplateData::new().body_placeholders(values.to_vec()));
    let x = |n| "x".repeat(n);
    let location = WhatsAppMessage::location;
    // Each message, and the field under `whatsApp.` it is refused on.
    for (message, field) in [
        (WhatsAppMessage::text(x(4096)), None),
        (WhatsAppMessage::text(x(4097)), Some("text")),
        (WhatsAppMessage::text("  "), Some("text")),
        (location(Location::new(90.0, 180.0)), None),
        (location(Location::new(-90.0, -180.0)), None),
        (location(Location::new(0.0, 0.0)), None),
        (location(Location::new(90.000_001, 0.0)), Some("latitude")),
        (location(Location::new(-90.000_001, 0.0)), Some("latitude")),
        (location(Location::new(0.0, 180.000_001)), Some("longitude")),
        (
            location(Location::new(0.0, -180.000_001)),
            Some("longitude"),
        ),
        (location(Location::new(f64::NAN, 0.0)), Some("latitude")),
        (
            location(Location::new(0.0, f64::INFINITY)),
            Some("longitude"),
        ),
        (location(at().name("я".repeat(1000))), None),
        (location(at().name("я".repeat(1001))), Some("locationName")),
        (location(at().address(x(1000))), None),
        (location(at().address(x(1001))), Some("address")),
        // Body placeholders may be empty, but not hold empty values.
        (body(&[]), None),
        (body(&["a", "b"]), None),
        (
            body(&["a", ""]),
            Some("mediaTemplateData.body.placeholders[1]"),
        ),
        (header(MediaHeader::Image(url(2048))), None),
        (
            header(MediaHeader::Image(url(2049))),
            Some("mediaTemplateData.header.imageUrl"),
        ),
        (
            header(MediaHeader::Video(url(2049))),
            Some("mediaTemplateData.header.videoUrl"),
        ),
        (
            header(MediaHeader::Text(" ".into())),
            Some("mediaTemplateData.header.textPlaceholder"),
        ),
        (
            header(MediaHeader::Location {
                latitude: 90.0,
                longitude: 180.0,
            }),
            None,
        ),
        (
            header(MediaHeader::Location {
                latitude: 91.0,
                longitude: 0.0,
            }),
            Some("mediaTemplateData.header.latitude"),
        ),
        (button(MediaButton::Url(x(1500))), None),
        (
            button(MediaButton::Url(x(1501))),
            Some("mediaTemplateData.buttons[0].urlPlaceholder"),
        ),
        (button(MediaButton::QuickReply(x(128))), None),
        (
            button(MediaButton::QuickReply(x(129))),
            Some("mediaTemplateData.buttons[0].quickReplyPayload"),
        ),
        (
            button(MediaButton::QuickReply(x(0))),
            Some("mediaTemplateData.buttons[0].quickReplyPayload"),
        ),
    ] {
        let case = format!("{message:?}");
        let refused = build(message).err().map(|e| e.field().to_owned());
        assert_eq!(refused, field.map(|f| format!("whatsApp.{f}")), "{case}");
    }
}

#[test]
fn request_rules() {
    let hi = || SendRequest::builder(WhatsAppMessage::text("hi"));
    let n = || "+41793026727".parse().unwrap();
    let now = SendAt::from_system_time(SystemTime::now()).unix_millis();
    let days = |d: i64| SendAt::from_unix_millis(now + d * 24 * 3600 * 1000);
    for (builder, field) in [
        (hi(), Some("destinations")),
        (
            hi().to_with_id(n(), "same").to_with_id(n(), "same"),
            Some("destinations[1].messageId"),
        ),
        (hi().to_with_id(n(), ""), Some("destinations[0].messageId")),
        (hi().to(n()).bulk_id(" "), Some("bulkId")),
        (hi().to(n()).scenario_key(""), Some("scenarioKey")),
        // At most 180 days ahead; a past moment sends at once.
        (hi().to(n()).send_at(days(179)), None),
        (hi().to(n()).send_at(days(181)), Some("sendAt")),
        (hi().to(n()).send_at(days(-1)), None),
    ] {
        let case = format!("{builder:?}");
        let refused = builder.build().err().map(|e| e.field().to_owned());
        assert_eq!(refused.as_deref(), field, "{case}");
    }
    for bad in ["155****8467", "", "+41 79"] {
        assert!(bad.parse::<PhoneNumber>().is_err(), "{bad}");
    }
}

#[test]
fn template_name_and_language() {
    assert!(TemplateMessage::new("", "en").is_err());
    assert!(TemplateMessage::new("t", "english").is_err());
    assert_eq!(
        TemplateMessage::new("t", "x").unwrap_err().field(),
        "whatsApp.template.language"
    );
}

#[test]
fn client_configuration_is_checked() {
    let ok = || Client::builder("k", "s").base_url("https://cec.example:28070");
    assert!(ok().build().is_ok());
    assert!(
        ok().token_lifetime(Duration::from_secs(3600))
            .build()
            .is_ok()
    );
    let at = |key, secret| Client::builder(key, secret).base_url("https://x");
    for (builder, field) in [
        (Client::builder("k", "s"), "base_url"),
        (at("", "s"), "app_key"),
        (at("k", ""), "app_secret"),
        // The app key goes into `x-app-key`: a line break is refused when
        // building, before any request.
        (at("k\r\nX-Injected: 1", "s"), "app_key"),
        (
            ok().token_lifetime(Duration::from_secs(3601)),
            "token_lifetime",
        ),
        (
            ok().token_lifetime(Duration::from_secs(0)),
            "token_lifetime",
        ),
    ] {
        let err = builder.build().unwrap_err();
        assert!(
            matches!(&err, huawei_cec::Error::Config(c) if c.field() == field),
            "{field}: {err:?}"
        );
    }
}
