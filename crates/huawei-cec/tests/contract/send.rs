//! Contract: the token call and the send match the documented samples, and
//! every documented response value decodes.

use crate::support;

use std::time::SystemTime;

use huawei_cec::{
    ExposeSecret, Location, MediaButton, MediaHeader, MediaTemplateData, Outcome, SendAt,
    SendRequest, SendResponse, StatusGroup, StatusId, TemplateMessage, TokenResponse,
    WhatsAppMessage,
};
use serde_json::{Value, json};
use support::{APP_KEY, APP_SECRET, builder};
use whatsapp_common::mock::{fixture, fixture_json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers the token call with the documented token (with a
/// token value the send then expects) and the send with `send_answer`.
async fn server(send_body: Option<Value>, send_answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    let mut token = fixture_json("huawei-cec", "research_token_response.json");
    token["AccessToken"] = json!("2febd549-test-token-b9daff1");
    Mock::given(method("POST"))
        .and(path("/apigovernance/api/oauth/tokenByAkSk"))
        .and(header("content-type", "application/json"))
        .and(header("x-token-expire", "600"))
        .and(body_json(
            json!({"app_key": APP_KEY, "app_secret": APP_SECRET}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(token))
        .expect(1)
        .named("tokenByAkSk")
        .mount(&server)
        .await;
    let mut send = Mock::given(method("POST"))
        .and(path("/apiaccess/rest/ccmessaging/omni/1/advanced"))
        .and(header(
            "authorization",
            "Bearer 2febd549-test-token-b9daff1",
        ))
        .and(header("x-app-key", APP_KEY))
        .and(header("content-type", "application/json"));
    if let Some(b) = send_body {
        send = send.and(body_json(b));
    }
    send.respond_with(send_answer)
        .expect(1)
        .named("sendWhatsappMessage")
        .mount(&server)
        .await;
    server
}

#[test]
fn the_documented_headers_are_the_ones_sent() {
    // The seed prints the send headers as JSON; the client sends these three
    // (checked on the wire below), with the token the token call returned.
    let headers = fixture_json("huawei-cec", "send_request_headers.json");
    let names: Vec<&str> = headers
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(names, ["Authorization", "Content-Type", "x-app-key"]);
    assert_eq!(headers["x-app-key"], APP_KEY);
    assert!(
        headers["Authorization"]
            .as_str()
            .unwrap()
            .starts_with("Bearer ")
    );
    assert_eq!(headers["Content-Type"], "application/json");
    let token_headers = fixture("huawei-cec", "research_token_request_headers.txt");
    assert!(token_headers.contains("Content-Type: application/json"));
    assert!(token_headers.contains("X-Token-Expire:600"));
    assert_eq!(
        fixture_json("huawei-cec", "research_token_request.json"),
        json!({"app_key": "xxxxxxxxxxxxxxxx", "app_secret": "yyyyyyyyyyyyyyyyyy"})
    );
}

#[tokio::test]
async fn documented_template_send_and_response() {
    // The documented body, with its masked number replaced by the one
    // `documented_request` sends.
    let mut expected = fixture_json("huawei-cec", "send_template_request.json");
    expected["destinations"][0]["to"]["phoneNumber"] = json!("15512348467");
    let answer =
        ResponseTemplate::new(200).set_body_string(fixture("huawei-cec", "send_response.json"));
    let server = server(Some(expected), answer).await;
    let client = builder(&server.uri())
        .token_lifetime(std::time::Duration::from_secs(600))
        .build()
        .unwrap();
    let r = client.send(&support::documented_request()).await.unwrap();

    assert_eq!(r.bulk_id.as_deref(), Some("20221025"));
    assert_eq!(r.messages.len(), 1);
    let m = &r.messages[0];
    let status = m.status.as_ref().unwrap();
    assert_eq!(m.message_id.as_deref(), Some("10011"));
    assert_eq!(
        m.to.as_ref().unwrap().phone_number.as_deref(),
        Some("173****6067")
    );
    assert_eq!(status.group_name.as_deref(), Some("send-test"));
    assert_eq!(status.group_id, Some(StatusGroup::Unknown(113)));
    assert_eq!(status.name.as_deref(), Some("sendMessage"));
    assert_eq!(status.description.as_deref(), Some("description"));
    assert_eq!(status.id, Some(StatusId::Unknown(1)));
    assert_eq!(status.action, None);
    assert_eq!(m.outcome(), Outcome::Unknown);
}

#[test]
fn documented_token_response_decodes_every_value() {
    let t: TokenResponse =
        serde_json::from_str(&fixture("huawei-cec", "research_token_response.json")).unwrap();
    assert_eq!(t.access_token.expose_secret(), "zzzzzzzzzzzzzzzzzz");
    assert_eq!(t.apply_type.as_deref(), Some("Bearer"));
    assert_eq!(t.create_time.as_deref(), Some("1545650171"));
    assert_eq!(t.created_at_unix(), Some(1_545_650_171));
    assert_eq!(t.expires.as_deref(), Some("600"));
    assert_eq!(t.expires_in(), Some(std::time::Duration::from_secs(600)));
    assert_eq!(t.scope.as_deref(), Some("XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"));
    assert_eq!(t.app_key.as_deref(), Some("xxxxxxxxxxxxxxxxx"));
    assert_eq!(t.user_id.as_deref(), Some("Anonymous"));
    assert!(!format!("{t:?}").contains("zzzzzzzzzzzzzzzzzz"));
}

#[test]
fn infobip_response_decodes_with_typed_status() {
    let r: SendResponse =
        serde_json::from_str(&fixture("huawei-cec", "research_infobip_response.json")).unwrap();
    assert_eq!(r.bulk_id, None);
    let m = &r.messages[0];
    let status = m.status.as_ref().unwrap();
    assert_eq!(
        m.to.as_ref().unwrap().phone_number.as_deref(),
        Some("41793026727")
    );
    assert_eq!(
        m.message_id.as_deref(),
        Some("efcd006b-af37-40e1-9984-09735bf45f17")
    );
    assert_eq!(status.group_id, Some(StatusGroup::Pending));
    assert_eq!(status.group_name.as_deref(), Some("PENDING"));
    assert_eq!(status.id, Some(StatusId::PendingEnroute));
    assert_eq!(status.name.as_deref(), Some("PENDING_ENROUTE"));
    assert_eq!(
        status.description.as_deref(),
        Some("Message sent to next instance")
    );
    assert_eq!(m.outcome(), Outcome::Pending);
}

async fn sent_body(message: WhatsAppMessage, send_at: Option<SendAt>) -> Value {
    let (cec, client) = support::mock_cec().await;
    let mut b = SendRequest::builder(message)
        .to_with_id("+41793026727".parse().unwrap(), "m-1")
        .bulk_id("b-1")
        .scenario_key("scenario-7");
    if let Some(at) = send_at {
        b = b.send_at(at);
    }
    let response = client.send(&b.build().unwrap()).await.unwrap();
    assert_eq!(response.bulk_id.as_deref(), Some("b-1"));
    assert_eq!(response.messages[0].message_id.as_deref(), Some("m-1"));
    cec.sends().await[0].json().unwrap()
}

#[tokio::test]
async fn every_message_kind_goes_out_as_the_documented_flat_object() {
    let cases = [
        (WhatsAppMessage::text("Hello"), json!({"text": "Hello"})),
        (
            WhatsAppMessage::image("https://e.com/a.png"),
            json!({"imageUrl": "https://e.com/a.png"}),
        ),
        (
            WhatsAppMessage::audio("https://e.com/a.aac"),
            json!({"audioUrl": "https://e.com/a.aac"}),
        ),
        (
            WhatsAppMessage::video("https://e.com/a.mp4"),
            json!({"videoUrl": "https://e.com/a.mp4"}),
        ),
        (
            WhatsAppMessage::location(
                Location::new(46.2044, 6.1432)
                    .name("Depot")
                    .address("Rue 1"),
            ),
            json!({"locationName": "Depot", "address": "Rue 1", "longitude": 6.1432, "latitude": 46.2044}),
        ),
        (
            WhatsAppMessage::template(
                TemplateMessage::new("order_shipped", "en_US")
                    .unwrap()
                    .data(["Anna", "#1042"])
                    .media(
                        MediaTemplateData::new()
                            .header(MediaHeader::Location {
                                latitude: 1.5,
                                longitude: -2.5,
                            })
                            .body_placeholders(Vec::<String>::new())
                            .button(MediaButton::Url("track/1042".into()))
                            .button(MediaButton::QuickReply("stop".into())),
                    ),
            ),
            json!({
                "templateName": "order_shipped",
                "templateData": ["Anna", "#1042"],
                "language": "en_US",
                "mediaTemplateData": {
                    "header": {"latitude": 1.5, "longitude": -2.5},
                    "body": {"placeholders": []},
                    "buttons": [{"urlPlaceholder": "track/1042"}, {"quickReplyPayload": "stop"}]
                }
            }),
        ),
    ];
    for (message, whatsapp) in cases {
        let body = sent_body(message, None).await;
        assert_eq!(
            body,
            json!({
                "scenarioKey": "scenario-7",
                "bulkId": "b-1",
                "whatsApp": whatsapp,
                "destinations": [{"messageId": "m-1", "to": {"phoneNumber": "41793026727"}}]
            })
        );
    }
    for (header, wire) in [
        (
            MediaHeader::Text("Hi".into()),
            json!({"textPlaceholder": "Hi"}),
        ),
        (
            MediaHeader::Image("https://e.com/i.png".into()),
            json!({"imageUrl": "https://e.com/i.png"}),
        ),
        (
            MediaHeader::Video("https://e.com/v.mp4".into()),
            json!({"videoUrl": "https://e.com/v.mp4"}),
        ),
    ] {
        let t = TemplateMessage::new("t", "en")
            .unwrap()
            .media(MediaTemplateData::new().header(header));
        let body = sent_body(WhatsAppMessage::template(t), None).await;
        assert_eq!(
            body["whatsApp"]["mediaTemplateData"],
            json!({"header": wire})
        );
    }
}

#[tokio::test]
async fn send_at_is_rendered_in_the_omni_format() {
    let now = SendAt::from_system_time(SystemTime::now()).unix_millis();
    let at = SendAt::from_unix_millis(now + 3_600_000);
    let body = sent_body(WhatsAppMessage::text("later"), Some(at)).await;
    let rendered = body["sendAt"].as_str().unwrap();
    assert_eq!(rendered, at.to_string());
    assert_eq!(rendered.len(), "2021-05-24T10:45:38.000+0000".len());
    assert!(rendered.ends_with("+0000"));
}

#[tokio::test]
async fn several_destinations_get_their_own_ids() {
    let (_cec, client) = support::mock_cec().await;
    let request = SendRequest::builder(WhatsAppMessage::text("hi"))
        .to("+41793026727".parse().unwrap())
        .to("+79211234567".parse().unwrap())
        .build()
        .unwrap();
    let response = client.send(&request).await.unwrap();
    let ids: Vec<&str> = request
        .destinations()
        .iter()
        .map(|d| d.message_id())
        .collect();
    assert_ne!(ids[0], ids[1]);
    let echoed: Vec<&str> = response
        .messages
        .iter()
        .map(|m| m.message_id.as_deref().unwrap())
        .collect();
    assert_eq!(echoed, ids);
    assert_eq!(
        response.messages[1]
            .to
            .as_ref()
            .unwrap()
            .phone_number
            .as_deref(),
        Some("79211234567")
    );
    assert_eq!(response.bulk_id.as_deref(), Some(request.bulk_id()));
}
