//! Property: whatever `build()` accepts, Bird's schema accepts. Requests
//! are built through the public builders from random inputs, valid and
//! invalid, for every field (a seeded PRNG: the same cases every run);
//! each accepted one, alone and as a batch, is checked against
//! `CreateMessage` and `CreateBatchMessages`.

use crate::support;

use channels::{
    Action, Body, File, Image, Item, ListMetadata, Parameter, Place, Recipient, ReplyTo,
    SendRequest, SendRequestBuilder, TemplateMessage, TemplateVersion, Timestamp,
};
use serde_json::{Value, json};
use support::{Schema, to};

/// SplitMix64: small, seeded, good enough to pick cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// A string of `0..=max` characters from `alphabet`.
    fn string(&mut self, alphabet: &[char], max: usize) -> String {
        let n = self.below(max + 1);
        (0..n).map(|_| *self.pick(alphabet)).collect()
    }
    /// Mostly 1 to `max` characters from `alphabet`, now and then none.
    fn text(&mut self, alphabet: &[char], max: usize) -> String {
        if self.chance(4) {
            return String::new();
        }
        let n = 1 + self.below(max);
        (0..n).map(|_| *self.pick(alphabet)).collect()
    }
    /// A string whose length is near `limit`: mostly `limit - 2 ..= limit`
    /// or short, now and then `limit + 1`, `limit + 2` or 0.
    fn around(&mut self, limit: usize) -> String {
        let n = match self.below(20) {
            0 => 0,
            1 => limit + 1,
            2 => limit + 2,
            3..=9 => limit - self.below(3).min(limit - 1),
            _ => 1 + self.below(limit.min(8)),
        };
        let c = *self.pick(&['x', 'é', '😀', ' ']);
        std::iter::repeat_n(c, n).collect()
    }
}

const TAG: [char; 16] = [
    'a', 'Z', '0', ' ', '-', '_', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '9', 'X', 'é',
];
const GOOD_PATH: [char; 18] = [
    'a', 'B', '0', '-', '.', '_', '~', ':', '/', '@', '!', '$', '&', '(', '*', '+', ',', '=',
];
const TEXT: [char; 12] = ['a', 'Z', '0', ' ', 'é', '😀', '-', '_', '{', '}', '!', '\n'];
const URI_CHARS: [char; 22] = [
    'a', 'B', '0', '-', '.', '_', '~', '%', '2', 'f', ':', '/', '?', '#', '@', '!', '$', '[', ']',
    ' ', 'é', '{',
];

fn uuid_or_not(rng: &mut Rng) -> String {
    if rng.chance(75) {
        return "ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318".into();
    }
    rng.pick(&[
        "ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318",
        "CE6A2FD6-B2FA-4F5A-A2CD-F3BD15883318",
        "ce6a2fd6b2fa4f5aa2cdf3bd15883318",
        "ce6a2fd6-b2fa-4f5a-a2cd-f3bd1588331",
        "not-a-uuid",
        "",
    ])
    .to_string()
}

/// A URL from random parts: a scheme or not, an authority or not, a port,
/// a path of URI characters and some that are not.
fn url(rng: &mut Rng) -> String {
    if rng.chance(5) {
        return rng
            .pick(&["{{url}}", "x{{a}}y", "{{}}", "{{a}", ""])
            .to_string();
    }
    if rng.chance(75) {
        // Well-formed: a scheme, an authority of name characters, a
        // port, a path, a query, a fragment, `%` escapes.
        let scheme = *rng.pick(&["https", "http", "HTTPS", "ftp", "h+t.p-1"]);
        let host = rng.text(&['a', 'b', '0', '-', '.', '~'], 8);
        let port = *rng.pick(&["", "", ":80", ":", ":8080"]);
        let path = rng.string(&GOOD_PATH, 10);
        let escape = *rng.pick(&["", "%2F", "%e9"]);
        let query = *rng.pick(&["", "?a=1&b=/?", "?"]);
        let fragment = *rng.pick(&["", "#top", "#a/b?c"]);
        return format!("{scheme}://{host}{port}/{path}{escape}{query}{fragment}");
    }
    let scheme = *rng.pick(&[
        "https", "http", "HTTP", "mailto", "h+t.p-1", "1x", "", "ht tp",
    ]);
    let sep = *rng.pick(&["://", "://", ":", "//", ""]);
    let userinfo = if rng.chance(10) { "user:pw@" } else { "" };
    let host = rng.string(&['a', 'b', '0', '-', '.', '%', 'é', ' ', '_'], 8);
    let port = *rng.pick(&["", "", ":80", ":", ":8x", ":65536"]);
    let path = rng.string(&URI_CHARS, 12);
    format!("{scheme}{sep}{userinfo}{host}{port}/{path}")
}

