//! The Bird Channels client.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use whatsapp_common::http::{Endpoint, Method, Request, encode_json};
use whatsapp_common::{
    ConfigError, ExposeSecret, HttpClient, HttpConfig, Idempotency, SecretString, ValidationError,
    validate,
};

use crate::model::batch::BatchRequest;
use crate::protocol::Bird;
use crate::{BatchAccepted, BatchProgress, ContactChannelInfo, Error, Message, SendRequest};
use crate::{TemplateVersion, VENDOR};
use whatsapp_common::Accepted;

mod messages;

/// Bird's API host.
pub const DEFAULT_BASE_URL: &str = "https://api.bird.com";
/// Most messages in one batch request.
pub const MAX_BATCH: usize = 100;

/// A Bird Channels client for one WhatsApp channel: cheap to clone (an
/// `Arc` inside), `Send + Sync`.
///
/// ```no_run
/// # async fn run() -> Result<(), channels::Error> {
/// use channels::{Body, Client, SendRequest};
///
/// let client = Client::builder(
///     "your-access-key",
///     "3fa85f64-5717-4562-b3fc-2c963f66afa6", // workspace
///     "8e046034-bca7-5124-89d0-1a64c1cbe819", // channel
/// )
/// .build()?;
/// let to = "+31 6 12345678".parse()?;
/// let info = client.contact_channel_info("40d5c607-d73d-4d39-bc7f-5416cdb61ee8", None).await?;
/// if info.is_window_open() {
///     let sent = client.send(&SendRequest::builder(to, Body::text("Hello")).build()?).await?;
///     println!("{:?} is {:?}", sent.id, sent.status);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: HttpClient,
    /// The channel's send and batch URLs, resolved once.
    send: Endpoint,
    batch: Endpoint,
    /// `/workspaces/{workspaceId}/channels/{channelId}`.
    channel_path: String,
    template_project: Option<(String, TemplateVersion)>,
}

/// Builds a [`Client`].
///
/// Bird documents no de-duplication for sends: a send carries no id Bird
/// would recognise on a second attempt. By default
/// ([`SendRetries::IfNotProcessed`](crate::SendRetries::IfNotProcessed)) a
/// send is retried only after a 429, which Bird documents as "not
/// processed", or a connection that was never made.
/// `.send_retries(SendRetries::IfDeduplicated)` also retries a send after a
/// timeout, a dropped connection or a 502/503/504, any of which Bird may
/// have acted on: the message may then be delivered twice. The contact
/// read is retried after those either way.
#[derive(Debug)]
pub struct ClientBuilder {
    http: HttpConfig,
    access_key: SecretString,
    workspace_id: String,
    channel_id: String,
    template_project: Option<(String, TemplateVersion)>,
}

whatsapp_common::impl_http_builder_methods!(ClientBuilder, Client, Error);

impl ClientBuilder {
    /// Maps the vendor-neutral
    /// [`WhatsAppSender::send_template`](crate::WhatsAppSender::send_template)
    /// onto Bird templates: Bird addresses a template by project id, not by
    /// name, so sends through the trait use this project at this version
    /// (`latest` or a version id), and `locale` from the template's
    /// language.
    #[must_use]
    pub fn template_project(
        mut self,
        project_id: impl Into<String>,
        version: impl Into<String>,
    ) -> Self {
        let version = version.into();
        let version = if version == "latest" {
            TemplateVersion::Latest
        } else {
            TemplateVersion::Id(version)
        };
        self.template_project = Some((project_id.into(), version));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let config = |field, e: ValidationError| ConfigError::new(field, e.reason().to_owned());
        validate::credential(self.access_key.expose_secret(), "access_key")?;
        validate::uuid(&self.workspace_id, "workspaceId").map_err(|e| config("workspace_id", e))?;
        validate::uuid(&self.channel_id, "channelId").map_err(|e| config("channel_id", e))?;
        // The joined value is a secret too: zeroed when it is dropped.
        let value = SecretString::from(format!("AccessKey {}", self.access_key.expose_secret()));
        let mut http = self.http;
        http.set_credential("authorization", value.expose_secret(), "access_key")?;
        let http = HttpClient::new(VENDOR, http, Some(DEFAULT_BASE_URL))?;
        let channel_path = format!(
            "/workspaces/{}/channels/{}",
            self.workspace_id, self.channel_id
        );
        Ok(Client {
            inner: Arc::new(Inner {
                send: http.endpoint(&format!("{channel_path}/messages"))?,
                batch: http.endpoint(&format!("{channel_path}/batch/messages"))?,
                http,
                channel_path,
                template_project: self.template_project,
            }),
        })
    }
}

