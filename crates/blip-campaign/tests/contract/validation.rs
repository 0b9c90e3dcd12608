//! Rules checked before sending, on both sides of each limit; the CSV form;
//! the verbatim samples behind the cleaned fixtures.

use crate::support::{fixture, phone};

use blip_campaign::{
    Audience, CampaignInfo, Client, DynamicCampaign, Error, FullCampaign, MessageTemplate,
    ValidationError, audience_csv,
};

/// An individual campaign named `c`, checked.
fn one(a: Audience, m: MessageTemplate) -> Result<FullCampaign, ValidationError> {
    FullCampaign::individual(CampaignInfo::new("c"), a, m).build()
}

/// A batch campaign named `c`, checked.
fn batch(audiences: Vec<Audience>, m: MessageTemplate) -> Result<FullCampaign, ValidationError> {
    FullCampaign::batch(CampaignInfo::new("c"), audiences, m).build()
}

#[test]
fn every_audience_supplies_every_template_parameter() {
    let m = || MessageTemplate::whatsapp("t", ["1", "2"]);
    let a = || Audience::new(phone("+5531999990001"));
    assert!(one(a().param("1", "x").param("2", "y"), m()).is_ok());
    let err = one(a().param("1", "x"), m()).unwrap_err();
    assert_eq!(err.field(), "audience.messageParams");
    assert!(err.reason().contains("\"2\""), "{err}");
    // Extra values (contact extras) are allowed.
    assert!(
        one(
            a().param("1", "x").param("2", "y").param("extra1", "z"),
            m()
        )
        .is_ok()
    );
    let err = batch(
        vec![a().param("1", "x").param("2", "y"), a().param("2", "y")],
        m(),
    )
    .unwrap_err();
    assert_eq!(err.field(), "audiences[1].messageParams");
}

#[test]
fn parameter_values_are_at_most_250_characters() {
    // Characters, not bytes: two-byte 'é' counts once, like ASCII 'x'.
    for c in ["é", "x"] {
        let m = || MessageTemplate::whatsapp("t", ["1"]);
        let a = |n: usize| Audience::new(phone("+5531999990001")).param("1", c.repeat(n));
        assert!(one(a(250), m()).is_ok(), "{c}");
        let err = one(a(251), m()).unwrap_err();
        assert_eq!(err.field(), "audience.messageParams.1");
        assert!(err.reason().contains("251"), "{err}");
    }
}

#[test]
fn a_parameter_given_twice_keeps_the_last_value_in_its_first_place() {
    let a = Audience::new(phone("+5531999990001"))
        .param("2", "b")
        .param("1", "a")
        .param("2", "c");
    assert_eq!(a.params().collect::<Vec<_>>(), [("2", "c"), ("1", "a")]);
    assert_eq!(a.param_value("2"), Some("c"));
    assert_eq!(a.param_value("3"), None);
    let c = one(a, MessageTemplate::whatsapp("t", ["1", "2"])).unwrap();
    let body = String::from_utf8(Client::encode_full_campaign(&c).unwrap()).unwrap();
    assert!(
        body.contains(
            r#""audience":{"recipient":"+5531999990001","messageParams":{"2":"c","1":"a"}}"#
        ),
        "{body}"
    );
}

#[test]
fn a_large_batch_is_encoded_into_a_buffer_sized_up_front() {
    // Plain values: the estimate is exact but for its margin, so the buffer
    // never doubled while being written.
    let audiences: Vec<Audience> = (0..2_000)
        .map(|i| Audience::new(phone(&format!("+55319{i:08}"))).param("1", format!("Customer {i}")))
        .collect();
    let c = batch(audiences, MessageTemplate::whatsapp("t", ["1"])).unwrap();
    let body = Client::encode_full_campaign(&c).unwrap();
    assert!(body.capacity() >= body.len());
    assert!(
        body.capacity() <= body.len() + body.len() / 32 + 2048,
        "capacity {} for {} bytes",
        body.capacity(),
        body.len()
    );
    // Values that need escaping only make the body longer than estimated;
    // it is still complete and valid.
    let c = one(
        Audience::new(phone("+5531999990001")).param("1", "\"\u{1}\"".repeat(50)),
        MessageTemplate::whatsapp("t", ["1"]),
    )
    .unwrap();
    let body = Client::encode_full_campaign(&c).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        v["resource"]["audience"]["messageParams"]["1"],
        "\"\u{1}\"".repeat(50)
    );
}

