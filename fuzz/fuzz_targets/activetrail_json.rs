//! activetrail: both JSON documents, from any bytes.
#![no_main]

use activetrail::{ReceivedMessage, SendResponse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = SendResponse::from_json(data) {
        let _ = format!("{e} {e:?}");
    }
    let _ = ReceivedMessage::from_json(data);
});
