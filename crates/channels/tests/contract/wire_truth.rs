//! Bodies `build()` once accepted and Bird's schema rejects: each refused
//! now before any request, with the field named; each limit tested on both
//! sides, the accepted side also checked against the schema.

use crate::support;

use channels::{Action, Body, File, Item, Parameter, SendRequest, TemplateMessage, Timestamp};
use serde_json::{Map, Value, json};
use support::{Schema, to};
use whatsapp_common::ValidationError;

const PROJECT: &str = "ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318";

/// `build()` of a message with `body`; when it succeeds, its wire form
/// must pass the schema.
fn build_body(body: Body) -> Result<SendRequest, ValidationError> {
    checked(SendRequest::builder(to(), body).build())
}

/// `build()` of a message with `template`.
fn build_template(t: TemplateMessage) -> Result<SendRequest, ValidationError> {
    checked(SendRequest::builder(to(), t).build())
}

fn checked(r: Result<SendRequest, ValidationError>) -> Result<SendRequest, ValidationError> {
    if let Ok(r) = &r {
        Schema::shared("CreateMessage")
            .assert_valid(&serde_json::to_value(r).unwrap(), "a built request");
    }
    r
}

fn template() -> TemplateMessage {
    TemplateMessage::new(PROJECT, "en").unwrap()
}

/// The field `build()` refused, or a panic if it accepted.
fn refused(r: Result<SendRequest, ValidationError>) -> String {
    match r {
        Ok(r) => panic!("accepted: {:#}", serde_json::to_value(&r).unwrap()),
        Err(e) => e.field().to_owned(),
    }
}

const NOT_URIS: [&str; 6] = [
    "not a uri",
    "image.jpg",
    "www.bird.com/a.jpg",
    "https://bird.com/a b.jpg",
    "https://bird.com/%zz.jpg",
    "https://bird.com:80x/a.jpg",
];

#[test]
fn image_and_file_media_urls_must_be_uris() {
    for bad in NOT_URIS {
        assert_eq!(
            refused(build_body(Body::image(bad, None))),
            "body.image.images[0].mediaUrl",
            "{bad:?}"
        );
        let file: File =
            serde_json::from_value(json!({"mediaUrl": bad, "contentType": "application/pdf"}))
                .unwrap();
        assert_eq!(
            refused(build_body(Body::files(vec![file]))),
            "body.file.files[0].mediaUrl",
            "{bad:?}"
        );
    }
    for good in [
        "https://bird.com/a.jpg",
        "http://127.0.0.1:8080/a%20b.jpg?x=1#y",
        "HTTPS://user@bird.com/a.jpg",
    ] {
        build_body(Body::image(good, None)).unwrap();
    }
}

#[test]
fn link_urls_must_be_uris_or_a_variable() {
    let link = |url: &str| build_body(Body::text("x").with_actions(vec![Action::link("Go", url)]));
    for bad in NOT_URIS {
        assert_eq!(
            refused(link(bad)),
            "body.text.actions[0].link.url",
            "{bad:?}"
        );
    }
    assert_eq!(refused(link("{{}}")), "body.text.actions[0].link.url");
    for good in ["https://bird.com", "{{url}}", "https://bird.com/{{path}}"] {
        link(good).unwrap();
    }
}

fn carousel(media: &str) -> Body {
    Body::carousel(
        None,
        vec![
            Item::card("a", media, Action::link("Go", "https://bird.com")),
            Item::card(
                "b",
                "https://bird.com/b.jpg",
                Action::link("Go", "https://bird.com"),
            ),
        ],
    )
}

#[test]
fn card_and_list_item_media_must_be_uris() {
    for bad in NOT_URIS {
        assert_eq!(
            refused(build_body(carousel(bad))),
            "body.carousel.items[0].mediaUrl",
            "{bad:?}"
        );
        let mut item = Item::section("S", vec![Action::reply("r")]);
        item.media_url = Some(bad.into());
        assert_eq!(
            refused(build_body(Body::list("text", vec![item]))),
            "body.list.items[0].mediaUrl",
            "{bad:?}"
        );
    }
    build_body(carousel("https://bird.com/a.jpg")).unwrap();
}

