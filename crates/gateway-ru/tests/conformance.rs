//! The workspace's conformance suite, run against gateway-ru: no secret
//! leaks, honest retry advice, no blind retry after a closed connection,
//! `Retry-After` on paused time, hostile bytes.
#![allow(clippy::unwrap_used)]

#[path = "support/mod.rs"]
mod support;

use gateway_ru::mock::{MockGateway, error_body};
use gateway_ru::{
    ApiError, Client, DeliveryStatus, Error, ErrorCode, InboundMessage, InstantContent,
    SendRequest, SendResponse,
};
use whatsapp_common::conformance::{Settings, Vendor};

const LOGIN: &str = "YOUR_LOGIN";
const PASSWORD: &str = "Pa55-SECRET-4f9c2e";

#[derive(Clone)]
struct Gateway;

#[async_trait::async_trait]
impl Vendor for Gateway {
    type Api = ApiError;
    type Mock = MockGateway;
    type Client = Client;

    fn secrets(&self) -> Vec<&'static str> {
        vec![PASSWORD]
    }

    async fn start_mock(&self) -> MockGateway {
        MockGateway::start_with_credentials(LOGIN, PASSWORD).await
    }

    fn client(&self, base_url: &str, settings: &Settings) -> Result<Client, Error> {
        settings
            .apply(Client::builder(LOGIN, PASSWORD).base_url(base_url))
            .build()
    }

    fn builder_debug(&self) -> String {
        format!("{:?}", Client::builder(LOGIN, PASSWORD))
    }

    async fn send(&self, client: &Client) -> Result<(), Error> {
        let request =
            SendRequest::builder("+79211234567".parse().unwrap(), InstantContent::text("hi"))
                .build()?;
        client.send(&request).await.map(drop)
    }

    fn base_url(&self, root: &str) -> String {
        format!("{root}{}", gateway_ru::mock::SEND_PATH)
    }

    fn codes(&self) -> Vec<ErrorCode> {
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 100]
            .map(ErrorCode::from_i64)
            .to_vec()
    }

    fn throttled(&self) -> Option<(u16, String)> {
        Some((
            429,
            error_body(ErrorCode::TooManyConnections, None).to_string(),
        ))
    }

    fn success(&self) -> (u16, String) {
        (200, support::fixture("send_success_response.json"))
    }

    fn samples(&self) -> Vec<Vec<u8>> {
        [
            "send_success_response.json",
            "send_error_response.json",
            "delivery_status_callback.json",
            "constructed_inbound_message_callback.json",
        ]
        .map(|name| support::fixture(name).into_bytes())
        .to_vec()
    }

    fn decode(&self, bytes: &[u8]) {
        let _ = DeliveryStatus::from_json(bytes);
        let _ = InboundMessage::from_json(bytes);
        let _ = whatsapp_common::DecodeError::json::<SendResponse>(200, bytes, false);
    }
}

whatsapp_common::conformance_suite!(Gateway);
