//! `cargo xtask demo`: the end-to-end demo against the embedded mock vendors.
//!
//! Every vendor crate that exists gets a section: a mock vendor is started on
//! 127.0.0.1, real requests go through the vendor crate's client, and what
//! went over the wire and what came back is printed.

use std::time::Duration;

use whatsapp_common::mock::MockVendor;
use whatsapp_common::mock::RecordedRequest;
use whatsapp_common::{DefaultCountry, PhoneNumber, RetryPolicy, WhatsAppSender};

mod router;
pub use router::router_demo_on;

/// Runs every vendor's section, each against its mock on 127.0.0.1.
pub fn run() -> super::Result {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        gateway_ru_demo().await?;
        huawei_cec_demo().await?;
        activetrail_demo().await?;
        channels_demo().await?;
        blip_campaign_demo().await?;
        router::router_demo().await?;
        println!("\nDemo finished: every request went to a local mock vendor on 127.0.0.1.");
        Ok(())
    })
}

fn heading(title: &str) {
    println!(
        "\n=== {title} {}",
        "=".repeat(70usize.saturating_sub(title.len()))
    );
}

/// Prints a recorded request as it went over the wire, credentials masked.
fn print_sent(r: &RecordedRequest, secrets: &[&str]) {
    println!("--> {} {}", r.method, r.path);
    let mut body = String::from_utf8_lossy(&r.body).into_owned();
    for secret in secrets {
        body = body.replace(secret, "***");
    }
    println!("    {body}");
}

/// Serves a `whatsapp_receiver::Receiver` for `intake` on 127.0.0.1
/// (its public URL `public_url`, as a vendor signing the URL signs it):
/// the URL to post to, and what its handler receives.
async fn receiver<I: whatsapp_common::webhook::Intake>(
    intake: I,
    public_url: &str,
) -> super::Result<(String, whatsapp_receiver::Recorder)> {
    let received = whatsapp_receiver::Recorder::default();
    let router = whatsapp_receiver::Receiver::new(intake, received.clone(), public_url).router();
    let url = whatsapp_receiver::serve_local(router)
        .await
        .map_err(|e| e.to_string())?;
    println!("receiver listening at {url} (as {public_url})");
    Ok((url, received))
}

/// Prints each delivery event the receiver's handler got.
fn print_received(received: &whatsapp_receiver::Recorder) {
    for event in &received.events() {
        match event {
            whatsapp_common::events::Event::Delivery(d) => println!(
                "<== DeliveryEvent {} {} (vendor status {:?}): message {}, client reference {}, to {}",
                d.vendor,
                d.status,
                d.vendor_status,
                d.vendor_message_id.as_deref().unwrap_or("-"),
                d.client_reference
                    .as_deref()
                    .unwrap_or("- (none in the callback)"),
                d.recipient.as_deref().unwrap_or("-"),
            ),
            other => println!("<== {other:?}"),
        }
    }
}

/// Step `step`: a text through the vendor-neutral trait.
async fn through_the_trait(
    step: u32,
    sender: Box<dyn WhatsAppSender>,
    to: &PhoneNumber,
) -> super::Result {
    println!("\n[{step}] the same client as Box<dyn WhatsAppSender>");
    let receipt = sender
        .send_text(to, "Hello from any vendor")
        .await
        .map_err(|e| e.to_string())?;
    println!("<-- {receipt:?}");
    Ok(())
}

