//! The vendor seam: what each vendor crate tells the shared pipeline about
//! its wire, in one place (`src/protocol.rs` of every vendor crate).
//!
//! [`HttpClient::call`](crate::HttpClient::call) runs a request through the
//! retry loop. After each answer the loop asks the [`Protocol`] for its
//! [`RetryClass`]; after the last one, a 2xx answer is decoded by
//! [`Protocol::decode`] and anything else is read into the vendor's typed
//! refusal by [`Protocol::refusal`], carried in [`Error::Vendor`] with the
//! class the loop acted on. What the loop did and what the error advises
//! come from the same function.
//!
//! ```
//! use std::fmt;
//! use whatsapp_common::http::{Method, Request, Response};
//! use whatsapp_common::{HttpClient, HttpConfig, Protocol, RawBody, Refusal};
//!
//! /// The vendor's refusal.
//! #[derive(Debug)]
//! struct ApiError { code: Option<String> }
//!
//! impl Refusal for ApiError {
//!     const VENDOR: &'static str = "example";
//!     type Code = String;
//!     fn code(&self) -> Option<String> { self.code.clone() }
//!     fn describe(&self, status: u16, body: &RawBody, f: &mut fmt::Formatter<'_>) -> fmt::Result {
//!         write!(f, "example refused the request: HTTP {status}; body: {body}")
//!     }
//! }
//!
//! struct Example;
//!
//! impl Protocol for Example {
//!     type ApiError = ApiError;
//!     const THROTTLING_IS_SAFE: bool = true; // a 429 is documented as "not processed"
//!     fn refusal(&self, response: &Response) -> ApiError {
//!         ApiError { code: response.json::<serde_json::Value>().ok().and_then(|v| v["code"].as_str().map(str::to_owned)) }
//!     }
//! }
//!
//! # async fn run(http: HttpClient) -> Result<(), whatsapp_common::Error<ApiError>> {
//! let request = Request::new("send", Method::Post, "/messages").json_body(b"{}".to_vec());
//! let answer: serde_json::Value = http.call(&Example, &request).await?;
//! # let _ = answer; Ok(()) }
//! ```

use serde::de::DeserializeOwned;

use crate::Accepted;
use crate::error::{Error, Refusal, RetryClass};
use crate::http::Response;

/// How one vendor's answers are read: retry class, typed refusal, success
/// decoding. Implemented once per vendor crate, in its `src/protocol.rs`.
pub trait Protocol: Send + Sync {
    /// The vendor's typed refusal (the crate's `ApiError`).
    type ApiError: Refusal;

    /// Whether the vendor documents a 429 as a refusal made before any
    /// processing, so that sending again cannot deliver twice.
    const THROTTLING_IS_SAFE: bool = false;

    /// The retry class of an answer, asked after every attempt. The default
    /// goes by status alone ([`RetryClass::from_status`]), with a 429
    /// [`RetryClass::Safe`] where [`Protocol::THROTTLING_IS_SAFE`]; a
    /// vendor that documents other "not processed" refusals returns
    /// [`RetryClass::Safe`] for them.
    fn retry_class(&self, response: &Response) -> RetryClass {
        match response.status() {
            429 if Self::THROTTLING_IS_SAFE => RetryClass::Safe,
            status => RetryClass::from_status(status),
        }
    }

    /// Reads the typed refusal from an answer that is not a 2xx. Never
    /// fails: a body that is not the vendor's error document leaves the
    /// typed parts empty (the raw body is kept beside them).
    fn refusal(&self, response: &Response) -> Self::ApiError;

    /// Decodes a 2xx answer; JSON by default. A vendor with another format
    /// (XML), or one that refuses inside a 2xx envelope, overrides it: such
    /// a refusal is an [`Error::Vendor`] built with
    /// [`VendorError::new`](crate::VendorError::new).
    fn decode<T: DeserializeOwned>(&self, response: &Response) -> Result<T, Error<Self::ApiError>> {
        Ok(response.json()?)
    }

    /// Decodes a 2xx answer leniently ([`Accepted`]): what
    /// [`HttpClient::call_accepted`](crate::HttpClient::call_accepted)
    /// uses. JSON by default ([`Response::json_accepted`]); a vendor that
    /// overrides [`Protocol::decode`] overrides this too.
    fn decode_accepted<T: DeserializeOwned>(
        &self,
        response: &Response,
    ) -> Result<Accepted<T>, Error<Self::ApiError>> {
        Ok(response.json_accepted()?)
    }
}
