//! Every rule checked before sending, on both sides.
#![allow(clippy::unwrap_used)]

use activetrail::{Client, DotNetDateTime, OperationalMessage, Scheduling, TemplateRef};

fn to() -> activetrail::PhoneNumber {
    "+972501234567".parse().unwrap()
}

#[test]
fn at_least_one_mobile() {
    let err = OperationalMessage::template(1, TemplateRef::new("t"))
        .build()
        .unwrap_err();
    assert_eq!(err.field(), "segment.mobiles");
    assert!(
        OperationalMessage::template(1, TemplateRef::new("t"))
            .to(to())
            .build()
            .is_ok()
    );
    for bad in ["sample string 1", "", "+972 50"] {
        assert!(bad.parse::<activetrail::PhoneNumber>().is_err(), "{bad}");
    }
}

#[test]
fn a_template_or_content_is_required() {
    assert!(
        OperationalMessage::content(1, "hello")
            .to(to())
            .build()
            .is_ok()
    );
    let err = OperationalMessage::content(1, "  ")
        .to(to())
        .build()
        .unwrap_err();
    assert_eq!(err.field(), "template");
    assert!(
        OperationalMessage::template(1, TemplateRef::new("t"))
            .content("in the window")
            .to(to())
            .build()
            .is_ok()
    );
}

#[test]
fn profile_and_template_ids() {
    assert!(
        OperationalMessage::template(1, TemplateRef::new("t"))
            .to(to())
            .build()
            .is_ok()
    );
    assert_eq!(
        OperationalMessage::template(0, TemplateRef::new("t"))
            .to(to())
            .build()
            .unwrap_err()
            .field(),
        "details.whatsapp_profile_id"
    );
    assert!(
        OperationalMessage::template(-3, TemplateRef::new("t"))
            .to(to())
            .build()
            .is_err()
    );
    assert_eq!(
        OperationalMessage::template(1, TemplateRef::new(" "))
            .to(to())
            .build()
            .unwrap_err()
            .field(),
        "template.id"
    );
}

#[test]
fn variable_names_must_not_be_empty_values_may() {
    let ok = TemplateRef::new("t").variable("name", "");
    assert!(OperationalMessage::template(1, ok).to(to()).build().is_ok());
    let bad = TemplateRef::new("t").variable("a", "1").variable(" ", "2");
    assert_eq!(
        OperationalMessage::template(1, bad)
            .to(to())
            .build()
            .unwrap_err()
            .field(),
        "template.variables[1]"
    );
}

#[test]
fn text_xml_cannot_carry_is_refused_in_either_format() {
    for bad in ["a\u{1}b", "\u{0}", "x\u{FFFF}"] {
        let err = OperationalMessage::content(1, bad)
            .to(to())
            .build()
            .unwrap_err();
        assert_eq!(err.field(), "design.content");
        assert!(err.reason().contains("control character"), "{err}");
    }
    for ok in ["tab\there", "line\r\nbreak", "שלום 😀"] {
        assert!(OperationalMessage::content(1, ok).to(to()).build().is_ok());
    }
    let bad = TemplateRef::new("t").variable("k", "\u{7}");
    assert!(
        OperationalMessage::template(1, bad)
            .to(to())
            .build()
            .is_err()
    );
}

#[test]
fn scheduling_forms() {
    assert!(Scheduling::now().is_sent());
    let at = Scheduling::at(DotNetDateTime::parse("2030-01-01T10:00:00").unwrap());
    assert!(!at.is_sent());
    assert_eq!(
        at.scheduled_date_utc().unwrap().as_str(),
        "2030-01-01T10:00:00"
    );
    assert!(DotNetDateTime::parse("2030-01-01").is_err());
}

#[test]
fn client_configuration_is_checked() {
    assert!(Client::builder("").build().is_err());
    assert!(Client::builder("tok\nen").build().is_err());
    let c = Client::builder("token").build().unwrap();
    assert!(format!("{c:?}").contains("webapi.mymarketing.co.il"));
    assert!(
        Client::builder("token")
            .base_url("ftp://x")
            .build()
            .is_err()
    );
}

#[test]
fn clients_are_send_sync_clone() {
    fn assert_traits<T: Send + Sync + Clone + 'static>() {}
    assert_traits::<Client>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<activetrail::Error>();
}
