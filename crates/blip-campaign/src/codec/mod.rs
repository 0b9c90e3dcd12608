//! The LIME wire: what goes to `POST /commands` ([`Command`], and
//! [`encode_command`] for the typed operations) and what comes back
//! ([`CommandResponse`], and [`resource`] for the typed resources in it).

pub(crate) mod resource;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use whatsapp_common::ValidationError;

use crate::Reason;

/// The Active Campaign extension's address.
pub const POSTMASTER: &str = "postmaster@activecampaign.msging.net";

/// MIME type of `/campaign/full`.
pub const FULL_CAMPAIGN_TYPE: &str = "application/vnd.iris.activecampaign.full-campaign+json";
/// MIME type of `/campaign/v2`.
pub const DYNAMIC_CAMPAIGN_TYPE: &str = "application/vnd.iris.activecampaign.campaign-dynamic+json";
/// MIME type of a campaign (`/dispatch/v2`).
pub const CAMPAIGN_TYPE: &str = "application/vnd.iris.activecampaign.campaign+json";
/// MIME type of a LIME collection.
pub const COLLECTION_TYPE: &str = "application/vnd.lime.collection+json";
/// MIME type of an audience item (**unverified**).
pub const AUDIENCE_TYPE: &str = "application/vnd.iris.activecampaign.audience+json";

whatsapp_common::str_enum! {
    /// A LIME command method.
    pub enum CommandMethod {
        /// `get`
        Get = "get",
        /// `set`
        Set = "set",
        /// `merge`
        Merge = "merge",
        /// `delete`
        Delete = "delete",
    }
}

whatsapp_common::str_enum! {
    /// A command's outcome.
    pub enum CommandStatus {
        /// `success`
        Success = "success",
        /// `failure`: see `reason`.
        Failure = "failure",
    }
}

/// A LIME command: `{id, to, method, uri, type?, resource?}`.
///
/// Typed operations build these for you; send any other with
/// [`Client::send_command`](crate::Client::send_command).
///
/// ```
/// use blip_campaign::{Command, CommandMethod};
/// let cmd = Command::new(CommandMethod::Get, "/campaigns/summaries?$take=10");
/// assert_eq!(cmd.to, "postmaster@activecampaign.msging.net");
/// assert_eq!(cmd.id.len(), 36);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Command {
    /// A fresh UUID per logical operation, kept on retries.
    pub id: String,
    /// The extension addressed (`postmaster@activecampaign.msging.net`).
    pub to: String,
    /// The method.
    pub method: CommandMethod,
    /// The resource path.
    pub uri: String,
    /// MIME type of `resource`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// The resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<Value>,
}

impl Command {
    /// A command to the Active Campaign extension with a fresh id.
    pub fn new(method: CommandMethod, uri: impl Into<String>) -> Self {
        Self {
            id: whatsapp_common::new_id(),
            to: POSTMASTER.to_owned(),
            method,
            uri: uri.into(),
            resource_type: None,
            resource: None,
        }
    }

    /// With a resource of MIME type `resource_type`.
    #[must_use]
    pub fn with_resource(mut self, resource_type: impl Into<String>, resource: Value) -> Self {
        self.resource_type = Some(resource_type.into());
        self.resource = Some(resource);
        self
    }

    /// With another id (e.g. your own, to correlate logs).
    #[must_use]
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }

    /// Addressed to another extension.
    #[must_use]
    pub fn with_to(mut self, to: impl Into<String>) -> Self {
        self.to = to.into();
        self
    }
}

/// Room for the envelope's own members around the resource.
const ENVELOPE_BYTES: usize = 256;

/// A command envelope with its resource borrowed. Member order and
/// spelling are those of [`Command`].
#[derive(Serialize)]
struct Envelope<'a, R: Serialize + ?Sized> {
    id: &'a str,
    to: &'a str,
    method: &'a CommandMethod,
    uri: &'a str,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    resource_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a R>,
}

