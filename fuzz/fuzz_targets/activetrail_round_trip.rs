//! activetrail: a message built from any caller strings either fails
//! validation or is sent as XML and JSON that both read back to exactly
//! what was built.
#![no_main]

use activetrail::{Client, Format, OperationalMessage, ReceivedMessage, TemplateRef};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

#[derive(Debug)]
struct Input {
    template_id: String,
    variables: Vec<(String, String)>,
    name: Option<String>,
    content: Option<String>,
}

impl<'a> libfuzzer_sys::arbitrary::Arbitrary<'a> for Input {
    fn arbitrary(
        u: &mut libfuzzer_sys::arbitrary::Unstructured<'a>,
    ) -> libfuzzer_sys::arbitrary::Result<Self> {
        Ok(Self {
            template_id: u.arbitrary()?,
            variables: u.arbitrary()?,
            name: u.arbitrary()?,
            content: u.arbitrary()?,
        })
    }
}

static CLIENTS: LazyLock<(Client, Client)> = LazyLock::new(|| {
    let xml = Client::builder("fuzz").format(Format::Xml).build();
    let json = Client::builder("fuzz").format(Format::Json).build();
    (xml.expect("client"), json.expect("client"))
});

fuzz_target!(|input: Input| {
    let mut template = TemplateRef::new(input.template_id.clone());
    for (k, v) in &input.variables {
        template = template.variable(k.clone(), v.clone());
    }
    let mut builder = OperationalMessage::template(7, template)
        .to("+972501234567".parse().expect("a valid number"));
    if let Some(name) = &input.name {
        builder = builder.name(name.clone());
    }
    if let Some(content) = &input.content {
        builder = builder.content(content.clone());
    }
    let Ok(message) = builder.build() else {
        return;
    };
    let (xml, json) = &*CLIENTS;
    let Ok(xml_body) = xml.encode(&message) else {
        return;
    };
    let json_body = json
        .encode(&message)
        .expect("JSON encodes whatever XML encodes");
    let from_xml = ReceivedMessage::from_xml(&xml_body).expect("the SDK's own XML reads back");
    let from_json = ReceivedMessage::from_json(&json_body).expect("the SDK's own JSON reads back");
    assert_eq!(from_xml, from_json, "XML and JSON carry different messages");
    let template = from_xml.template.as_ref().expect("template");
    assert_eq!(template.id.as_deref(), Some(input.template_id.as_str()));
    assert_eq!(
        template
            .variables
            .as_ref()
            .map(|v| v.pairs().to_vec())
            .unwrap_or_default(),
        input.variables
    );
    let design = from_xml.design.as_ref();
    assert_eq!(
        design.and_then(|d| d.name.as_deref()),
        input.name.as_deref()
    );
    assert_eq!(
        design.and_then(|d| d.content.as_deref()),
        input.content.as_deref()
    );
});
