//! Contract: both formats send the documented request and decode every value
//! of the documented responses.

use crate::support;

use activetrail::mock::{MockActiveTrail, MockVendor, XmlBody};
use activetrail::xml::parse;
use activetrail::{ErrorCode, Format, PhoneNumber, ReceivedMessage, SendResponse};
use support::{
    MOBILE_1, MOBILE_2, TOKEN, assert_documented_response, builder, documented_message,
    documented_request_json, documented_request_xml, fixture, refusal,
};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn both_formats_send_the_documented_request_and_read_the_documented_response() {
    for (format, response) in [
        (Format::Json, "send_response.json"),
        (Format::Xml, "send_response.xml"),
    ] {
        let server = MockServer::start().await;
        let content_type = format.content_type();
        let mock = Mock::given(method("POST"))
            .and(path("/api/whatsappcampaign/SendOperationalMessage"))
            .and(header("authorization", TOKEN))
            .and(header("content-type", content_type))
            .and(header("accept", content_type));
        let mock = match format {
            Format::Json => mock.and(body_json(documented_request_json())),
            _ => mock.and(XmlBody::new(&documented_request_xml())),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_string(fixture(response)))
            .expect(1)
            .named("documented request")
            .mount(&server)
            .await;
        let client = builder(&server.uri(), format).build().unwrap();
        let r = client.send(&documented_message()).await.unwrap();
        assert_documented_response(&r, format == Format::Json);
    }
}

#[test]
fn the_xml_request_is_the_documented_document() {
    let client = builder("http://127.0.0.1:9", Format::Xml).build().unwrap();
    let ours = client.encode(&documented_message()).unwrap();
    let a = parse(documented_request_xml().as_bytes()).unwrap();
    let b = parse(&ours).unwrap();
    assert_eq!(a.diff(&b), None, "{}", String::from_utf8_lossy(&ours));
    // Prefix choice follows DataContractSerializer's `d{depth}p{n}` too.
    assert!(
        String::from_utf8(ours)
            .unwrap()
            .contains("<mobiles xmlns:d3p1=")
    );
}

#[test]
fn documented_requests_read_back_alike_in_both_formats() {
    let json = ReceivedMessage::from_json(fixture("send_request.json").as_bytes()).unwrap();
    let xml = ReceivedMessage::from_xml(fixture("send_request.xml").as_bytes()).unwrap();
    assert_eq!(json, xml);
    let s = json.scheduling.as_ref().unwrap();
    assert_eq!(s.is_sent, Some(true));
    assert_eq!(
        s.scheduled_date_utc.as_ref().unwrap().as_str(),
        "2016-12-24T14:12:12"
    );
    let mobiles = json.segment.unwrap().mobiles.unwrap();
    assert_eq!(mobiles, ["sample string 1", "sample string 2"]);
    // Not phone numbers: `documented_message` sends MOBILE_1 and MOBILE_2.
    for m in &mobiles {
        assert!(m.parse::<PhoneNumber>().is_err(), "{m}");
    }
    assert_eq!(json.details.unwrap().whatsapp_profile_id, Some(1));
    let design = json.design.unwrap();
    assert_eq!(design.name.as_deref(), Some("sample string 1"));
    assert_eq!(design.content.as_deref(), Some("sample string 2"));
    let t = json.template.unwrap();
    assert_eq!(t.id.as_deref(), Some("sample string 1"));
    assert_eq!(
        t.variables.unwrap().pairs(),
        &[
            ("sample string 1".to_owned(), "sample string 2".to_owned()),
            ("sample string 3".to_owned(), "sample string 4".to_owned())
        ]
    );
}

#[test]
fn documented_responses_decode_without_a_client() {
    let json = SendResponse::from_json(fixture("send_response.json").as_bytes()).unwrap();
    assert_documented_response(&json, true);
    let xml = SendResponse::from_xml(fixture("send_response.xml").as_bytes()).unwrap();
    assert_documented_response(&xml, false);
}

#[test]
fn the_documented_xml_response_writes_back_identically() {
    let documented = fixture("send_response.xml");
    let decoded = SendResponse::from_xml(documented.as_bytes()).unwrap();
    let written = decoded.to_xml();
    let a = parse(documented.as_bytes()).unwrap();
    let b = parse(written.as_bytes()).unwrap();
    assert_eq!(a.diff(&b), None, "{written}");
    assert_eq!(SendResponse::from_xml(written.as_bytes()).unwrap(), decoded);
    // The same prefixes as the sample: d3p1 under campaign, d4p1 under OrderInfo.
    assert!(written.contains("<d3p1:OrderInfo xmlns:d4p1="));
}

#[tokio::test]
async fn the_mock_answers_each_format_in_kind() {
    let at = MockActiveTrail::start_with_credentials(TOKEN).await;
    for format in [Format::Json, Format::Xml] {
        let client = builder(&at.uri(), format).build().unwrap();
        let r = client.send(&documented_message()).await.unwrap();
        assert_documented_response(&r, format == Format::Json);
    }
    let received = at.messages().await;
    assert_eq!(received.len(), 2);
    for request in at.requests().await {
        assert_eq!(
            request.header("authorization"),
            Some(TOKEN),
            "the raw token, no scheme word"
        );
    }
    assert_eq!(
        received[0], received[1],
        "the two formats carried the same message"
    );
    assert_eq!(
        received[0]
            .segment
            .as_ref()
            .unwrap()
            .mobiles
            .as_deref()
            .unwrap(),
        [MOBILE_1, MOBILE_2]
    );
    let wrong = activetrail::Client::builder("other")
        .base_url(at.uri())
        .build()
        .unwrap();
    let err = wrong.send(&documented_message()).await.unwrap_err();
    let a = refusal(&err);
    assert_eq!(a.status(), 401);
    assert_eq!(a.code, Some(ErrorCode::ApiKeyMissing));
}

#[tokio::test]
async fn mobile_formats() {
    use activetrail::MobileFormat;
    let at = MockActiveTrail::start().await;
    for (format, want) in [
        (MobileFormat::InternationalDigits, "972501234567"),
        (MobileFormat::E164, "+972501234567"),
        (MobileFormat::National("0"), "0501234567"),
    ] {
        let client = builder(&at.uri(), Format::Json)
            .mobile_format(format)
            .build()
            .unwrap();
        client.send(&documented_message()).await.unwrap();
        let last = at.messages().await.pop().unwrap();
        assert_eq!(last.segment.unwrap().mobiles.unwrap()[0], want);
    }
}