/// A locale from random subtags and separators.
fn locale(rng: &mut Rng) -> String {
    if rng.chance(80) {
        return rng
            .pick(&[
                "en",
                "pt-BR",
                "pt_BR",
                "zh-Hant-TW",
                "es-419",
                "de-CH-1996",
                "en-US-x-twain",
                "x-private",
                "english",
                "sgn-BE-FR",
                "en-a-bbb-x-a",
                "i-klingon",
                "",
            ])
            .to_string();
    }
    let n = 1 + rng.below(4);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(*rng.pick(&['-', '-', '-', '_']));
        }
        let len = rng.below(9);
        const ALPHABETS: [&[char]; 3] = [&['a', 'Z', 'q'], &['1', '9'], &['a', '1']];
        let alphabet = *rng.pick(&ALPHABETS);
        s.extend((0..len).map(|_| *rng.pick(alphabet)));
    }
    s
}

/// A timestamp near now (the past, soon, beyond 35 days), written with
/// `T`, `t` or a space, `Z`, `z` or an offset, perhaps a leap second.
fn timestamp(rng: &mut Rng) -> Option<Timestamp> {
    let day = 86_400_000;
    let now = whatsapp_common::time::unix_millis_now();
    let at = now + (rng.below(40 * 4) as i64 - 4) * day / 4;
    let mut s = Timestamp::from_unix_millis(at).to_string();
    if rng.chance(10) {
        let sep = *rng.pick(&[" ", "t"]);
        s.replace_range(10..11, sep);
    }
    if rng.chance(10) {
        s.replace_range(17..19, "60");
    }
    if rng.chance(20) {
        let offset = *rng.pick(&["z", "+00:00", "-02:30", "+23:59"]);
        s.pop();
        s.push_str(offset);
    }
    s.parse().ok()
}

fn action(rng: &mut Rng) -> Action {
    let a = match rng.below(5) {
        0 => Action::reply(rng.text(&TEXT, 4)),
        1 => Action::postback(rng.text(&TEXT, 4), rng.text(&TEXT, 4)),
        2 => Action::postback_without_payload(rng.text(&TEXT, 4)),
        3 => Action::link(rng.text(&TEXT, 4), url(rng)),
        _ => Action::location_request(),
    };
    let a = if rng.chance(30) {
        a.with_description(rng.around(72))
    } else {
        a
    };
    if rng.chance(20) {
        a.with_image(rng.string(&URI_CHARS, 6))
    } else {
        a
    }
}

fn actions(rng: &mut Rng) -> Vec<Action> {
    let n = rng.below(4);
    (0..n).map(|_| action(rng)).collect()
}

fn item(rng: &mut Rng, card: bool) -> Item {
    if card && rng.chance(95) {
        let link = if rng.chance(95) {
            Action::link("Go", url(rng))
        } else {
            action(rng)
        };
        return Item::card(rng.text(&TEXT, 3), url(rng), link);
    }
    let mut item = if rng.chance(50) {
        Item::section(rng.text(&TEXT, 5), actions(rng))
    } else {
        Item::untitled(actions(rng))
    };
    if rng.chance(30) {
        item.media_url = Some(url(rng));
    }
    if rng.chance(20) {
        item.description = Some(rng.text(&TEXT, 5));
    }
    item
}

