//! Contract: the callbacks the gateway POSTs decode to every documented value.

use gateway_ru::{
    DeliveryState, DeliveryStatus, InboundMessage, MessageType, TrafficType, WhatsAppDeliveryError,
};
use whatsapp_common::mock::fixture;

#[test]
fn documented_delivery_status_decodes_every_value() {
    let body = fixture("gateway-ru", "delivery_status_callback.json");
    let r = DeliveryStatus::from_json(body.as_bytes()).unwrap();
    assert_eq!(r.id, "8770599");
    assert_eq!(r.mt_num, "107930572");
    assert_eq!(r.status, DeliveryState::Delivered);
    assert!(r.status.is_final());
    assert_eq!(r.message_type, MessageType::Sms);
    assert_eq!(r.done_date.unwrap().to_string(), "2019-05-05T10:20:35+0300");
    assert_eq!(
        r.submit_date.unwrap().to_string(),
        "2019-05-05T10:19:55+0300"
    );
    assert_eq!(
        r.done_date.unwrap().unix_seconds() - r.submit_date.unwrap().unix_seconds(),
        40
    );
    assert_eq!(r.source_addr, "SOURCE");
    assert_eq!(r.dest_addr, "72101234567");
    assert_eq!(r.text.as_deref(), Some("message_text"));
    assert_eq!(r.part_count, "001");
    assert_eq!(r.parts(), Some(1));
    assert_eq!(r.error_code, "0");
    assert_eq!(r.error_number(), Some(0));
    assert_eq!(r.mcc_mnc, "25012");
    assert_eq!(r.traffic_type, Some(TrafficType::Advertising));
    assert_eq!(r.whatsapp_error(), None);
}

#[test]
fn undelivered_whatsapp_report_names_the_reason() {
    // Constructed from the documented fields: an undelivered WhatsApp
    // message has status 5, an empty doneDate and a WhatsApp error code.
    let body = r#"{"id":"","mtNum":"107930572","status":5,"type":"WHATSAPP","doneDate":"",
        "submitDate":"2019-05-05T10:19:55+0300","sourceAddr":"SHOP","destAddr":"72101234567",
        "partCount":"1","errorCode":"6","mccMnc":"25012","trafficType":7,"newField":true}"#;
    let r = DeliveryStatus::from_json(body.as_bytes()).unwrap();
    assert_eq!(r.status, DeliveryState::Undelivered);
    assert_eq!(r.done_date, None);
    assert_eq!(r.id, "");
    assert_eq!(r.text, None);
    assert_eq!(r.traffic_type, Some(TrafficType::TemplatedAdvertising));
    assert_eq!(
        r.whatsapp_error(),
        Some(WhatsAppDeliveryError::TeleserviceNotProvisioned)
    );
}

#[test]
fn unknown_states_and_types_are_kept() {
    let body = r#"{"mtNum":"1","status":42,"type":"CARRIERPIGEON","trafficType":99}"#;
    let r = DeliveryStatus::from_json(body.as_bytes()).unwrap();
    assert_eq!(r.status, DeliveryState::Unknown(42));
    assert!(!r.status.is_final());
    assert_eq!(r.message_type, MessageType::Unknown("CARRIERPIGEON".into()));
    assert_eq!(r.traffic_type, Some(TrafficType::Unknown(99)));
    for state in [(0, DeliveryState::Sent), (9, DeliveryState::Read)] {
        assert_eq!(DeliveryState::from_i64(state.0), state.1);
    }
}

#[test]
fn malformed_reports_are_errors_not_panics() {
    for body in [
        "",
        "{",
        "[]",
        r#"{"mtNum":"1","status":"x","type":"SMS"}"#,
        r#"{"mtNum":"1","status":2,"type":"SMS","doneDate":"yesterday"}"#,
    ] {
        assert!(
            DeliveryStatus::from_json(body.as_bytes()).is_err(),
            "{body}"
        );
    }
}

#[test]
fn inbound_message_decodes_every_value() {
    let body = fixture("gateway-ru", "constructed_inbound_message_callback.json");
    let m = InboundMessage::from_json(body.as_bytes()).unwrap();
    assert_eq!(m.transaction_id, "5f0c9a3e-1d2b-4c11-9a53-2f6f3b7c9d10");
    assert_eq!(m.dest_addr, "SENDER'S_NAME");
    assert_eq!(m.source_addr, "72101234567");
    assert_eq!(m.message_type, MessageType::WhatsApp);
    assert_eq!(m.message.as_deref(), Some("Photo of the parcel"));
    assert_eq!(m.part_count, Some(1));
    assert_eq!(
        m.received_date.unwrap().to_string(),
        "2022-09-22T10:22:45+0300"
    );
    assert_eq!(
        m.media_url.as_deref(),
        Some("https://example.ru/media/parcel.jpg")
    );
    // Optional members may be absent.
    let bare = InboundMessage::from_json(
        br#"{"transactionId":"t","destAddr":"S","sourceAddr":"7","type":"WHATSAPP"}"#,
    )
    .unwrap();
    assert_eq!(
        (bare.message, bare.media_url, bare.part_count),
        (None, None, None)
    );
}
