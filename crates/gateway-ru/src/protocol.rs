//! The gateway's side of the shared pipeline: which answers are retried,
//! how a refusal is read, how it maps to the vendor-neutral kinds.

use std::fmt;

use serde::Deserialize;
use whatsapp_common::http::Response;
use whatsapp_common::{Protocol, RawBody, Refusal, RetryClass, SendErrorKind};

use crate::{ApiError, ErrorCode};

/// The gateway's protocol: JSON both ways, error documents with a code.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gateway;

#[derive(Deserialize)]
struct WireError {
    error: WireErrorInner,
    #[serde(rename = "extendedDescription", default)]
    extended_description: Option<String>,
}

#[derive(Deserialize)]
struct WireErrorInner {
    code: ErrorCode,
    #[serde(default)]
    description: Option<String>,
}

fn read_error(body: &[u8]) -> Option<WireError> {
    serde_json::from_slice(body).ok()
}

impl Protocol for Gateway {
    type ApiError = ApiError;

    /// Codes 1 (service unavailable) and 3 (too many connections) are
    /// refusals before any processing: safe to send again. Any other
    /// documented code is final; an answer without one goes by its status.
    fn retry_class(&self, response: &Response) -> RetryClass {
        if response.is_success() {
            return RetryClass::Never;
        }
        match read_error(response.body()) {
            Some(w) => match w.error.code {
                ErrorCode::ServiceUnavailable | ErrorCode::TooManyConnections => RetryClass::Safe,
                _ => RetryClass::Never,
            },
            None => RetryClass::from_status(response.status()),
        }
    }

    fn refusal(&self, response: &Response) -> ApiError {
        match read_error(response.body()) {
            Some(w) => ApiError {
                code: Some(w.error.code),
                description: w.error.description,
                extended_description: w.extended_description,
            },
            None => ApiError::default(),
        }
    }
}

impl Refusal for ApiError {
    const VENDOR: &'static str = crate::VENDOR;
    type Code = ErrorCode;

    fn code(&self) -> Option<ErrorCode> {
        self.code
    }

    fn send_error_kind(&self, _status: u16) -> SendErrorKind {
        match self.code {
            Some(code) if code.is_auth() => SendErrorKind::Auth,
            _ => SendErrorKind::Vendor,
        }
    }

    fn describe(&self, status: u16, body: &RawBody, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gateway refused the request: HTTP {status}")?;
        match self.code {
            Some(code) => {
                let desc = self.description.as_deref().unwrap_or(code.description());
                write!(f, ", error {code} ({desc})")?;
                if let Some(ext) = &self.extended_description {
                    write!(f, ": {ext}")?;
                }
                Ok(())
            }
            None => write!(f, ", body: {body}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_documented_codes() {
        let body = |code: i64| format!(r#"{{"error":{{"code":{code},"description":"x"}}}}"#);
        let mut cases = vec![
            (503, body(1), RetryClass::Safe),
            (429, body(3), RetryClass::Safe),
            (502, "<html>".to_owned(), RetryClass::IfDeduplicated),
            (500, "<html>".to_owned(), RetryClass::Never),
            (200, "{}".to_owned(), RetryClass::Never),
        ];
        for code in [2, 4, 5, 6, 7, 8, 9, 10, 11, 100, 77] {
            let status = ErrorCode::from_i64(code)
                .documented_http_status()
                .unwrap_or(400);
            cases.push((status, body(code), RetryClass::Never));
        }
        for (status, body, class) in cases {
            let response = Response::new(status, body.clone().into_bytes());
            assert_eq!(Gateway.retry_class(&response), class, "{status} {body}");
        }
    }
}