#[test]
fn template_attachment_urls_must_be_uris() {
    for bad in NOT_URIS {
        assert_eq!(
            refused(build_template(template().attachment(bad, "a.pdf"))),
            "template.attachments[0].mediaUrl",
            "{bad:?}"
        );
    }
    build_template(template().attachment("https://bird.com/a.pdf", "a.pdf")).unwrap();
}

#[test]
fn utm_keys_are_1_to_20_characters_and_values_1_to_100() {
    let utm =
        |k: usize, v: usize| build_template(template().utm_parameter("k".repeat(k), "v".repeat(v)));
    utm(1, 1).unwrap();
    utm(20, 100).unwrap();
    assert_eq!(refused(utm(21, 1)), "template.utmParameters[0].key");
    assert_eq!(refused(utm(0, 1)), "template.utmParameters[0].key");
    assert_eq!(refused(utm(1, 101)), "template.utmParameters[0].value");
    assert_eq!(refused(utm(1, 0)), "template.utmParameters[0].value");
    // Multi-byte characters count once.
    build_template(template().utm_parameter("é".repeat(20), "é".repeat(100))).unwrap();
    let eight = (0..8).fold(template(), |t, i| t.utm_parameter(format!("k{i}"), "v"));
    build_template(eight.clone()).unwrap();
    assert_eq!(
        refused(build_template(eight.utm_parameter("k8", "v"))),
        "template.utmParameters"
    );
}

fn with_meta(meta: Value) -> Result<SendRequest, ValidationError> {
    let Value::Object(m) = meta else {
        unreachable!()
    };
    checked(SendRequest::builder(to(), Body::text("x")).meta(m).build())
}

#[test]
fn meta_takes_only_the_members_of_birds_meta() {
    assert_eq!(refused(with_meta(json!({"unknown": 1}))), "meta.unknown");
    assert_eq!(
        refused(with_meta(json!({"campaign": {"id": "not-a-uuid"}}))),
        "meta.campaign.id"
    );
    assert_eq!(
        refused(with_meta(json!({"campaign": {"other": "x"}}))),
        "meta.campaign.other"
    );
    assert_eq!(
        refused(with_meta(json!({"extraInformation": "marketing"}))),
        "meta.extraInformation"
    );
    assert_eq!(
        refused(with_meta(json!({"navigatorId": "n-1"}))),
        "meta.navigatorId"
    );
    assert_eq!(
        refused(with_meta(
            json!({"pushNotifications": {"gatewayTypeOverride": "sms"}})
        )),
        "meta.pushNotifications.gatewayTypeOverride"
    );
    with_meta(json!({
        "extraInformation": {"useCase": "marketing", "any": [1, 2]},
        "campaign": {"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "name": null},
        "flow": {"id": null, "name": "f", "stepId": "s", "runId": "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
        "navigatorId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "pushNotifications": {"gatewayTypeOverride": "apns"},
        "order": {"products": [{"externalProductId": "p", "quantity": 2, "price": {"amount": 100, "exponent": 2, "currencyCode": "EUR"}}]}
    }))
    .unwrap();
    // The builder's own use case lands in a member Bird knows.
    checked(
        SendRequest::builder(to(), Body::text("x"))
            .use_case("marketing")
            .cap_frequency(true)
            .build(),
    )
    .unwrap();
}

fn section_list(value: Value) -> Result<SendRequest, ValidationError> {
    build_template(template().parameter(Parameter::other("menu", "sectionList", value)))
}

#[test]
fn section_list_parameters_have_birds_shape() {
    let row = json!({"type": "reply-action", "replyAction": {"text": "Row"}});
    for (what, bad) in [
        ("no sections", json!({})),
        (
            "a section without items",
            json!({"sections": [{"title": "t"}]}),
        ),
        (
            "a section without title",
            json!({"sections": [{"items": [row]}]}),
        ),
        (
            "a row of another type",
            json!({"sections": [{"title": "t", "items": [{"type": "reply", "replyAction": {"text": "r"}}]}]}),
        ),
        (
            "a row without text",
            json!({"sections": [{"title": "t", "items": [{"type": "reply-action", "replyAction": {}}]}]}),
        ),
        ("another member", json!({"sections": [], "title": "x"})),
        ("not an object", json!([])),
    ] {
        assert!(
            refused(section_list(bad)).starts_with("template.parameters[0].value"),
            "{what}"
        );
    }
    section_list(json!({"sections": [{"title": "t", "id": null, "multipleSelection": false, "items": [row]}]})).unwrap();
    section_list(json!({"sections": null})).unwrap();
}

#[test]
fn parameters_of_other_types_match_their_type() {
    let p = |kind: &str, value: Value| {
        build_template(template().parameter(Parameter::other("k", kind, value)))
    };
    assert_eq!(
        refused(p("nope", json!("x"))),
        "template.parameters[0].type"
    );
    assert_eq!(
        refused(p("string", json!(1))),
        "template.parameters[0].value"
    );
    assert_eq!(
        refused(p("object", json!("x"))),
        "template.parameters[0].value"
    );
    p("object", json!({"a": 1})).unwrap();
    p("string", json!("x")).unwrap();
    p("boolean", json!(true)).unwrap();
    p(
        "timeslotList",
        json!({"timeslots": [{"startTime": "2026-01-01T10:00:00Z", "duration": 30}]}),
    )
    .unwrap();
    assert!(
        refused(p(
            "timeslotList",
            json!({"timeslots": [{"startTime": "2026-01-01 10:00:00Z", "duration": 30}]})
        ))
        .starts_with("template.parameters[0].value")
    );
    p(
        "productList",
        json!({"products": [{"type": "product", "product": {"externalProductId": "p"}}]}),
    )
    .unwrap();
    assert!(
        refused(p(
            "productSections",
            json!({"productSections": [{"title": "x".repeat(25), "products": []}]})
        ))
        .starts_with("template.parameters[0].value")
    );
}

#[test]
fn number_parameters_are_finite() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(
            refused(build_template(
                template().parameter(Parameter::number("n", bad))
            )),
            "template.parameters[0].value",
            "{bad}"
        );
    }
    for good in [0.0, -1.5, f64::MAX, f64::MIN_POSITIVE] {
        build_template(template().parameter(Parameter::number("n", good))).unwrap();
    }
}

