//! Contract: both formats send the documented request and decode every value
//! of the documented responses.

use crate::support;

use activetrail::mock::{MockActiveTrail, MockVendor, XmlBody};
use activetrail::xml::parse;
use activetrail::{Error, ErrorCode, Format, ReceivedMessage, SendResponse};
use support::{
    MOBILE_1, MOBILE_2, TOKEN, assert_documented_response, builder, documented_message, fixture,
};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server(matcher_format: Format, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    let mock = Mock::given(method("POST"))
        .and(path("/api/whatsappcampaign/SendOperationalMessage"))
        .and(header("authorization", TOKEN));
    let mock = match matcher_format {
        Format::Json => {
            let mut expected: serde_json::Value =
                serde_json::from_str(&fixture("send_request.json")).unwrap();
            expected["segment"]["mobiles"] = serde_json::json!([MOBILE_1, MOBILE_2]);
            mock.and(header("content-type", "application/json"))
                .and(header("accept", "application/json"))
                .and(body_json(expected))
        }
        _ => {
            let expected = fixture("send_request.xml")
                .replace(
                    "<d3p1:string>sample string 1</d3p1:string>",
                    &format!("<d3p1:string>{MOBILE_1}</d3p1:string>"),
                )
                .replace(
                    "<d3p1:string>sample string 2</d3p1:string>",
                    &format!("<d3p1:string>{MOBILE_2}</d3p1:string>"),
                );
            mock.and(header("content-type", "application/xml"))
                .and(header("accept", "application/xml"))
                .and(XmlBody::new(&expected))
        }
    };
    mock.respond_with(response)
        .expect(1)
        .named("documented request")
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn json_request_and_response_match_the_documentation() {
    let answer = ResponseTemplate::new(200).set_body_string(fixture("send_response.json"));
    let server = server(Format::Json, answer).await;
    let client = builder(&server.uri(), Format::Json).build().unwrap();
    let r = client.send(&documented_message()).await.unwrap();
    assert_documented_response(&r, true);
}

#[tokio::test]
async fn xml_request_and_response_match_the_documentation() {
    let answer = ResponseTemplate::new(200).set_body_string(fixture("send_response.xml"));
    let server = server(Format::Xml, answer).await;
    let client = builder(&server.uri(), Format::Xml).build().unwrap();
    let r = client.send(&documented_message()).await.unwrap();
    assert_documented_response(&r, false);
}

#[test]
fn the_xml_request_is_the_documented_document() {
    let client = builder("http://127.0.0.1:9", Format::Xml).build().unwrap();
    let ours = client.encode(&documented_message()).unwrap();
    let expected = fixture("send_request.xml")
        .replace(
            "sample string 1</d3p1:string>",
            &format!("{MOBILE_1}</d3p1:string>"),
        )
        .replace(
            "sample string 2</d3p1:string>",
            &format!("{MOBILE_2}</d3p1:string>"),
        );
    let a = parse(expected.as_bytes()).unwrap();
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
    assert_eq!(
        json.segment.unwrap().mobiles.unwrap(),
        ["sample string 1", "sample string 2"]
    );
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
    let Error::Vendor(a) = &err else {
        panic!("{err:?}")
    };
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
