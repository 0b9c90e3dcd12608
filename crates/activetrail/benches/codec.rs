//! Encode the documented request and decode the documented responses in
//! both formats, beside the floors of every sample: `serde_json::Value` for
//! JSON, and a bare quick-xml event scan (which builds nothing) for XML.
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use activetrail::{Client, Format, SendResponse};

const SAMPLES: [&str; 4] = [
    "send_request.json",
    "send_request.xml",
    "send_response.json",
    "send_response.xml",
];

fn main() {
    divan::main();
}

#[divan::bench(args = [Format::Json, Format::Xml])]
fn encode_request(bencher: divan::Bencher, format: Format) {
    let client = Client::builder("t").format(format).build().unwrap();
    let m = support::documented_message();
    bencher.bench(|| client.encode(divan::black_box(&m)).unwrap().len());
}

#[divan::bench(args = [Format::Json, Format::Xml])]
fn decode_response(bencher: divan::Bencher, format: Format) {
    let name = match format {
        Format::Json => "send_response.json",
        _ => "send_response.xml",
    };
    let body = support::fixture(name);
    bencher.bench(|| SendResponse::decode(format, divan::black_box(body.as_bytes())).unwrap());
}

/// What reading the sample costs before any typed model: a
/// `serde_json::Value`, or counting the XML events.
#[divan::bench(args = SAMPLES)]
fn value_floor(bencher: divan::Bencher, name: &str) {
    let body = support::fixture(name);
    if name.ends_with(".json") {
        bencher.bench(|| {
            serde_json::from_slice::<serde_json::Value>(divan::black_box(body.as_bytes())).unwrap()
        });
    } else {
        bencher.bench(|| {
            let mut reader = quick_xml::NsReader::from_str(divan::black_box(&body));
            let mut events = 0usize;
            loop {
                match reader.read_resolved_event() {
                    Ok((_, quick_xml::events::Event::Eof)) | Err(_) => break events,
                    Ok(_) => events += 1,
                }
            }
        });
    }
}

/// Decoding documents whose size is in namespace declarations, at 1,000,
/// 10,000 and 100,000 of them: the time per declaration (divan's
/// throughput column) stays flat when reading is linear. The accepted
/// shapes give every declaration its own URI, the worst case for
/// resolution; the hostile ones are refused at the reader's caps, in time
/// that does not grow with the document.
mod namespace_declarations {
    use activetrail::SendResponse;
    use divan::counter::ItemsCount;

    const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
    const ROOT: &str = "ApiWhatsAppCampaignInfoCampaign";

    /// `n` members, each an element declaring its own default namespace.
    fn sibling_defaults(n: usize) -> String {
        let members: String = (0..n)
            .map(|i| format!(r#"<a xmlns="urn:ns:{i}"/>"#))
            .collect();
        format!("<{ROOT}>{members}</{ROOT}>")
    }

    /// `n` members, each an element in a prefix it declares itself.
    fn sibling_prefixes(n: usize) -> String {
        let members: String = (0..n)
            .map(|i| format!(r#"<p:a xmlns:p="urn:ns:{i}"/>"#))
            .collect();
        format!("<{ROOT}>{members}</{ROOT}>")
    }

    /// Chains of 50 nested elements (within `MAX_DEPTH`), each in a prefix
    /// of its own declared on it: `n` declarations in all.
    fn nested_chains(n: usize) -> String {
        const DEPTH: usize = 50;
        let mut doc = format!("<{ROOT}>");
        for chain in 0..n / DEPTH {
            for d in 0..DEPTH {
                let i = chain * DEPTH + d;
                doc += &format!(r#"<p{d}:a xmlns:p{d}="urn:ns:{i}">"#);
            }
            for d in (0..DEPTH).rev() {
                doc += &format!("</p{d}:a>");
            }
        }
        doc + &format!("</{ROOT}>")
    }

    /// Members declaring 100 prefixes each (within the in-scope cap): `n`
    /// declarations in all.
    fn many_per_element(n: usize) -> String {
        const PER: usize = 100;
        let mut doc = format!("<{ROOT}>");
        for element in 0..n / PER {
            doc += "<a";
            for p in 0..PER {
                doc += &format!(r#" xmlns:p{p}="urn:ns:{}""#, element * PER + p);
            }
            doc += "/>";
        }
        doc + &format!("</{ROOT}>")
    }

    /// Hostile: `n` declarations on the root element.
    fn all_on_root(n: usize) -> String {
        let declarations: String = (0..n)
            .map(|i| format!(r#" xmlns:p{i}="urn:ns:{i}""#))
            .collect();
        format!("<{ROOT}{declarations}/>")
    }

    /// Hostile: `n` elements nested, each declaring a prefix.
    fn nested_all_the_way(n: usize) -> String {
        let open: String = (0..n)
            .map(|i| format!(r#"<p{i}:a xmlns:p{i}="urn:ns:{i}">"#))
            .collect();
        let close: String = (0..n).rev().map(|i| format!("</p{i}:a>")).collect();
        format!("<{ROOT}>{open}{close}</{ROOT}>")
    }

    fn decodes(bencher: divan::Bencher, n: usize, doc: String) {
        assert!(SendResponse::from_xml(doc.as_bytes()).is_ok());
        bencher
            .counter(ItemsCount::new(n))
            .bench(|| SendResponse::from_xml(divan::black_box(doc.as_bytes())).is_ok());
    }

    fn refused(bencher: divan::Bencher, n: usize, doc: String) {
        assert!(SendResponse::from_xml(doc.as_bytes()).is_err());
        bencher
            .counter(ItemsCount::new(n))
            .bench(|| SendResponse::from_xml(divan::black_box(doc.as_bytes())).is_err());
    }

    #[divan::bench(args = SIZES)]
    fn defaults_on_siblings(bencher: divan::Bencher, n: usize) {
        decodes(bencher, n, sibling_defaults(n));
    }

    #[divan::bench(args = SIZES)]
    fn prefixes_on_siblings(bencher: divan::Bencher, n: usize) {
        decodes(bencher, n, sibling_prefixes(n));
    }

    #[divan::bench(args = SIZES)]
    fn prefixes_nested_50_deep(bencher: divan::Bencher, n: usize) {
        decodes(bencher, n, nested_chains(n));
    }

    #[divan::bench(args = SIZES)]
    fn hundred_per_element(bencher: divan::Bencher, n: usize) {
        decodes(bencher, n, many_per_element(n));
    }

    #[divan::bench(args = SIZES)]
    fn refused_all_on_root(bencher: divan::Bencher, n: usize) {
        refused(bencher, n, all_on_root(n));
    }

    #[divan::bench(args = SIZES)]
    fn refused_nested_all_the_way(bencher: divan::Bencher, n: usize) {
        refused(bencher, n, nested_all_the_way(n));
    }
}
