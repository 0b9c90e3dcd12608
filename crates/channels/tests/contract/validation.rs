//! Every limit, on both sides; where Bird's schema states the limit, the
//! SDK's check and the schema agree on the same cases.

use crate::support;

use channels::{
    Action, Body, Client, Item, ListButton, ListMetadata, Recipient, SendRequest,
    SendRequestBuilder, TemplateMessage, TemplateVersion, Timestamp,
};
use serde_json::{Value, json};
use support::{Schema, to};
use whatsapp_common::time::unix_millis_now;

/// The SDK's verdict and the schema's on the same request.
fn both(schema: &Schema, body: Body) -> (bool, bool) {
    let sdk = SendRequest::builder(to(), body.clone()).build();
    let wire = match &sdk {
        Ok(r) => serde_json::to_value(r).unwrap(),
        Err(_) => raw_wire(body),
    };
    (sdk.is_ok(), schema.errors(&wire).is_empty())
}

fn raw_wire(body: Body) -> Value {
    json!({
        "receiver": {"contacts": [{"identifierKey": "phonenumber", "identifierValue": "+31612345678"}]},
        "body": serde_json::to_value(body).unwrap()
    })
}

fn with_label(n: usize) -> Body {
    Body::list(
        "List text",
        vec![Item::section(
            "S",
            vec![Action::postback("p", "1").with_description("x".repeat(n))],
        )],
    )
}

fn list_button(n: usize) -> Body {
    let Body::List { mut list } = Body::list("List text", vec![]) else {
        unreachable!()
    };
    let mut m = ListMetadata::default();
    m.button = Some(serde_json::from_value::<ListButton>(json!({"label": "x".repeat(n)})).unwrap());
    list.metadata = Some(m);
    Body::List { list }
}

fn carousel(cards: usize, text_len: usize) -> Body {
    Body::carousel(
        Some("x".repeat(text_len)),
        (0..cards)
            .map(|i| {
                Item::card(
                    format!("Card {i}"),
                    "https://bird.com/i.jpg",
                    Action::link("Go", "https://bird.com"),
                )
            })
            .collect(),
    )
}

#[test]
fn schema_limits_agree_with_the_sdk() {
    let schema = Schema::load("CreateMessage", false);
    for (what, body, ok) in [
        ("action description label 72", with_label(72), true),
        ("action description label 73", with_label(73), false),
        ("list button label 20", list_button(20), true),
        ("list button label 21", list_button(21), false),
        ("carousel text 1024", carousel(2, 1024), true),
        ("carousel text 1025", carousel(2, 1025), false),
        ("90, 180", Body::location(90.0, 180.0, None), true),
        ("-90, -180", Body::location(-90.0, -180.0, None), true),
        ("90.5, 0", Body::location(90.5, 0.0, None), false),
        ("0, -180.5", Body::location(0.0, -180.5, None), false),
        ("text of 1 character", Body::text("x"), true),
        ("empty text", Body::text(""), false),
    ] {
        assert_eq!(both(&schema, body), (ok, ok), "{what}");
    }
}

#[test]
fn option_limits_agree_with_the_schema() {
    let schema = Schema::load("CreateMessage", false);
    let check = |f: &dyn Fn(SendRequestBuilder) -> SendRequestBuilder, raw: Value| {
        let sdk = f(SendRequest::builder(to(), Body::text("x")))
            .build()
            .is_ok();
        let mut wire = raw_wire(Body::text("x"));
        for (k, v) in raw.as_object().unwrap() {
            wire[k] = v.clone();
        }
        (sdk, schema.errors(&wire).is_empty())
    };
    for (n, ok) in [(10, true), (11, false)] {
        let tags: Vec<String> = (0..n).map(|i| format!("tag{i}")).collect();
        let add = |b: SendRequestBuilder| tags.iter().fold(b, |b, t| b.tag(t));
        assert_eq!(check(&add, json!({ "tags": tags })), (ok, ok), "{n} tags");
    }
    for (tag, ok) in [
        ("a".repeat(50), true),
        ("a".repeat(51), false),
        (String::new(), false),
        ("bad!".into(), false),
        ("Ok tag_-1".into(), true),
    ] {
        let add = |b: SendRequestBuilder| b.tag(&tag);
        assert_eq!(check(&add, json!({"tags": [tag]})), (ok, ok), "{tag:?}");
    }
    for (n, ok) in [(128, true), (129, false)] {
        let domain = "d".repeat(n);
        let set = |b: SendRequestBuilder| b.short_links_domain(&domain);
        let wire = json!({"shortLinks": {"domain": domain}});
        assert_eq!(check(&set, wire), (ok, ok), "{n}");
    }
}

