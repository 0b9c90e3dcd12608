//! Contract: refusals and broken answers become typed errors; sends are not
//! retried after they may have reached ActiveTrail unless opted in.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use activetrail::mock::MockActiveTrail;
use activetrail::{Error, ErrorExt, ErrorKind, Format, OperationalMessage, TemplateRef};
use support::{builder, fixture};
use whatsapp_common::TransportErrorKind;
use wiremock::ResponseTemplate;

fn message() -> OperationalMessage {
    OperationalMessage::template(7, TemplateRef::new("welcome").variable("name", "Dana"))
        .to("+972501234567".parse().unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn glossary_statuses_map_to_kinds() {
    for (status, kind, name) in [
        (400, ErrorKind::BadRequest, "BadRequest"),
        (401, ErrorKind::ApiKeyMissing, "APIKeyMissing"),
        (403, ErrorKind::Forbidden, "Forbidden"),
        (404, ErrorKind::ResourceNotFound, "ResourceNotFound"),
        (405, ErrorKind::MethodNotAllowed, "MethodNotAllowed"),
        (409, ErrorKind::ResolveMergeNeeded, "ResolveMergeNeeded"),
        (500, ErrorKind::InternalServerError, "InternalServerError"),
    ] {
        for format in [Format::Json, Format::Xml] {
            let at = MockActiveTrail::start().await;
            at.fail_next(status, "An error has occurred.", 1).await;
            let client = builder(&at.uri(), format).build().unwrap();
            let err = client.send(&message()).await.unwrap_err();
            let Error::Api(a) = &err else {
                panic!("{status}: {err:?}")
            };
            assert_eq!((a.status, a.kind), (status, kind), "{format:?}");
            assert_eq!(a.message(), Some("An error has occurred."), "{format:?}");
            assert!(err.to_string().contains(name), "{err}");
            assert!(!err.is_retryable());
            assert_eq!(at.requests().await.len(), 1);
        }
    }
}

#[tokio::test]
async fn glossary_names_in_the_body_are_recognised() {
    let at = MockActiveTrail::start().await;
    at.fail_next(403, "UserDisabled: This account has been disabled.", 1)
        .await;
    let client = builder(&at.uri(), Format::Json).build().unwrap();
    let Error::Api(a) = client.send(&message()).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(a.glossary_name, Some("UserDisabled"));
}

#[tokio::test]
async fn the_mock_refuses_a_message_without_mobiles_with_model_state() {
    for format in [Format::Json, Format::Xml] {
        let at = MockActiveTrail::start().await;
        // Built by hand: the SDK itself refuses to send it.
        let body = match format {
            Format::Json => {
                r#"{"details":{"whatsapp_profile_id":1},"template":{"id":"x","variables":{}}}"#
                    .to_owned()
            }
            _ => fixture("send_request.xml")
                .replace("<segment>", "<segment_>")
                .replace("</segment>", "</segment_>"),
        };
        let (status, body) = raw_post(&at.uri(), format, body).await;
        assert_eq!(status, 400, "{format:?}");
        match format {
            Format::Json => {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(v["Message"], "The request is invalid.");
                assert_eq!(
                    v["ModelState"]["message.segment.mobiles"][0],
                    "At least one mobile is required."
                );
            }
            _ => {
                let node = activetrail::xml::parse(body.as_bytes()).unwrap();
                assert_eq!(node.name, "Error");
                let entry = &node.child("ModelState").unwrap().children[0];
                assert_eq!(entry.child("Key").unwrap().text, "message.segment.mobiles");
            }
        }
    }
}

/// Posts raw bytes with the client's transport, through the mock (no
/// vendor host): returns status and body.
async fn raw_post(uri: &str, format: Format, body: String) -> (u16, String) {
    let mut cfg = whatsapp_common::HttpConfig::default();
    cfg.set_base_url(uri);
    let http = whatsapp_common::HttpClient::new("test", cfg, None).unwrap();
    let req = whatsapp_common::http::Request::new(
        "raw",
        whatsapp_common::http::Method::Post,
        activetrail::SEND_PATH,
    )
    .body_with_type(body.into_bytes(), format.content_type());
    let resp = http
        .execute(&req, whatsapp_common::ResponseClass::by_status)
        .await
        .unwrap();
    (
        resp.status(),
        String::from_utf8_lossy(resp.body()).into_owned(),
    )
}

#[tokio::test]
async fn asp_net_bodies_with_model_state_decode() {
    let at = MockActiveTrail::start().await;
    at.respond_next(
        ResponseTemplate::new(400).set_body_string(
            r#"{"Message":"The request is invalid.","ModelState":{"message.segment.mobiles":["At least one mobile is required."]}}"#,
        ),
        1,
    )
    .await;
    let client = builder(&at.uri(), Format::Json).build().unwrap();
    let err = client.send(&message()).await.unwrap_err();
    let Error::Api(a) = &err else {
        panic!("{err:?}")
    };
    let ms = a.body.as_ref().unwrap().model_state.as_ref().unwrap();
    assert_eq!(ms.pairs()[0].0, "message.segment.mobiles");
    assert_eq!(ms.pairs()[0].1, ["At least one mobile is required."]);
    assert!(
        err.to_string()
            .contains("message.segment.mobiles: At least one mobile is required."),
        "{err}"
    );

    at.respond_next(
        ResponseTemplate::new(400).set_body_string(
            "<Error><Message>The request is invalid.</Message><ModelState><KeyValueOfstringArrayOfstring><Key>m</Key><Value><string>bad</string></Value></KeyValueOfstringArrayOfstring></ModelState></Error>",
        ),
        1,
    )
    .await;
    let client = builder(&at.uri(), Format::Xml).build().unwrap();
    let Error::Api(a) = client.send(&message()).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(a.message(), Some("The request is invalid."));
    let ms = a.body.as_ref().unwrap().model_state.as_ref().unwrap();
    assert_eq!(ms.pairs(), &[("m".to_owned(), vec!["bad".to_owned()])]);

    at.respond_next(
        ResponseTemplate::new(401).set_body_string("\"Authorization has been denied\""),
        1,
    )
    .await;
    let Error::Api(a) = client.send(&message()).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(a.message(), Some("Authorization has been denied"));
}

#[tokio::test]
async fn broken_success_bodies_are_decode_errors() {
    let xml = fixture("send_response.xml");
    let cases: Vec<(Format, String, &str)> = vec![
        (Format::Xml, "<ApiWhatsAppCampaignInfoCampaign><campaign>".into(), "ends inside"),
        (Format::Xml, xml[..xml.len() / 2].to_owned(), "invalid XML"),
        (Format::Xml, "<Other xmlns=\"urn:x\"/>".into(), "expected root element ApiWhatsAppCampaignInfoCampaign"),
        (Format::Xml, xml.replace("xmlns=\"http://schemas.datacontract.org/2004/07/ActiveTrail.BusinessLogic.Domain.WhatsApp.WhatsAppCampaignReport\"", "xmlns=\"urn:other\""), "namespace urn:other"),
        (Format::Xml, fixture("send_response.json"), "expected XML, got JSON"),
        (Format::Xml, "<html><body>Service Unavailable</body></html>".into(), "expected root element"),
        (Format::Xml, xml.replace("<TotalSent>8</TotalSent>", "<TotalSent>eight</TotalSent>"), "not a i64"),
        (Format::Json, fixture("send_response.xml"), "expected JSON, got XML"),
        (Format::Json, "{\"campaign\": {\"totalsent\": \"x\"".into(), "campaign.totalsent"),
        (Format::Json, "<html>".into(), "expected JSON"),
    ];
    for (format, body, needle) in cases {
        let at = MockActiveTrail::start().await;
        at.respond_next(ResponseTemplate::new(200).set_body_string(body.clone()), 1)
            .await;
        let client = builder(&at.uri(), format).build().unwrap();
        let err = client.send(&message()).await.unwrap_err();
        let Error::Decode(d) = &err else {
            panic!("{format:?} {body}: {err:?}")
        };
        let text = format!("{} {}", d.path(), d.message());
        assert!(text.contains(needle), "{format:?}: {text}");
    }
}

#[tokio::test]
async fn xml_tolerates_what_dotnet_may_send() {
    // A BOM, a declaration, other prefixes, members out of order, i:nil,
    // unknown elements, empty elements, PascalCase or lower case.
    let body = "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>\
        <ApiWhatsAppCampaignInfoCampaign xmlns:x=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.datacontract.org/2004/07/ActiveTrail.BusinessLogic.Domain.WhatsApp.WhatsAppCampaignReport\">\
        <status_name>Sent</status_name><NewThing><a>1</a></NewThing>\
        <campaign><TotalSent>3</TotalSent><name>n</name><Content x:nil=\"true\"/><FromName/>\
        <GroupIds xmlns:q=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\"><q:long>5</q:long></GroupIds>\
        <SendType>Bulk</SendType><StatusType>7</StatusType></campaign><handled_date x:nil=\"true\"/></ApiWhatsAppCampaignInfoCampaign>";
    let r = activetrail::SendResponse::from_xml(body.as_bytes()).unwrap();
    assert_eq!(r.status_name.as_deref(), Some("Sent"));
    assert_eq!(r.handled_date, None);
    let c = r.campaign.unwrap();
    assert_eq!(c.total_sent, Some(3));
    assert_eq!(c.name.as_deref(), Some("n"));
    assert_eq!(c.content, None);
    assert_eq!(c.from_name.as_deref(), Some(""));
    assert_eq!(c.group_ids, Some(vec![5]));
    assert_eq!(
        c.send_type,
        Some(activetrail::SendType::Other("Bulk".into()))
    );
    assert_eq!(c.status_type, Some(activetrail::StatusType::Unknown(7)));
    // JSON: unknown numbers and members.
    let r = activetrail::SendResponse::from_json(
        br#"{"campaign":{"sendtype":9,"type":4,"attachments":[{"Url":"u","Type":3}],"new":1},"x":null}"#,
    )
    .unwrap();
    let c = r.campaign.unwrap();
    assert_eq!(c.send_type, Some(activetrail::SendType::Unknown(9)));
    assert_eq!(c.campaign_type, Some(activetrail::CampaignType::Unknown(4)));
    assert_eq!(
        c.attachments.unwrap()[0].attachment_type,
        Some(activetrail::AttachmentType::Unknown(3))
    );
}

#[tokio::test]
async fn an_html_error_page_keeps_its_body() {
    let at = MockActiveTrail::start().await;
    at.respond_next(
        ResponseTemplate::new(502)
            .set_body_string("<html><body><h1>502 Bad Gateway</h1></body></html>"),
        1,
    )
    .await;
    let client = builder(&at.uri(), Format::Xml).build().unwrap();
    let err = client.send(&message()).await.unwrap_err();
    let Error::Api(a) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(a.kind, ErrorKind::Unavailable);
    assert!(a.body.is_none());
    assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
    assert!(err.is_retryable());
    assert_eq!(
        at.requests().await.len(),
        1,
        "not retried without opting in"
    );
}

#[tokio::test]
async fn sends_are_retried_only_when_opted_in() {
    let at = MockActiveTrail::start().await;
    at.respond_next(ResponseTemplate::new(503), 1).await;
    let client = builder(&at.uri(), Format::Json)
        .retry_sends(true)
        .build()
        .unwrap();
    client.send(&message()).await.unwrap();
    let requests = at.requests().await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);

    let at = MockActiveTrail::start().await;
    at.respond_next(
        ResponseTemplate::new(200).set_delay(Duration::from_secs(3)),
        5,
    )
    .await;
    let client = builder(&at.uri(), Format::Json)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client.send(&message()).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Timeout);
    assert!(t.request_may_have_been_sent());
    assert_eq!(at.requests().await.len(), 1);
}
