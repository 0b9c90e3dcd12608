//! The documented answers decode every value, the reads' in either casing;
//! the reads and the escape hatch send the documented commands.

use crate::support::{client, fixture};

use blip_campaign::mock::{MockBlip, MockVendor};
use blip_campaign::{
    AudienceStatus, Campaign, CampaignStatus, CampaignType, ChannelType, Command, CommandMethod,
    CommandResponse, CommandStatus, ErrorCode, NumberStatus, Paging, SummaryFilter,
};
use serde_json::json;

/// The envelopes straight from their samples, the reads through the client
/// and the mock: every value of each, in one table.
#[tokio::test]
async fn every_documented_answer_decodes_every_value_in_either_casing() {
    let envelope = |name| serde_json::from_str::<CommandResponse>(&fixture(name)).unwrap();
    let r = envelope("v2_create_response.json");
    let success = envelope("research_command_success.json");
    let failure = envelope("research_command_failure.json");
    let outcomes = [&r, &success, &failure].map(|e| (e.status.clone(), e.method.clone()));
    use CommandStatus::{Failure, Success};
    let set = [Success, Success, Failure].map(|s| (Some(s), Some(CommandMethod::Set)));
    assert_eq!(
        outcomes, set,
        "the create, the research's success and failure"
    );
    let meta = r.metadata.as_ref().unwrap();
    let elided = [meta["traceparent"].as_str(), meta["#command.uri"].as_str()];
    assert_eq!(elided, [Some("..."); 2]);
    let created: Campaign = serde_json::from_value(r.resource.clone().unwrap()).unwrap();
    assert_eq!(
        (
            created.id.as_deref().unwrap(),
            created.campaign_type,
            created.status
        ),
        (
            "ffc99160-5182...",
            Some(CampaignType::Batch),
            Some(CampaignStatus::New)
        )
    );
    let reason = failure.reason.unwrap();
    assert_eq!(reason.code, ErrorCode::Unknown(60));
    assert_eq!(reason.code.name(), None, "60 is Blip's own");

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
    c.campaign_summary("ffc99160", Paging::default())
        .await
        .unwrap();
    let aud = c.audience("ffc99160", Paging::default()).await.unwrap();
    let msgs = c.messages("ffc99160", Paging::default()).await.unwrap();
    let rep = c.report("ffc99160").await.unwrap();
    let uris = [
        "/campaigns/summaries?sourceApplication=API&CampaignSender=owner%40example.com&created=2024-06-03&$skip=0&$take=20",
        "/campaigns/ffc99160/summaries",
        "/audiences/ffc99160",
        "/messages/ffc99160",
        "/campaigns/ffc99160/reports?shouldHaveStateName=true",
    ];
    let sent = blip.commands().await;
    assert_eq!(sent.len(), uris.len());
    for (command, uri) in sent.iter().zip(uris) {
        assert_eq!(command["uri"], uri);
        assert_eq!(command["method"], "get", "{uri}");
        assert!(command.get("resource").is_none(), "{uri}");
    }

    assert_eq!((s.total, aud.total), (Some(1), Some(2)));
    let item = &s.items[0];
    let (a, b) = (&item.status_audience[0], &item.status_audience[1]);
    let (x, y) = (&aud.items[0], &aud.items[1]);
    let m = &msgs.items[0];
    let (ok, bad) = (&rep.status_audience[0], &rep.status_audience[1]);

    let types = [&r.resource_type, &s.item_type].map(|t| t.as_deref());
    let expected = [
        "application/vnd.iris.activecampaign.campaign+json",
        "application/vnd.iris.activecampaign.campaign-summary+json",
    ];
    assert_eq!(types, expected.map(Some));
    let sender = success.from.as_deref();
    assert_eq!(
        sender,
        Some("postmaster@broadcast.msging.net/#hmgirismsging2")
    );
    // Every text member, camelCase and PascalCase alike (the summary's
    // `FlowId` and its second recipient's `recipientIdentity`, the second
    // audience item's `Recipient`).
    let texts = [
        (&r.id, "..."),
        (&r.from, "..."),
        (&r.to, "..."),
        (&created.name, "Campanha em Massa"),
        (&created.flow_id, "f7bfd815-1327..."),
        (&created.state_id, "onboarding"),
        (&created.created, "2024-06-03T17:21:05.577Z"),
        (&success.id, "1"),
        (&success.to, "my-contact@msging.net/default"),
        (&reason.description, "Invalid list identifier"),
        (&item.id, "ffc99160-5182-4c33-8a21-0d5ab0f4e0a1"),
        (&item.name, "Campanha em Massa"),
        (&item.message_template, "email_commerce_resposta"),
        (&item.flow_id, "f7bfd815-1327-4e5b-9d1c-3a2f9c0e7b11"),
        (&item.state_id, "onboarding"),
        (&item.send_date, "2024-06-03T17:25:00.000Z"),
        (&a.recipient_identity, "5531999999999@wa.gw.msging.net"),
        (&b.recipient_identity, "+5531988888888"),
        (&b.reason_description, "Invalid number"),
        (&x.recipient, "+5531999999999"),
        (&x.audience_status, "VALID"),
        (&x.validated_account, "5531999999999@wa.gw.msging.net"),
        (&x.processed, "2024-06-03T17:25:01.000Z"),
        (&x.received, "2024-06-03T17:25:03.000Z"),
        (&x.read, "2024-06-03T17:30:00.000Z"),
        (&y.recipient, "+5531988888888"),
        (&y.failed, "2024-06-03T17:25:02.000Z"),
        (&y.reason_description, "Invalid number"),
        (&m.message_template, "email_commerce_resposta"),
        (&m.message_template_language, "pt_BR"),
        (&rep.id, "ffc99160-5182-4c33-8a21-0d5ab0f4e0a1"),
        (&rep.name, "Campanha em Massa"),
        (&rep.message_template, "email_commerce_resposta"),
        (&rep.master_state, "masterstate@msging.net"),
        (&rep.flow_id, "f7bfd815-1327-4e5b-9d1c-3a2f9c0e7b11"),
        (&rep.state_id, "onboarding"),
        (&rep.state_name, "Início"),
        (&rep.attendance_redirect, "agent@example.com"),
        (&rep.campaign_sender, "owner@example.com"),
        (&rep.send_date, "2024-06-03T17:25:00.000Z"),
        (&ok.processed, "2024-06-03T17:25:01.000Z"),
    ];
    for (got, want) in texts {
        assert_eq!(got.as_deref(), Some(want));
    }
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
    let params = [x, y].map(|i| i.message_params.as_ref().unwrap()["1"].as_str());
    assert_eq!(params, ["Ana", "Bia"]);
    assert_eq!(
        (m.channel_type.clone(), m.message_params.clone()),
        (Some(ChannelType::WhatsApp), Some(json!(["1"])))
    );

    let statuses = [
        &a.status,
        &b.status,
        &x.status,
        &y.status,
        &ok.status,
        &bad.status,
    ];
    use AudienceStatus::{Delivered, Failed, Read};
    let expected = [Delivered, Failed, Read, Failed, Read, Failed];
    assert_eq!(
        statuses.map(Clone::clone),
        expected.map(Some),
        "summary, audience, report"
    );
    let numbers = [ok, bad].map(|r| r.number_status.clone());
    assert_eq!(
        numbers,
        [Some(NumberStatus::Valid), Some(NumberStatus::Invalid)]
    );
    let codes = [b.reason_code, y.reason_code, bad.reason_code];
    assert_eq!(codes, [Some(1001); 3], "summary, audience, report");
}

#[tokio::test]
async fn the_escape_hatch_sends_any_command() {
    let blip = MockBlip::start().await;
    let c = client(&blip.uri());
    let cmd = Command::new(CommandMethod::Get, "/campaigns/abc/reports").with_id("my-id-1");
    let r = c.send_command(&cmd).await.unwrap();
    assert_eq!(r.status, Some(CommandStatus::Success));
    assert_eq!(r.id.as_deref(), Some("my-id-1"));
    assert!(r.resource.is_some());
    let sent = &blip.commands().await[0];
    assert_eq!(
        sent,
        &json!({"id": "my-id-1", "to": "postmaster@activecampaign.msging.net", "method": "get", "uri": "/campaigns/abc/reports"})
    );
    let request = &blip.requests().await[0];
    assert_eq!(request.header("authorization"), Some("Key dGVzdDp0ZXN0"));
    assert_eq!(request.path, "/commands");
}
