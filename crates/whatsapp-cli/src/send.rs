//! `whatsapp send`, and `--dry-run`: the exact request, sent only to a
//! local mock of the vendor.

use std::path::Path;

use whatsapp_common::mock::RecordedRequest;
use whatsapp_common::{
    ExposeSecret, PhoneNumber, RetryPolicy, SendOptions, SendReceipt, Template, WhatsAppSender,
};

use crate::config::{self, Loaded};
use crate::{Failure, vendors};

/// `whatsapp send`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The profile in the configuration file.
    #[arg(long, env = "WHATSAPP_PROFILE")]
    pub profile: String,
    /// The recipient, in international form (`+7 921 123-45-67`).
    #[arg(long)]
    pub to: String,
    #[command(flatten)]
    pub message: MessageArgs,
    /// Your reference for the message: send it again only with the same one.
    /// A fresh one is made when absent (and printed).
    #[arg(long)]
    pub reference: Option<String>,
    /// Print the exact HTTP request(s) that would go out — method, URL,
    /// headers (secrets redacted), body as sent — and send nothing to the
    /// vendor.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The message: a text or a template.
#[derive(Debug, Clone, clap::Args)]
#[group(required = true, multiple = true)]
pub(crate) struct MessageArgs {
    /// Free-form text.
    #[arg(long, conflicts_with_all = ["template", "param"])]
    pub text: Option<String>,
    /// An approved template's name.
    #[arg(long, requires = "language")]
    pub template: Option<String>,
    /// The template's language (`en`, `pt_BR`).
    #[arg(long, requires = "template")]
    pub language: Option<String>,
    /// A template value, in order (`{{1}}`, `{{2}}`, …); repeat it.
    #[arg(long, requires = "template")]
    pub param: Vec<String>,
}

/// What to send, checked.
#[derive(Debug, Clone)]
pub(crate) enum Message {
    Text(String),
    Template(Template),
}

impl MessageArgs {
    pub(crate) fn message(&self) -> Result<Message, Failure> {
        match (&self.text, &self.template, &self.language) {
            (Some(text), None, _) => Ok(Message::Text(text.clone())),
            (None, Some(name), Some(language)) => Template::new(name, language)
                .map(|t| Message::Template(t.positional(self.param.iter().cloned())))
                .map_err(|e| Failure::input(format!("template: {e}"))),
            _ => Err(Failure::input("give --text, or --template with --language")),
        }
    }
}

pub(crate) fn recipient(to: &str) -> Result<PhoneNumber, Failure> {
    to.parse::<PhoneNumber>()
        .map_err(|e| Failure::input(format!("--to {to}: {e}")))
}

pub(crate) async fn send_one(
    sender: &dyn WhatsAppSender,
    to: &PhoneNumber,
    message: &Message,
    options: &SendOptions,
) -> Result<SendReceipt, whatsapp_common::SendError> {
    match message {
        Message::Text(text) => sender.send_text_with(to, text, options).await,
        Message::Template(t) => sender.send_template_with(to, t, options).await,
    }
}

pub(crate) async fn run(config: &Path, args: Args) -> Result<(), Failure> {
    let p = config::load(config, &args.profile)?;
    let to = recipient(&args.to)?;
    let message = args.message.message()?;
    let reference = args
        .reference
        .clone()
        .unwrap_or_else(whatsapp_common::new_id);
    let options = SendOptions::new().client_reference(reference.clone());
    if args.dry_run {
        return dry_run(&p, &to, &message, &options, args.json).await;
    }
    let url = vendors::base_url(&p)?;
    let sender = vendors::build(&p, &url, RetryPolicy::default())?.sender();
    match send_one(&*sender, &to, &message, &options).await {
        Ok(receipt) => {
            if args.json {
                let out = serde_json::json!({
                    "status": "accepted",
                    "vendor": receipt.vendor,
                    "vendor_message_id": receipt.vendor_message_id,
                    "reference": receipt.client_reference,
                    "already_accepted": receipt.already_accepted,
                });
                println!("{out}");
            } else {
                println!(
                    "accepted by {}: vendor id {}, reference {}{}",
                    receipt.vendor,
                    receipt
                        .vendor_message_id
                        .as_deref()
                        .unwrap_or("(none given)"),
                    receipt.client_reference,
                    if receipt.already_accepted {
                        " (already accepted before: nothing new sent)"
                    } else {
                        ""
                    }
                );
            }
            Ok(())
        }
        Err(e) => {
            let failure = Failure::send(&e);
            if args.json {
                let out = serde_json::json!({
                    "status": "failed",
                    "vendor": e.vendor(),
                    "failure": failure_name(e.failure()),
                    "kind": format!("{:?}", e.kind()),
                    "reference": e.client_reference().unwrap_or(&reference),
                    "error": e.to_string(),
                    "exit_code": failure.code,
                });
                println!("{out}");
            }
            Err(Failure {
                message: format!("{} (reference {reference})", failure.message),
                ..failure
            })
        }
    }
}

