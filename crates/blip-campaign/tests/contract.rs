//! Contract: every documented command is what the SDK sends (envelope and
//! resource as JSON values), and every documented answer decodes.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use blip_campaign::mock::MockBlip;
use blip_campaign::{
    Audience, AudienceStatus, CampaignInfo, CampaignStatus, CampaignType, ChannelType, Client,
    Command, CommandMethod, CommandStatus, DynamicCampaign, Error, ErrorExt, FullCampaign, Message,
    NumberStatus, RetryPolicy, SummaryFilter,
};
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

const PHONE_1: &str = "+5531999990001";
const PHONE_2: &str = "+5531999990002";

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/blip-campaign/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A cleaned documented command with its placeholder recipients replaced by
/// real numbers (the SDK refuses "+5531999..." and "{{phonenumber1}}").
fn documented(name: &str) -> Value {
    let text = fixture(name)
        .replace("\"+5531999...\"", &format!("\"{PHONE_1}\""))
        .replace("\"+55319...\"", &format!("\"{PHONE_1}\""))
        .replace("\"+55319..\"", &format!("\"{PHONE_2}\""))
        .replace("\"{{phonenumber1}}\"", &format!("\"{PHONE_1}\""))
        .replace("\"{{phonenumber2}}\"", &format!("\"{PHONE_2}\""));
    serde_json::from_str(&text).unwrap()
}

fn client(uri: &str) -> Client {
    Client::builder("Key dGVzdDp0ZXN0")
        .base_url(uri)
        .timeout(Duration::from_secs(5))
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(20)),
        )
        .build()
        .unwrap()
}

fn phone(p: &str) -> whatsapp_common::PhoneNumber {
    p.parse().unwrap()
}

/// Checks the last command against the documented one: every member but
/// `id` equal, and `id` a fresh UUID.
async fn assert_last_command(blip: &MockBlip, expected: &Value) {
    let mut sent = blip.commands().await.pop().unwrap();
    let id = sent.as_object_mut().unwrap().remove("id").unwrap();
    assert_eq!(id.as_str().unwrap().len(), 36, "a UUID command id");
    let mut expected = expected.clone();
    expected.as_object_mut().unwrap().remove("id");
    assert_eq!(sent, expected);
}

fn info(resource: &Value) -> CampaignInfo {
    let c = &resource["campaign"];
    let mut i = CampaignInfo::new(c["name"].as_str().unwrap());
    if let (Some(f), Some(s)) = (c["flowId"].as_str(), c["stateId"].as_str()) {
        i = i.flow(f, s);
    }
    if let Some(m) = c["masterstate"].as_str() {
        i = i.master_state(m);
    }
    if let Some(s) = c["sourceApplication"].as_str() {
        i = i.source_application(s);
    }
    for t in c["tags"].as_array().into_iter().flatten() {
        i = i.tag(t.as_str().unwrap());
    }
    i
}

fn audience(a: &Value) -> Audience {
    let mut out = Audience::new(phone(a["recipient"].as_str().unwrap()));
    for (k, v) in a["messageParams"].as_object().into_iter().flatten() {
        out = out.param(k, v.as_str().unwrap());
    }
    for (k, v) in a["contextVariables"].as_object().into_iter().flatten() {
        out = out.context_variable(k, v.clone());
    }
    out
}