async fn gateway_ru_demo() -> super::Result {
    use gateway_ru::mock::MockGateway;
    use gateway_ru::{
        CascadeChainLink, CascadeMessage, CascadeState, Client, ErrorCode, InstantContent,
        ScheduleInfo, SendRequest, Ttl,
    };

    heading("gateway-ru: WhatsApp send (Rapporto REST v6)");
    let gateway = MockGateway::start_with_credentials("YOUR_LOGIN", "YOUR_PASSWORD").await;
    println!("mock gateway listening at {}", gateway.uri());
    let client = Client::builder("YOUR_LOGIN", "YOUR_PASSWORD")
        .base_url(gateway.uri())
        .default_service_number("SHOP")
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(50))
                .jitter(false),
        )
        .build()
        .map_err(|e| e.to_string())?;
    println!("client: {client:?}");
    let to = PhoneNumber::parse_with_default("8 (921) 123-45-67", DefaultCountry::RU)
        .map_err(|e| e.to_string())?;
    println!("recipient \"8 (921) 123-45-67\" (default country RU) -> {to}");

    // 1. A scheduled text with an SMS fallback.
    println!("\n[1] text, scheduled, with an SMS cascade");
    let request = SendRequest::builder(
        to.clone(),
        InstantContent::text("Ваш заказ №1042 отправлен"),
    )
    .schedule(
        ScheduleInfo::builder()
            .window("10:00", "20:00")
            .weekdays("12345")
            .build()
            .map_err(|e| e.to_string())?,
    )
    .ttl(Ttl::days(1).map_err(|e| e.to_string())?)
    .cascade(CascadeChainLink::new(
        CascadeState::Delivered,
        CascadeMessage::sms("Ваш заказ №1042 отправлен", "SHOP"),
    ))
    .build()
    .map_err(|e| e.to_string())?;
    let accepted = client.send(&request).await.map_err(|e| e.to_string())?;
    let sent = gateway.requests().await;
    if let Some(r) = sent.last() {
        print_sent(r, &["YOUR_PASSWORD"]);
    }
    println!("<-- 200 {accepted:?}");

    // 2. An image.
    println!("\n[2] image");
    let request = SendRequest::builder(
        to.clone(),
        InstantContent::image_url("https://example.ru/image"),
    )
    .build()
    .map_err(|e| e.to_string())?;
    let accepted = client.send(&request).await.map_err(|e| e.to_string())?;
    if let Some(r) = gateway.requests().await.last() {
        print_sent(r, &["YOUR_PASSWORD"]);
    }
    println!("<-- 200 {accepted:?}");

    // 3. Error 3 (too many connections): retried with the same id.
    println!("\n[3] the gateway answers error 3 once: the client retries with the same id");
    gateway.fail_next(ErrorCode::TooManyConnections, 1).await;
    let before = gateway.requests().await.len();
    let request = SendRequest::builder(to.clone(), InstantContent::text("retry me"))
        .build()
        .map_err(|e| e.to_string())?;
    let accepted = client.send(&request).await.map_err(|e| e.to_string())?;
    let attempts = &gateway.requests().await[before..];
    for (i, r) in attempts.iter().enumerate() {
        let id = r
            .json()
            .ok()
            .and_then(|b| b["id"].as_str().map(str::to_owned));
        println!("    attempt {}: id {}", i + 1, id.unwrap_or_default());
    }
    println!("<-- 200 {accepted:?}");

    // 4. A documented error: wrong password.
    println!("\n[4] wrong password: a typed error");
    let wrong = Client::builder("YOUR_LOGIN", "not-the-password")
        .base_url(gateway.uri())
        .build()
        .map_err(|e| e.to_string())?;
    match wrong.send(&request).await {
        Ok(r) => return Err(format!("expected an error, got {r:?}")),
        Err(e) => println!(
            "<-- error: {e}\n    code {:?}, retry class {:?}",
            e.code(),
            e.retry_class()
        ),
    }

    // 5. Refused before sending: text over 1000 characters.
    println!("\n[5] 1001 characters of text: refused before anything is sent");
    match SendRequest::builder(to.clone(), InstantContent::text("я".repeat(1001))).build() {
        Ok(_) => return Err("expected a validation error".into()),
        Err(e) => println!("    {e}"),
    }

    // 6. A send with notifyUrl, then its delivery report, verified by
    // the token in the URL, through the receiver.
    println!("\n[6] a send with notifyUrl; the gateway's report arrives through the receiver");
    let intake = gateway_ru::webhook::GatewayIntake::new(
        whatsapp_common::webhook::SharedSecret::new("demo-callback-token"),
        whatsapp_common::webhook::SecretIn::Query("token".into()),
    );
    let (hook, received) = receiver(intake, "https://hooks.example.com/gateway").await?;
    let request = SendRequest::builder(
        to.clone(),
        InstantContent::text("Ваш заказ №1043 доставлен?"),
    )
    .id("order-1043")
    .notify_url(format!("{hook}?token=demo-callback-token"))
    .build()
    .map_err(|e| e.to_string())?;
    let accepted = client.send(&request).await.map_err(|e| e.to_string())?;
    println!("<-- 200 {accepted:?}");
    let answers = gateway
        .deliver_reports(None, gateway_ru::DeliveryState::Delivered)
        .await?;
    println!("--> the mock gateway POSTs the report to notifyUrl: receiver answered {answers:?}");
    print_received(&received);

    // 7. Through the vendor-neutral trait.
    through_the_trait(7, Box::new(client), &to).await?;
    println!(
        "\ngateway-ru: {} requests reached the mock",
        gateway.requests().await.len()
    );
    Ok(())
}

