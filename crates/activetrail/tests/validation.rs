//! Every rule checked before sending, on both sides.
#![allow(clippy::unwrap_used)]

use activetrail::{
    Client, DotNetDateTime, OperationalMessage, OperationalMessageBuilder, PhoneNumber, Scheduling,
    TemplateRef,
};

fn to() -> PhoneNumber {
    "+972501234567".parse().unwrap()
}

/// A template message to one mobile.
fn template(profile: i64, template: TemplateRef) -> OperationalMessageBuilder {
    OperationalMessage::template(profile, template).to(to())
}

/// A content message to one mobile.
fn content(text: &str) -> OperationalMessageBuilder {
    OperationalMessage::content(1, text).to(to())
}

#[test]
fn each_rule_names_the_field_it_refuses() {
    let t = || TemplateRef::new("t");
    // The message, and the field its refusal names (`None`: it builds).
    let cases = [
        (
            OperationalMessage::template(1, t()),
            Some("segment.mobiles"),
        ),
        (template(1, t()), None),
        (content("hello"), None),
        (content("  "), Some("template")),
        (template(1, t()).content("in the window"), None),
        (template(0, t()), Some("details.whatsapp_profile_id")),
        (template(-3, t()), Some("details.whatsapp_profile_id")),
        (template(1, TemplateRef::new(" ")), Some("template.id")),
        (template(1, t().variable("name", "")), None),
        (
            template(1, t().variable("a", "1").variable(" ", "2")),
            Some("template.variables[1]"),
        ),
    ];
    for (i, (message, refused)) in cases.into_iter().enumerate() {
        let field = message.build().err().map(|e| e.field().to_owned());
        assert_eq!(field.as_deref(), refused, "case {i}");
    }
}

#[test]
fn text_xml_cannot_carry_is_refused_in_either_format() {
    let refused = [
        (content("a\u{1}b"), "design.content"),
        (content("\u{0}"), "design.content"),
        (content("x\u{FFFF}"), "design.content"),
        (
            template(1, TemplateRef::new("t").variable("k", "\u{7}")),
            "template.variables",
        ),
    ];
    for (message, field) in refused {
        let err = message.build().unwrap_err();
        assert_eq!(err.field(), field);
        assert!(err.reason().contains("control character"), "{err}");
    }
    for ok in ["tab\there", "line\r\nbreak", "שלום 😀"] {
        assert!(content(ok).build().is_ok());
    }
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
