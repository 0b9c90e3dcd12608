//! `whatsapp listen`: the webhook receiver for the profile's vendor,
//! printing each verified event as a line (or as JSON).

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::time::UNIX_EPOCH;

use whatsapp_common::events::{Event, InboundContent};
use whatsapp_common::webhook::{SecretIn, SharedSecret};
use whatsapp_receiver::Receiver;

use crate::Failure;
use crate::config::{self, Loaded, Vendor};

/// `whatsapp listen`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The profile in the configuration file.
    #[arg(long, env = "WHATSAPP_PROFILE")]
    pub profile: String,
    /// The port to listen on.
    #[arg(long)]
    pub port: u16,
    /// The address to listen on (0.0.0.0 to take callbacks from outside).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Print each event as a JSON line.
    #[arg(long)]
    pub json: bool,
}

fn secret_in(p: &Loaded, default: SecretIn) -> Result<SecretIn, Failure> {
    let Some(place) = &p.profile.webhook_secret_in else {
        return Ok(default);
    };
    match place.split_once(':') {
        Some(("query", name)) if !name.is_empty() => Ok(SecretIn::Query(name.to_owned())),
        Some(("header", name)) if !name.is_empty() => Ok(SecretIn::Header(name.to_owned())),
        _ => Err(Failure::input(format!(
            "profile `{}`: webhook_secret_in is `query:NAME` or `header:NAME`, not `{place}`",
            p.name
        ))),
    }
}

/// The path of `url` (`/` when it has none), without query.
fn public_path(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    match path.trim_end_matches('/') {
        "" => "/".to_owned(),
        p => p.to_owned(),
    }
}

fn seconds(t: Option<std::time::SystemTime>) -> Option<u64> {
    t.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs())
}

/// One event as a line of text, or of JSON.
pub(crate) fn describe(event: &Event, json: bool) -> String {
    match event {
        Event::Delivery(d) if json => serde_json::json!({
            "event": "delivery",
            "vendor": d.vendor,
            "vendor_message_id": d.vendor_message_id,
            "client_reference": d.client_reference,
            "recipient": d.recipient,
            "status": d.status.to_string(),
            "vendor_status": d.vendor_status,
            "occurred_at": seconds(d.occurred_at),
            "error_code": d.error_code,
            "error_description": d.error_description,
        })
        .to_string(),
        Event::Delivery(d) => format!(
            "delivery {} {} reference={} status={} ({}){}",
            d.vendor,
            d.vendor_message_id.as_deref().unwrap_or("-"),
            d.client_reference.as_deref().unwrap_or("-"),
            d.status,
            d.vendor_status,
            d.error_description
                .as_deref()
                .map(|e| format!(" error: {e}"))
                .unwrap_or_default()
        ),
        Event::Inbound(m) => {
            let content = match &m.content {
                InboundContent::Text { text } => format!("text: {text}"),
                InboundContent::Media { url, .. } => {
                    format!("media: {}", url.as_deref().unwrap_or("-"))
                }
                InboundContent::Location {
                    latitude,
                    longitude,
                    ..
                } => {
                    format!("location: {latitude},{longitude}")
                }
                InboundContent::ButtonReply { text, payload } => format!(
                    "button: {}",
                    text.as_deref().or(payload.as_deref()).unwrap_or("-")
                ),
                _ => "other content".to_owned(),
            };
            if json {
                serde_json::json!({
                    "event": "inbound",
                    "vendor": m.vendor,
                    "vendor_message_id": m.vendor_message_id,
                    "from": m.from,
                    "content": content,
                    "received_at": seconds(m.received_at),
                })
                .to_string()
            } else {
                format!(
                    "inbound {} from {}: {content}",
                    m.vendor,
                    m.from.as_deref().unwrap_or("-")
                )
            }
        }
        _ => "event of a kind this version does not print".to_owned(),
    }
}

pub(crate) async fn run(config: &Path, args: Args) -> Result<(), Failure> {
    let p = config::load(config, &args.profile)?;
    let public_url = p
        .profile
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://127.0.0.1:{}/", args.port));
    let path = public_path(&public_url);
    let json = args.json;
    let handler = move |event: Event| async move {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", describe(&event, json)).and_then(|()| out.flush())
    };
    let router = match p.vendor {
        Vendor::Channels => Receiver::new(
            channels::webhook::BirdIntake::new(p.webhook_secret()?),
            handler,
            // Bird signs the URL its subscription names: without it no
            // signature would verify.
            p.need(
                &p.profile.public_url,
                "public_url (the URL the webhook subscription names)",
            )?,
        )
        .router(),
        Vendor::GatewayRu => Receiver::new(
            gateway_ru::webhook::GatewayIntake::new(
                SharedSecret::new(p.webhook_secret()?),
                secret_in(&p, SecretIn::Query("token".to_owned()))?,
            ),
            handler,
            public_url,
        )
        .router(),
        Vendor::BlipCampaign => {
            let header = match secret_in(&p, SecretIn::Header("X-Webhook-Secret".to_owned()))? {
                SecretIn::Header(h) => h,
                _ => {
                    return Err(Failure::input(
                        "Blip's callbacks carry the secret in a header: webhook_secret_in = \"header:NAME\"",
                    ));
                }
            };
            Receiver::new(
                blip_campaign::webhook::BlipIntake::new(
                    SharedSecret::new(p.webhook_secret()?),
                    SecretIn::Header(header),
                ),
                handler,
                public_url,
            )
            .router()
        }
        Vendor::HuaweiCec | Vendor::Activetrail => {
            return Err(Failure::input(format!(
                "{} documents no delivery or inbound callbacks for this API: nothing to listen to",
                p.vendor.name()
            )));
        }
    };
    // Served at the path of the public URL (a proxy in front forwards it).
    let router = if path == "/" {
        router
    } else {
        whatsapp_receiver::axum::Router::new().nest(&path, router)
    };
    let addr = SocketAddr::new(args.bind, args.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::other(format!("cannot listen on {addr}: {e}")))?;
    eprintln!(
        "whatsapp: listening on http://{addr}{path} for {} callbacks (Ctrl-C stops)",
        p.vendor.name()
    );
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    tokio::select! {
        served = whatsapp_receiver::axum::serve(listener, service) => {
            served.map_err(|e| Failure::other(format!("receiver: {e}")))
        }
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_receiver_is_served_at_the_public_urls_path() {
        assert_eq!(
            super::public_path("https://hooks.example.com/bird"),
            "/bird"
        );
        assert_eq!(
            super::public_path("https://hooks.example.com/a/b/?x=1"),
            "/a/b"
        );
        assert_eq!(super::public_path("https://hooks.example.com"), "/");
        assert_eq!(super::public_path("http://127.0.0.1:8080/"), "/");
    }
}