async fn huawei_cec_demo() -> super::Result {
    use huawei_cec::mock::MockCec;
    use huawei_cec::{
        Client, MediaButton, MediaHeader, MediaTemplateData, SendRequest, TemplateMessage,
        WhatsAppMessage,
    };

    heading("huawei-cec: sendWhatsappMessage with tokenByAkSk");
    let cec = MockCec::start_with_credentials("demo-app-key", "demo-app-secret").await;
    println!("mock CEC listening at {}", cec.uri());
    let client = Client::builder("demo-app-key", "demo-app-secret")
        .base_url(cec.uri())
        .token_lifetime(Duration::from_secs(600))
        .build()
        .map_err(|e| e.to_string())?;
    let to: PhoneNumber = "+41 79 302 67 27".parse().map_err(|e| format!("{e}"))?;

    println!("\n[1] media template: token exchange, then the send");
    let template = TemplateMessage::new("order_shipped", "en_US")
        .map_err(|e| e.to_string())?
        .data(["Anna", "#1042"])
        .media(
            MediaTemplateData::new()
                .header(MediaHeader::Image("https://example.com/parcel.png".into()))
                .body_placeholders(["Anna", "#1042"])
                .button(MediaButton::QuickReply("track-1042".into())),
        );
    let request = SendRequest::builder(WhatsAppMessage::template(template))
        .to(to.clone())
        .build()
        .map_err(|e| e.to_string())?;
    let accepted = client.send(&request).await.map_err(|e| e.to_string())?;
    for r in cec.requests().await {
        print_sent(&r, &["demo-app-secret"]);
        if r.header("authorization").is_some() {
            println!(
                "    headers: authorization: Bearer ***, x-app-key: {}",
                r.header("x-app-key").unwrap_or("-")
            );
        } else if let Some(expire) = r.header("x-token-expire") {
            println!("    headers: x-token-expire: {expire}");
        }
    }
    for m in &accepted.messages {
        fn said(v: Option<&String>) -> &str {
            v.map_or("-", String::as_str)
        }
        let status = m.status.clone().unwrap_or_default();
        println!(
            "<-- 200 message {} to {}: {:?} ({} / {})",
            said(m.message_id.as_ref()),
            said(m.to.as_ref().and_then(|t| t.phone_number.as_ref())),
            m.outcome(),
            said(status.group_name.as_ref()),
            said(status.name.as_ref())
        );
    }

    println!("\n[2] the token is revoked: 401, one renewal, the same send once more");
    cec.expire_tokens();
    let before = cec.sends().await.len();
    client.send(&request).await.map_err(|e| e.to_string())?;
    let sends = cec.sends().await;
    for (i, s) in sends[before..].iter().enumerate() {
        let body = s.json().unwrap_or_default();
        println!(
            "    attempt {}: bulkId {} messageId {}",
            i + 1,
            body["bulkId"].as_str().unwrap_or_default(),
            body["destinations"][0]["messageId"]
                .as_str()
                .unwrap_or_default()
        );
    }
    println!("    token calls so far: {}", cec.token_calls());

    println!("\n[3] a 400 from CEC: a typed error");
    cec.fail_next(huawei_cec::ErrorCode::BadRequest, 1).await;
    match client.send(&request).await {
        Ok(r) => return Err(format!("expected an error, got {r:?}")),
        Err(e) => println!("<-- error: {e} (retry class {:?})", e.retry_class()),
    }

    println!("\n[4] latitude 91: refused before anything is sent");
    match SendRequest::builder(WhatsAppMessage::location(huawei_cec::Location::new(
        91.0, 0.0,
    )))
    .to(to.clone())
    .build()
    {
        Ok(_) => return Err("expected a validation error".into()),
        Err(e) => println!("    {e}"),
    }

    through_the_trait(5, Box::new(client), &to).await
}