fn body(rng: &mut Rng) -> Body {
    let b = match rng.below(7) {
        0 => Body::text(rng.text(&TEXT, 6)),
        1 => Body::text_with_preview(rng.text(&TEXT, 6), rng.chance(50)),
        2 => {
            let n = rng.below(4).max(usize::from(rng.chance(90)));
            Body::images(
                (0..n)
                    .map(|_| {
                        serde_json::from_value::<Image>(
                            json!({"mediaUrl": url(rng), "altText": rng.text(&TEXT, 3)}),
                        )
                        .unwrap()
                    })
                    .collect(),
            )
        }
        3 => {
            let n = rng.below(4).max(usize::from(rng.chance(90)));
            let files = (0..n)
                .map(|_| {
                    let content_type =
                        *rng.pick(&["application/pdf", "audio/ogg", "video/mp4", "image/png", ""]);
                    serde_json::from_value::<File>(json!({
                        "mediaUrl": url(rng),
                        "contentType": content_type,
                        "filename": rng.text(&TEXT, 4),
                    }))
                    .unwrap()
                })
                .collect();
            Body::files(files)
        }
        4 => {
            let coordinate = |rng: &mut Rng, max: f64| {
                *rng.pick(&[
                    0.0,
                    max,
                    -max,
                    12.5,
                    -7.25,
                    1.0,
                    max + 0.5,
                    -max - 0.5,
                    12.5,
                    f64::NAN,
                    f64::INFINITY,
                ])
            };
            let (lat, long) = (coordinate(rng, 90.0), coordinate(rng, 180.0));
            let place = rng.chance(50).then(|| {
                serde_json::from_value::<Place>(
                    json!({"address": rng.text(&TEXT, 4), "label": rng.text(&TEXT, 4)}),
                )
                .unwrap()
            });
            Body::location(lat, long, place)
        }
        5 => {
            let n = rng.below(3);
            let items = (0..n).map(|_| item(rng, false)).collect();
            let body = Body::list(rng.text(&TEXT, 4), items);
            let Body::List { mut list } = body else {
                unreachable!()
            };
            if rng.chance(40) {
                let mut m = ListMetadata::default();
                if rng.chance(70) {
                    m.button =
                        Some(serde_json::from_value(json!({"label": rng.around(20)})).unwrap());
                }
                if rng.chance(40) {
                    m.reply_message = Some(
                        serde_json::from_value(
                            json!({"title": rng.around(512), "text": rng.around(512)}),
                        )
                        .unwrap(),
                    );
                }
                list.metadata = Some(m);
            }
            Body::List { list }
        }
        _ => {
            let n = *rng.pick(&[0, 1, 2, 2, 3, 3, 4, 5, 10, 11]);
            let cards = (0..n).map(|_| item(rng, true)).collect();
            let text = rng.chance(50).then(|| rng.around(1024));
            Body::carousel(text, cards)
        }
    };
    let b = if rng.chance(30) {
        b.with_actions(actions(rng))
    } else {
        b
    };
    if rng.chance(20) {
        b.with_caption(rng.text(&TEXT, 5))
    } else {
        b
    }
}

fn parameter(rng: &mut Rng) -> Parameter {
    let key = if rng.chance(97) {
        rng.text(&TEXT, 4) + "k"
    } else {
        String::new()
    };
    match rng.below(5) {
        0 => Parameter::string(key, rng.text(&TEXT, 4)),
        1 => Parameter::number(
            key,
            *rng.pick(&[0.0, -1.5, 1e300, f64::NAN, f64::INFINITY, f64::NEG_INFINITY]),
        ),
        2 => Parameter::boolean(key, rng.chance(50)),
        _ => {
            let row = json!({"type": "reply-action", "replyAction": {"text": "r"}});
            let (kind, value) = rng
                .pick(&[
                    ("object", json!({"a": 1})),
                    ("object", json!("x")),
                    ("string", json!("x")),
                    ("string", json!(1)),
                    ("number", json!(2)),
                    ("boolean", json!(null)),
                    ("nope", json!({})),
                    ("sectionList", json!({"sections": [{"title": "t", "items": [row]}]})),
                    ("sectionList", json!({"sections": null})),
                    ("sectionList", json!({"sections": [{"title": "t"}]})),
                    ("sectionList", json!({"sections": [{"title": "t", "items": [{"type": "x", "replyAction": {"text": "r"}}]}]})),
                    ("sectionList", json!({})),
                    ("timeslotList", json!({"timeslots": [{"startTime": "2026-01-01T10:00:00Z", "duration": 1.5}]})),
                    ("timeslotList", json!({"timeslots": [{"startTime": "2026-01-01 10:00:00Z", "duration": 1}]})),
                    ("productSections", json!({"productSections": [{"title": "Shoes", "products": [{"externalProductId": "p"}]}]})),
                    ("productSections", json!({"productSections": [{"title": "", "products": []}]})),
                    ("productList", json!({"products": [{"type": "product", "product": {"externalProductId": "p", "amount": "1"}}]})),
                    ("shippingMethodList", json!({"shippingMethods": [{"amount": "1", "label": "l", "identifier": "i", "detail": "d"}]})),
                    ("shippingMethodList", json!({"shippingMethods": [{"amount": "1"}]})),
                    ("lineItemList", json!({"lineItems": [{"amount": "1", "text": "t", "type": "final"}]})),
                    ("lineItemList", json!({"lineItems": [{"amount": "1", "text": "t", "type": "later"}]})),
                    ("whatsappProductSections", json!({"sections": [{"type": "whatsapp-product-section", "whatsappProductSection": {"title": "t", "products": [{"type": "whatsapp-product-item", "whatsappProductItem": {"externalProductId": "p"}}]}}]})),
                    ("whatsappProductItems", json!({"products": [{"type": "whatsapp-product-item", "whatsappProductItem": {}}]})),
                ])
                .clone();
            Parameter::other(key, kind, value)
        }
    }
}

