//! Every documented limit, on both sides, refused before anything is sent.
#![allow(clippy::unwrap_used)]

use std::time::SystemTime;

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
fn location_limits() {
    for (lat, lon) in [(90.0, 180.0), (-90.0, -180.0), (0.0, 0.0)] {
        assert!(build(WhatsAppMessage::location(Location::new(lat, lon))).is_ok());
    }
    for (lat, lon, field) in [
        (90.000_001, 0.0, "whatsApp.latitude"),
        (-90.000_001, 0.0, "whatsApp.latitude"),
        (0.0, 180.000_001, "whatsApp.longitude"),
        (0.0, -180.000_001, "whatsApp.longitude"),
        (f64::NAN, 0.0, "whatsApp.latitude"),
        (0.0, f64::INFINITY, "whatsApp.longitude"),
    ] {
        let err = build(WhatsAppMessage::location(Location::new(lat, lon))).unwrap_err();
        assert_eq!(err.field(), field, "{lat} {lon}");
    }
    let at = |n: usize| Location::new(1.0, 1.0).name("я".repeat(n));
    assert!(build(WhatsAppMessage::location(at(1000))).is_ok());
    assert_eq!(
        build(WhatsAppMessage::location(at(1001)))
            .unwrap_err()
            .field(),
        "whatsApp.locationName"
    );
    let addr = |n: usize| Location::new(1.0, 1.0).address("x".repeat(n));
    assert!(build(WhatsAppMessage::location(addr(1000))).is_ok());
    assert_eq!(
        build(WhatsAppMessage::location(addr(1001)))
            .unwrap_err()
            .field(),
        "whatsApp.address"
    );
}

fn media(m: MediaTemplateData) -> Result<SendRequest, ValidationError> {
    build(WhatsAppMessage::template(
        TemplateMessage::new("t", "en").unwrap().media(m),
    ))
}

#[test]
fn body_placeholders_may_be_empty_but_not_hold_empty_values() {
    assert!(media(MediaTemplateData::new().body_placeholders(Vec::<String>::new())).is_ok());
    assert!(media(MediaTemplateData::new().body_placeholders(["a", "b"])).is_ok());
    let err = media(MediaTemplateData::new().body_placeholders(["a", ""])).unwrap_err();
    assert_eq!(
        err.field(),
        "whatsApp.mediaTemplateData.body.placeholders[1]"
    );
}

#[test]
fn header_and_button_limits() {
    let header = |h| media(MediaTemplateData::new().header(h));
    assert!(header(MediaHeader::Image(url(2048))).is_ok());
    assert!(header(MediaHeader::Image(url(2049))).is_err());
    assert!(header(MediaHeader::Video(url(2049))).is_err());
    assert!(header(MediaHeader::Text(" ".into())).is_err());
    assert!(
        header(MediaHeader::Location {
            latitude: 90.0,
            longitude: 180.0
        })
        .is_ok()
    );
    assert_eq!(
        header(MediaHeader::Location {
            latitude: 91.0,
            longitude: 0.0
        })
        .unwrap_err()
        .field(),
        "whatsApp.mediaTemplateData.header.latitude"
    );
    let button = |b| media(MediaTemplateData::new().button(b));
    assert!(button(MediaButton::Url("x".repeat(1500))).is_ok());
    assert_eq!(
        button(MediaButton::Url("x".repeat(1501)))
            .unwrap_err()
            .field(),
        "whatsApp.mediaTemplateData.buttons[0].urlPlaceholder"
    );
    assert!(button(MediaButton::QuickReply("x".repeat(128))).is_ok());
    assert!(button(MediaButton::QuickReply("x".repeat(129))).is_err());
    assert!(button(MediaButton::QuickReply(String::new())).is_err());
}

#[test]
fn text_limits() {
    assert!(build(WhatsAppMessage::text("x".repeat(4096))).is_ok());
    assert!(build(WhatsAppMessage::text("x".repeat(4097))).is_err());
    assert!(build(WhatsAppMessage::text("  ")).is_err());
}

#[test]
fn destinations_and_ids() {
    let err = SendRequest::builder(WhatsAppMessage::text("hi"))
        .build()
        .unwrap_err();
    assert_eq!(err.field(), "destinations");
    let n = || "+41793026727".parse().unwrap();
    let err = SendRequest::builder(WhatsAppMessage::text("hi"))
        .to_with_id(n(), "same")
        .to_with_id(n(), "same")
        .build()
        .unwrap_err();
    assert_eq!(err.field(), "destinations[1].messageId");
    assert!(
        SendRequest::builder(WhatsAppMessage::text("hi"))
            .to_with_id(n(), "")
            .build()
            .is_err()
    );
    assert!(
        SendRequest::builder(WhatsAppMessage::text("hi"))
            .to(n())
            .bulk_id(" ")
            .build()
            .is_err()
    );
    assert!(
        SendRequest::builder(WhatsAppMessage::text("hi"))
            .to(n())
            .scenario_key("")
            .build()
            .is_err()
    );
    for bad in ["155****8467", "", "+41 79"] {
        assert!(bad.parse::<PhoneNumber>().is_err(), "{bad}");
    }
}

#[test]
fn send_at_is_at_most_180_days_ahead() {
    let now = SendAt::from_system_time(SystemTime::now()).unix_millis();
    let day = 24 * 3600 * 1000;
    let with = |ms| {
        SendRequest::builder(WhatsAppMessage::text("hi"))
            .to("+41793026727".parse().unwrap())
            .send_at(SendAt::from_unix_millis(ms))
            .build()
    };
    assert!(with(now + 179 * day).is_ok());
    assert_eq!(with(now + 181 * day).unwrap_err().field(), "sendAt");
    assert!(with(now - day).is_ok(), "a past moment sends at once");
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
        Client::builder("k", "s").build().is_err(),
        "base URL required"
    );
    assert!(
        Client::builder("", "s")
            .base_url("https://x")
            .build()
            .is_err()
    );
    assert!(
        Client::builder("k", "")
            .base_url("https://x")
            .build()
            .is_err()
    );
    // The app key goes into `x-app-key`: a line break is refused when
    // building, before any request.
    let err = Client::builder("k\r\nX-Injected: 1", "s")
        .base_url("https://x")
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, huawei_cec::Error::Config(c) if c.field() == "app_key"),
        "{err:?}"
    );
    assert!(
        ok().token_lifetime(std::time::Duration::from_secs(3600))
            .build()
            .is_ok()
    );
    assert!(
        ok().token_lifetime(std::time::Duration::from_secs(3601))
            .build()
            .is_err()
    );
    assert!(
        ok().token_lifetime(std::time::Duration::from_secs(0))
            .build()
            .is_err()
    );
}

#[test]
fn clients_are_send_sync_clone() {
    fn assert_traits<T: Send + Sync + Clone + 'static>() {}
    assert_traits::<Client>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<huawei_cec::Error>();
}
