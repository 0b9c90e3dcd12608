//! Contract: Bird's answers decode to every value; the contact window
//! helper answers the real question.

use crate::support;

use channels::mock::{CHANNEL_ID, MockVendor, WORKSPACE_ID};
use channels::{
    Action, Body, ContactChannelInfo, DecodeError, Direction, Error, ErrorCode, Message,
    MessageStatus, ReplyToType, SendRequest, WebhookEvent,
};
use serde_json::json;
use support::{CONTACT, Schema, builder, fixture, fixture_json};
use whatsapp_common::time::unix_millis_now;

#[test]
fn the_documented_message_example_decodes_every_value() {
    let schema = Schema::load("Message", false);
    let v = fixture_json("message_status_example.json");
    // Bird's own example lacks `receiver`, which Bird's schema requires:
    // the decoder accepts it (every member but the ids, status and dates
    // is optional when reading), and this is the only complaint.
    let errors = schema.errors(&v);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("\"receiver\" is a required property"),
        "{errors:?}"
    );
    let m: Message = serde_json::from_value(v).unwrap();
    let uuid = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    assert_eq!(m.id.as_deref(), Some(uuid));
    assert_eq!(m.channel_id.as_deref(), Some(uuid));
    let c = m.sender.as_ref().unwrap().connector.as_ref().unwrap();
    let parts = m.parts.as_ref().unwrap();
    for (value, expected) in [
        (&c.id, uuid),
        (&c.identifier_value, "string"),
        (&m.reference, "string"),
        (&parts[0].platform_reference, "string"),
        (&m.reason, "string"),
        (&m.details, "string"),
    ] {
        assert_eq!(value.as_deref(), Some(expected));
    }
    assert_eq!(c.annotations.as_ref().unwrap()["name"], "string");
    assert_eq!(
        m.body,
        Some(Body::Unknown),
        "a body without content reads as Unknown"
    );
    assert_eq!(m.status, Some(MessageStatus::Accepted));
    assert!(!m.status.as_ref().unwrap().is_final());
    assert_eq!(m.direction, Some(Direction::Incoming));
    let t = m.template.as_ref().unwrap();
    assert_eq!(t["projectId"], uuid);
    assert_eq!(t["variables"]["additionalProp3"], "string");
    for ts in [&m.last_status_at, &m.created_at, &m.updated_at].map(|t| t.as_ref().unwrap()) {
        assert_eq!(ts.as_str(), "2023-06-23T15:51:19.660Z");
        assert_eq!(ts.unix_millis(), 1_687_535_479_660);
    }
    assert_eq!(m.failure, None);
}

#[test]
fn the_captured_inbound_webhook_decodes_every_value() {
    let e = WebhookEvent::from_json(fixture("inbound_webhook.json").as_bytes()).unwrap();
    assert_eq!(e.service, "channels");
    assert_eq!(e.event, "whatsapp.inbound");
    let m = e.payload;
    assert_eq!(
        m.id.as_deref(),
        Some("7b9ef840-361f-4aee-9fbb-8c870ceaa620")
    );
    assert_eq!(
        m.channel_id.as_deref(),
        Some("8e046034-bca7-5124-89d0-1a64c1cbe819")
    );
    let s = m.sender.as_ref().unwrap().contact.as_ref().unwrap();
    let r = m.receiver.as_ref().unwrap().connector.as_ref().unwrap();
    let parts = m.parts.as_ref().unwrap();
    for (value, expected) in [
        (&s.id, "40d5c607-d73d-4d39-bc7f-5416cdb61ee8"),
        (&s.identifier_key, "phonenumber"),
        (&s.identifier_value, "+201004331262"),
        (&s.platform_address_selector, "identifiers.phonenumber"),
        (&s.platform_address, "+201004331262"),
        (&r.id, "4128432e-797f-4d1e-a240-98a6866890c3"),
        (&r.identifier_value, "+201100414204"),
        (&m.reference, ""),
        (&m.reason, ""),
        (
            &parts[0].platform_reference,
            "wamid.HBgMMjAxMDA0MzMxMjYyFQIAEhggQUM4MDlGQ0QxMEU0QTU2QUExNjg1MTVBN0Y2QTFCNjUA",
        ),
    ] {
        assert_eq!(value.as_deref(), Some(expected));
    }
    assert_eq!(s.annotations.as_ref().unwrap()["name"], ".");
    let Some(Body::Text { text }) = &m.body else {
        panic!("{:?}", m.body)
    };
    assert_eq!(text.text, "…");
    let Action::Postback { postback } = &text.actions[0] else {
        panic!()
    };
    assert_eq!(
        (postback.text.as_str(), postback.payload.as_deref()),
        ("…", Some("Image"))
    );
    let extra = &m.meta.as_ref().unwrap()["extraInformation"];
    assert_eq!(extra["timestamp"], "1761266478");
    assert_eq!(extra["user_locale"], "ar-EG");
    let rt = m.reply_to.as_ref().unwrap();
    assert_eq!(
        (rt.id.as_str(), rt.order, &rt.reply_type),
        (
            "13d1a51f-48af-4d0c-ab7c-ef3f8ec267bd",
            Some(0),
            &ReplyToType::Click
        )
    );
    assert_eq!(m.status, Some(MessageStatus::Delivered));
    assert!(m.status.as_ref().unwrap().is_final());
    assert_eq!(m.direction, Some(Direction::Incoming));
    assert_eq!(m.context, Some(json!({})));
    assert_eq!(m.chargeable_units, Some(1));
    assert_eq!(
        m.last_status_at.as_ref().unwrap().as_str(),
        "2025-10-24T00:41:22.522Z"
    );
    assert_eq!(
        m.created_at.as_ref().unwrap().unix_millis(),
        1_761_266_482_230,
        "two fraction digits"
    );
    assert_eq!(
        m.updated_at.as_ref().unwrap().as_str(),
        "2025-10-24T00:41:22.522Z"
    );
    assert_eq!(m.batch_id, None);
}

