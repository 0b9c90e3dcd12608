//! Contract: refusals and broken answers become typed errors, every
//! glossary name maps to its code in both formats, ASP.NET error bodies are
//! read in every form ActiveTrail sends them.

use crate::support;

use activetrail::mock::{MockActiveTrail, MockVendor, error_response};
use activetrail::{ApiError, Error, ErrorCode, Format, RetryClass, SendError, SendErrorKind};
use support::{builder, fixture, message, refusal};
use wiremock::ResponseTemplate;

/// What a client in `format` gets back from `at` for the sample message.
async fn send_failing(at: &MockActiveTrail, format: Format) -> Error {
    let client = builder(&at.uri(), format).build().unwrap();
    client.send(&message()).await.unwrap_err()
}

#[tokio::test]
async fn glossary_statuses_read_in_both_formats() {
    for (status, name) in [
        (400, "BadRequest"),
        (401, "APIKeyMissing"),
        (403, "Forbidden"),
        (404, "ResourceNotFound"),
        (405, "MethodNotAllowed"),
        (409, "ResolveMergeNeeded"),
        (500, "InternalServerError"),
    ] {
        for format in [Format::Json, Format::Xml] {
            let at = MockActiveTrail::start().await;
            let answer = error_response(format, status, "An error has occurred.", &[]);
            at.respond_next(answer, 1).await;
            let err = send_failing(&at, format).await;
            let a = refusal(&err);
            assert_eq!(a.status(), status, "{format:?}");
            assert_eq!(a.code, None, "the body names no glossary entry");
            assert_eq!(
                ErrorCode::documented_under(status)
                    .next()
                    .map(ErrorCode::as_str),
                Some(name)
            );
            assert_eq!(a.message(), Some("An error has occurred."), "{format:?}");
            assert!(err.to_string().contains(name), "{err}");
            assert_eq!(err.retry_class(), RetryClass::Never);
            assert_eq!(at.requests().await.len(), 1);
        }
    }
}

#[tokio::test]
async fn every_glossary_name_maps_to_its_code() {
    assert_eq!(ErrorCode::DOCUMENTED.len(), 11);
    for code in ErrorCode::DOCUMENTED {
        let status = code.documented_http_status().unwrap();
        for format in [Format::Json, Format::Xml] {
            let at = MockActiveTrail::start().await;
            at.fail_next(code.clone(), 1).await;
            let err = send_failing(&at, format).await;
            let a = refusal(&err);
            assert_eq!(a.status(), status, "{code} {format:?}");
            assert_eq!(a.code.as_ref(), Some(code), "{format:?}");
            assert_eq!(err.code().as_ref(), Some(code));
            let said = match code.description() {
                Some(text) => format!("{code}: {text}"),
                None => code.to_string(),
            };
            assert_eq!(a.message(), Some(said.as_str()), "{format:?}");
            assert!(err.to_string().contains(&format!("({code})")), "{err}");
            assert_eq!(err.retry_class(), RetryClass::Never, "{code}");
            assert_eq!(at.requests().await.len(), 1);
            let neutral: SendError = err.into();
            let auth = matches!(status, 401 | 403);
            assert_eq!(neutral.kind() == SendErrorKind::Auth, auth, "{code}");
        }
    }
}

#[tokio::test]
async fn glossary_names_in_the_body_are_recognised() {
    let at = MockActiveTrail::start().await;
    at.fail_next(ErrorCode::UserDisabled, 1).await;
    let err = send_failing(&at, Format::Json).await;
    assert_eq!(refusal(&err).code, Some(ErrorCode::UserDisabled));
    assert_eq!(
        err.to_string(),
        "ActiveTrail refused the request: HTTP 403 (UserDisabled): UserDisabled: This account has been disabled."
    );
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
                // As ASP.NET Web API's HttpError writes it: each key its
                // own element (named by XmlConvert.EncodeLocalName), the
                // message its text.
                let entry = &node.child("ModelState").unwrap().children[0];
                assert_eq!(entry.name, "message.segment.mobiles");
                assert_eq!(entry.text, "At least one mobile is required.");
                assert!(entry.children.is_empty());
            }
        }
    }
}

/// A protocol that reads nothing, for posting raw bytes with the shared
/// transport.
struct Raw;