fn message(m: &Value) -> Message {
    let params: Vec<String> = m["messageParams"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    match m["messageContent"].as_str() {
        Some(content) => Message::rcs(content, params),
        None => {
            let mut msg = Message::whatsapp(m["messageTemplate"].as_str().unwrap(), params);
            if let Some(l) = m["messageTemplateLanguage"].as_str() {
                msg = msg.language(l);
            }
            msg
        }
    }
}

#[tokio::test]
async fn every_documented_full_campaign_is_what_the_sdk_sends() {
    let examples = [
        "full_individual_whatsapp.json",
        "full_individual_rcs.json",
        "full_batch_whatsapp.json",
        "full_batch_rcs.json",
        "example_template_without_variables.json",
        "example_template_with_variables.json",
        "example_reply_with_url.json",
        "example_template_with_image.json",
        "example_template_with_video.json",
        "example_template_with_video_bulk.json",
        "example_template_with_carousel.json",
        "example_template_with_carousel_bulk.json",
    ];
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    for name in examples {
        let expected = documented(name);
        let r = &expected["resource"];
        let campaign = match r["audiences"].as_array() {
            Some(list) => FullCampaign::batch(
                info(r),
                list.iter().map(audience).collect(),
                message(&r["message"]),
            ),
            None => {
                FullCampaign::individual(info(r), audience(&r["audience"]), message(&r["message"]))
            }
        }
        .build()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let created = c
            .create_full_campaign(&campaign)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(created.status, Some(CampaignStatus::New), "{name}");
        assert_eq!(
            created.campaign_type,
            Some(campaign.campaign_type()),
            "{name}: read back from upper case"
        );
        assert_last_command(&blip, &expected).await;
    }
}

#[tokio::test]
async fn the_dynamic_flow_matches_the_documentation() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    for name in ["v2_create_whatsapp.json", "v2_create_rcs.json"] {
        let expected = documented(name);
        let r = &expected["resource"];
        let campaign = DynamicCampaign::new(info(r), message(&r["message"])).unwrap();
        c.create_campaign(&campaign).await.unwrap();
        assert_last_command(&blip, &expected).await;
    }
    // Audiences: an unverified LIME collection; dispatch: as the research found.
    let msg = Message::whatsapp("order_update", ["1"]);
    let audiences = vec![
        Audience::new(phone(PHONE_1))
            .param("1", "Ana")
            .context_variable("cpf", "123"),
        Audience::new(phone(PHONE_2)).param("1", "Bia"),
    ];
    assert_eq!(c.add_audiences("cmp-1", &msg, &audiences).await.unwrap(), 1);
    let sent = blip.commands().await.pop().unwrap();
    assert_eq!(sent["method"], "set");
    assert_eq!(sent["uri"], "/audiences/v2/cmp-1");
    assert_eq!(sent["type"], "application/vnd.lime.collection+json");
    assert_eq!(
        sent["resource"],
        json!({"itemType": "application/vnd.iris.activecampaign.audience+json", "total": 2, "items": [
            {"recipient": PHONE_1, "messageParams": {"1": "Ana"}, "contextVariables": {"cpf": "123"}},
            {"recipient": PHONE_2, "messageParams": {"1": "Bia"}}
        ]})
    );
    c.add_audiences_file("cmp-1", &msg, &audiences)
        .await
        .unwrap();
    let sent = blip.commands().await.pop().unwrap();
    assert_eq!(sent["uri"], "/audiences/v2/cmp-1/file");
    assert_eq!(sent["type"], "text/csv");
    assert!(
        sent["resource"]
            .as_str()
            .unwrap()
            .starts_with("recipient,1,#contextvariables#\r\n")
    );

    c.dispatch("cmp-1").await.unwrap();
    let mut expected: Value =
        serde_json::from_str(&fixture("research_dispatch_request.json")).unwrap();
    expected["resource"]["id"] = json!("cmp-1");
    assert_last_command(&blip, &expected).await;

    // After dispatch: refused before sending, and Blip refuses too.
    let before = blip.commands().await.len();
    let err = c
        .add_audiences("cmp-1", &msg, &audiences)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AlreadyDispatched { .. }), "{err:?}");
    assert!(err.to_string().contains("already dispatched"), "{err}");
    assert_eq!(blip.commands().await.len(), before, "nothing sent");
    let other = client(&blip.uri());
    let err = other
        .add_audiences("cmp-1", &msg, &audiences)
        .await
        .unwrap_err();
    assert_eq!(err.reason().unwrap().code, 64);
}

#[tokio::test]
async fn large_audience_lists_are_split() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    let msg = Message::whatsapp("t", ["1"]);
    let audiences: Vec<Audience> = (0..(blip_campaign::MAX_AUDIENCES_PER_COMMAND + 10))
        .map(|i| Audience::new(phone(&format!("+55319{:08}", i))).param("1", "x"))
        .collect();
    assert_eq!(c.add_audiences("big", &msg, &audiences).await.unwrap(), 2);
    let cmds = blip.commands().await;
    assert_eq!(
        cmds[0]["resource"]["items"].as_array().unwrap().len(),
        blip_campaign::MAX_AUDIENCES_PER_COMMAND
    );
    assert_eq!(cmds[1]["resource"]["total"], 10);
}