#[test]
fn unknown_statuses_and_fields_decode() {
    let mut v = fixture_json("constructed_send_accepted.json");
    v["status"] = json!("queued_for_moon");
    v["somethingNew"] = json!({"x": 1});
    v["body"] = json!({"type": "gif", "gif": {"mediaUrl": "https://x"}});
    v["failure"] = json!({"code": 301, "description": "blocked", "source": {"code": "131026", "name": "whatsapp"}});
    let m: Message = serde_json::from_value(v).unwrap();
    assert_eq!(
        m.status,
        Some(MessageStatus::Unknown("queued_for_moon".into()))
    );
    assert_eq!(m.body, Some(Body::Unknown));
    let f = m.failure.unwrap();
    assert_eq!(
        (f.code, f.description.as_deref()),
        (Some(301), Some("blocked"))
    );
    assert_eq!(f.source.unwrap().name.as_deref(), Some("whatsapp"));

    // A date that is not RFC 3339 fails the message, and the error names it.
    let mut v = fixture_json("constructed_send_accepted.json");
    v["lastStatusAt"] = json!("yesterday");
    let bytes = serde_json::to_vec(&v).unwrap();
    let err = DecodeError::json::<Message>(202, &bytes, false).unwrap_err();
    assert_eq!(err.path(), "lastStatusAt");
}

#[tokio::test]
async fn the_send_answer_decodes() {
    let schema = Schema::load("Message", false);
    schema.assert_valid(&fixture_json("constructed_send_accepted.json"), "accepted");
    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    let request = SendRequest::builder(support::to(), Body::text("Single text message"))
        .reference("order-1042")
        .tag("orders")
        .build()
        .unwrap();
    let m = client.send(&request).await.unwrap();
    assert_eq!(m.status, Some(MessageStatus::Accepted));
    assert_eq!(m.direction, Some(Direction::Outgoing));
    assert_eq!(m.channel_id.as_deref(), Some(CHANNEL_ID));
    assert_eq!(m.reference.as_deref(), Some("order-1042"));
    assert_eq!(m.tags.as_deref(), Some(&["orders".to_owned()][..]));
    assert_eq!(m.body, Some(Body::text("Single text message")));
    let rc = &m.receiver.as_ref().unwrap().contacts.as_ref().unwrap()[0];
    assert_eq!(rc.identifier_value.as_deref(), Some("+31612345678"));
}

#[tokio::test]
async fn the_contact_window_helper() {
    let schema = Schema::load("ChannelContactInformation", true);
    let v = fixture_json("constructed_contact_channel_info.json");
    schema.assert_valid(&v, "contact info");
    let info: ContactChannelInfo = serde_json::from_value(v).unwrap();
    assert_eq!(
        info.service_window_expire_at.as_ref().unwrap().as_str(),
        "2025-10-25T00:41:22.522Z"
    );
    assert_eq!(info.is_permanent_session, Some(false));
    assert_eq!(info.metadata.as_ref().unwrap()["conversationId"], "c1b2");
    let expiry = info
        .service_window_expire_at
        .as_ref()
        .unwrap()
        .unix_millis();
    assert!(info.is_window_open_at(expiry - 1));
    assert!(!info.is_window_open_at(expiry));
    let none: ContactChannelInfo =
        serde_json::from_value(json!({"serviceWindowExpireAt": null})).unwrap();
    assert!(!none.is_window_open_at(0));
    let permanent: ContactChannelInfo =
        serde_json::from_value(json!({"serviceWindowExpireAt": null, "isPermanentSession": true}))
            .unwrap();
    assert!(permanent.is_window_open_at(i64::MAX));
    assert!(
        serde_json::from_value::<ContactChannelInfo>(json!({})).is_err(),
        "serviceWindowExpireAt is required"
    );

    let bird = support::bird().await;
    let client = builder(&bird.uri()).build().unwrap();
    assert!(
        client
            .contact_channel_info(CONTACT, None)
            .await
            .unwrap()
            .is_window_open()
    );
    bird.set_window(CONTACT, Some(unix_millis_now() - 1000));
    assert!(
        !client
            .contact_channel_info(CONTACT, Some("+31 6 12345678"))
            .await
            .unwrap()
            .is_window_open()
    );
    let last = bird.requests().await.pop().unwrap();
    assert_eq!(last.method, "GET");
    assert_eq!(
        last.path,
        format!("/workspaces/{WORKSPACE_ID}/channels/{CHANNEL_ID}/contacts/{CONTACT}")
    );
    assert_eq!(
        last.query.as_deref(),
        Some("contactIdentifierValue=%2B31%206%2012345678")
    );
    assert_eq!(
        last.header("authorization"),
        Some("AccessKey test-access-key")
    );
    bird.forget_contact(CONTACT);
    let err = client
        .contact_channel_info(CONTACT, None)
        .await
        .unwrap_err();
    let Error::Vendor(a) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (a.status(), a.code.clone()),
        (404, Some(ErrorCode::NotFound))
    );
    assert!(matches!(
        client.contact_channel_info("not-a-uuid", None).await,
        Err(Error::Validation(_))
    ));
}