fn template(rng: &mut Rng) -> Option<TemplateMessage> {
    let mut t = TemplateMessage::new(uuid_or_not(rng), locale(rng)).ok()?;
    if rng.chance(30) {
        t = t.version(TemplateVersion::Id(uuid_or_not(rng)));
    }
    for _ in 0..rng.below(3) {
        t = t.parameter(parameter(rng));
    }
    if rng.chance(20) {
        t = t.variable(rng.text(&TEXT, 3), rng.text(&TEXT, 3));
    }
    if rng.chance(20) {
        t = t.name(rng.text(&TEXT, 4));
    }
    if rng.chance(20) {
        let domain = rng.chance(50).then(|| rng.text(&TEXT, 4));
        t = t.short_links(rng.chance(50), domain);
    }
    let utms = *rng.pick(&[0, 0, 0, 1, 2, 8, 9]);
    for _ in 0..utms {
        let (key, value) = (rng.around(20), rng.around(100));
        t = t.utm_parameter(key, value);
    }
    for _ in 0..rng.below(2) {
        t = t.attachment(url(rng), rng.text(&TEXT, 4));
    }
    Some(t)
}

fn meta(rng: &mut Rng) -> serde_json::Map<String, Value> {
    let uuid = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    let v = rng
        .pick(&[
            json!({"extraInformation": {"useCase": "marketing"}}),
            json!({"extraInformation": "x"}),
            json!({"unknown": 1}),
            json!({"campaign": {"id": uuid, "name": "c"}}),
            json!({"campaign": {"id": "c-1"}}),
            json!({"campaign": {"id": null, "extra": 1}}),
            json!({"flow": {"id": uuid, "runId": null, "stepId": "s"}}),
            json!({"journey": {"runId": "nope"}}),
            json!({"navigatorId": uuid, "navigatorMessageId": uuid}),
            json!({"navigatorId": "n"}),
            json!({"referral": {"source": "ad", "metadata": {"source_id": "1", "media_url": null}}}),
            json!({"referral": {"metadata": {"other": 1}}}),
            json!({"order": {"products": [{"quantity": 1, "price": {"amount": 5}}]}}),
            json!({"order": {"products": [{"quantity": 1.5}]}}),
            json!({"referredProduct": null}),
            json!({"email": {"subject": "s", "headers": {"X-A": "b"}, "from": {"displayName": "d"}}}),
            json!({"email": {"headers": {"X-A": 1}}}),
            json!({"pushNotifications": {"gatewayTypeOverride": "web"}}),
            json!({"pushNotifications": {"gatewayTypeOverride": "sms"}}),
        ])
        .clone();
    let Value::Object(m) = v else { unreachable!() };
    m
}

