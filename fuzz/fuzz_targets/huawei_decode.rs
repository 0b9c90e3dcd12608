//! huawei-cec: the token answer and the send answer, from any bytes.
#![no_main]

use huawei_cec::{SendResponse, ServiceException, TokenResponse};
use libfuzzer_sys::fuzz_target;
use whatsapp_common::DecodeError;

fuzz_target!(|data: &[u8]| {
    match DecodeError::json::<TokenResponse>(200, data, false) {
        Ok(t) => {
            // The token itself never reaches Debug.
            let _ = format!("{t:?}");
        }
        Err(e) => {
            let _ = format!("{e} {e:?}");
        }
    }
    if let Ok(r) = DecodeError::json::<SendResponse>(200, data, false) {
        let _ = format!("{r:?}");
    }
    let _ = serde_json::from_slice::<ServiceException>(data);
});