#[test]
fn the_batch_answer_decodes() {
    let a: channels::BatchAccepted =
        serde_json::from_str(&fixture("constructed_batch_accepted.json")).unwrap();
    assert_eq!(
        a.batch_id.as_deref(),
        Some("5a2c1f3e-8b7d-4c6a-9e0f-1d2b3c4a5e6f")
    );
    let id_only: channels::BatchAccepted =
        serde_json::from_str(r#"{"id":"b1","extra":2}"#).unwrap();
    assert_eq!(id_only.batch_id.as_deref(), Some("b1"));
    assert_eq!(id_only.raw["extra"], 2);
}

/// A body of a known type but the wrong shape reads as `Body::Unknown`, and
/// a well-formed one as its type, whether the message comes from bytes or
/// from a `serde_json::Value`, and wherever `type` sits among the keys.
#[test]
fn message_bodies_decode_from_bytes_and_from_values_alike_constructed() {
    let cases = [
        (
            json!({"type": "text", "text": {"text": "Hi"}}),
            Some(Body::text("Hi")),
        ),
        (
            json!({"text": {"text": "Hi"}, "type": "text"}),
            Some(Body::text("Hi")),
        ),
        (
            json!({"type": "text", "text": {"wrong": 1}}),
            Some(Body::Unknown),
        ),
        (json!({"type": "text"}), Some(Body::Unknown)),
        (json!(null), None),
    ];
    for (body, expected) in cases {
        let mut v = fixture_json("constructed_send_accepted.json");
        v["body"] = body.clone();
        let from_value: Message = serde_json::from_value(v.clone()).unwrap();
        let from_bytes: Message = serde_json::from_slice(&serde_json::to_vec(&v).unwrap()).unwrap();
        assert_eq!(from_value.body, expected, "{body} from a Value");
        assert_eq!(from_bytes.body, expected, "{body} from bytes");
    }
}

/// The message decoder reads a body leniently from its raw text; it must give what
/// Bird's `Body` type gives when decoded on its own (or `Unknown` where that
/// fails), for every documented example's body and for shapes built to
/// stress it.
#[test]
fn message_bodies_read_as_the_body_type_reads_them_constructed() {
    let dir = format!(
        "{}/../../fixtures/channels/examples",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut bodies: Vec<serde_json::Value> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(e.unwrap().path()).unwrap()).unwrap();
            // Most examples are a body; the replyTo ones a whole request.
            if v.get("body").is_some() {
                v["body"].clone()
            } else {
                v
            }
        })
        .collect();
    assert!(bodies.len() >= 25, "{} example bodies", bodies.len());
    bodies.extend([
        json!({"text": {"text": "type last"}, "type": "text"}),
        json!({"type": "text", "text": {"text": "extra"}, "image": {"images": []}, "x": 1}),
        json!({"type": "image", "image": {"images": [{"mediaUrl": "https://x"}]}}),
        json!({"type": "image", "text": {"text": "wrong content"}}),
        json!({"type": 7, "text": {"text": "x"}}),
        json!({"type": null}),
        json!({"kind": "text"}),
        json!({"type": "gif"}),
        json!([]),
        json!("text"),
    ]);
    for body in bodies {
        let expected = serde_json::from_value::<Body>(body.clone()).unwrap_or(Body::Unknown);
        let mut message = fixture_json("constructed_send_accepted.json");
        message["body"] = body.clone();
        let bytes = serde_json::to_vec(&message).unwrap();
        let got = serde_json::from_slice::<Message>(&bytes).unwrap().body;
        assert_eq!(got, Some(expected), "{body}");
    }
    // A `type` written with an escape still names its type.
    let mut message = fixture_json("constructed_send_accepted.json");
    message["body"] = json!({"type": "text", "text": {"text": "escaped"}});
    let text = serde_json::to_string(&message).unwrap();
    let escaped = text.replacen(r#""type":"text""#, r#""type":"te\u0078t""#, 1);
    assert_ne!(escaped, text);
    let m: Message = serde_json::from_str(&escaped).unwrap();
    assert_eq!(m.body, Some(Body::text("escaped")));
}