#[test]
fn the_documented_create_answer_decodes_every_value() {
    let r: blip_campaign::CommandResponse =
        serde_json::from_str(&fixture("v2_create_response.json")).unwrap();
    assert_eq!(r.status, CommandStatus::Success);
    assert_eq!(r.method, Some(CommandMethod::Set));
    assert_eq!(
        r.resource_type.as_deref(),
        Some("application/vnd.iris.activecampaign.campaign+json")
    );
    assert_eq!(
        (r.id.as_deref(), r.from.as_deref(), r.to.as_deref()),
        (Some("..."), Some("..."), Some("..."))
    );
    let meta = r.metadata.as_ref().unwrap();
    assert_eq!(
        (meta["traceparent"].as_str(), meta["#command.uri"].as_str()),
        (Some("..."), Some("..."))
    );
    let c: blip_campaign::Campaign = serde_json::from_value(r.resource.unwrap()).unwrap();
    assert_eq!(c.id, "ffc99160-5182...");
    assert_eq!(c.name.as_deref(), Some("Campanha em Massa"));
    assert_eq!(c.campaign_type, Some(CampaignType::Batch));
    assert_eq!(c.flow_id.as_deref(), Some("f7bfd815-1327..."));
    assert_eq!(c.state_id.as_deref(), Some("onboarding"));
    assert_eq!(c.status, Some(CampaignStatus::New));
    assert_eq!(c.created.as_deref(), Some("2024-06-03T17:21:05.577Z"));
}

