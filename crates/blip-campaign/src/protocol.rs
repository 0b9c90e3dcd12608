//! Blip's side of the shared pipeline: which answers are retried, how a
//! failure envelope and an HTTP error are read, how they map to the
//! vendor-neutral kinds.

use std::fmt;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use whatsapp_common::http::Response;
use whatsapp_common::{
    Accepted, Protocol, RawBody, Refusal, RetryClass, SendErrorKind, VendorError,
};

use crate::codec::resource::accept_resource;
use crate::codec::resource::decode_resource;
use crate::codec::{CommandStatus, TypedAnswer};
use crate::{ApiError, CommandResponse, Error, ErrorCode, Reason};

/// LIME over HTTP for one command (`uri` names it in errors): a 2xx
/// answer is an envelope, `success` with the resource or `failure` with
/// LIME's reason.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lime<'a> {
    pub(crate) uri: &'a str,
}

/// The part of an envelope the classifier reads.
#[derive(Deserialize)]
struct Outcome {
    status: CommandStatus,
    #[serde(default)]
    reason: Option<Reason>,
}

/// The reason code of a failure envelope. A body that does not hold the
/// word `failure` (a success, however large) is not parsed.
fn failure_code(body: &[u8]) -> Option<ErrorCode> {
    // Every answer passes here: a success is let through by two quick
    // scans (any casing of `failure` contains one of these), and only a
    // body that may be a failure is parsed.
    static LOWER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"ailure"));
    static UPPER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"AILURE"));
    let may_fail = LOWER.find(body).is_some() || UPPER.find(body).is_some();
    if !may_fail {
        return None;
    }
    let outcome: Outcome = serde_json::from_slice(body).ok()?;
    if outcome.status == CommandStatus::Success {
        return None;
    }
    outcome.reason.map(|r| r.code)
}

impl Protocol for Lime<'_> {
    type ApiError = ApiError;

    /// HTTP 429 (over the plan's commands per second) is a refusal before
    /// any processing: safe to send again. In a failure envelope, reason 85
    /// (the gateway's request limit reached) is a throttling refusal too,
    /// and 86 (the gateway operation timed out) leaves open whether the
    /// command was carried out; every other failure is final. Any other
    /// status goes by itself.
    fn retry_class(&self, response: &Response) -> RetryClass {
        let status = response.status();
        if status == 429 {
            return RetryClass::Safe;
        }
        if !response.is_success() {
            return RetryClass::from_status(status);
        }
        match failure_code(response.body()) {
            Some(ErrorCode::GatewayRequestLimitReached) => RetryClass::Safe,
            Some(ErrorCode::GatewayOperationTimedOut) => RetryClass::IfDeduplicated,
            _ => RetryClass::Never,
        }
    }

    /// An HTTP error carries no LIME reason: its status and body are kept
    /// in the [`VendorError`] around it.
    fn refusal(&self, _response: &Response) -> ApiError {
        ApiError {
            uri: self.uri.to_owned(),
            reason: None,
        }
    }

    /// A `success` envelope's resource as `T`; a `failure` envelope as
    /// [`Error::Vendor`](whatsapp_common::Error::Vendor) with its reason.
    ///
    /// The envelope is read leniently: only `status: "failure"` is a
    /// refusal; an envelope whose `status` is missing or of another type
    /// answers a command Blip accepted.
    fn decode<T: DeserializeOwned>(&self, response: &Response) -> Result<T, Error> {
        let resource = self.accepted_resource(response)?;
        Ok(decode_resource(response.status(), resource.as_deref())?)
    }

    /// [`Protocol::decode`] with the resource read leniently.
    fn decode_accepted<T: DeserializeOwned>(
        &self,
        response: &Response,
    ) -> Result<Accepted<T>, Error> {
        let resource = self.accepted_resource(response)?;
        Ok(accept_resource(response.status(), resource.as_deref())?)
    }
}

impl Lime<'_> {
    /// The resource of a `success` envelope; a `failure` envelope as
    /// [`Error::Vendor`](whatsapp_common::Error::Vendor) with its reason.
    /// The envelope is read leniently: only `status: "failure"` is a
    /// refusal; one whose `status` is missing or of another type answers a
    /// command Blip accepted.
    fn accepted_resource(
        &self,
        response: &Response,
    ) -> Result<Option<Box<serde_json::value::RawValue>>, Error> {
        let answer = response.json_accepted::<TypedAnswer>()?.value;
        match answer.status {
            Some(CommandStatus::Failure) => Err(self.refused(response, answer.reason)),
            _ => Ok(answer.resource),
        }
    }

    /// The whole envelope of an accepted command (its `id`, `from`,
    /// `metadata`, …), read leniently: members of unexpected types are
    /// left out and named in its `warnings()`. Only `status: "failure"` is
    /// a refusal, read as [`Protocol::decode`] reads it.
    pub(crate) fn success_envelope(&self, response: &Response) -> Result<CommandResponse, Error> {
        let envelope: CommandResponse = response.json_accepted::<CommandResponse>()?.into();
        match envelope.status {
            Some(CommandStatus::Failure) => Err(self.refused(response, envelope.reason)),
            _ => Ok(envelope),
        }
    }

    /// A failure envelope in `response`, with `reason`, as the typed error.
    fn refused(&self, response: &Response, reason: Option<Reason>) -> Error {
        let api = ApiError {
            reason,
            ..self.refusal(response)
        };
        VendorError::new(response, api).into()
    }
}

