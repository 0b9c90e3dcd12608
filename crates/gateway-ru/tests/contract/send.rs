//! Contract: the requests the client sends equal the documented samples, and
//! the documented responses decode to every value they hold.

use gateway_ru::mock::{MockGateway, MockVendor, SEND_PATH};
use gateway_ru::{
    CascadeChainLink, CascadeMessage, CascadeState, Client, ClientBuilder, InstantContent,
    PhoneNumber, ScheduleInfo, SendRequest, SendResponse, Ttl, TtlUnit,
};
use serde_json::Value;
use whatsapp_common::mock::{RecordedRequest, fixture, fixture_json};
use wiremock::ResponseTemplate;

use crate::support::{builder, hi, request};

const TO: &str = "+7 210 123-45-67";

/// Sends `request` with `client` (given the gateway's URI) to a gateway
/// answering with the documented success response: the decoded answer and
/// the one request, a JSON post to the partner URI.
async fn send(
    client: impl FnOnce(String) -> ClientBuilder,
    request: &SendRequest,
) -> (SendResponse, RecordedRequest) {
    let gateway = MockGateway::start().await;
    let success = fixture("gateway-ru", "send_success_response.json");
    gateway
        .respond_next(
            ResponseTemplate::new(200).set_body_raw(success, "application/json"),
            1,
        )
        .await;
    let response = client(gateway.uri())
        .build()
        .unwrap()
        .send(request)
        .await
        .unwrap();
    let mut sent = gateway.requests().await;
    assert_eq!(sent.len(), 1);
    let sent = sent.remove(0);
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", SEND_PATH)
    );
    assert_eq!(sent.header("content-type"), Some("application/json"));
    (response, sent)
}

/// [`send`], checking that the gateway got the documented request `name`
/// with its `destAddr` placeholder replaced by the number the test sends to:
/// the SDK refuses "Subscriber's_Number" as a phone number, which is the
/// point of validating it.
async fn send_documented(
    name: &str,
    client: impl FnOnce(String) -> ClientBuilder,
    request: &SendRequest,
) -> SendResponse {
    let (response, sent) = send(client, request).await;
    let mut expected = fixture_json("gateway-ru", name);
    expected["destAddr"] = Value::String("72101234567".into());
    assert_eq!(sent.json().unwrap(), expected, "{name}");
    response
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

    let response = send_documented("send_text_request.json", |uri| builder(&uri), &request).await;

    // Every value of the documented success response.
    assert_eq!(response.mt_num.as_deref(), Some("107930572"));
    assert_eq!(response.id.as_deref(), Some("8770599"));
}

#[tokio::test]
async fn image_send_matches_the_documented_request() {
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
    let client = |uri: String| builder(&uri).default_service_number("SENDER'S_NAME");
    let response = send_documented("send_image_request.json", client, &request).await;
    assert_eq!(response.mt_num.as_deref(), Some("107930572"));
}

#[tokio::test]
async fn cascade_send_matches_the_documented_request() {
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
    let client = |uri: String| Client::builder("ВАШ_ЛОГИН", "ВАШ_ПАРОЛЬ").base_url(uri);
    let response = send_documented("send_cascade_request.json", client, &request).await;
    assert_eq!(response.mt_num.as_deref(), Some("107930572"));
}

#[tokio::test]
async fn optional_fields_are_sent_only_when_set() {
    let request = hi().build().unwrap();
    let (_, sent) = send(|uri| builder(&uri), &request).await;
    let minimal = sent.json().unwrap();
    let mut keys: Vec<&str> = minimal
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["destAddr", "id", "login", "message", "password"]);
    // Members come in the documented order.
    let raw = String::from_utf8(sent.body).unwrap();
    let at = |k: &str| raw.find(&format!("\"{k}\":")).unwrap();
    assert!(at("login") < at("password") && at("password") < at("id"));
    assert!(at("id") < at("destAddr") && at("destAddr") < at("message"));
    assert_eq!(
        minimal["message"],
        serde_json::json!({"type":"WHATSAPP","data":{"instantContent":{"type":"TEXT","data":{"text":"hi"}}}})
    );
    assert_eq!(minimal["id"].as_str(), Some(request.id()));
    assert_eq!(request.id().len(), 36, "a UUID is generated");

    let full = hi()
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
    let (_, sent) = send(|uri| builder(&uri), &full).await;
    let full_json = sent.json().unwrap();
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
    let request = hi().cascade(chain).build().unwrap();
    let (_, sent) = send(|uri| builder(&uri), &request).await;
    assert_eq!(
        sent.json().unwrap()["cascadeChainLink"],
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
    let gateway = MockGateway::start_with_credentials("YOUR_LOGIN", "YOUR_PASSWORD").await;
    let client = builder(&gateway.uri()).build().unwrap();
    let request = hi().id("order-1042").build().unwrap();
    let ok = client.send(&request).await.unwrap();
    assert_eq!(ok.mt_num.as_deref(), Some("107930572"));
    assert_eq!(ok.id.as_deref(), Some("order-1042"));

    let wrong = Client::builder("YOUR_LOGIN", "wrong")
        .base_url(gateway.uri())
        .build()
        .unwrap();
    let err = wrong.send(&request).await.unwrap_err();
    assert_eq!(err.code(), Some(gateway_ru::ErrorCode::InvalidPassword));

    let recorded = gateway.requests().await;
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0].method, "POST");
    assert_eq!(recorded[0].path, SEND_PATH);
    assert_eq!(recorded[0].header("content-type"), Some("application/json"));
    assert_eq!(recorded[0].json().unwrap()["id"], "order-1042");
}

#[tokio::test]
async fn the_mock_gateway_fails_loudly_on_an_unexpected_path() {
    let gateway = MockGateway::start().await;
    let wrong_uri = gateway.uri().replace(SEND_PATH, "/partner/other");
    let client = builder(&wrong_uri).build().unwrap();
    let err = client.send(&request()).await.unwrap_err();
    let gateway_ru::Error::Vendor(g) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(g.status(), 599);
    assert_eq!(
        g.raw_body().text(),
        "mock vendor: no mock matches POST /partner/other"
    );
}