#[test]
fn scheduled_for_is_at_most_35_days_ahead() {
    let now = unix_millis_now();
    let day = 24 * 3600 * 1000;
    let at = |ms| {
        SendRequest::builder(to(), Body::text("x"))
            .scheduled_for(Timestamp::from_unix_millis(ms))
            .build()
    };
    assert!(at(now + 34 * day).is_ok());
    assert_eq!(at(now + 36 * day).unwrap_err().field(), "scheduledFor");
    assert!(at(now - day).is_ok(), "the past sends at once");
}

#[test]
fn cap_frequency_needs_the_marketing_use_case() {
    let b = || SendRequest::builder(to(), Body::text("x")).cap_frequency(true);
    assert_eq!(b().build().unwrap_err().field(), "capFrequency");
    assert!(b().use_case("transactional").build().is_err());
    assert!(b().use_case("marketing").build().is_ok());
    assert!(
        SendRequest::builder(to(), Body::text("x"))
            .cap_frequency(false)
            .build()
            .is_ok()
    );
}

#[test]
fn carousel_cards_two_to_ten_with_one_link_each() {
    for (n, ok) in [(1, false), (2, true), (10, true), (11, false)] {
        assert_eq!(carousel(n, 5).validate().is_ok(), ok, "{n} cards");
    }
    let reply_card = Body::carousel(
        None,
        vec![
            Item::card("a", "https://x/a.jpg", Action::reply("no")),
            Item::card("b", "https://x/b.jpg", Action::link("go", "https://x")),
        ],
    );
    assert_eq!(
        reply_card.validate().unwrap_err().field(),
        "body.carousel.items[0].actions"
    );
}

#[test]
fn required_members_and_ids() {
    assert!(Body::images(vec![]).validate().is_err());
    assert!(Body::files(vec![]).validate().is_err());
    let file: channels::File =
        serde_json::from_value(json!({"mediaUrl": "https://x/a.pdf", "contentType": ""})).unwrap();
    assert_eq!(
        Body::files(vec![file]).validate().unwrap_err().field(),
        "body.file.files[0].contentType"
    );
    assert!(Body::list("", vec![]).validate().is_err());
    assert!(
        SendRequest::builder_to(Recipient::ContactId(" ".into()), Body::text("x"))
            .build()
            .is_err()
    );
    let t = |p: &str, v: TemplateVersion, l: &str| {
        TemplateMessage::new(p, l).and_then(|t| SendRequest::builder(to(), t.version(v)).build())
    };
    let ok_id = "ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318";
    assert!(t(ok_id, TemplateVersion::Latest, "en").is_ok());
    assert_eq!(
        t("nope", TemplateVersion::Latest, "en")
            .unwrap_err()
            .field(),
        "template.projectId"
    );
    assert_eq!(
        t(ok_id, TemplateVersion::Id("v2".into()), "en")
            .unwrap_err()
            .field(),
        "template.version"
    );
    assert_eq!(
        t(ok_id, TemplateVersion::Latest, "english")
            .unwrap_err()
            .field(),
        "template.locale"
    );
    assert_eq!(
        t(ok_id, TemplateVersion::Latest, "").unwrap_err().field(),
        "template.locale"
    );
}

#[test]
fn the_schema_itself_rejects_what_the_sdk_cannot_build() {
    // Proof that the schema check in these tests can fail: shapes the
    // types make unrepresentable.
    let schema = Schema::load("CreateMessage", false);
    let receiver = json!({"contacts": [{"identifierValue": "+31612345678"}]});
    let body = json!({"type": "text", "text": {"text": "x"}});
    assert!(
        !schema
            .errors(&json!({"receiver": receiver, "body": body, "unknown": 1}))
            .is_empty()
    );
    assert!(
        !schema.errors(&json!({"receiver": receiver})).is_empty(),
        "neither body nor template"
    );
    assert!(
        !schema.errors(&json!({"body": body})).is_empty(),
        "no receiver"
    );
    assert!(!schema.errors(&json!({"receiver": receiver, "body": {"type": "text", "text": {"text": "x"}, "replyTo": {"id": "a", "type": "message"}}})).is_empty(), "replyTo inside body");
    assert!(schema.errors(&json!({"receiver": receiver, "body": body, "replyTo": {"id": "a", "type": "message"}})).is_empty(), "replyTo at the top level");
}

#[test]
fn client_configuration_is_checked() {
    let ws = channels::mock::WORKSPACE_ID;
    let ch = channels::mock::CHANNEL_ID;
    assert!(Client::builder("k", ws, ch).build().is_ok());
    assert!(Client::builder("", ws, ch).build().is_err());
    assert!(Client::builder("k", "workspace", ch).build().is_err());
    assert!(Client::builder("k", ws, "channel").build().is_err());
    // The key goes into a header: a line break is refused when building,
    // before any request, and the error names the setting, not the key.
    let err = Client::builder("k\nX-Injected: 1", ws, ch)
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, channels::Error::Config(c) if c.field() == "access_key"),
        "{err:?}"
    );
    assert!(!err.to_string().contains("Injected"), "{err}");
}