#[test]
fn channel_rules() {
    let a = || Audience::new(phone("+5531999990001"));
    assert_eq!(
        one(a(), MessageTemplate::whatsapp(" ", Vec::<String>::new()))
            .unwrap_err()
            .field(),
        "message.messageTemplate"
    );
    assert_eq!(
        one(a(), MessageTemplate::rcs("", Vec::<String>::new()))
            .unwrap_err()
            .field(),
        "message.messageContent"
    );
    assert!(one(a(), MessageTemplate::rcs("Hello", Vec::<String>::new())).is_ok());
    assert!(
        one(a(), MessageTemplate::whatsapp("t", ["1", "1"])).is_err(),
        "duplicate parameter names"
    );
    let wire = serde_json::to_value(
        one(a(), MessageTemplate::rcs("Hello", Vec::<String>::new())).unwrap(),
    )
    .unwrap();
    assert!(
        wire["message"].get("messageTemplate").is_none(),
        "RCS never carries a template"
    );
    assert_eq!(wire["message"]["channelType"], "GoogleRcs");
    assert_eq!(wire["campaign"]["channelType"], "GoogleRcs");
}

#[test]
fn audiences_and_names() {
    let m = MessageTemplate::whatsapp("t", Vec::<String>::new());
    assert_eq!(batch(vec![], m.clone()).unwrap_err().field(), "audiences");
    assert_eq!(
        FullCampaign::individual(
            CampaignInfo::new(" "),
            Audience::new(phone("+5531999990001")),
            m.clone()
        )
        .build()
        .unwrap_err()
        .field(),
        "campaign.name"
    );
    assert!(DynamicCampaign::new(CampaignInfo::new("c").tag(""), m).is_err());
    for bad in ["{{phonenumber1}}", "", "+55 31"] {
        assert!(bad.parse::<blip_campaign::PhoneNumber>().is_err(), "{bad}");
    }
}

/// A minimal RFC 4180 reader, to read back what `audience_csv` wrote.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn the_csv_form_survives_quotes_commas_line_breaks_and_json() {
    let context = serde_json::json!({
        "cpf": "123456789001", "cpf2": 1000111222, "canUseTheseValues": false,
        "specificContext": {"foo": "111specififForFoo44431", "bar": "222specififForBar55512"}
    });
    let mut a = Audience::new(phone("+5531999990001"))
        .param("1", "Ana, \"the\" first")
        .param("name, with comma", "line\nbreak");
    for (k, v) in context.as_object().unwrap() {
        a = a.context_variable(k, v.clone());
    }
    let b = Audience::new(phone("+5531999990002")).param("1", "plain");
    let csv = audience_csv(&["1", "name, with comma"], &[a, b]);
    let rows = read_csv(&csv);
    assert_eq!(
        rows[0],
        ["recipient", "1", "name, with comma", "#contextvariables#"]
    );
    assert_eq!(
        rows[1][..3],
        ["+5531999990001", "Ana, \"the\" first", "line\nbreak"]
    );
    assert_eq!(rows[2], ["+5531999990002", "plain", "", ""]);
    // The context column holds the documented form: JSON with its quotes
    // backslash-escaped. The page's own example (which lacks its final
    // "}") reads back to the same values.
    let documented = fixture("seed_csv_context_variables.txt");
    let unescape =
        |s: &str| -> serde_json::Value { serde_json::from_str(&s.replace("\\\"", "\"")).unwrap() };
    assert_eq!(unescape(&format!("{}}}", documented.trim_end())), context);
    assert_eq!(unescape(&rows[1][3]), context);
    assert!(
        rows[1][3].contains("\\\"cpf\\\":\\\"123456789001\\\""),
        "{}",
        rows[1][3]
    );
}

#[test]
fn client_configuration_is_checked() {
    for (contract, ok) in [
        (None, false),
        (Some("my-bot-1"), true),
        (Some("bad host/"), false),
    ] {
        let mut b = Client::builder("Key abc");
        if let Some(contract) = contract {
            b = b.contract(contract);
        }
        assert_eq!(b.build().is_ok(), ok, "contract {contract:?}");
    }
    // An empty key is refused, and so is a line break: the key goes into a
    // header, refused when building, before any request, and the error
    // does not quote the key.
    for key in ["", "Key ", "Key abc\nX-Injected: 1"] {
        let err = Client::builder(key).contract("c").build().unwrap_err();
        assert!(
            matches!(&err, Error::Config(c) if c.field() == "key"),
            "{err:?}"
        );
        assert!(!err.to_string().contains("Injected"), "{err}");
    }
    let c = Client::builder_from_credentials("messaginghub@takenet.com.br", &"1234".into())
        .contract("c")
        .build()
        .unwrap();
    assert!(format!("{c:?}").contains("https://c.http.msging.net"));
}

