//! Webhook intake: each vendor's check and decoder on any request. The
//! input's first line is a header value, its second the URL, the rest the
//! body; no check or decoder may panic, whatever the bytes.
#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;
use whatsapp_common::webhook::{Intake, SharedSecret, WebhookRequest};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == b'\n');
    let header = std::str::from_utf8(parts.next().unwrap_or_default()).unwrap_or("");
    let url = std::str::from_utf8(parts.next().unwrap_or_default()).unwrap_or("");
    let body = parts.next().unwrap_or(data);
    let headers = [
        ("messagebird-signature", header),
        ("messagebird-request-timestamp", header),
        ("messagebird-request-id", header),
        ("x-token", header),
    ];
    let request = WebhookRequest::new(url, &headers, body).from_addr([127, 0, 0, 1].into());
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_719_823_259);
    let bird = channels::webhook::BirdIntake::new("fuzz-key");
    let gateway = gateway_ru::webhook::GatewayIntake::new(
        SharedSecret::new("fuzz-key"),
        whatsapp_common::webhook::SecretIn::Query("token".into()),
    );
    let blip = blip_campaign::webhook::BlipIntake::new(
        SharedSecret::new("fuzz-key"),
        whatsapp_common::webhook::SecretIn::Header("x-token".into()),
    );
    let _ = bird.verify(&request, now);
    let _ = gateway.verify(&request, now);
    let _ = blip.verify(&request, now);
    for events in [bird.decode(body), gateway.decode(body), blip.decode(body)] {
        match events {
            Ok(events) => {
                for e in events {
                    let _ = (e.dedup_key(), format!("{e:?}"));
                }
            }
            Err(e) => drop(format!("{e} {e:?}")),
        }
    }
});
