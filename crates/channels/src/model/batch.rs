//! The batch endpoint's answers: one per chunk of up to 100 messages.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::request::SendRequest;

/// The batch request body: `{"messages": [CreateMessage, …]}`.
#[derive(Serialize)]
pub(crate) struct BatchRequest<'a> {
    pub(crate) messages: &'a [SendRequest],
}

/// The answer to one batch request (up to 100 messages).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BatchChunk {
    /// Index of the first message of this chunk in the caller's list.
    pub first_index: usize,
    /// How many messages the chunk carried.
    pub len: usize,
    /// Bird's answer, or the error for this chunk.
    pub result: Result<BatchAccepted, std::sync::Arc<crate::Error>>,
}

/// Bird's answer to a batch request.
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
}
