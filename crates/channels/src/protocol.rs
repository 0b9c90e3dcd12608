//! Bird's side of the shared pipeline: which answers are retried, how a
//! refusal is read, how it maps to the vendor-neutral kinds.

use std::fmt;

use whatsapp_common::http::Response;
use whatsapp_common::{Protocol, RawBody, Refusal};

use crate::{ApiError, ErrorCode};

/// Bird's protocol: JSON both ways, error bodies `{code, message, details}`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bird;

impl Protocol for Bird {
    type ApiError = ApiError;

    /// 429: Bird documents that a throttled request "has not been processed
    /// and can be retried". Every other answer goes by its status (502, 503
    /// and 504 may have been processed).
    const THROTTLING_IS_SAFE: bool = true;

    fn refusal(&self, response: &Response) -> ApiError {
        ApiError::from_body(response.body())
    }
}

impl Refusal for ApiError {
    const VENDOR: &'static str = crate::VENDOR;
    type Code = ErrorCode;

    fn code(&self) -> Option<ErrorCode> {
        self.code.clone()
    }

    /// `Bird refused the request: HTTP 422 MalformedRequest: …; .name:
    /// Property 'name' is missing`; the start of the body where it was not
    /// Bird's JSON.
    fn describe(&self, status: u16, body: &RawBody, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bird refused the request: HTTP {status}")?;
        if !self.has_body() {
            return if body.is_empty() {
                Ok(())
            } else {
                write!(f, "; body: {body}")
            };
        }
        if let Some(c) = &self.code {
            write!(f, " {c}")?;
        }
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        for (field, msgs) in self.details.iter().flatten() {
            write!(f, "; {field}: {}", msgs.join(" "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use whatsapp_common::RetryClass;

    /// What the classifier sees, as the pipeline hands it over.
    fn class(status: u16, body: &[u8]) -> RetryClass {
        Bird.retry_class(&Response::new(status, body.to_vec()))
    }

    #[test]
    fn classifies_by_birds_rules() {
        assert_eq!(class(429, b""), RetryClass::Safe);
        assert_eq!(
            class(429, br#"{"code":"x","message":"slow"}"#),
            RetryClass::Safe
        );
        for status in [502, 503, 504] {
            assert_eq!(class(status, b"<html>"), RetryClass::IfDeduplicated);
        }
        for status in [200, 202, 400, 401, 403, 404, 409, 422, 500, 501] {
            assert_eq!(class(status, b"{}"), RetryClass::Never, "{status}");
        }
        let body = |code: &str| format!(r#"{{"code":"{code}","message":"m"}}"#);
        for code in ["NotFound", "MalformedRequest", "InvalidPayload"] {
            let code = ErrorCode::from_wire(code);
            let status = code.documented_http_status().unwrap_or(400);
            assert_eq!(
                class(status, body(code.as_str()).as_bytes()),
                RetryClass::Never,
                "{code}"
            );
        }
    }

    #[test]
    fn refusals_read_the_documented_bodies() {
        let r = Bird.refusal(&Response::new(
            422,
            br#"{"code":"MalformedRequest","message":"bad","details":{".name":["missing"]}}"#
                .to_vec(),
        ));
        assert_eq!(r.code, Some(ErrorCode::MalformedRequest));
        assert_eq!(r.details.unwrap()[".name"], ["missing"]);
        let other = Bird.refusal(&Response::new(
            409,
            br#"{"code":"Conflict","message":"x"}"#.to_vec(),
        ));
        assert_eq!(other.code, Some(ErrorCode::Unknown("Conflict".into())));
        // Not Bird's error JSON, or no code and no message: nothing typed.
        for body in [
            &b""[..],
            b"<html>",
            br#"{"details":{"a":["b"]}}"#,
            br#"{"code":7}"#,
        ] {
            assert_eq!(
                Bird.refusal(&Response::new(500, body.to_vec())),
                ApiError::default()
            );
        }
    }
}
