//! gateway-ru: the send answer and both callback payloads, from any bytes.
//! Every outcome is a value or a typed error, and every error prints.
#![no_main]

use gateway_ru::{DeliveryStatus, InboundMessage, SendResponse};
use libfuzzer_sys::fuzz_target;
use whatsapp_common::{DecodeError, RawBody};

fuzz_target!(|data: &[u8]| {
    if let Err(e) = DecodeError::json::<SendResponse>(200, data, false) {
        let _ = format!("{e} {e:?}");
    }
    if let Err(e) = DeliveryStatus::from_json(data) {
        let _ = format!("{e}");
    }
    if let Ok(m) = InboundMessage::from_json(data) {
        let _ = format!("{m:?}");
    }
    for truncated in [false, true] {
        let raw = RawBody::capture(data, truncated);
        let _ = format!("{raw} {raw:?}");
    }
});