impl Client {
    /// Starts building a client with an access key, a workspace id and the
    /// WhatsApp channel id (both UUIDs).
    pub fn builder(
        access_key: impl Into<SecretString>,
        workspace_id: impl Into<String>,
        channel_id: impl Into<String>,
    ) -> ClientBuilder {
        ClientBuilder {
            http: HttpConfig::default(),
            access_key: access_key.into(),
            workspace_id: workspace_id.into(),
            channel_id: channel_id.into(),
            template_project: None,
        }
    }

    /// The project and version set with [`ClientBuilder::template_project`].
    pub(crate) fn template_project(&self) -> Option<&(String, TemplateVersion)> {
        self.inner.template_project.as_ref()
    }

    /// `req` with `Accept: application/json` (the client adds the access
    /// key).
    fn authorized(&self, req: Request) -> Result<Request, Error> {
        Ok(req.header("accept", "application/json")?)
    }

    async fn call<T: DeserializeOwned>(&self, req: Request) -> Result<T, Error> {
        self.inner.http.call(&Bird, &req).await
    }

    /// Sends a message (`202 Accepted` with the message object).
    ///
    /// Sends carry no de-duplication id: by default a send that may have
    /// reached Bird is not retried (see [`ClientBuilder`]); a 429, which
    /// Bird documents as "not processed", and connect failures are.
    pub async fn send(&self, request: &SendRequest) -> Result<Message, Error> {
        let body = encode_json(request)?;
        let req = self
            .inner
            .http
            .request("createChannelMessage", Method::Post, &self.inner.send);
        let req = self.authorized(req)?.json_body(body);
        let accepted: Accepted<Message> = self.inner.http.call_accepted(&Bird, &req).await?;
        Ok(accepted.into())
    }

    /// The contact's channel details: when the 24-hour window closes.
    /// `contact_id` is Bird's contact UUID; `identifier_value` optionally
    /// narrows to one of the contact's identifiers. A read: retried after
    /// any transient failure.
    pub async fn contact_channel_info(
        &self,
        contact_id: &str,
        identifier_value: Option<&str>,
    ) -> Result<ContactChannelInfo, Error> {
        validate::uuid(contact_id, "contactId")?;
        let mut path = format!("{}/contacts/{contact_id}", self.inner.channel_path);
        if let Some(v) = identifier_value {
            path.push_str("?contactIdentifierValue=");
            path.push_str(&validate::percent_encode(v, b""));
        }
        let req = self
            .inner
            .http
            .request_path("getChannelContactInformation", Method::Get, path);
        self.call(self.authorized(req)?.idempotency(Idempotency::Idempotent))
            .await
    }

