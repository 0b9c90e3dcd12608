//! Every documented limit, on both sides, refused before anything is sent.

use gateway_ru::{
    CascadeChainLink, CascadeMessage, CascadeState, Client, ExtraParams, InstantContent,
    MessageType, PhoneNumber, ScheduleInfo, SendRequest, Ttl,
};

use crate::support::{hi, to};

fn text(t: &str) -> Result<SendRequest, whatsapp_common::ValidationError> {
    SendRequest::builder(to(), InstantContent::text(t)).build()
}

#[test]
fn text_is_limited_to_1000_characters_not_bytes() {
    // Cyrillic: 2 bytes a character, so 1000 characters are 2000 bytes.
    let at_limit = "я".repeat(1000);
    assert_eq!(at_limit.len(), 2000);
    assert!(text(&at_limit).is_ok());
    let err = text(&"я".repeat(1001)).unwrap_err();
    assert_eq!(err.field(), "message.data.instantContent.data");
    assert!(err.reason().contains("1001 characters"), "{err}");
    assert!(err.reason().contains("at most 1000"), "{err}");
    assert!(text("").is_err());
    assert!(text("   ").is_err());
}

#[test]
fn image_url_must_be_an_absolute_http_url() {
    let img = |u: &str| SendRequest::builder(to(), InstantContent::image_url(u)).build();
    assert!(img("https://example.ru/image").is_ok());
    assert!(img("HTTP://example.ru/a.png").is_ok());
    assert!(img("").is_err());
    assert!(img("example.ru/image").is_err());
    assert!(img("https://example.ru/a b.png").is_err());
}

#[test]
fn schedule_times_are_hh_mm() {
    let window = |b: &str, e: &str| ScheduleInfo::builder().window(b, e).build();
    assert!(window("00:00", "23:59").is_ok());
    for bad in [
        "24:00", "23:60", "9:00", "09:0", "0900", "ab:cd", "09:00:00", "",
    ] {
        let err = window(bad, "20:00").unwrap_err();
        assert_eq!(err.field(), "scheduleInfo.timeBegin", "{bad}");
        let err = window("10:00", bad).unwrap_err();
        assert_eq!(err.field(), "scheduleInfo.timeEnd", "{bad}");
    }
}

#[test]
fn weekdays_are_digits_1_to_7_once_each() {
    let days = |d: &str| ScheduleInfo::builder().weekdays(d).build();
    assert_eq!(days("1234567").unwrap().weekdays(), Some("1234567"));
    assert_eq!(days("7").unwrap().weekdays(), Some("7"));
    // Empty means "no restriction" and is not sent.
    assert_eq!(days("").unwrap().weekdays(), None);
    for bad in ["0", "8", "12a", "1,2", "11"] {
        let err = days(bad).unwrap_err();
        assert_eq!(err.field(), "scheduleInfo.weekdaysSchedule", "{bad}");
    }
}

#[test]
fn deadline_is_the_gateway_date_form() {
    let ok = ScheduleInfo::builder()
        .deadline("2019-05-10T16:29:30+0300")
        .build()
        .unwrap();
    assert_eq!(
        ok.deadline().unwrap().to_string(),
        "2019-05-10T16:29:30+0300"
    );
    let err = ScheduleInfo::builder()
        .deadline("2019-05-10T16:29:30+03:00")
        .build()
        .unwrap_err();
    assert_eq!(err.field(), "scheduleInfo.deadline.timestamp");
}

#[test]
fn ttl_limits() {
    for m in Ttl::DOCUMENTED_MINUTES {
        assert_eq!(Ttl::minutes(m).unwrap().value(), m);
    }
    for bad in [0, 1, 1439, 1441, 10081, 14400] {
        assert!(Ttl::minutes(bad).is_err(), "{bad}");
    }
    assert_eq!(Ttl::days(1).unwrap().value(), 1440);
    assert_eq!(Ttl::days(7).unwrap().value(), 10080);
    assert!(Ttl::days(0).is_err());
    assert!(Ttl::days(8).is_err());
    assert!(Ttl::seconds(1).is_ok());
    assert!(Ttl::seconds(604_800).is_ok());
    assert!(Ttl::seconds(0).is_err());
    assert!(Ttl::seconds(604_801).is_err());
    assert!(Ttl::hours(168).is_ok());
    assert!(Ttl::hours(169).is_err());
}

#[test]
fn notify_url_is_non_empty_and_at_most_2048_characters() {
    let with = |u: String| hi().notify_url(u).build();
    let base = "https://partner.example/";
    assert!(with(format!("{base}{}", "a".repeat(2048 - base.len()))).is_ok());
    let err = with(format!("{base}{}", "a".repeat(2049 - base.len()))).unwrap_err();
    assert_eq!(err.field(), "notifyUrl");
    assert!(err.reason().contains("2049"), "{err}");
    assert!(with(String::new()).is_err());
}

