//! CEC's side of the shared pipeline, for its two calls: which answers are
//! retried, how a refusal is read, how it maps to the vendor-neutral kinds,
//! and how a token answer is decoded without ever quoting it.

use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use whatsapp_common::http::Response;
use whatsapp_common::{DecodeError, Protocol, RawBody, Refusal, RetryClass, SendErrorKind};

use crate::{ApiError, Error, ErrorCode, Operation, ServiceException};

/// `sendWhatsappMessage`: JSON both ways; a refusal is its status, with the
/// OMNI error body when the service passes one through.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SendCall;

/// `tokenByAkSk`: JSON both ways; its error format is not documented, and
/// its answer holds the token, so no error ever quotes a 2xx answer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenCall;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireError {
    request_error: WireRequestError,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireRequestError {
    service_exception: ServiceException,
}

impl Protocol for SendCall {
    type ApiError = ApiError;

    /// 429 refuses before any processing: safe to send again whatever the
    /// client's `SendRetries`. Every other answer goes by its status.
    const THROTTLING_IS_SAFE: bool = true;

    fn refusal(&self, response: &Response) -> ApiError {
        ApiError {
            operation: Operation::Send,
            code: ErrorCode::from_status(response.status()),
            service_exception: serde_json::from_slice::<WireError>(response.body())
                .ok()
                .map(|w| w.request_error.service_exception),
        }
    }
}

impl Protocol for TokenCall {
    type ApiError = ApiError;

    /// A transient answer (429, 502, 503, 504) is retried like a read (the
    /// call is idempotent) and is [`RetryClass::Safe`]: a send that got no
    /// token sent nothing. Every other status is final.
    fn retry_class(&self, response: &Response) -> RetryClass {
        match RetryClass::from_status(response.status()) {
            RetryClass::IfDeduplicated => RetryClass::Safe,
            other => other,
        }
    }

    fn refusal(&self, response: &Response) -> ApiError {
        ApiError {
            operation: Operation::Token,
            code: ErrorCode::from_status(response.status()),
            service_exception: None,
        }
    }

    /// A 2xx answer that is not a token answer: the error says where the
    /// decoder stopped, never what it read.
    fn decode<T: DeserializeOwned>(&self, response: &Response) -> Result<T, Error> {
        let status = response.status();
        if response.is_truncated() {
            return Err(redacted(
                status,
                "the answer was longer than the client's max_response_bytes and was cut".into(),
            ));
        }
        serde_json::from_slice(response.body()).map_err(|e| {
            redacted(
                status,
                format!(
                    "the answer has no usable AccessToken ({:?} error at line {} column {})",
                    e.classify(),
                    e.line(),
                    e.column()
                ),
            )
        })
    }
}

/// A decode error for a token answer, whose body is left out: it may hold
/// a token.
pub(crate) fn redacted(status: u16, message: String) -> Error {
    DecodeError::new(
        status,
        ".",
        format!("{message}; the body is not shown, it may hold a token"),
        RawBody::default(),
    )
    .into()
}

impl Refusal for ApiError {
    const VENDOR: &'static str = crate::VENDOR;
    type Code = ErrorCode;

    fn code(&self) -> Option<ErrorCode> {
        Some(self.code)
    }

    fn send_error_kind(&self, _status: u16) -> SendErrorKind {
        if self.is_auth() {
            SendErrorKind::Auth
        } else {
            SendErrorKind::Vendor
        }
    }

    fn describe(&self, status: u16, body: &RawBody, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.operation {
            Operation::Token => {
                let reason = match self.code {
                    ErrorCode::BadRequest | ErrorCode::Unauthorized => {
                        "the app key and secret were refused"
                    }
                    other => other.hint(),
                };
                write!(
                    f,
                    "tokenByAkSk failed: HTTP {status}: {reason}; body: {body}"
                )
            }
            Operation::Send => {
                write!(
                    f,
                    "CEC refused the send: HTTP {status} ({})",
                    self.code.hint()
                )?;
                match &self.service_exception {
                    Some(e) => write!(
                        f,
                        ": {} {}",
                        e.message_id.as_deref().unwrap_or("-"),
                        e.text.as_deref().unwrap_or("")
                    ),
                    None if !body.is_empty() => write!(f, "; body: {body}"),
                    None => Ok(()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &[u8]) -> Response {
        Response::new(status, body.to_vec())
    }

    #[test]
    fn a_429_send_is_safe_and_the_rest_go_by_status() {
        assert_eq!(SendCall.retry_class(&answer(429, b"")), RetryClass::Safe);
        for status in [502, 503, 504] {
            assert_eq!(
                SendCall.retry_class(&answer(status, b"")),
                RetryClass::IfDeduplicated,
                "{status}"
            );
        }
        for status in [200, 400, 401, 404, 418, 500] {
            assert_eq!(
                SendCall.retry_class(&answer(status, b"")),
                RetryClass::Never,
                "{status}"
            );
        }
        // The token call is idempotent and a send without a token sent
        // nothing: its transient answers are safe to try again.
        for status in [429, 502, 503, 504] {
            let class = TokenCall.retry_class(&answer(status, b""));
            assert_eq!(class, RetryClass::Safe, "{status}");
        }
        for status in [400, 401, 404, 500] {
            let class = TokenCall.retry_class(&answer(status, b""));
            assert_eq!(class, RetryClass::Never, "{status}");
        }
    }

    #[test]
    fn refusals_name_their_call_and_status() {
        let body = br#"{"requestError":{"serviceException":{"messageId":"BAD_REQUEST","text":"Bad request"}}}"#;
        let send = SendCall.refusal(&answer(400, body));
        assert_eq!(
            (send.operation, send.code),
            (Operation::Send, ErrorCode::BadRequest)
        );
        let e = send
            .service_exception
            .as_ref()
            .map(|e| e.message_id.as_deref());
        assert_eq!(e, Some(Some("BAD_REQUEST")));
        assert_eq!(send.send_error_kind(400), SendErrorKind::Vendor);
        let token = TokenCall.refusal(&answer(503, body));
        assert_eq!(
            (token.operation, token.code, token.service_exception.clone()),
            (Operation::Token, ErrorCode::ServiceUnavailable, None)
        );
        assert_eq!(token.send_error_kind(503), SendErrorKind::Auth);
        let unauthorized = SendCall.refusal(&answer(401, b""));
        assert_eq!(unauthorized.send_error_kind(401), SendErrorKind::Auth);
        assert_eq!(
            SendCall.refusal(&answer(418, b"")).code,
            ErrorCode::Unknown(418)
        );
    }

    #[test]
    fn a_token_answer_is_never_quoted() {
        let err = TokenCall
            .decode::<crate::TokenResponse>(&answer(200, br#"{"Scope":"leak-me","AccessToken":1}"#))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("no usable AccessToken"), "{err}");
        assert!(!err.contains("leak-me"), "{err}");
    }
}
