//! The CSV form of an audience list (`/audiences/v2/{id}/file`).

use super::audience::Audience;

/// The CSV form of an audience list, for `/audiences/v2/{id}/file`: a
/// `recipient` column, one column per parameter name, and
/// `#contextvariables#` holding each recipient's context variables as JSON
/// with its quotes backslash-escaped, as Blip's documentation shows. Fields
/// are quoted when they hold a comma, a quote or a line break, with quotes
/// doubled (RFC 4180).
///
/// ```
/// use blip_campaign::{Audience, audience_csv};
/// let csv = audience_csv(&["1"], &[Audience::new("+5531999999999".parse()?).param("1", "Ana, \"Bia\"")]);
/// assert_eq!(csv, "recipient,1,#contextvariables#\r\n+5531999999999,\"Ana, \"\"Bia\"\"\",\r\n");
/// # Ok::<(), whatsapp_common::PhoneError>(())
/// ```
pub fn audience_csv<S: AsRef<str>>(params: &[S], audiences: &[Audience]) -> String {
    fn field(out: &mut String, value: &str) {
        if value.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&value.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(value);
        }
    }
    let mut out = String::from("recipient");
    for p in params {
        out.push(',');
        field(&mut out, p.as_ref());
    }
    out.push_str(",#contextvariables#\r\n");
    for a in audiences {
        field(&mut out, &a.recipient().e164());
        for p in params {
            out.push(',');
            field(&mut out, a.param_value(p.as_ref()).unwrap_or(""));
        }
        out.push(',');
        if let Some(c) = a.context_variables() {
            // The documented form: the JSON with its quotes backslash-escaped,
            // then quoted as any CSV field.
            let escaped = serde_json::to_string(c)
                .unwrap_or_default()
                .replace('"', "\\\"");
            field(&mut out, &escaped);
        }
        out.push_str("\r\n");
    }
    out
}