#[test]
fn id_limits() {
    let with = |id: String| hi().id(id).build();
    assert_eq!(with("8770100".into()).unwrap().id(), "8770100");
    assert!(with("x".repeat(64)).is_ok());
    assert!(with("x".repeat(65)).is_err());
    assert!(with(String::new()).is_err());
    assert!(with("a\nb".into()).is_err());
    let a = text("hi").unwrap();
    let b = text("hi").unwrap();
    assert_ne!(a.id(), b.id(), "generated ids are unique");
}

#[test]
fn dest_addr_must_be_a_phone_number() {
    for bad in ["", "Subscriber's_Number", "+7 921", "+1234567890123456"] {
        assert!(bad.parse::<PhoneNumber>().is_err(), "{bad}");
    }
    // The gateway's documented forms: digits known to be international.
    for (input, digits) in [
        ("72101234567", "72101234567"),
        ("+72101234567", "72101234567"),
    ] {
        let n = PhoneNumber::from_international_digits(input).unwrap();
        assert_eq!(n.digits(), digits);
    }
    assert!(
        "72101234567".parse::<PhoneNumber>().is_err(),
        "typed: no guess"
    );
    let national =
        PhoneNumber::parse_with_default("8-210-123-45-67", whatsapp_common::DefaultCountry::RU)
            .unwrap();
    assert_eq!(national.digits(), "72101234567");
}

#[test]
fn extra_param_encoding_follows_the_documented_example() {
    // The documentation's own example string.
    let doc = "place=абзаково,name=гостевой дом-2,coordinates=53.8085896,, 58.6362112,from=23.02.09,to=05.03.09";
    let decoded = ExtraParams::decode(doc).unwrap();
    let pairs: Vec<(&str, &str)> = decoded
        .pairs()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("place", "абзаково"),
            ("name", "гостевой дом-2"),
            ("coordinates", "53.8085896, 58.6362112"),
            ("from", "23.02.09"),
            ("to", "05.03.09"),
        ]
    );
    assert_eq!(decoded.encode(), doc);
    // Names may not carry the separators.
    assert!(ExtraParams::new().with("a,b", "1").is_err());
    assert!(ExtraParams::new().with("a=b", "1").is_err());
    assert!(ExtraParams::new().with("", "1").is_err());
    // Values ending or starting with commas survive a round trip.
    let tricky = ExtraParams::new()
        .with("a", "x,")
        .unwrap()
        .with("b", ",y,,z")
        .unwrap()
        .with("c", "")
        .unwrap();
    assert_eq!(tricky.encode(), "a=x,,,b=,,y,,,,z,c=");
    assert_eq!(ExtraParams::decode(&tricky.encode()).unwrap(), tricky);
    assert!(ExtraParams::decode("novalue").is_err());
}

#[test]
fn cascade_rules() {
    let build = |link: CascadeChainLink| hi().cascade(link).build();
    let call = || CascadeMessage::Other {
        message_type: MessageType::FlashingCall,
        data: serde_json::Map::new(),
    };
    assert!(build(CascadeChainLink::new(CascadeState::Delivered, call())).is_ok());
    let err = build(CascadeChainLink::new(CascadeState::Read, call())).unwrap_err();
    assert_eq!(err.field(), "cascadeChainLink.state");
    let nested =
        CascadeChainLink::new(CascadeState::Delivered, CascadeMessage::sms("x", "S")).then(
            CascadeChainLink::new(CascadeState::Delivered, CascadeMessage::sms(" ", "S")),
        );
    assert_eq!(
        build(nested).unwrap_err().field(),
        "cascadeChainLink.nextLink.message.data.text"
    );
    let wa = CascadeChainLink::new(
        CascadeState::Read,
        CascadeMessage::WhatsApp(gateway_ru::MessageData::new(InstantContent::text(
            "я".repeat(1001),
        ))),
    );
    assert_eq!(
        build(wa).unwrap_err().field(),
        "cascadeChainLink.message.data.instantContent.data"
    );
}

#[test]
fn client_configuration_is_checked() {
    let err = Client::builder("login", "password").build().unwrap_err();
    assert!(err.to_string().contains("base_url"), "{err}");
    for (login, password, url, ok) in [
        ("", "p", "https://x.example", false),
        ("l", "", "https://x.example", false),
        ("l", "p", "ftp://x.example", false),
        ("l", "p", "https://x.example/send", true),
    ] {
        let built = Client::builder(login, password).base_url(url).build();
        assert_eq!(built.is_ok(), ok, "{login:?} {password:?} {url}");
    }
}
