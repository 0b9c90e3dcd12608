//! The workspace's conformance suite, run against gateway-ru: no secret
//! leaks, honest retry advice, no blind retry after a closed connection,
//! `Retry-After` on paused time, bounded error bodies, hostile bytes.
#![allow(clippy::unwrap_used)]

use gateway_ru::mock::{MockGateway, SEND_PATH, error_body};
use gateway_ru::{
    Client, ClientBuilder, DecodeError, DeliveryStatus, ErrorCode, InboundMessage, InstantContent,
    SendRequest, SendResponse,
};
use whatsapp_common::conformance::{Hooks, Profile, send_fn};
use whatsapp_common::mock::fixture;

const LOGIN: &str = "YOUR_LOGIN";
const PASSWORD: &str = "Pa55-SECRET-4f9c2e";

fn gateway() -> Profile<MockGateway, ClientBuilder> {
    let samples = [
        "send_success_response.json",
        "send_error_response.json",
        "delivery_status_callback.json",
        "constructed_inbound_message_callback.json",
    ];
    let throttled = error_body(ErrorCode::TooManyConnections, None).to_string();
    Profile {
        builder: Box::new(|| Client::builder(LOGIN, PASSWORD)),
        credentials: Box::new(|| (LOGIN.into(), PASSWORD.into())),
        secrets: vec![PASSWORD],
        send: send_fn(|client: Client| async move {
            let to = "+79211234567".parse()?;
            let request = SendRequest::builder(to, InstantContent::text("hi")).build()?;
            client.send(&request).await.map(drop)
        }),
        codes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 100]
            .map(ErrorCode::from_i64)
            .to_vec(),
        throttled: Some((429, throttled)),
        success: (200, fixture("gateway-ru", "send_success_response.json")),
        samples: samples
            .map(|n| fixture("gateway-ru", n).into_bytes())
            .to_vec(),
        decode: |bytes| {
            let _ = DeliveryStatus::from_json(bytes);
            let _ = InboundMessage::from_json(bytes);
            let _ = DecodeError::json::<SendResponse>(200, bytes, false);
        },
        hooks: Hooks {
            base_url: |root| format!("{root}{SEND_PATH}"),
            ..Hooks::default()
        },
    }
}

whatsapp_common::conformance_suite!(gateway());
