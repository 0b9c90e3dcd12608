//! Contract: every example of Bird's WhatsApp page is what the builders
//! produce, is valid against Bird's own `CreateMessage` schema, and goes
//! over the wire with the right method, path and auth header.

use crate::support;

use channels::mock::{CHANNEL_ID, WORKSPACE_ID};
use channels::{
    Action, Body, Content, File, Image, Item, ListButton, ListMetadata, Parameter, Place, ReplyTo,
    SendRequest, TemplateMessage, TemplateVersion,
};
use serde_json::{Value, json};
use support::{Schema, builder, fixture, fixture_json};
use whatsapp_common::time::unix_millis_now;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const G: &str = "https://files.gitbook.com/v0/b/gitbook-x-prod.appspot.com/o/spaces%2FdnJZeZvhOMhDQA8SpjQM%2Fuploads%2F";

fn url(rest: &str) -> String {
    format!("{G}{rest}")
}

fn image2() -> String {
    url("RPPgQAGyZE7rvIh3WM2Z%2Fimage2.avif?alt=media")
}
fn image_png() -> String {
    url("rEM9zztd8SEiJS6RQuR3%2Fimage.png?alt=media")
}
fn video() -> File {
    file(
        "video/mp4",
        url("tXMQ4lIinia9ehf4EpC4%2Fvideo.mp4?alt=media"),
        None,
    )
}
fn pdf(name: Option<&str>) -> File {
    file(
        "application/pdf",
        url("PnRToYX2feW96HAOrh4x%2Fdocument.pdf?alt=media"),
        name,
    )
}
fn file(content_type: &str, media_url: String, filename: Option<&str>) -> File {
    let mut f: File = serde_json::from_value(json!({
        "contentType": content_type, "mediaUrl": media_url
    }))
    .unwrap();
    f.filename = filename.map(str::to_owned);
    f
}
fn img(alt: &str, media: String) -> Image {
    serde_json::from_value(json!({ "altText": alt, "mediaUrl": media })).unwrap()
}
fn two_images() -> Vec<Image> {
    vec![
        img("First image label", image_png()),
        img("Second image label", image2()),
    ]
}
fn pb(n: u32) -> Action {
    Action::postback(
        format!("Postback action {n}"),
        format!("postback-payload-{n}"),
    )
}
fn list_pb(n: u32) -> Action {
    Action::postback(
        format!("Postback action {n}"),
        format!("postback-action-payload-{n}"),
    )
}
/// "Reply action 1" and "Reply action 2".
fn two_replies() -> Vec<Action> {
    vec![
        Action::reply("Reply action 1"),
        Action::reply("Reply action 2"),
    ]
}
/// "Postback action" and "Reply action".
fn postback_and_reply() -> Vec<Action> {
    vec![
        Action::postback("Postback action", "postback-payload"),
        Action::reply("Reply action"),
    ]
}
/// `image.png` labelled "Image label".
fn labelled_png() -> Body {
    Body::image(image_png(), Some("Image label".into()))
}
/// `image2.avif` labelled "Label of first image".
fn labelled_image2() -> Body {
    Body::image(image2(), Some("Label of first image".into()))
}
fn list_body(sections: Vec<Item>) -> Body {
    let Body::List { mut list } = Body::list("List text", sections) else {
        unreachable!()
    };
    list.title = Some("List title".into());
    list.alt_text = Some("List alt text".into());
    Body::List { list }
}

/// The message the ReplyTo examples answer.
const REPLIED_TO: &str = "1e7b70ab-3dcc-48f4-a6f6-63a493f6134c";

