//! The batch endpoint: its request body, its answer, and the progress of a
//! batch sent in chunks of up to 100 messages.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use whatsapp_common::{DecodeWarning, Progress};

use super::request::SendRequest;

/// The batch request body, Bird's `CreateBatchMessages`:
/// `{"messageRequests": [CreateMessage, …]}`, 1 to 100 messages
/// (<https://docs.bird.com/api/channels-api/send-batch-messages>).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BatchRequest<'a> {
    pub(crate) message_requests: &'a [SendRequest],
}

/// How one chunk of a [`Client::send_batch`](crate::Client::send_batch)
/// went: Bird's answer, or the error that concerns this chunk alone (Bird
/// refused its content, or accepted it with an answer that would not
/// decode). An error that ends the batch is not an outcome: `send_batch`
/// returns it.
pub type BatchOutcome = Result<BatchAccepted, Arc<crate::Error>>;

/// The caller's record of a [`Client::send_batch`](crate::Client::send_batch):
/// the chunks that finished, each with its [`BatchOutcome`], and the chunk
/// whose request was under way. Pass the same value again to resume.
pub type BatchProgress = Progress<BatchOutcome>;

/// Bird's answer to a batch request.
///
/// Read leniently, as every accepted answer is: a member that does not fit
/// its type (a `batchId` that is not a string) is left out of
/// [`BatchAccepted::batch_id`] and [`BatchAccepted::raw`] and named in
/// [`BatchAccepted::warnings`], never an error that would have the chunk
/// sent again.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BatchAccepted {
    /// The batch id, if returned.
    #[serde(default, alias = "id")]
    pub batch_id: Option<String>,
    /// The whole answer, as JSON.
    #[serde(flatten)]
    pub raw: Map<String, Value>,
    #[serde(skip)]
    warnings: Vec<DecodeWarning>,
}

whatsapp_common::keeps_warnings!(BatchAccepted);