/// The body of a command to the Active Campaign extension, with a fresh
/// id and `resource` (with its MIME type) written straight into it: no
/// JSON tree in between, so a 100,000-audience campaign stays cheap. The
/// buffer is sized for a resource of about `resource_len` bytes: a large
/// batch is written once, without the copies (and the doubled peak) of a
/// growing buffer.
pub(crate) fn encode_command<R: Serialize + ?Sized>(
    method: &CommandMethod,
    uri: &str,
    resource: Option<(&str, &R)>,
    resource_len: usize,
) -> Result<Vec<u8>, ValidationError> {
    let id = whatsapp_common::new_id();
    encode_command_with_id(&id, method, uri, resource, resource_len)
}

/// [`encode_command`] with the command `id` given.
pub(crate) fn encode_command_with_id<R: Serialize + ?Sized>(
    id: &str,
    method: &CommandMethod,
    uri: &str,
    resource: Option<(&str, &R)>,
    resource_len: usize,
) -> Result<Vec<u8>, ValidationError> {
    let envelope = Envelope {
        id,
        to: POSTMASTER,
        method,
        uri,
        resource_type: resource.map(|(t, _)| t),
        resource: resource.map(|(_, r)| r),
    };
    whatsapp_common::http::encode_json_with_capacity(&envelope, resource_len + ENVELOPE_BYTES)
}

/// The answer to a command: always HTTP 200; `status` says how it went.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CommandResponse {
    /// The command's id, echoed.
    #[serde(default)]
    pub id: Option<String>,
    /// Who answered.
    #[serde(default)]
    pub from: Option<String>,
    /// To whom.
    #[serde(default)]
    pub to: Option<String>,
    /// The method, echoed.
    #[serde(default)]
    pub method: Option<CommandMethod>,
    /// `success` or `failure`; `None` when Blip's answer had no `status`
    /// (a command it accepted: only `failure` is a refusal).
    #[serde(default)]
    pub status: Option<CommandStatus>,
    /// Why it failed.
    #[serde(default)]
    pub reason: Option<Reason>,
    /// MIME type of `resource`.
    #[serde(rename = "type", default)]
    pub resource_type: Option<String>,
    /// The result.
    #[serde(default)]
    pub resource: Option<Value>,
    /// `metadata` (`traceparent`, `#command.uri`).
    #[serde(default)]
    pub metadata: Option<Map<String, Value>>,
    #[serde(skip)]
    warnings: Vec<whatsapp_common::DecodeWarning>,
}

whatsapp_common::keeps_warnings!(CommandResponse);

/// A LIME collection: `{total, itemType, items}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Collection<T> {
    /// `total`.
    #[serde(default)]
    pub total: Option<u64>,
    /// `itemType`.
    #[serde(default)]
    pub item_type: Option<String>,
    /// `items`.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
}

/// The answer to a command whose resource the client reads into a type:
/// the resource is kept as its JSON text until then.
#[derive(Deserialize)]
pub(crate) struct TypedAnswer {
    #[serde(default)]
    pub(crate) status: Option<CommandStatus>,
    #[serde(default)]
    pub(crate) reason: Option<Reason>,
    #[serde(default)]
    pub(crate) resource: Option<Box<serde_json::value::RawValue>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A borrowed envelope is written byte for byte as the public `Command`
    /// with the same members.
    #[test]
    fn an_envelope_is_written_as_its_command() {
        #[derive(Serialize)]
        struct Id<'a> {
            id: &'a str,
        }
        let dispatch = Id { id: "c:1" };
        let cases = [
            (CommandMethod::Get, "/campaigns/x/reports", None),
            (
                CommandMethod::Set,
                "/dispatch/v2",
                Some((CAMPAIGN_TYPE, &dispatch)),
            ),
        ];
        for (method, uri, resource) in cases {
            let body = encode_command(&method, uri, resource, 0).unwrap();
            let sent: serde_json::Value = serde_json::from_slice(&body).unwrap();
            let mut command = Command::new(method, uri).with_id(sent["id"].as_str().unwrap());
            if let Some((t, r)) = resource {
                command = command.with_resource(t, serde_json::to_value(r).unwrap());
            }
            assert_eq!(
                String::from_utf8(body).unwrap(),
                serde_json::to_string(&command).unwrap()
            );
        }
    }
}
