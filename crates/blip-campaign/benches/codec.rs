//! Encode a documented command, decode the documented answers, beside the
//! floor: `serde_json::Value` of the same bytes.
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use blip_campaign::{
    Audience, CampaignInfo, Client, CommandResponse, FullCampaign, MessageTemplate,
};
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

#[divan::bench]
fn build_and_encode_individual_campaign() -> usize {
    let campaign = FullCampaign::individual(
        CampaignInfo::new("Campanha individual completo - Template Com variavel 10")
            .flow("{{flowId}}", "{{stateId}}"),
        Audience::new("+5531999990001".parse().unwrap()).param("1", "Ana"),
        MessageTemplate::whatsapp("template_with_variable", ["1"]),
    )
    .build()
    .unwrap();
    Client::encode_full_campaign(&campaign).unwrap().len()
}

#[divan::bench(args = support::ANSWERS)]
fn envelope_typed(bencher: Bencher, name: &str) {
    let body = support::fixture(name);
    bencher.bench(|| serde_json::from_str::<CommandResponse>(black_box(&body)).unwrap());
}

#[divan::bench(args = support::ANSWERS)]
fn value_floor(bencher: Bencher, name: &str) {
    let body = support::fixture(name);
    bencher.bench(|| serde_json::from_str::<serde_json::Value>(black_box(&body)).unwrap());
}