/// (example file, what the builders make); the ReplyTo examples also
/// answer [`REPLIED_TO`].
fn bodies() -> Vec<(&'static str, Body)> {
    vec![
        (
            "examples/text_message.json",
            Body::text("Single text message"),
        ),
        (
            "examples/text_message_with_reply_buttons.json",
            Body::text("Single text message with reply actions").with_actions(two_replies()),
        ),
        (
            "examples/text_message_with_postback_actions.json",
            Body::text("Single text message with postback actions")
                .with_actions(vec![pb(1), pb(2)]),
        ),
        (
            "examples/text_message_with_reply_and_postback_actions.json",
            Body::text("Single text message with reply and postback actions")
                .with_actions(vec![pb(1), Action::reply("Reply action 1")]),
        ),
        (
            "examples/text_message_with_location_request.json",
            Body::text("Single text message with location request")
                .with_actions(vec![Action::location_request()]),
        ),
        ("examples/single_image_message.json", labelled_image2()),
        (
            "examples/single_image_message_with_text.json",
            labelled_image2().with_caption("Single image message"),
        ),
        (
            "examples/multiple_image_message.json",
            Body::images(vec![
                img("Label of first image", image_png()),
                img("Label of second image", image2()),
            ])
            .with_caption("Multiple images message"),
        ),
        (
            "examples/single_image_message_with_postback_actions.json",
            labelled_png()
                .with_caption("Single image message with postback actions")
                .with_actions(vec![
                    Action::postback("Postback option 1", "postback-payload-1"),
                    Action::postback("Postback option 2", "postback-payload-2"),
                ]),
        ),
        (
            "examples/single_image_message_with_label_and_reply_actions.json",
            labelled_png()
                .with_caption("Single image message with reply actions")
                .with_actions(two_replies()),
        ),
        (
            "examples/single_image_message_with_label_postback_and_reply_actions.json",
            labelled_png()
                .with_caption("Single image message with postback and reply actions")
                .with_actions(postback_and_reply()),
        ),
        (
            "examples/multiple_images_message_with_labels_and_postback_actions.json",
            Body::images(two_images())
                .with_caption("Multiple images message with postback actions")
                .with_actions(vec![pb(1), pb(2)]),
        ),
        (
            "examples/multiple_images_message_with_reply_actions.json",
            Body::images(two_images())
                .with_caption("Multiple images message with reply actions")
                .with_actions(two_replies()),
        ),
        (
            "examples/multiple_images_message_with_labels_postback_and_reply_actions.json",
            Body::images(two_images())
                .with_caption("Multiple images message with postback and reply actions")
                .with_actions(postback_and_reply()),
        ),
        (
            "examples/single_file_message.json",
            Body::files(vec![video()]).with_caption("Single file message"),
        ),
        (
            "examples/single_file_message_with_postback_and_reply_actions.json",
            Body::files(vec![video()])
                .with_caption("Single file message")
                .with_actions(vec![
                    Action::postback_without_payload("Postback action"),
                    Action::reply("Reply action"),
                ]),
        ),
        (
            "examples/multiple_files_message.json",
            Body::files(vec![video(), pdf(None)]).with_caption("Multiple files message"),
        ),
        (
            "examples/multiple_files_message_with_filename.json",
            Body::files(vec![video(), pdf(Some("passport.pdf"))])
                .with_caption("Multiple files message"),
        ),
        (
            "examples/multiple_files_message_with_two_postback_actions_and_a_reply_action.json",
            Body::files(vec![video(), pdf(Some("passport.pdf"))])
                .with_caption("Multiple files message")
                .with_actions(vec![pb(1), pb(2), Action::reply("Reply action")]),
        ),
        (
            "examples/location.json",
            Body::location(
                52.3435942,
                4.9091077,
                Some(
                    serde_json::from_value::<Place>(json!({
                        "address": "Trompenburgstraat 2C, 1079 TX Amsterdam",
                        "label": "MessageBird Amsterdam office"
                    }))
                    .unwrap(),
                ),
            ),
        ),
        (
            "examples/list_message_without_sections.json",
            list_body(vec![Item::untitled(vec![list_pb(1), list_pb(2)])]),
        ),
        (
            "examples/list_message_with_sections.json",
            list_body(vec![
                Item::section("Section 1", vec![list_pb(1), list_pb(2)]),
                Item::section("Section 2", vec![list_pb(3), list_pb(4)]),
            ]),
        ),
        (
            "examples/list_message_with_sections_and_custom_button_label.json",
            {
                let d = |n: u32| {
                    list_pb(n).with_description(format!("Postback action description {n}"))
                };
                let Body::List { mut list } = list_body(vec![
                    Item::section("Section 1", vec![d(1), d(2)]),
                    Item::section("Section 2", vec![d(3), d(4)]),
                ]) else {
                    unreachable!()
                };
                let mut metadata = ListMetadata::default();
                metadata.button = Some(
                    serde_json::from_value::<ListButton>(json!({"label": "Show options"})).unwrap(),
                );
                list.metadata = Some(metadata);
                Body::List { list }
            },
        ),
        (
            "examples/carousel.json",
            Body::carousel(
                Some("Here is a media carousel with link actions".into()),
                (1..=2)
                    .map(|n| {
                        Item::card(
                            format!("Card {n}"),
                            format!("https://bird.com/images/image{n}.jpg"),
                            Action::link("Visit Bird", "https://www.bird.com"),
                        )
                    })
                    .collect(),
            ),
        ),
        (
            "examples/replyto_with_a_text_message.json",
            Body::text("Single text message"),
        ),
        (
            "examples/replyto_with_an_image_message.json",
            labelled_image2(),
        ),
        (
            "examples/replyto_with_text_message_with_postback_actions.json",
            Body::text("Single text message with postback actions")
                .with_actions(vec![pb(1), pb(2)]),
        ),
    ]
}