impl Refusal for ApiError {
    const VENDOR: &'static str = crate::VENDOR;
    type Code = ErrorCode;

    fn code(&self) -> Option<ErrorCode> {
        self.reason.as_ref().map(|r| r.code)
    }

    /// HTTP 401 (the key refused) and reasons 31–35 (authorization) are
    /// [`SendErrorKind::Auth`].
    fn send_error_kind(&self, status: u16) -> SendErrorKind {
        if status == 401 || self.code().is_some_and(|c| c.is_auth()) {
            SendErrorKind::Auth
        } else {
            SendErrorKind::Vendor
        }
    }

    fn describe(&self, status: u16, body: &RawBody, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !(200..300).contains(&status) {
            return write!(f, "Blip answered HTTP {status}; body: {body}");
        }
        write!(f, "Blip refused the command {}: ", self.uri)?;
        match &self.reason {
            Some(reason) => {
                write!(f, "reason {}", reason.code)?;
                if let Some(name) = reason.code.name() {
                    write!(f, " ({name})")?;
                }
                let description = reason.description.as_deref();
                write!(f, ": {}", description.unwrap_or("no description"))
            }
            None => f.write_str("no reason given"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the classifier sees, as the pipeline hands it over.
    fn class(status: u16, body: &str) -> RetryClass {
        Lime { uri: "/x" }.retry_class(&Response::new(status, body.as_bytes().to_vec()))
    }

    fn failure(code: i64) -> String {
        format!(
            r#"{{"id":"1","method":"set","status":"failure","reason":{{"code":{code},"description":"x"}}}}"#
        )
    }

    #[test]
    fn classifies_statuses_and_failure_envelopes() {
        assert_eq!(class(429, ""), RetryClass::Safe);
        for status in [502, 503, 504] {
            assert_eq!(class(status, "<html>"), RetryClass::IfDeduplicated);
        }
        for status in [400, 401, 500] {
            assert_eq!(class(status, &failure(85)), RetryClass::Never);
        }
        assert_eq!(class(200, &failure(85)), RetryClass::Safe);
        assert_eq!(class(200, &failure(86)), RetryClass::IfDeduplicated);
        for code in [1, 21, 31, 60, 62, 64, 66, 81, 84, 87, 101] {
            assert_eq!(class(200, &failure(code)), RetryClass::Never, "{code}");
        }
        let upper = failure(85).replace("failure", "FAILURE");
        assert_eq!(class(200, &upper), RetryClass::Safe);
        let success = r#"{"status":"success","resource":{"failedReason":"failure","code":85}}"#;
        assert_eq!(class(200, success), RetryClass::Never);
        assert_eq!(class(200, "failure"), RetryClass::Never);
    }

    #[test]
    fn an_envelope_decodes_to_its_resource_or_its_reason() {
        let lime = Lime {
            uri: "/campaigns/x",
        };
        let ok = Response::new(
            200,
            br#"{"status":"success","resource":{"Id":"7"}}"#.to_vec(),
        );
        let v: serde_json::Value = lime.decode(&ok).unwrap();
        assert_eq!(v, serde_json::json!({"id": "7"}));
        let refused = Response::new(200, failure(66).into_bytes());
        let err = lime.decode::<serde_json::Value>(&refused).unwrap_err();
        assert_eq!(err.code(), Some(ErrorCode::CommandNotAllowed));
        assert_eq!(
            err.to_string(),
            "Blip refused the command /campaigns/x: reason 66 (COMMAND_NOT_ALLOWED): x"
        );
        let bare = Response::new(200, br#"{"status":"failure"}"#.to_vec());
        let err = lime.decode::<serde_json::Value>(&bare).unwrap_err();
        assert_eq!(
            (err.code(), err.to_string().as_str()),
            (
                None,
                "Blip refused the command /campaigns/x: no reason given"
            )
        );
    }

    #[test]
    fn neutral_kinds() {
        let api = |code: Option<i64>| ApiError {
            uri: "/x".into(),
            reason: code.map(|c| Reason {
                code: ErrorCode::from_i64(c),
                description: None,
            }),
        };
        assert_eq!(api(None).send_error_kind(401), SendErrorKind::Auth);
        assert_eq!(api(None).send_error_kind(400), SendErrorKind::Vendor);
        for code in 31..=35 {
            assert_eq!(api(Some(code)).send_error_kind(200), SendErrorKind::Auth);
        }
        for code in [30, 36, 66, 85] {
            assert_eq!(api(Some(code)).send_error_kind(200), SendErrorKind::Vendor);
        }
    }
}
