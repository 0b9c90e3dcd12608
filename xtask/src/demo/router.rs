//! The demo's router section: the gateway and Bird mocks behind one
//! `whatsapp_router::Router`.

use std::time::Duration;

use channels::mock::{CHANNEL_ID, MockBird, WORKSPACE_ID};
use gateway_ru::ErrorCode;
use gateway_ru::mock::MockGateway;
use whatsapp_common::mock::{MockVendor, ResponseTemplate};
use whatsapp_common::{PhoneNumber, RetryPolicy};
use whatsapp_router::{Route, RouteOptions, Router, Sender, limit::presets};

use super::{CHANNELS_DEMO_KEY, heading};

fn describe(routed: &whatsapp_router::Routed) {
    for a in &routed.attempts {
        println!(
            "    attempt: {} ({}) -> {:?}",
            a.sender, a.vendor, a.outcome
        );
    }
    println!(
        "    accepted by {} (route {}, from the ledger: {}), vendor id {:?}",
        routed.sender,
        routed.route.as_deref().unwrap_or("-"),
        routed.from_ledger,
        routed.receipt.vendor_message_id
    );
}

pub(super) async fn router_demo() -> super::super::Result {
    let bird = MockBird::start_with_credentials(CHANNELS_DEMO_KEY).await;
    router_demo_on(&bird).await
}

/// The router section against `bird`, a mock accepting
/// [`CHANNELS_DEMO_KEY`] (`xtask/tests/demo_bodies.rs` runs it on one that
/// checks every body against Bird's schemas): not processed → failover; a
/// resend of a reference → its first outcome; a timeout after the request
/// left → no failover.
pub async fn router_demo_on(bird: &MockBird) -> super::super::Result {
    heading("whatsapp-router: failover that never sends twice");
    let gateway = MockGateway::start_with_credentials("YOUR_LOGIN", "YOUR_PASSWORD").await;
    let gateway_client = gateway_ru::Client::builder("YOUR_LOGIN", "YOUR_PASSWORD")
        .base_url(gateway.uri())
        .default_service_number("SHOP")
        .retry_policy(RetryPolicy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let bird_client = channels::Client::builder(CHANNELS_DEMO_KEY, WORKSPACE_ID, CHANNEL_ID)
        .base_url(bird.uri())
        .build()
        .map_err(|e| e.to_string())?;
    let router = Router::builder()
        .sender(Sender::new("gateway", gateway_client).timeout(Duration::from_millis(500)))
        .sender(Sender::new("bird", bird_client).rate_limit(presets::BIRD_POST))
        .route(
            Route::new("russia")
                .country_code("7")
                .to("gateway")
                .to("bird"),
        )
        .fallback(Route::new("default").to("bird"))
        .build()
        .map_err(|e| e.to_string())?;
    println!("routes: +7 -> gateway, then bird; everything else -> bird");
    let to: PhoneNumber = "+7 921 123-45-67".parse().map_err(|e| format!("{e}"))?;
    let sends = |mock: Vec<whatsapp_common::mock::RecordedRequest>| {
        mock.iter().filter(|r| r.method == "POST").count()
    };

    println!("\n[1] the gateway answers code 3 (too many connections: not processed)");
    gateway.fail_next(ErrorCode::TooManyConnections, 1).await;
    let options = RouteOptions::new().client_reference("order-1042");
    let routed = router
        .send_text(&to, "Your order has shipped", &options)
        .await
        .map_err(|e| e.to_string())?;
    describe(&routed);

    println!("\n[2] the same reference again: the ledger answers, nothing is sent");
    let again = router
        .send_text(&to, "Your order has shipped", &options)
        .await
        .map_err(|e| e.to_string())?;
    describe(&again);
    println!(
        "    Bird received {} send(s) in all",
        sends(bird.requests().await)
    );

    println!("\n[3] the gateway takes the request and does not answer in time");
    gateway
        .respond_next(
            ResponseTemplate::new(200).set_delay(Duration::from_secs(3)),
            1,
        )
        .await;
    let options = RouteOptions::new().client_reference("order-1043");
    let before = sends(bird.requests().await);
    match router.send_text(&to, "Your order is late", &options).await {
        Ok(r) => return Err(format!("expected a timeout, got {r:?}")),
        Err(e) => {
            println!("    error: {e}");
            println!(
                "    what it means: {:?}; reference {}; Bird received {} new send(s): no failover",
                e.failure(),
                e.reference(),
                sends(bird.requests().await) - before
            );
        }
    }
    Ok(())
}
