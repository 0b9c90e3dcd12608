//! The LIME wire: command envelopes out ([`encode_command`]), answers in
//! ([`lime`] for the envelopes, [`resource`] for the typed resources).

pub(crate) mod lime;
pub(crate) mod resource;

use serde::Serialize;
use whatsapp_common::ValidationError;

use lime::{CommandMethod, POSTMASTER};

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

/// Room for the envelope's own members around the resource.
const ENVELOPE_BYTES: usize = 256;

/// A command envelope with its resource borrowed. Member order and
/// spelling are those of [`Command`](crate::Command).
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
    let envelope = Envelope {
        id: &id,
        to: POSTMASTER,
        method,
        uri,
        resource_type: resource.map(|(t, _)| t),
        resource: resource.map(|(_, r)| r),
    };
    whatsapp_common::http::encode_json_with_capacity(&envelope, resource_len + ENVELOPE_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Command;

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
