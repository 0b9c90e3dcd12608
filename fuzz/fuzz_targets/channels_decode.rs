//! channels: messages, webhooks, channel details, error bodies and message
//! bodies, from any bytes.
#![no_main]

use channels::{ApiError, Body, ContactChannelInfo, Message, WebhookEvent};
use libfuzzer_sys::fuzz_target;
use whatsapp_common::DecodeError;

fuzz_target!(|data: &[u8]| {
    let _ = WebhookEvent::from_json(data);
    if let Err(e) = DecodeError::json::<Message>(200, data, false) {
        let _ = format!("{e} {e:?}");
    }
    let _ = serde_json::from_slice::<ContactChannelInfo>(data);
    let _ = format!("{:?}", ApiError::from_body(data));
    // A body that decodes encodes again, and that encoding decodes.
    if let Ok(body) = serde_json::from_slice::<Body>(data) {
        let bytes = serde_json::to_vec(&body).expect("a decoded body encodes");
        serde_json::from_slice::<Body>(&bytes).expect("an encoded body decodes");
    }
});