async fn activetrail_demo() -> super::Result {
    use activetrail::mock::MockActiveTrail;
    use activetrail::{Client, Format, OperationalMessage, TemplateRef};

    heading("activetrail: SendOperationalMessage in JSON and DataContract XML");
    let at = MockActiveTrail::start_with_credentials("0XDEMO-TOKEN").await;
    println!("mock ActiveTrail listening at {}", at.uri());
    let to: PhoneNumber = "+972 50-123-4567".parse().map_err(|e| format!("{e}"))?;
    let message = OperationalMessage::template(
        7,
        TemplateRef::new("order_shipped")
            .variable("name", "Dana & Co <VIP>")
            .variable("order", "1042"),
    )
    .name("Order 1042")
    .to(to.clone())
    .build()
    .map_err(|e| e.to_string())?;

    for (i, format) in [Format::Json, Format::Xml].into_iter().enumerate() {
        println!("\n[{}] template message as {format:?}", i + 1);
        let client = Client::builder("0XDEMO-TOKEN")
            .base_url(at.uri())
            .format(format)
            .build()
            .map_err(|e| e.to_string())?;
        let sent = client.send(&message).await.map_err(|e| e.to_string())?;
        if let Some(r) = at.requests().await.last() {
            print_sent(r, &[]);
            println!(
                "    headers: authorization: ***, content-type: {}",
                r.header("content-type").unwrap_or("-")
            );
        }
        let campaign = sent.campaign.unwrap_or_default();
        println!(
            "<-- 200 campaign {} '{}': sent {:?}, send type {:?}, status {:?}, {} links, {} attachments",
            campaign.id.map(|g| g.to_string()).unwrap_or_default(),
            campaign.name.unwrap_or_default(),
            campaign.total_sent,
            campaign.send_type,
            sent.status_name,
            campaign.links.map_or(0, |l| l.len()),
            campaign.attachments.map_or(0, |a| a.len()),
        );
    }

    println!("\n[3] a wrong token: 401 APIKeyMissing, typed");
    let wrong = Client::builder("0XWRONG")
        .base_url(at.uri())
        .format(Format::Xml)
        .build()
        .map_err(|e| e.to_string())?;
    match wrong.send(&message).await {
        Ok(r) => return Err(format!("expected an error, got {r:?}")),
        Err(e) => println!("<-- error: {e}"),
    }

    println!("\n[4] no template and no content: refused before anything is sent");
    match OperationalMessage::content(7, " ").to(to).build() {
        Ok(_) => return Err("expected a validation error".into()),
        Err(e) => println!("    {e}"),
    }
    Ok(())
}

async fn channels_demo() -> super::Result {
    heading("channels: Bird Channels API (send, contact window, batch, read back)");
    let bird = channels::mock::MockBird::start_with_credentials(CHANNELS_DEMO_KEY).await;
    channels_demo_on(&bird).await
}