#[test]
fn every_verbatim_sample_cleans_to_its_json() {
    let samples = [
        (
            "seed_full_individual_whatsapp.txt",
            "full_individual_whatsapp.json",
        ),
        ("seed_full_individual_rcs.txt", "full_individual_rcs.json"),
        ("seed_full_batch_whatsapp.txt", "full_batch_whatsapp.json"),
        ("seed_full_batch_rcs.txt", "full_batch_rcs.json"),
        ("seed_v2_create_whatsapp.txt", "v2_create_whatsapp.json"),
        ("seed_v2_create_rcs.txt", "v2_create_rcs.json"),
        ("seed_v2_create_response.txt", "v2_create_response.json"),
        (
            "seed_example_template_without_variables.txt",
            "example_template_without_variables.json",
        ),
        (
            "seed_example_template_with_variables.txt",
            "example_template_with_variables.json",
        ),
        (
            "seed_example_reply_with_url.txt",
            "example_reply_with_url.json",
        ),
        (
            "seed_example_template_with_image.txt",
            "example_template_with_image.json",
        ),
        (
            "seed_example_template_with_video.txt",
            "example_template_with_video.json",
        ),
        (
            "seed_example_template_with_video_bulk.txt",
            "example_template_with_video_bulk.json",
        ),
        (
            "seed_example_template_with_carousel.txt",
            "example_template_with_carousel.json",
        ),
        (
            "seed_example_template_with_carousel_bulk.txt",
            "example_template_with_carousel_bulk.json",
        ),
    ];
    for (seed, name) in samples {
        let raw = fixture(seed);
        let cleaned: serde_json::Value = serde_json::from_str(&fixture(name)).unwrap();
        // Every string and number of the page's text is in the cleaned JSON.
        let mut leaves = Vec::new();
        collect(&cleaned, &mut leaves);
        for leaf in &leaves {
            assert!(
                raw.contains(leaf.as_str()),
                "{name}: {leaf} not on the page"
            );
        }
        let quoted = raw.matches('"').count() / 2;
        let keys_and_strings = count_strings(&cleaned);
        assert_eq!(
            quoted, keys_and_strings,
            "{name}: every quoted token of the page is kept"
        );
    }
}

fn collect(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                out.push(format!("\"{k}\""));
                collect(v, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| collect(v, out)),
        serde_json::Value::String(s) => out.push(format!("\"{s}\"")),
        other => out.push(other.to_string()),
    }
}

fn count_strings(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Object(m) => m.iter().map(|(_, v)| 1 + count_strings(v)).sum(),
        serde_json::Value::Array(a) => a.iter().map(count_strings).sum(),
        serde_json::Value::String(_) => 1,
        _ => 0,
    }
}

#[test]
fn debug_shows_parameter_and_variable_names_never_their_values() {
    let a = Audience::new(phone("+5531999990001"))
        .param("1", "Ana Secret-Surname")
        .context_variable("cpf", "123456789001");
    let shown = format!("{a:?}");
    assert!(
        shown.contains("\"1\"") && shown.contains("\"cpf\""),
        "{shown}"
    );
    assert!(shown.contains("5531999990001"), "{shown}");
    for value in ["Secret-Surname", "123456789001"] {
        assert!(!shown.contains(value), "{shown}");
    }
    let m = || MessageTemplate::whatsapp("t", ["1"]);
    let single = one(a.clone(), m()).unwrap();
    let many = batch(vec![a.clone(), a], m()).unwrap();
    for (c, size) in [(single, "audience: Audience"), (many, "audiences: 2")] {
        let shown = format!("{c:?}");
        assert!(shown.contains(size), "{shown}");
        assert!(shown.ends_with(", .. }"), "{shown}");
        for value in ["Secret-Surname", "123456789001"] {
            assert!(!shown.contains(value), "{shown}");
        }
    }
}
