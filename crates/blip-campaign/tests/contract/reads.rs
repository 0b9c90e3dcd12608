//! Every documented answer to a read decodes, in either casing; the reads
//! send the documented commands.

use crate::support::{client, fixture};

use blip_campaign::mock::{MockBlip, MockVendor};
use blip_campaign::{AudienceStatus, ChannelType, NumberStatus, SummaryFilter};
use serde_json::{Value, json};

use crate::campaigns::assert_last_command;

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