impl whatsapp_common::Protocol for Raw {
    type ApiError = ApiError;
    fn refusal(&self, _: &whatsapp_common::http::Response) -> ApiError {
        ApiError::default()
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
    .body_with_type(body.into_bytes(), format.content_type())
    .unwrap();
    match http.execute(&Raw, &req).await {
        Ok(resp) => (
            resp.status(),
            String::from_utf8_lossy(resp.body()).into_owned(),
        ),
        Err(Error::Vendor(v)) => (v.status(), v.raw_body().text().into_owned()),
        Err(other) => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn asp_net_error_bodies_are_read_in_every_form() {
    let json_model_state = r#"{"Message":"The request is invalid.","ModelState":{"message.segment.mobiles":["At least one mobile is required."]}}"#;
    // The shape ASP.NET Web API writes (see
    // fixtures/activetrail/constructed_model_state_error.xml).
    let xml_model_state = "<Error><Message>The request is invalid.</Message><ModelState><message.segment.mobiles>At least one mobile is required.</message.segment.mobiles></ModelState></Error>";
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    // Format, status, body; the message and `ModelState` entry read; what
    // the error line says.
    let cases = [
        (
            Format::Json,
            400,
            json_model_state,
            Some("The request is invalid."),
            Some((
                "message.segment.mobiles",
                "At least one mobile is required.",
            )),
            "message.segment.mobiles: At least one mobile is required.",
        ),
        (
            Format::Xml,
            400,
            xml_model_state,
            Some("The request is invalid."),
            Some((
                "message.segment.mobiles",
                "At least one mobile is required.",
            )),
            "; message.segment.mobiles: At least one mobile is required.",
        ),
        (
            Format::Xml,
            401,
            "\"Authorization has been denied\"",
            Some("Authorization has been denied"),
            None,
            "(APIKeyMissing): Authorization has been denied",
        ),
        // No ASP.NET body at all: the error line keeps the page.
        (Format::Xml, 502, html, None, None, "502 Bad Gateway"),
    ];
    for (format, status, body, message, model_state, says) in cases {
        let at = MockActiveTrail::start().await;
        at.respond_next(ResponseTemplate::new(status).set_body_string(body), 1)
            .await;
        let err = send_failing(&at, format).await;
        let a = refusal(&err);
        assert_eq!((a.status(), &a.code), (status, &None), "{body}");
        assert_eq!(a.message(), message, "{body}");
        assert_eq!(a.body.is_some(), message.is_some(), "{body}");
        let read = a.body.as_ref().and_then(|b| b.model_state.as_ref());
        let want: Vec<(String, Vec<String>)> = model_state
            .map(|(field, m)| (field.to_owned(), vec![m.to_owned()]))
            .into_iter()
            .collect();
        assert_eq!(
            read.map(|ms| ms.pairs()).unwrap_or_default(),
            want,
            "{body}"
        );
        assert!(err.to_string().contains(says), "{err}");
    }
}

/// ASP.NET Web API's validation error in both formats: every `ModelState`
/// key and message, keys decoded as `XmlConvert.DecodeName` does
/// (`_x005B_` is `[`).
#[tokio::test]
async fn model_state_is_read_from_both_forms() {
    let want = [
        (
            "message.segment.mobiles",
            "At least one mobile is required.",
        ),
        (
            "message.details[0].whatsapp_profile_id",
            "The profile is required.",
        ),
    ];
    for (format, name) in [
        (Format::Xml, "constructed_model_state_error.xml"),
        (Format::Json, "constructed_model_state_error.json"),
    ] {
        let at = MockActiveTrail::start().await;
        at.respond_next(ResponseTemplate::new(400).set_body_string(fixture(name)), 1)
            .await;
        let err = send_failing(&at, format).await;
        let a = refusal(&err);
        assert_eq!(a.message(), Some("The request is invalid."), "{name}");
        let read = a
            .body
            .as_ref()
            .and_then(|b| b.model_state.as_ref())
            .unwrap();
        let read: Vec<(&str, Vec<&str>)> = read
            .pairs()
            .iter()
            .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect()))
            .collect();
        let want: Vec<(&str, Vec<&str>)> = want.iter().map(|(k, m)| (*k, vec![*m])).collect();
        assert_eq!(read, want, "{name}");
        for (k, m) in &want {
            assert!(
                err.to_string().contains(&format!("; {k}: {}", m[0])),
                "{err}"
            );
        }
    }
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
        (Format::Json, fixture("send_response.xml"), "expected JSON, got XML"),
        // Cut JSON is not JSON: an error (a value of the wrong type alone is
        // not: see lenient.rs).
        (Format::Json, "{\"campaign\": {\"totalsent\": \"x\"".into(), "EOF while parsing"),
        (Format::Json, "<html>".into(), "expected JSON"),
    ];
    for (format, body, needle) in cases {
        let at = MockActiveTrail::start().await;
        at.respond_next(ResponseTemplate::new(200).set_body_string(body.clone()), 1)
            .await;
        let err = send_failing(&at, format).await;
        let Error::Decode(d) = &err else {
            panic!("{format:?} {body}: {err:?}")
        };
        let text = format!("{} {}", d.path(), d.message());
        assert!(text.contains(needle), "{format:?}: {text}");
        assert!(err.to_string().contains("accepted the request"), "{err}");
        assert_eq!(err.retry_class(), RetryClass::Never, "{err}");
    }
}

#[test]
fn xml_tolerates_what_dotnet_may_send() {
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
