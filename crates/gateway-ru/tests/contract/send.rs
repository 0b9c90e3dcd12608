//! Contract: the requests the client sends equal the documented samples, and
//! the documented responses decode to every value they hold.

use crate::support;

use gateway_ru::mock::MockVendor;
use gateway_ru::{
    CascadeChainLink, CascadeMessage, CascadeState, InstantContent, PhoneNumber, ScheduleInfo,
    SendRequest, Ttl, TtlUnit,
};
use serde_json::Value;
use support::{builder, fixture, fixture_json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TO: &str = "+7 210 123-45-67";

/// The documented request with its `destAddr` placeholder replaced by the
/// number the test sends to: the SDK refuses "Subscriber's_Number" as a
/// phone number, which is the point of validating it.
fn expected_request(name: &str) -> Value {
    let mut v = fixture_json(name);
    v["destAddr"] = Value::String("72101234567".into());
    v
}

async fn server_expecting(body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/partner/send"))
        .and(header("content-type", "application/json"))
        .and(body_json(body))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(fixture("send_success_response.json")),
        )
        .expect(1)
        .named("documented request")
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(|r: &wiremock::Request| {
            ResponseTemplate::new(599).set_body_string(format!(
                "unexpected request: {}",
                String::from_utf8_lossy(&r.body)
            ))
        })
        .with_priority(u8::MAX)
        .named("catch-all")
        .mount(&server)
        .await;
    server
}

fn sample_schedule() -> ScheduleInfo {
    ScheduleInfo::builder()
        .window("10:00", "20:00")
        .weekdays("12345")
        .build()
        .unwrap()
}

#[tokio::test]
async fn text_send_matches_the_documented_request_and_decodes_the_response() {
    let server = server_expecting(expected_request("send_text_request.json")).await;
    let client = builder(&format!("{}/partner/send", server.uri()))
        .build()
        .unwrap();
    let request = SendRequest::builder(
        TO.parse::<PhoneNumber>().unwrap(),
        InstantContent::text("hatsApp message text"),
    )
    .id("8770100")
    .use_time_diff(false)
    .schedule(sample_schedule())
    .service_number("SENDER'S_NAME")
    .ttl(Ttl::minutes(1440).unwrap())
    .build()
    .unwrap();

    let response = client.send(&request).await.unwrap();

    // Every value of the documented success response.
    assert_eq!(response.mt_num, "107930572");
    assert_eq!(response.id.as_deref(), Some("8770599"));
}

#[tokio::test]
async fn image_send_matches_the_documented_request() {
    let server = server_expecting(expected_request("send_image_request.json")).await;
    let client = builder(&format!("{}/partner/send", server.uri()))
        .default_service_number("SENDER'S_NAME")
        .build()
        .unwrap();
    let request = SendRequest::builder(
        TO.parse().unwrap(),
        InstantContent::image_url("https://example.ru/image"),
    )
    .id("8770100")
    .use_time_diff(false)
    .schedule(sample_schedule())
    .ttl(Ttl::days(1).unwrap())
    .build()
    .unwrap();
    let response = client.send(&request).await.unwrap();
    assert_eq!(response.mt_num, "107930572");
}

#[tokio::test]
async fn cascade_send_matches_the_documented_request() {
    let server = server_expecting(expected_request("send_cascade_request.json")).await;
    let client = gateway_ru::Client::builder("ВАШ_ЛОГИН", "ВАШ_ПАРОЛЬ")
        .base_url(format!("{}/partner/send", server.uri()))
        .build()
        .unwrap();
    let sms = CascadeMessage::Sms {
        text: "Текст доотправляемого SMS-сообщения".into(),
        service_number: Some("НОМЕР_ОТПРАВИТЕЛЯ_SMS".into()),
        ttl: Some(10),
        ttl_unit: None,
    };
    let ttl = Ttl::seconds(120).unwrap();
    assert_eq!(ttl.unit(), Some(&TtlUnit::Seconds));
    let request = SendRequest::builder(
        TO.parse().unwrap(),
        InstantContent::text("Текст WhatsApp-сообщения"),
    )
    .id("87706112")
    .use_time_diff(true)
    .schedule(
        ScheduleInfo::builder()
            .window("09:00", "21:00")
            .weekdays("12345")
            .deadline("2024-12-31T16:29:30+0300")
            .build()
            .unwrap(),
    )
    .service_number("ИМЯ_ОТПРАВИТЕЛЯ")
    .ttl(ttl)
    .cascade(CascadeChainLink::new(CascadeState::Delivered, sms))
    .build()
    .unwrap();
    let response = client.send(&request).await.unwrap();
    assert_eq!(response.mt_num, "107930572");
}