/// An hour from now, as Bird's `scheduledFor` writes it.
fn an_hour_from_now() -> String {
    let now = whatsapp_common::time::unix_millis_now();
    Timestamp::from_unix_millis(now + 3_600_000).to_string()
}

/// A text scheduled for `s`, built and checked against Bird's schema.
fn at(s: &str) -> Result<SendRequest, ValidationError> {
    checked(
        SendRequest::builder(to(), Body::text("x"))
            .scheduled_for(s.parse().unwrap())
            .build(),
    )
}

#[test]
fn scheduled_for_is_sent_as_rfc3339_with_a_t() {
    let soon = an_hour_from_now();
    at(&soon).unwrap();
    assert_eq!(refused(at(&soon.replace('T', " "))), "scheduledFor");
}

#[test]
fn template_locales_are_bcp47() {
    let t = |l: &str| {
        TemplateMessage::new(PROJECT, l)
            .and_then(|t| checked(SendRequest::builder(to(), t).build()))
    };
    for good in [
        "en",
        "pt-BR",
        "zh-Hant-TW",
        "es-419",
        "sr-Latn-RS",
        "en-US-x-twain",
        "de-CH-1996",
        "EN-us",
    ] {
        t(good).unwrap_or_else(|e| panic!("{good}: {e}"));
        assert!(support::is_bcp47(good), "{good}");
    }
    for bad in [
        "pt_BR",
        "english",
        "e",
        "en-",
        "en--US",
        "zh-Hant-TW-",
        "en US",
        "12",
        "en-a",
    ] {
        assert_eq!(refused(t(bad)), "template.locale", "{bad}");
    }
    // The support's own check, which the schema uses, refuses them too
    // (but "english", a registrable 5–8 letter subtag, is well-formed
    // BCP 47: the SDK is stricter there, which the schema allows).
    for bad in ["pt_BR", "e", "en-", "en--US", "en US", "12", "en-a"] {
        assert!(!support::is_bcp47(bad), "{bad}");
    }
}