    /// Sends many messages through the batch endpoint, [`MAX_BATCH`] per
    /// request, one request after another, and records each chunk in
    /// `progress`, which the caller owns, as its answer comes.
    ///
    /// - A chunk gets an outcome and the batch goes on when the error
    ///   concerns that chunk alone: a 4xx refusal of its content (400,
    ///   404, 409, 422, …), or a 2xx answer that is not JSON at all (Bird
    ///   accepted the chunk: do not send it again).
    /// - An error that would fail every later chunk too, or leaves unknown
    ///   what Bird did, stops the batch and is returned: 401 or 403 (the
    ///   access key is refused), 429 or any answer with a `Retry-After`
    ///   (the retry loop gave up: a pause beyond its
    ///   [`max_retry_after`](crate::RetryPolicy::max_retry_after), or its
    ///   attempts used up), a 5xx, a transport failure. Nothing after it
    ///   is sent. The chunk that failed gets no outcome: it stays
    ///   [in flight](crate::Progress::in_flight).
    /// - If the caller drops the future (a timeout, a cancelled task), the
    ///   chunks finished before are in `progress` all the same, and
    ///   [`in_flight`](crate::Progress::in_flight) names the chunk whose
    ///   request was under way.
    ///
    /// A chunk in flight may have been accepted: after a 5xx, a timeout, a
    /// broken connection or a dropped future, Bird may have acted on it
    /// (after a 401, 403 or 429 it did not, and the returned error says
    /// which it was). Calling again with the same `requests` and `progress`
    /// resumes with the chunk in flight, or after the last finished chunk
    /// ([`next_index`](crate::Progress::next_index)); where a duplicate
    /// matters, check the chunk in flight first (your messages'
    /// `reference`). A `progress` that already covers every request sends
    /// nothing.
    ///
    /// Each chunk is one request through the retry loop, retried like a
    /// send (see [`ClientBuilder`]). Before anything is sent, an empty
    /// `requests`, or a `progress` recording more messages than `requests`
    /// holds (the progress of other messages), is a validation error.
    ///
    /// ```
    /// # #[cfg(feature = "mock")]
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use channels::mock::{CHANNEL_ID, MockBird, MockVendor, ResponseTemplate, WORKSPACE_ID};
    /// # let bird = MockBird::start().await;
    /// # let client = Client::builder("your-access-key", WORKSPACE_ID, CHANNEL_ID).base_url(bird.uri()).build()?;
    /// use std::time::Duration;
    /// use channels::{BatchProgress, Body, Client, PhoneNumber, SendRequest};
    ///
    /// let to: PhoneNumber = "+31 6 12345678".parse()?;
    /// let requests = (0..250)
    ///     .map(|i| SendRequest::builder(to.clone(), Body::text(format!("Update {i}"))).build())
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// // Here Bird accepts the first chunk and refuses the access key on the second.
    /// # bird.respond_next(ResponseTemplate::new(202).set_body_string(r#"{"batchId":"b-1"}"#), 1).await;
    /// # bird.respond_next(ResponseTemplate::new(401), 1).await;
    ///
    /// let mut progress = BatchProgress::new(); // yours: it outlives the call
    /// let sent = tokio::time::timeout(
    ///     Duration::from_secs(60),
    ///     client.send_batch(&requests, &mut progress),
    /// )
    /// .await;
    /// // Whatever ended it (all sent, an error, the timeout dropping the
    /// // future), `progress` says what was done.
    /// let error = sent.expect("in time").expect_err("stopped");
    /// assert_eq!(error.status(), Some(401));
    /// let done: Vec<_> = progress.chunks().iter().map(|c| (c.first_index, c.len)).collect();
    /// assert_eq!(done, [(0, 100)]);
    /// let first = progress.chunks()[0].outcome.as_ref().expect("accepted");
    /// assert_eq!(first.batch_id.as_deref(), Some("b-1"));
    /// // Messages 100..200 were under way: after a 401, Bird processed nothing.
    /// assert_eq!(progress.in_flight(), Some((100, 100)));
    ///
    /// // Once the key is fixed, the same call sends only what is left.
    /// client.send_batch(&requests, &mut progress).await?;
    /// assert_eq!((progress.next_index(), progress.in_flight()), (250, None));
    /// # Ok(()) }
    /// # #[cfg(not(feature = "mock"))]
    /// # fn main() {}
    /// ```
    pub async fn send_batch(
        &self,
        requests: &[SendRequest],
        progress: &mut BatchProgress,
    ) -> Result<(), Error> {
        if requests.is_empty() {
            return Err(ValidationError::new("requests", "must hold at least one message").into());
        }
        for (first, chunk) in progress.remaining(requests, MAX_BATCH)? {
            progress.start(first, chunk.len());
            match self.send_chunk(chunk).await {
                Ok(accepted) => progress.finish(Ok(accepted)),
                Err(e) if stops_the_batch(&e) => return Err(e),
                Err(e) => progress.finish(Err(Arc::new(e))),
            }
        }
        Ok(())
    }