/// The access key the channels section's mock accepts.
pub const CHANNELS_DEMO_KEY: &str = "demo-access-key";

/// The channels section against `bird`, a mock accepting
/// [`CHANNELS_DEMO_KEY`]: `xtask/tests/demo_bodies.rs` runs it on a mock
/// that checks every body against Bird's own schemas.
pub async fn channels_demo_on(bird: &channels::mock::MockBird) -> super::Result {
    use channels::mock::{CHANNEL_ID, WORKSPACE_ID};
    use channels::{Action, Body, Client, Parameter, SendRequest, TemplateMessage};

    println!("mock Bird listening at {}", bird.uri());
    let client = Client::builder(CHANNELS_DEMO_KEY, WORKSPACE_ID, CHANNEL_ID)
        .base_url(bird.uri())
        .build()
        .map_err(|e| e.to_string())?;
    let to: PhoneNumber = "+31 6 12345678".parse().map_err(|e| format!("{e}"))?;
    let contact = "40d5c607-d73d-4d39-bc7f-5416cdb61ee8";

    println!("\n[1] is the 24-hour window open for the contact?");
    let info = client
        .contact_channel_info(contact, None)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "<-- window closes at {:?}: open now = {}",
        info.service_window_expire_at.as_ref().map(|t| t.as_str()),
        info.is_window_open()
    );

    println!("\n[2] open: a text with reply buttons");
    let body = Body::text("Your order #1042 has shipped")
        .with_actions(vec![Action::reply("Track it"), Action::reply("Thanks")]);
    let request = SendRequest::builder(to.clone(), body)
        .reference("order-1042")
        .tag("orders")
        .build()
        .map_err(|e| e.to_string())?;
    let sent = client.send(&request).await.map_err(|e| e.to_string())?;
    if let Some(r) = bird.requests().await.last() {
        print_sent(r, &[]);
        println!("    headers: authorization: AccessKey ***");
    }
    println!(
        "<-- 202 message {} {} ({:?})",
        sent.id.as_deref().unwrap_or("-"),
        sent.status.as_ref().map_or("-", |s| s.as_str()),
        sent.direction
    );

    println!("\n[3] Bird's status webhook for it, signed, through the receiver");
    let public = "https://hooks.example.com/bird";
    let (hook, received) = receiver(
        channels::webhook::BirdIntake::new("demo-signing-key"),
        public,
    )
    .await?;
    let subscription = channels::mock::Subscription {
        url: public.into(),
        post_to: hook,
        signing_key: "demo-signing-key".into(),
    };
    let answers = bird
        .deliver_status_webhooks(&subscription, channels::MessageStatus::Delivered)
        .await?;
    println!(
        "--> the mock Bird POSTs whatsapp.outbound, messagebird-signature over timestamp, URL and body: receiver answered {answers:?}"
    );
    print_received(&received);

    println!("\n[4] the window closes: only a template will do");
    bird.set_window(contact, None);
    let info = client
        .contact_channel_info(contact, None)
        .await
        .map_err(|e| e.to_string())?;
    println!("<-- open now = {}", info.is_window_open());
    let template = TemplateMessage::new("ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318", "en")
        .map_err(|e| e.to_string())?
        .parameter(Parameter::string("name", "Robert"));
    let request = SendRequest::builder(to.clone(), template)
        .build()
        .map_err(|e| e.to_string())?;
    let sent = client.send(&request).await.map_err(|e| e.to_string())?;
    if let Some(r) = bird.requests().await.last() {
        print_sent(r, &[]);
    }
    println!(
        "<-- 202 message {} {}",
        sent.id.as_deref().unwrap_or("-"),
        sent.status.as_ref().map_or("-", |s| s.as_str())
    );

    println!("\n[5] 250 messages through the batch endpoint: chunks of 100");
    // One number the mock rejects after accepting its batch, as Bird
    // rejects a batch message that fails its validation.
    let unreachable: PhoneNumber = "+31 6 00000000".parse().map_err(|e| format!("{e}"))?;
    bird.reject_in_batches(&unreachable.e164());
    let many: Vec<SendRequest> = (0..250)
        .map(|i| {
            let to = if i == 7 { &unreachable } else { &to };
            SendRequest::builder(to.clone(), Body::text(format!("Update {i}"))).build()
        })
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let mut progress = channels::BatchProgress::new();
    client
        .send_batch(&many, &mut progress)
        .await
        .map_err(|e| e.to_string())?;
    for chunk in progress.chunks() {
        match &chunk.outcome {
            Ok(a) => println!(
                "    messages {}..{}: batch {}",
                chunk.first_index,
                chunk.first_index + chunk.len,
                a.batch_id.as_deref().unwrap_or("-")
            ),
            Err(e) => println!("    messages {}..: {e}", chunk.first_index),
        }
    }

    println!("\n[6] the first batch read back: each message's status (GET …/messages?batchId=…)");
    let first = progress
        .chunks()
        .first()
        .and_then(|c| c.outcome.as_ref().ok())
        .ok_or("the first chunk was not accepted")?;
    let messages = client
        .batch_messages(first)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(r) = bird.requests().await.last() {
        println!(
            "--> {} {}?{}",
            r.method,
            r.path,
            r.query.as_deref().unwrap_or("")
        );
    }
    let mut counts = std::collections::BTreeMap::new();
    for m in &messages {
        let status = m.status.as_ref().map_or("-", |s| s.as_str());
        *counts.entry(status.to_owned()).or_insert(0) += 1;
        if let Some(f) = &m.failure {
            println!(
                "    message {} to {}: {status}, failure {:?} {:?}",
                m.id.as_deref().unwrap_or("-"),
                m.receiver
                    .as_ref()
                    .and_then(|r| r.contacts.as_ref())
                    .and_then(|c| c.first())
                    .and_then(|c| c.identifier_value.as_deref())
                    .unwrap_or("-"),
                f.code,
                f.description.as_deref().unwrap_or("-")
            );
        }
    }
    println!("<-- {} messages in batch: {counts:?}", messages.len());
    let one = messages
        .first()
        .and_then(|m| m.id.as_deref())
        .unwrap_or("-");
    let read = client.get_message(one).await.map_err(|e| e.to_string())?;
    println!(
        "    GET …/messages/{one}: {}",
        read.status.as_ref().map_or("-", |s| s.as_str())
    );

    println!("\n[7] a wrong access key, and 11 tags");
    let wrong = Client::builder("other-key", WORKSPACE_ID, CHANNEL_ID)
        .base_url(bird.uri())
        .build()
        .map_err(|e| e.to_string())?;
    match wrong.send(&request).await {
        Ok(m) => return Err(format!("expected an error, got {m:?}")),
        Err(e) => println!("<-- error: {e}"),
    }
    let too_many = (0..11).fold(SendRequest::builder(to, Body::text("x")), |b, i| {
        b.tag(format!("tag{i}"))
    });
    match too_many.build() {
        Ok(_) => return Err("expected a validation error".into()),
        Err(e) => println!("    {e}"),
    }
    Ok(())
}