pub(crate) fn failure_name(f: whatsapp_common::SendFailure) -> &'static str {
    match f {
        whatsapp_common::SendFailure::NotProcessed => "not_processed",
        whatsapp_common::SendFailure::Refused => "refused",
        _ => "may_have_been_delivered",
    }
}

/// Sends through the profile's client to a local mock of its vendor and
/// prints what the client sent, with the profile's URL and the secret
/// redacted.
async fn dry_run(
    p: &Loaded,
    to: &PhoneNumber,
    message: &Message,
    options: &SendOptions,
    json: bool,
) -> Result<(), Failure> {
    let url = vendors::base_url(p)?;
    let secret = p.secret()?;
    let mock = vendors::Mock::start(p.vendor).await;
    let sender = vendors::build(p, &mock.uri(), RetryPolicy::none())?.sender();
    // The mock's answer does not matter: the request is what is printed.
    let _ = send_one(&*sender, to, message, options).await;
    let requests = mock.requests().await;
    let mock_base = mock.uri();
    let mock_path = mock_base
        .splitn(4, '/')
        .nth(3)
        .map(|p| format!("/{p}"))
        .unwrap_or_default();
    // The secret as it is, and as a JSON string carries it (escaped).
    let raw = secret.expose_secret();
    let escaped = serde_json::to_string(raw).unwrap_or_default();
    let escaped = escaped.trim_matches('"');
    let secrets = [raw, escaped];
    let printed: Vec<Printed> = requests
        .iter()
        .map(|r| Printed::new(r, &url, &mock_path, &secrets))
        .collect();
    if json {
        let out: Vec<serde_json::Value> = printed.iter().map(Printed::json).collect();
        println!(
            "{}",
            serde_json::json!({ "dry_run": true, "requests": out })
        );
    } else {
        for (i, r) in printed.iter().enumerate() {
            if i > 0 {
                println!();
            }
            print!("{}", r.text());
        }
        eprintln!(
            "whatsapp: dry run: {} request(s) shown; nothing was sent to {}",
            printed.len(),
            p.vendor.name()
        );
    }
    Ok(())
}

/// One request as it would go out.
struct Printed {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: String,
}

const SECRET_HEADERS: [&str; 4] = ["authorization", "accesskey", "x-access-token", "cookie"];

fn redact(value: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(value.to_owned(), |v, s| v.replace(s, "***"))
}

impl Printed {
    fn new(r: &RecordedRequest, base: &str, mock_path: &str, secrets: &[&str]) -> Self {
        let path = r.path.strip_prefix(mock_path).unwrap_or(&r.path);
        let mut url = format!("{base}{path}");
        if let Some(q) = &r.query {
            url = format!("{url}?{}", redact(q, secrets));
        }
        let host = base
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default()
            .to_owned();
        let headers = r
            .headers
            .iter()
            .map(|(name, value)| {
                let value = if name == "host" {
                    host.clone()
                } else if SECRET_HEADERS.contains(&name.as_str()) {
                    match value.split_once(' ') {
                        Some((scheme, _)) => format!("{scheme} ***"),
                        None => "***".to_owned(),
                    }
                } else {
                    redact(value, secrets)
                };
                (name.clone(), value)
            })
            .collect();
        Self {
            method: r.method.clone(),
            url,
            headers,
            body: redact(&String::from_utf8_lossy(&r.body), secrets),
        }
    }

    fn text(&self) -> String {
        let mut out = format!("{} {}\n", self.method, self.url);
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\n"));
        }
        out.push('\n');
        out.push_str(&self.body);
        if !self.body.ends_with('\n') {
            out.push('\n');
        }
        out
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "method": self.method,
            "url": self.url,
            "headers": self.headers.iter().map(|(n, v)| serde_json::json!([n, v])).collect::<Vec<_>>(),
            "body": self.body,
        })
    }
}