#[tokio::test]
async fn reads_decode_every_value_in_either_casing() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    let filter = SummaryFilter {
        source_application: Some("API".into()),
        campaign_sender: Some("owner@example.com".into()),
        created: Some("2024-06-03".into()),
        skip: Some(0),
        take: Some(20),
    };
    let s = c.campaign_summaries(&filter).await.unwrap();
    assert_eq!(
        blip.commands().await[0]["uri"],
        "/campaigns/summaries?sourceApplication=API&CampaignSender=owner%40example.com&created=2024-06-03&$skip=0&$take=20"
    );
    assert_eq!(blip.commands().await[0]["method"], "get");
    assert!(blip.commands().await[0].get("resource").is_none());
    assert_eq!(
        (s.total, s.item_type.as_deref()),
        (
            Some(1),
            Some("application/vnd.iris.activecampaign.campaign-summary+json")
        )
    );
    let item = &s.items[0];
    assert_eq!(
        item.id.as_deref(),
        Some("ffc99160-5182-4c33-8a21-0d5ab0f4e0a1")
    );
    assert_eq!(item.name.as_deref(), Some("Campanha em Massa"));
    assert_eq!(
        item.message_template.as_deref(),
        Some("email_commerce_resposta")
    );
    assert_eq!(
        item.flow_id.as_deref(),
        Some("f7bfd815-1327-4e5b-9d1c-3a2f9c0e7b11"),
        "FlowId in PascalCase"
    );
    assert_eq!(item.state_id.as_deref(), Some("onboarding"));
    assert_eq!(item.send_date.as_deref(), Some("2024-06-03T17:25:00.000Z"));
    let (a, b) = (&item.status_audience[0], &item.status_audience[1]);
    assert_eq!(
        a.recipient_identity.as_deref(),
        Some("5531999999999@wa.gw.msging.net")
    );
    assert_eq!(a.status, Some(AudienceStatus::Delivered));
    assert_eq!(
        b.recipient_identity.as_deref(),
        Some("+5531988888888"),
        "camelCase too"
    );
    assert_eq!(
        (
            b.status.clone(),
            b.reason_code,
            b.reason_description.as_deref()
        ),
        (
            Some(AudienceStatus::Failed),
            Some(1001),
            Some("Invalid number")
        )
    );

    c.campaign_summary("ffc99160").await.unwrap();
    assert_eq!(
        blip.commands().await[1]["uri"],
        "/campaigns/ffc99160/summaries"
    );

    let aud = c.audience("ffc99160").await.unwrap();
    assert_eq!(blip.commands().await[2]["uri"], "/audiences/ffc99160");
    assert_eq!(aud.total, Some(2));
    for item in &aud.items {
        assert_eq!(item.owner_identity.as_deref(), Some("bot@msging.net"));
        assert_eq!(
            item.campaign_id.as_deref(),
            Some("ffc99160-5182-4c33-8a21-0d5ab0f4e0a1")
        );
        assert_eq!(item.recipient_type.as_deref(), Some("Phone"));
        assert_eq!(
            item.channel_type,
            Some(ChannelType::WhatsApp),
            "WHATSAPP read as WhatsApp"
        );
    }
    let (x, y) = (&aud.items[0], &aud.items[1]);
    assert_eq!(x.recipient.as_deref(), Some("+5531999999999"));
    assert_eq!(x.message_params.as_ref().unwrap()["1"], "Ana");
    assert_eq!(x.status, Some(AudienceStatus::Read));
    assert_eq!(x.audience_status.as_deref(), Some("VALID"));
    assert_eq!(
        x.validated_account.as_deref(),
        Some("5531999999999@wa.gw.msging.net")
    );
    assert_eq!(
        (
            x.processed.as_deref(),
            x.received.as_deref(),
            x.read.as_deref()
        ),
        (
            Some("2024-06-03T17:25:01.000Z"),
            Some("2024-06-03T17:25:03.000Z"),
            Some("2024-06-03T17:30:00.000Z")
        )
    );
    assert_eq!(
        y.recipient.as_deref(),
        Some("+5531988888888"),
        "Recipient in PascalCase"
    );
    assert_eq!(y.message_params.as_ref().unwrap()["1"], "Bia");
    assert_eq!(
        (y.status.clone(), y.failed.as_deref()),
        (
            Some(AudienceStatus::Failed),
            Some("2024-06-03T17:25:02.000Z")
        )
    );
    assert_eq!(
        (y.reason_code, y.reason_description.as_deref()),
        (Some(1001), Some("Invalid number"))
    );

    let msgs = c.messages("ffc99160").await.unwrap();
    assert_eq!(blip.commands().await[3]["uri"], "/messages/ffc99160");
    let m = &msgs.items[0];
    assert_eq!(m.channel_type, Some(ChannelType::WhatsApp));
    assert_eq!(
        m.message_template.as_deref(),
        Some("email_commerce_resposta")
    );
    assert_eq!(m.message_template_language.as_deref(), Some("pt_BR"));
    assert_eq!(m.message_params, Some(json!(["1"])));

    let rep = c.report("ffc99160").await.unwrap();
    assert_eq!(
        blip.commands().await[4]["uri"],
        "/campaigns/ffc99160/reports?shouldHaveStateName=true"
    );
    assert_eq!(
        rep.id.as_deref(),
        Some("ffc99160-5182-4c33-8a21-0d5ab0f4e0a1")
    );
    assert_eq!(rep.name.as_deref(), Some("Campanha em Massa"));
    assert_eq!(
        rep.message_template.as_deref(),
        Some("email_commerce_resposta")
    );
    assert_eq!(rep.master_state.as_deref(), Some("masterstate@msging.net"));
    assert_eq!(
        rep.flow_id.as_deref(),
        Some("f7bfd815-1327-4e5b-9d1c-3a2f9c0e7b11")
    );
    assert_eq!(rep.state_id.as_deref(), Some("onboarding"));
    assert_eq!(rep.state_name.as_deref(), Some("Início"));
    assert_eq!(
        rep.attendance_redirect.as_deref(),
        Some("agent@example.com")
    );
    assert_eq!(rep.campaign_sender.as_deref(), Some("owner@example.com"));
    assert_eq!(rep.send_date.as_deref(), Some("2024-06-03T17:25:00.000Z"));
    let (ok, bad) = (&rep.status_audience[0], &rep.status_audience[1]);
    assert_eq!(
        (ok.status.clone(), ok.number_status.clone()),
        (Some(AudienceStatus::Read), Some(NumberStatus::Valid))
    );
    assert_eq!(ok.processed.as_deref(), Some("2024-06-03T17:25:01.000Z"));
    assert_eq!(
        (bad.number_status.clone(), bad.reason_code),
        (Some(NumberStatus::Invalid), Some(1001))
    );

    c.cancel_campaign("ffc99160").await.unwrap();
    let mut expected: Value =
        serde_json::from_str(&fixture("research_delete_request.json")).unwrap();
    expected["uri"] = json!("/campaigns/ffc99160");
    assert_last_command(&blip, &expected).await;
}