fn templates() -> Vec<(&'static str, TemplateMessage)> {
    vec![
        (
            "examples/template_text_with_variable.json",
            TemplateMessage::new("ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318", "en")
                .unwrap()
                .parameter(Parameter::string("name", "Robert")),
        ),
        (
            "examples/template_image_with_button_and_variables.json",
            TemplateMessage::new("7b492653-450b-4e97-b5e4-3827868e7438", "en")
                .unwrap()
                .parameter(Parameter::string("imageURL", image2())),
        ),
        (
            "examples/template_image_with_a_variable_in_a_button.json",
            TemplateMessage::new("6449eb42-dffb-41c2-81a1-7fd956d2e7a6", "en")
                .unwrap()
                .version(TemplateVersion::Id(
                    "e0e9190c-c3e7-4026-8fc3-d28a77aa1a52".into(),
                ))
                .parameter(Parameter::string("name", "Robert"))
                .parameter(Parameter::string("url", "?campaignid=123456")),
        ),
    ]
}

/// The request the documentation means for an example: the envelope with
/// the example as `body` (or `template`); a ReplyTo example's `replyTo`
/// moved to the top level, where the schema has it.
fn envelope(file: &str) -> Value {
    let mut example = fixture_json(file);
    let receiver = json!({ "contacts": [ { "identifierKey": "phonenumber", "identifierValue": "+31612345678" } ] });
    if file.contains("template_") {
        return json!({ "receiver": receiver, "template": example });
    }
    if file.ends_with("text_message_with_location_request.json") {
        example = json!({ "type": "text", "text": example });
    }
    let reply_to = example.as_object_mut().and_then(|o| o.remove("replyTo"));
    let mut request = json!({ "receiver": receiver, "body": example });
    if let Some(r) = reply_to {
        request["replyTo"] = r;
    }
    request
}

/// `request` is what the documentation shows for `file`, Bird's schema
/// accepts it, and it goes over the wire with the right method, path and
/// headers.
async fn assert_sent_as_documented(schema: &Schema, file: &str, request: &SendRequest) {
    let expected = envelope(file);
    schema.assert_valid(&expected, file);
    assert_eq!(serde_json::to_value(request).unwrap(), expected, "{file}");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/workspaces/{WORKSPACE_ID}/channels/{CHANNEL_ID}/messages"
        )))
        .and(header("authorization", "AccessKey test-access-key"))
        .and(header("content-type", "application/json"))
        .and(body_json(expected))
        .respond_with(
            ResponseTemplate::new(202).set_body_string(fixture("constructed_send_accepted.json")),
        )
        .expect(1)
        .named("documented example")
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let sent = client
        .send(request)
        .await
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(sent.status, Some(channels::MessageStatus::Accepted));
}

