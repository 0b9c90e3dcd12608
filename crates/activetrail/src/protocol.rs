//! ActiveTrail's side of the shared pipeline: the wire format, how an answer
//! is decoded, how a refusal is read, how it maps to the vendor-neutral
//! kinds.

use std::fmt;

use serde::de::DeserializeOwned;
use whatsapp_common::Accepted;
use whatsapp_common::http::Response;
use whatsapp_common::{Protocol, RawBody, Refusal};

use crate::codec::{self, Format};
use crate::{ApiError, Error, ErrorBody, ErrorCode};

/// ActiveTrail's protocol, in one wire format. ActiveTrail documents no
/// "not processed" answers, so answers are classified by status alone (the
/// default [`Protocol::retry_class`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ActiveTrail {
    pub(crate) format: Format,
}

impl Protocol for ActiveTrail {
    type ApiError = ApiError;

    fn refusal(&self, response: &Response) -> ApiError {
        ApiError {
            code: ErrorCode::named_in(response.status(), response.body()),
            body: error_body(response.body()),
        }
    }

    /// A 2xx answer read strictly into `T`, in the client's format: JSON
    /// where XML was asked for (or the reverse), a cut body, another root
    /// element or namespace, a value that does not fit are decode errors.
    /// Sends do not come here: [`Client::send`](crate::Client::send) reads
    /// its answer leniently (`codec::accept_send_response`).
    fn decode<T: DeserializeOwned>(&self, response: &Response) -> Result<T, Error> {
        Ok(codec::decode(
            self.format,
            codec::SEND_RESPONSE_ROOT,
            response.status(),
            response.body(),
            response.is_truncated(),
        )?)
    }

    /// A 2xx answer read strictly, as [`Protocol::decode`] does: this
    /// client's lenient reading is for sends only, whose answer has one
    /// type (`codec::accept_send_response`).
    fn decode_accepted<T: DeserializeOwned>(
        &self,
        response: &Response,
    ) -> Result<Accepted<T>, Error> {
        let value = self.decode(response)?;
        Ok(Accepted::new(value, Vec::new()))
    }
}

/// The ASP.NET error body, in either format: a JSON object, a bare JSON
/// string, or an XML `<Error>` document. Anything else (an HTML page) is
/// `None`.
fn error_body(body: &[u8]) -> Option<ErrorBody> {
    let trimmed = body.trim_ascii_start();
    match trimmed.first() {
        Some(b'{') => serde_json::from_slice(trimmed).ok(),
        Some(b'"') => serde_json::from_slice::<String>(trimmed)
            .ok()
            .map(|m| ErrorBody {
                message: Some(m),
                ..ErrorBody::default()
            }),
        #[cfg(feature = "xml")]
        Some(b'<' | 0xEF) => codec::read_error_xml(body),
        _ => None,
    }
}

impl Refusal for ApiError {
    const VENDOR: &'static str = crate::VENDOR;
    type Code = ErrorCode;

    fn code(&self) -> Option<ErrorCode> {
        self.code.clone()
    }

    /// `ActiveTrail refused the request: HTTP 403 (UserDisabled): …`: the
    /// glossary name the body mentions, or the first documented under the
    /// status; the body's message, or the body itself; each `ModelState`
    /// entry.
    fn describe(&self, status: u16, body: &RawBody, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ActiveTrail refused the request: HTTP {status}")?;
        if let Some(name) = self
            .code
            .as_ref()
            .or_else(|| ErrorCode::documented_under(status).next())
        {
            write!(f, " ({name})")?;
        }
        match self.message() {
            Some(m) => write!(f, ": {m}")?,
            None if !body.is_empty() => write!(f, "; body: {body}")?,
            None => {}
        }
        if let Some(ms) = self.body.as_ref().and_then(|b| b.model_state.as_ref()) {
            for (field, messages) in ms.pairs() {
                write!(f, "; {field}: {}", messages.join(" "))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use whatsapp_common::RetryClass;

    fn refusal(status: u16, body: &str) -> ApiError {
        ActiveTrail {
            format: Format::Json,
        }
        .refusal(&Response::new(status, body.as_bytes().to_vec()))
    }

    #[test]
    fn answers_are_classified_by_status() {
        let protocol = ActiveTrail {
            format: Format::Json,
        };
        for (status, class) in [
            (200, RetryClass::Never),
            (400, RetryClass::Never),
            (401, RetryClass::Never),
            (500, RetryClass::Never),
            (429, RetryClass::IfDeduplicated),
            (502, RetryClass::IfDeduplicated),
            (503, RetryClass::IfDeduplicated),
            (504, RetryClass::IfDeduplicated),
        ] {
            let answer = Response::new(status, br#"{"Message":"x"}"#.to_vec());
            assert_eq!(protocol.retry_class(&answer), class, "{status}");
        }
    }

    #[test]
    fn the_most_specific_name_under_the_status_is_the_code() {
        let body = r#"{"Message":"UserDisabled: Forbidden"}"#;
        assert_eq!(refusal(403, body).code, Some(ErrorCode::UserDisabled));
        assert_eq!(refusal(400, body).code, None, "not documented under 400");
        let body = "MethodNotAllowedDoNotMail";
        assert_eq!(
            refusal(405, body).code,
            Some(ErrorCode::MethodNotAllowedDoNotMail)
        );
        assert_eq!(
            refusal(400, "JSONParseError BadRequest").code,
            Some(ErrorCode::JsonParseError)
        );
        let html = refusal(502, "<html><h1>502 Bad Gateway</h1></html>");
        assert_eq!(html, ApiError::default());
    }

    #[test]
    fn every_documented_name_has_its_status() {
        assert_eq!(ErrorCode::DOCUMENTED.len(), 11);
        for code in ErrorCode::DOCUMENTED {
            let status = code.documented_http_status().unwrap();
            assert!(ErrorCode::documented_under(status).any(|c| c == code));
            assert_eq!(ErrorCode::from_wire(code.as_str()), *code);
        }
        assert_eq!(ErrorCode::JsonParseError.as_str(), "JSONParseError");
        assert_eq!(ErrorCode::ApiKeyMissing.as_str(), "APIKeyMissing");
        assert_eq!(
            ErrorCode::Unknown("X".into()).documented_http_status(),
            None
        );
    }
}