async fn blip_campaign_demo() -> super::Result {
    use blip_campaign::mock::MockBlip;
    use blip_campaign::{
        Audience, CampaignInfo, Client, DynamicCampaign, ErrorCode, FullCampaign, MessageTemplate,
    };

    heading("blip-campaign: Blip Active Campaign over LIME commands");
    let blip = MockBlip::start_with_credentials("Key ZGVtbzpkZW1v").await;
    println!("mock Blip listening at {}", blip.uri());
    let client = Client::builder("Key ZGVtbzpkZW1v")
        .base_url(blip.uri())
        .build()
        .map_err(|e| e.to_string())?;
    let phone = |p: &str| p.parse::<PhoneNumber>().map_err(|e| format!("{e}"));
    let show_last = |requests: Vec<RecordedRequest>| {
        if let Some(r) = requests.last() {
            print_sent(r, &[]);
        }
    };

    println!("\n[1] an individual campaign in one command (/campaign/full)");
    let campaign = FullCampaign::individual(
        CampaignInfo::new("welcome-ana").flow("f7bfd815-1327-4e5b-9d1c-3a2f9c0e7b11", "onboarding"),
        Audience::new(phone("+55 31 99999-0001")?)
            .param("1", "Ana")
            .context_variable("cpf", "123456789001"),
        MessageTemplate::whatsapp("welcome", ["1"]).language("pt_BR"),
    )
    .build()
    .map_err(|e| e.to_string())?;
    let created = client
        .create_full_campaign(&campaign)
        .await
        .map_err(|e| e.to_string())?;
    show_last(blip.requests().await);
    println!(
        "<-- success: campaign {} {:?} {:?}",
        created.id.as_deref().unwrap_or("-"),
        created.campaign_type,
        created.status
    );

    println!("\n[2] Blip's notification for its message, through the receiver");
    let intake = blip_campaign::webhook::BlipIntake::new(
        whatsapp_common::webhook::SharedSecret::new("demo-bot-secret"),
        whatsapp_common::webhook::SecretIn::Header("X-Bot-Secret".into()),
    );
    let (hook, received) = receiver(intake, "https://hooks.example.com/blip").await?;
    let answers = blip
        .deliver_notifications(&hook, ("x-bot-secret", "demo-bot-secret"), "received")
        .await?;
    println!(
        "--> the mock Blip POSTs a LIME notification with the portal's custom header: receiver answered {answers:?}"
    );
    print_received(&received);
    println!("    (Blip documents no client reference in a campaign message's notifications)");

    println!("\n[3] the dynamic flow: create -> audiences -> dispatch");
    let message = MessageTemplate::whatsapp("order_update", ["1"]);
    let dynamic = DynamicCampaign::new(CampaignInfo::new("june-orders"), message.clone())
        .map_err(|e| e.to_string())?;
    let created = client
        .create_campaign(&dynamic)
        .await
        .map_err(|e| e.to_string())?;
    show_last(blip.requests().await);
    let id = created
        .id
        .clone()
        .ok_or("Blip's answer named no campaign id")?;
    println!("<-- success: campaign {id} {:?}", created.status);
    let audiences = vec![
        Audience::new(phone("+55 31 99999-0001")?).param("1", "Ana"),
        Audience::new(phone("+55 31 99999-0002")?).param("1", "Bia"),
    ];
    let mut progress = blip_campaign::AudienceProgress::new();
    client
        .add_audiences(&id, &message, &audiences, &mut progress)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "    audiences added in {} command(s)",
        progress.chunks().len()
    );
    client.dispatch(&id).await.map_err(|e| e.to_string())?;
    show_last(blip.requests().await);
    println!("<-- success: dispatched");
    match client
        .add_audiences(
            &id,
            &message,
            &audiences,
            &mut blip_campaign::AudienceProgress::new(),
        )
        .await
    {
        Ok(_) => return Err("expected an error after dispatch".into()),
        Err(e) => println!("    adding more now: {e}"),
    }

    println!("\n[4] the report, decoded from Blip's PascalCase");
    let report = client.report(&id).await.map_err(|e| e.to_string())?;
    for r in &report.status_audience {
        println!(
            "    {} {:?} {:?}",
            r.recipient_identity.as_deref().unwrap_or("-"),
            r.status,
            r.reason_description
        );
    }

    println!("\n[5] a failed command: HTTP 200 with status failure, typed");
    blip.fail_next_with(
        ErrorCode::CommandNotAllowed,
        "This user does not have permission to perform this operation",
        1,
    )
    .await;
    match client.cancel_campaign(&id).await {
        Ok(()) => return Err("expected an error".into()),
        Err(e) => println!("<-- error: {e}"),
    }
    Ok(())
}