#[test]
fn the_format_checks_of_the_oracle_can_fail() {
    let schema = Schema::shared("CreateMessage");
    let receiver = json!({"contacts": [{"identifierValue": "+31612345678"}]});
    let text = json!({"type": "text", "text": {"text": "x"}});
    let image = |url: &str| json!({"receiver": receiver, "body": {"type": "image", "image": {"images": [{"mediaUrl": url}]}}});
    assert!(!schema.errors(&image("not a uri")).is_empty(), "uri");
    assert!(schema.errors(&image("https://bird.com/a.jpg")).is_empty());
    let at = |s: &str| json!({"receiver": receiver, "body": text, "scheduledFor": s});
    assert!(
        !schema.errors(&at("2026-01-01 10:00:00Z")).is_empty(),
        "date-time"
    );
    assert!(schema.errors(&at("2026-01-01T10:00:00Z")).is_empty());
    let campaign =
        |id: &str| json!({"receiver": receiver, "body": text, "meta": {"campaign": {"id": id}}});
    assert!(!schema.errors(&campaign("nope")).is_empty(), "uuid");
    assert!(
        schema
            .errors(&campaign("3fa85f64-5717-4562-b3fc-2c963f66afa6"))
            .is_empty()
    );
    let locale = |l: &str| json!({"receiver": receiver, "template": {"projectId": PROJECT, "version": "latest", "locale": l}});
    assert!(!schema.errors(&locale("pt_BR")).is_empty(), "locale-bcp47");
    assert!(schema.errors(&locale("zh-Hant-TW")).is_empty());
    let mut meta = Map::new();
    meta.insert("unknown".into(), json!(1));
    assert!(
        !schema
            .errors(&json!({"receiver": receiver, "body": text, "meta": meta}))
            .is_empty()
    );
}

#[test]
fn list_reply_message_title_and_text_are_at_most_512() {
    let list = |title: usize, text: usize| {
        let Body::List { mut list } = Body::list("text", vec![]) else {
            unreachable!()
        };
        let mut m = channels::ListMetadata::default();
        m.reply_message = Some(
            serde_json::from_value(json!({"title": "t".repeat(title), "text": "x".repeat(text)}))
                .unwrap(),
        );
        list.metadata = Some(m);
        build_body(Body::List { list })
    };
    list(512, 512).unwrap();
    assert_eq!(
        refused(list(513, 1)),
        "body.list.metadata.replyMessage.title"
    );
    assert_eq!(
        refused(list(1, 513)),
        "body.list.metadata.replyMessage.text"
    );
}

#[test]
fn product_section_titles_are_1_to_24_characters() {
    let sections = |n: usize| {
        let value = json!({"productSections": [{"title": "é".repeat(n), "products": [{"externalProductId": "p"}]}]});
        build_template(template().parameter(Parameter::other("shop", "productSections", value)))
    };
    sections(1).unwrap();
    sections(24).unwrap();
    for n in [0, 25] {
        assert_eq!(
            refused(sections(n)),
            "template.parameters[0].value.productSections[0].title",
            "{n}"
        );
    }
    let whatsapp = |n: usize| {
        let item = json!({"type": "whatsapp-product-item", "whatsappProductItem": {"externalProductId": "p"}});
        let value = json!({"sections": [{"type": "whatsapp-product-section", "whatsappProductSection": {"title": "t".repeat(n), "products": [item]}}]});
        build_template(template().parameter(Parameter::other(
            "shop",
            "whatsappProductSections",
            value,
        )))
    };
    whatsapp(24).unwrap();
    assert_eq!(
        refused(whatsapp(25)),
        "template.parameters[0].value.sections[0].whatsappProductSection.title"
    );
}

#[test]
fn a_leap_second_or_a_lowercase_t_in_scheduled_for() {
    let soon = an_hour_from_now();
    // RFC 3339 allows a lowercase `t` and `z`; the schema's check too.
    at(&soon.replace('T', "t").replace('Z', "z")).unwrap();
    let mut leap = soon.clone();
    leap.replace_range(17..19, "60");
    assert_eq!(refused(at(&leap)), "scheduledFor");
}