#[tokio::test]
async fn a_failed_command_is_a_typed_error_and_http_errors_are_distinct() {
    let failure: blip_campaign::CommandResponse =
        serde_json::from_str(&fixture("research_command_failure.json")).unwrap();
    assert_eq!(failure.status, CommandStatus::Failure);
    let reason = failure.reason.unwrap();
    assert_eq!(
        (reason.code, reason.description.as_deref()),
        (60, Some("Invalid list identifier"))
    );
    assert_eq!(reason.code_name(), None, "60 is Blip's own");
    let ok: blip_campaign::CommandResponse =
        serde_json::from_str(&fixture("research_command_success.json")).unwrap();
    assert_eq!(
        (ok.status, ok.id.as_deref(), ok.from.as_deref()),
        (
            CommandStatus::Success,
            Some("1"),
            Some("postmaster@broadcast.msging.net/#hmgirismsging2")
        )
    );
    assert_eq!(
        (ok.to.as_deref(), ok.method),
        (
            Some("my-contact@msging.net/default"),
            Some(CommandMethod::Set)
        )
    );

    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    blip.fail_next(
        66,
        "This user does not have permission to perform this operation",
        1,
    );
    let err = c.cancel_campaign("x").await.unwrap_err();
    let Error::Command { uri, reason } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (uri.as_str(), reason.code, reason.code_name()),
        ("/campaigns/x", 66, Some("COMMAND_NOT_ALLOWED"))
    );
    assert!(
        err.to_string()
            .contains("reason 66 (COMMAND_NOT_ALLOWED): This user does not have permission"),
        "{err}"
    );
    assert!(!err.is_retryable());

    // Unknown uri: no processor.
    let err = c
        .send_command(&Command::new(CommandMethod::Get, "/nothing"))
        .await
        .unwrap();
    assert_eq!(
        (err.status, err.reason.unwrap().code),
        (CommandStatus::Failure, 62)
    );

    // HTTP-level errors, each from a fresh mock.
    for status in [400, 401, 504] {
        let blip = MockBlip::start().await;
        blip.respond_next(ResponseTemplate::new(status).set_body_string("nope"), 3)
            .await;
        let err = client(&blip.uri()).cancel_campaign("x").await.unwrap_err();
        let Error::Http {
            status: s,
            raw_body,
            ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!((*s, raw_body.text().as_ref()), (status, "nope"));
        assert_eq!(err.is_retryable(), status == 504);
    }
    // 429: throttled, not processed: retried with the same command id.
    let blip = MockBlip::start().await;
    blip.respond_next(ResponseTemplate::new(429), 1).await;
    let c = client(&blip.uri());
    c.cancel_campaign("y").await.unwrap();
    let cmds = blip.commands().await;
    assert_eq!(cmds.len(), 2);
    assert_eq!(
        cmds[0]["id"], cmds[1]["id"],
        "the retry is the same command"
    );
}

#[tokio::test]
async fn the_escape_hatch_sends_any_command() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    let cmd = Command::new(CommandMethod::Get, "/campaigns/abc/reports").with_id("my-id-1");
    let r = c.send_command(&cmd).await.unwrap();
    assert_eq!(r.status, CommandStatus::Success);
    assert_eq!(r.id.as_deref(), Some("my-id-1"));
    assert!(r.resource.is_some());
    let sent = &blip.commands().await[0];
    assert_eq!(
        sent,
        &json!({"id": "my-id-1", "to": "postmaster@activecampaign.msging.net", "method": "get", "uri": "/campaigns/abc/reports"})
    );
    assert_eq!(
        blip.requests().await[0].header("authorization"),
        Some("Key dGVzdDp0ZXN0")
    );
    assert_eq!(blip.requests().await[0].path, "/commands");
}
