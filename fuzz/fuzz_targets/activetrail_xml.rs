//! activetrail: the DataContract XML reader and both XML documents, from any
//! bytes. A response that decodes writes back to XML that decodes to the
//! same value.
#![no_main]

use activetrail::{ReceivedMessage, SendResponse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = activetrail::xml::parse(data);
    match SendResponse::from_xml(data) {
        Ok(response) => {
            let again = SendResponse::from_xml(response.to_xml().as_bytes())
                .expect("a decoded response writes back to readable XML");
            assert_eq!(
                again, response,
                "XML → response → XML → response changed it"
            );
        }
        Err(e) => {
            let _ = format!("{e} {e:?}");
        }
    }
    if let Err(e) = ReceivedMessage::from_xml(data) {
        let _ = format!("{e}");
    }
});