    async fn send_chunk(&self, chunk: &[SendRequest]) -> Result<BatchAccepted, Error> {
        let body = encode_json(&BatchRequest {
            message_requests: chunk,
        })?;
        let req = self.inner.http.request(
            "createChannelBatchMessages",
            Method::Post,
            &self.inner.batch,
        );
        let req = self.authorized(req)?.json_body(body);
        let accepted: Accepted<BatchAccepted> = self.inner.http.call_accepted(&Bird, &req).await?;
        Ok(accepted.into())
    }
}

/// Whether `error`, the answer to one chunk of a batch, stops the batch
/// (`true`: [`Client::send_batch`] returns it, nothing more is sent) or is
/// that chunk's own outcome (`false`: recorded, the batch goes on). The one
/// place this is decided.
///
/// It stops the batch when it would fail every later chunk too, or leaves
/// unknown what Bird did with the chunk:
/// - 401, 403: the access key is refused, for every chunk alike;
/// - 429, or any answer with a `Retry-After`: Bird asked for a pause and
///   the retry loop gave up (the pause was beyond its cap, or its attempts
///   were used up); sending on would ignore the pause;
/// - 5xx (and any status that is not 4xx): Bird failed, and may have
///   acted on the chunk;
/// - a transport failure: Bird could not be reached, or the chunk may have
///   been sent without an answer;
/// - a configuration error, and any error this version does not know.
///
/// It is the chunk's own when it concerns that chunk alone: any other 4xx
/// (Bird refused its content), a validation error (its body would not
/// encode; nothing was sent), a decode error (a 2xx: Bird accepted it).
fn stops_the_batch(error: &Error) -> bool {
    match error {
        Error::Vendor(v) => {
            let status = v.status();
            v.retry_after().is_some()
                || matches!(status, 401 | 403 | 429)
                || !(400..500).contains(&status)
        }
        Error::Validation(_) | Error::Decode(_) => false,
        Error::Transport(_) | Error::Config(_) => true,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiError;
    use whatsapp_common::http::Response;
    use whatsapp_common::{DecodeError, TransportError, TransportErrorKind, VendorError};

    fn refusal(status: u16, body: &str) -> Error {
        let response = Response::new(status, body.as_bytes().to_vec());
        VendorError::new(&response, ApiError::from_body(body.as_bytes())).into()
    }

    #[test]
    fn only_errors_that_would_fail_every_chunk_stop_the_batch() {
        let bird = |code: &str| format!(r#"{{"code":"{code}","message":"m"}}"#);
        let transport = |kind| TransportError::new(kind, "test", None).into();
        let cases: Vec<(&str, Error, bool)> = vec![
            ("401", refusal(401, ""), true),
            ("403", refusal(403, "<html>"), true),
            ("429", refusal(429, &bird("TooManyRequests")), true),
            ("500", refusal(500, ""), true),
            ("502", refusal(502, "<html>"), true),
            ("503", refusal(503, ""), true),
            ("504", refusal(504, ""), true),
            ("a 3xx", refusal(307, ""), true),
            ("connect", transport(TransportErrorKind::Connect), true),
            ("timeout", transport(TransportErrorKind::Timeout), true),
            ("broken connection", transport(TransportErrorKind::Io), true),
            ("redirect", transport(TransportErrorKind::Redirect), true),
            ("config", ConfigError::new("base_url", "test").into(), true),
            ("400", refusal(400, &bird("InvalidPayload")), false),
            ("404", refusal(404, &bird("NotFound")), false),
            ("409", refusal(409, &bird("Conflict")), false),
            ("413", refusal(413, ""), false),
            ("422", refusal(422, &bird("MalformedRequest")), false),
            (
                "validation",
                ValidationError::new("request", "test").into(),
                false,
            ),
            (
                "a 2xx that would not decode",
                DecodeError::json::<BatchAccepted>(202, b"<html>", false)
                    .unwrap_err()
                    .into(),
                false,
            ),
        ];
        for (what, error, stops) in cases {
            assert_eq!(stops_the_batch(&error), stops, "{what}: {error}");
        }
    }
}