#[tokio::test]
async fn optional_fields_are_sent_only_when_set() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(fixture("send_success_response.json")),
        )
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let request = SendRequest::builder(TO.parse().unwrap(), InstantContent::text("hi"))
        .build()
        .unwrap();
    client.send(&request).await.unwrap();
    let full = SendRequest::builder(TO.parse().unwrap(), InstantContent::text("hi"))
        .shorten_links(false)
        .registered_delivery(gateway_ru::RegisteredDelivery::UndeliveredOnly)
        .notify_url("https://partner.example/dlr")
        .extra_params(
            gateway_ru::ExtraParams::new()
                .with("place", "абзаково")
                .unwrap()
                .with("coordinates", "53.8085896, 58.6362112")
                .unwrap(),
        )
        .ttl(Ttl::hours(24).unwrap().with_explicit_unit())
        .build()
        .unwrap();
    client.send(&full).await.unwrap();

    let sent = server.received_requests().await.unwrap();
    let minimal: Value = serde_json::from_slice(&sent[0].body).unwrap();
    let mut keys: Vec<&str> = minimal
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["destAddr", "id", "login", "message", "password"]);
    // Members come in the documented order.
    let raw = String::from_utf8(sent[0].body.clone()).unwrap();
    let at = |k: &str| raw.find(&format!("\"{k}\":")).unwrap();
    assert!(at("login") < at("password") && at("password") < at("id"));
    assert!(at("id") < at("destAddr") && at("destAddr") < at("message"));
    assert_eq!(
        minimal["message"],
        serde_json::json!({"type":"WHATSAPP","data":{"instantContent":{"type":"TEXT","data":{"text":"hi"}}}})
    );
    assert_eq!(minimal["id"].as_str(), Some(request.id()));
    assert_eq!(request.id().len(), 36, "a UUID is generated");

    let full_json: Value = serde_json::from_slice(&sent[1].body).unwrap();
    assert_eq!(full_json["shortenLinks"], false);
    assert_eq!(full_json["registeredDelivery"], 2);
    assert_eq!(full_json["notifyUrl"], "https://partner.example/dlr");
    assert_eq!(
        full_json["extraParam"],
        "place=абзаково,coordinates=53.8085896,, 58.6362112"
    );
    assert_eq!(full_json["message"]["data"]["ttl"], 24);
    assert_eq!(full_json["message"]["data"]["ttlUnit"], "HOURS");
    assert!(full_json.get("useTimeDiff").is_none());
    assert!(full_json.get("scheduleInfo").is_none());
    assert!(full_json.get("cascadeChainLink").is_none());
}

#[tokio::test]
async fn multi_hop_cascade_nests_next_links() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(fixture("send_success_response.json")),
        )
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let mut viber = serde_json::Map::new();
    viber.insert("text".into(), "Viber text".into());
    let chain = CascadeChainLink::new(
        CascadeState::Read,
        CascadeMessage::Other {
            message_type: gateway_ru::MessageType::Viber,
            data: viber,
        },
    )
    .then(CascadeChainLink::new(
        CascadeState::Delivered,
        CascadeMessage::sms("SMS text", "SHOP"),
    ));
    let request = SendRequest::builder(TO.parse().unwrap(), InstantContent::text("hi"))
        .cascade(chain)
        .build()
        .unwrap();
    client.send(&request).await.unwrap();
    let body: Value =
        serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(
        body["cascadeChainLink"],
        serde_json::json!({
            "state": "READ",
            "message": {"type": "VIBER", "data": {"text": "Viber text"}},
            "nextLink": {
                "state": "DELIVERED",
                "message": {"type": "SMS", "data": {"text": "SMS text", "serviceNumber": "SHOP"}}
            }
        })
    );
}

#[tokio::test]
async fn the_mock_gateway_answers_like_the_documentation() {
    let gateway =
        gateway_ru::mock::MockGateway::start_with_credentials("YOUR_LOGIN", "YOUR_PASSWORD").await;
    let client = builder(&gateway.uri()).build().unwrap();
    let request = SendRequest::builder(TO.parse().unwrap(), InstantContent::text("hi"))
        .id("order-1042")
        .build()
        .unwrap();
    let ok = client.send(&request).await.unwrap();
    assert_eq!(ok.mt_num, "107930572");
    assert_eq!(ok.id.as_deref(), Some("order-1042"));

    let wrong = gateway_ru::Client::builder("YOUR_LOGIN", "wrong")
        .base_url(gateway.uri())
        .build()
        .unwrap();
    let err = wrong.send(&request).await.unwrap_err();
    assert_eq!(err.code(), Some(gateway_ru::ErrorCode::InvalidPassword));

    let recorded = gateway.requests().await;
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0].method, "POST");
    assert_eq!(recorded[0].path, gateway_ru::mock::SEND_PATH);
    assert_eq!(recorded[0].header("content-type"), Some("application/json"));
    assert_eq!(recorded[0].json().unwrap()["id"], "order-1042");
}

#[tokio::test]
async fn the_mock_gateway_fails_loudly_on_an_unexpected_path() {
    let gateway = gateway_ru::mock::MockGateway::start().await;
    let wrong_uri = gateway.uri().replace("/partner/send", "/partner/other");
    let client = builder(&wrong_uri).build().unwrap();
    let request = SendRequest::builder(TO.parse().unwrap(), InstantContent::text("hi"))
        .build()
        .unwrap();
    let err = client.send(&request).await.unwrap_err();
    let gateway_ru::Error::Vendor(g) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(g.status(), 599);
    assert_eq!(
        g.raw_body().text(),
        "mock vendor: no mock matches POST /partner/other"
    );
}