fn request(rng: &mut Rng) -> SendRequestBuilder {
    let content: channels::Content = match rng.chance(35).then(|| template(rng)).flatten() {
        Some(t) => t.into(),
        None => body(rng).into(),
    };
    let mut b = match rng.below(4) {
        0 => SendRequest::builder_to(Recipient::ContactId(rng.text(&TEXT, 3)), content),
        1 => SendRequest::builder_to(
            Recipient::Identifier {
                key: rng.text(&TEXT, 3),
                value: rng.text(&TEXT, 3),
            },
            content,
        ),
        _ => SendRequest::builder(to(), content),
    };
    if rng.chance(10) {
        b = b.also_to(Recipient::Phone(to()));
    }
    if rng.chance(15) {
        b = b.reply_to(ReplyTo::message(rng.text(&TEXT, 3)));
    }
    if rng.chance(15) {
        b = b.reference(rng.text(&TEXT, 4));
    }
    if rng.chance(25) {
        b = b.meta(meta(rng));
    }
    if rng.chance(10) {
        b = b.use_case(rng.pick(&["marketing", "transactional"]).to_string());
    }
    if rng.chance(10) {
        b = b.cap_frequency(rng.chance(50));
    }
    if rng.chance(10) {
        b = b.notification_url(rng.string(&URI_CHARS, 6));
    }
    if rng.chance(10) {
        b = b
            .enable_link_tracking(rng.chance(50))
            .ignore_quiet_hours(rng.chance(50))
            .ignore_global_holdout(rng.chance(50));
    }
    let tags = *rng.pick(&[0, 0, 0, 0, 1, 1, 3, 10, 11]);
    for _ in 0..tags {
        let tag = if rng.chance(50) {
            rng.around(50).replace(|c: char| !c.is_ascii(), "t")
        } else {
            rng.text(&TAG, 5)
        };
        b = b.tag(tag);
    }
    if rng.chance(10) {
        b = b.short_links_domain(rng.around(128));
    }
    if rng.chance(25)
        && let Some(at) = timestamp(rng)
    {
        b = b.scheduled_for(at);
    }
    if rng.chance(10) {
        b = b.validity(rng.next());
    }
    b
}

#[test]
fn whatever_build_accepts_birds_schema_accepts() {
    let send = Schema::shared("CreateMessage");
    let batch = Schema::shared("CreateBatchMessages");
    let mut rng = Rng(0x5EED_B12D);
    let (mut accepted, mut refused) = (0, 0);
    let mut chunk = Vec::new();
    for case in 0..4000 {
        match request(&mut rng).build() {
            Ok(r) => {
                accepted += 1;
                let wire = serde_json::to_value(&r).unwrap();
                let errors = send.errors(&wire);
                assert!(
                    errors.is_empty(),
                    "case {case}: build() accepted what Bird's schema rejects: {errors:#?}\n{wire:#}"
                );
                chunk.push(wire);
                if chunk.len() == 50 {
                    let body = json!({ "messageRequests": std::mem::take(&mut chunk) });
                    batch.assert_valid(&body, "a batch of accepted requests");
                }
            }
            Err(e) => {
                refused += 1;
                assert!(!e.field().is_empty(), "case {case}: {e}");
                // `SHOW_REFUSALS=1 cargo test … -- --nocapture`: which
                // checks the cases reach.
                if std::env::var("SHOW_REFUSALS").is_ok() {
                    eprintln!("REFUSED {}", e.field());
                }
            }
        }
    }
    // Both sides are exercised.
    assert!(
        accepted > 800 && refused > 800,
        "{accepted} accepted, {refused} refused"
    );
}

/// The oracle's formats against inputs the generators draw, so the
/// property test's `uri` and `locale-bcp47` verdicts can be seen to vary.
#[test]
fn the_generators_draw_both_sides_of_each_format() {
    let mut rng = Rng(7);
    let schema = Schema::shared("CreateMessage");
    let receiver = json!({"contacts": [{"identifierValue": "+31612345678"}]});
    let (mut uri_ok, mut uri_bad) = (0, 0);
    for _ in 0..500 {
        let u = url(&mut rng);
        let wire = json!({"receiver": receiver, "body": {"type": "image", "image": {"images": [{"mediaUrl": u}]}}});
        if schema.errors(&wire).is_empty() {
            uri_ok += 1;
        } else {
            uri_bad += 1;
        }
    }
    assert!(uri_ok > 50 && uri_bad > 50, "{uri_ok} {uri_bad}");
    let (mut l_ok, mut l_bad) = (0, 0);
    for _ in 0..500 {
        if support::is_bcp47(&locale(&mut rng)) {
            l_ok += 1;
        } else {
            l_bad += 1;
        }
    }
    assert!(l_ok > 50 && l_bad > 50, "{l_ok} {l_bad}");
}