#[tokio::test]
async fn every_body_example_is_built_validated_and_sent() {
    let schema = Schema::load("CreateMessage", false);
    let cases = bodies();
    assert_eq!(cases.len(), 27);
    for (file, body) in cases {
        let mut b = SendRequest::builder("+31 6 12345678".parse().unwrap(), body);
        if file.starts_with("examples/replyto_") {
            b = b.reply_to(ReplyTo::message(REPLIED_TO));
        }
        let request = b.build().unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_sent_as_documented(&schema, file, &request).await;
    }
}

#[tokio::test]
async fn every_template_example_is_built_validated_and_sent() {
    let schema = Schema::load("CreateMessage", false);
    for (file, template) in templates() {
        let request = SendRequest::builder(support::to(), template)
            .build()
            .unwrap();
        assert!(matches!(request.content(), Content::Template(_)));
        assert_sent_as_documented(&schema, file, &request).await;
    }
}

#[test]
fn every_example_body_reads_back_into_the_same_body() {
    for (file, body) in bodies() {
        let wire = envelope(file)["body"].clone();
        let read: Body =
            serde_json::from_value(wire.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(read, body, "{file}");
        assert_eq!(serde_json::to_value(&read).unwrap(), wire, "{file}");
    }
}

#[test]
fn the_options_go_out_as_the_schema_names_them() {
    let schema = Schema::load("CreateMessage", false);
    let soon = channels::Timestamp::from_unix_millis(unix_millis_now() + 3_600_000);
    let request = SendRequest::builder_to(
        channels::Recipient::ContactId("40d5c607-d73d-4d39-bc7f-5416cdb61ee8".into()),
        Body::text_with_preview("See https://bird.com", true),
    )
    .also_to(channels::Recipient::Phone("+31612345679".parse().unwrap()))
    .reference("order-1042")
    .tag("orders")
    .tag("VIP customers")
    .short_links_domain("default")
    .scheduled_for(soon.clone())
    .validity(129_600)
    .ignore_quiet_hours(true)
    .ignore_global_holdout(false)
    .enable_link_tracking(true)
    .use_case("marketing")
    .cap_frequency(true)
    .notification_url("https://example.com/bird-events")
    .build()
    .unwrap();
    let v = serde_json::to_value(&request).unwrap();
    schema.assert_valid(&v, "options");
    assert_eq!(
        v,
        json!({
            "receiver": {"contacts": [
                {"id": "40d5c607-d73d-4d39-bc7f-5416cdb61ee8"},
                {"identifierKey": "phonenumber", "identifierValue": "+31612345679"}
            ]},
            "body": {"type": "text", "text": {"text": "See https://bird.com", "metadata": {"whatsapp": {"previewUrl": true}}}},
            "reference": "order-1042",
            "meta": {"extraInformation": {"useCase": "marketing"}},
            "notification": {"url": "https://example.com/bird-events"},
            "capFrequency": true,
            "enableLinkTracking": true,
            "ignoreQuietHours": true,
            "ignoreGlobalHoldout": false,
            "tags": ["orders", "VIP customers"],
            "shortLinks": {"domain": "default"},
            "scheduledFor": soon.as_str(),
            "validity": 129600
        })
    );
    // The rest of the template schema.
    let t = TemplateMessage::new("ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318", "pt-BR")
        .unwrap()
        .name("order_shipped")
        .parameter(Parameter::number("items", 3.0))
        .parameter(Parameter::boolean("vip", true))
        .parameter(Parameter::other(
            "address",
            "object",
            json!({"city": "Lisbon"}),
        ))
        .variable("default", "Robert")
        .short_links(true, Some("default".into()))
        .utm_parameter("utm_source", "whatsapp")
        .attachment("https://example.com/a.pdf", "a.pdf");
    let v = serde_json::to_value(SendRequest::builder(support::to(), t).build().unwrap()).unwrap();
    schema.assert_valid(&v, "template options");
    assert_eq!(
        v["template"]["parameters"][0],
        json!({"type": "number", "key": "items", "value": 3.0})
    );
    assert_eq!(v["template"]["variables"], json!({"default": "Robert"}));
}
