//! Watching the response clocks: a background scan that records each clock entering "due soon"
//! or "overdue" once, notifies the people who can act in the application, and posts a signed
//! payload to the webhooks of the organisations that may see the case.
//!
//! The scan reads clock facts only, never a sealed field, and the store records each event once,
//! so any number of servers may scan one database. A payload carries ids, the clock and its
//! deadline, never a name or a word of the case: whoever runs the receiving system learns that
//! a case needs attention, and must sign in to Steward to read it.
//!
//! Signature: `X-Steward-Signature: sha256=HEX`, the HMAC-SHA256 under the organisation's
//! webhook secret of `TIMESTAMP.BODY`, where `TIMESTAMP` is the `X-Steward-Timestamp` header
//! (Unix seconds). Receivers should reject timestamps more than five minutes old.

use crate::state::AppState;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use std::time::Duration;
use steward_store::{Recorded, StoreResult, WebhookTarget};

/// Attempts per delivery, and the pause before each retry.
const RETRIES: [Duration; 2] = [Duration::from_secs(2), Duration::from_secs(10)];

/// How long one delivery may take.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// A delivery that failed all its tries is tried again on later scans, at least this long after
/// the last try, until this many tries in all: a receiver down for most of an hour still hears.
const REDELIVER_AFTER: Duration = Duration::from_secs(5 * 60);
const MOST_TRIES: i64 = 30;

/// What one scan did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanReport {
    /// Clock events newly recorded.
    pub events: usize,
    /// In-app notifications written.
    pub notified: usize,
    /// Webhook deliveries answered with a 2xx status.
    pub delivered: usize,
    /// Webhook deliveries that failed after their retries.
    pub failed: usize,
    /// Earlier failed deliveries tried again.
    pub retried: usize,
    /// Of those, how many landed.
    pub recovered: usize,
}

/// Scans every open case's clocks once, recording and announcing what newly needs attention.
pub async fn scan_clocks_once(state: &AppState) -> StoreResult<ScanReport> {
    let clocks = state.store.response_clocks().await?;
    let now = steward_core::clock::now();
    let mut report = ScanReport::default();
    let mut recorded = Vec::new();
    for (case, facts) in state.store.open_case_clocks().await? {
        for clock in facts.clocks(&clocks, now) {
            if let Some(r) = state.store.record_clock_event(case, &clock).await? {
                report.events += 1;
                report.notified += r.notified;
                recorded.push(r);
            }
        }
    }
    let client = client();
    let mut deliveries = tokio::task::JoinSet::new();
    for r in recorded {
        let body = payload(&r);
        for target in r.webhooks {
            let (client, state, body, event) = (client.clone(), state.clone(), body.clone(), r.event.id.clone());
            deliveries.spawn(async move { deliver(&client, &state, Event::Clock(&event), &target, &body).await });
        }
    }
    while let Some(done) = deliveries.join_next().await {
        match done {
            Ok(true) => report.delivered += 1,
            _ => report.failed += 1,
        }
    }
    let (retried, recovered) = redeliver_once(state, REDELIVER_AFTER).await?;
    report.retried = retried;
    report.recovered = recovered;
    Ok(report)
}

/// Tries again the deliveries that have not landed (clock events, and alerts still waiting),
/// whose last try is at least `after` old; answers how many were tried and how many landed.
/// Entitlement is asked again: a case since made restricted, or no longer shared, is not sent.
pub async fn redeliver_once(state: &AppState, after: Duration) -> StoreResult<(usize, usize)> {
    let before = steward_core::clock::now() - after;
    let client = client();
    let mut deliveries = tokio::task::JoinSet::new();
    for (r, _) in state.store.clock_redeliveries(MOST_TRIES, before).await? {
        let body = payload(&r);
        for target in r.webhooks {
            let (client, state, body, event) = (client.clone(), state.clone(), body.clone(), r.event.id.clone());
            deliveries.spawn(async move { deliver(&client, &state, Event::Clock(&event), &target, &body).await });
        }
    }
    for (alert, danger, target, _) in state.store.alert_redeliveries(MOST_TRIES, before).await? {
        let (client, state) = (client.clone(), state.clone());
        deliveries.spawn(async move {
            let body = alert_payload(&alert, danger);
            deliver(&client, &state, Event::Alert(&alert), &target, &body).await
        });
    }
    let (mut tried, mut landed) = (0, 0);
    while let Some(done) = deliveries.join_next().await {
        tried += 1;
        landed += usize::from(matches!(done, Ok(true)));
    }
    Ok((tried, landed))
}

/// The JSON announcing a waiting alert: its id, whether its sender says someone is in danger
/// right now, and the time of the announcement; nothing of what it says.
fn alert_payload(id: &str, danger: bool) -> String {
    json!({
        "type": "alert.received",
        "id": id,
        "danger": danger,
        "at": steward_core::clock::rfc3339(steward_core::clock::now()),
    })
    .to_string()
}

/// Scans every `every` until the process ends (response clocks, then saved registries against
/// the lists in force); errors are logged and the next scan tries again.
pub fn spawn_clock_scanner(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match scan_clocks_once(&state).await {
                Ok(r) if r.events > 0 => tracing::info!(?r, "response clocks scanned"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "response clock scan failed"),
            }
            // Saved supplier registries follow the lists in force on the same beat.
            match crate::registry::rescreen_registries(&state).await {
                Ok(n) if n > 0 => tracing::info!(alerts = n, "supplier registries re-screened"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "re-screening registries failed"),
            }
        }
    })
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(DELIVERY_TIMEOUT)
        // A redirect would send the payload somewhere the organisation did not name.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Steward/", env!("CARGO_PKG_VERSION"), " (webhook)"))
        .build()
        .unwrap_or_default()
}

/// The JSON sent for one event: ids, the clock, its deadline and the risk, nothing sensitive.
fn payload(r: &Recorded) -> String {
    let e = &r.event;
    json!({
        "type": format!("clock.{}", e.state.as_str()),
        "id": e.id,
        "case_id": e.case_id.to_string(),
        "clock": e.clock,
        "state": e.state.as_str(),
        "due": steward_core::clock::rfc3339(e.due),
        "risk": r.risk.as_str(),
        "at": steward_core::clock::rfc3339(e.at),
    })
    .to_string()
}

/// `sha256=HEX` of `timestamp.body` under `secret`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// What a delivery announces, by id.
#[derive(Clone, Copy)]
enum Event<'a> {
    /// A response clock's event.
    Clock(&'a str),
    /// A public alert waiting at the organisation's desk.
    Alert(&'a str),
}

/// Announces a public alert, just taken, to its desk organisation's webhook, if it has one: in
/// the background, so the sender's answer does not wait. The payload says that an alert waits
/// and when it came, nothing of what it says, so that a team's own systems can wake whoever is
/// on duty at night.
pub fn announce_alert(state: &AppState, receipt: &steward_store::AlertReceipt) {
    let (state, id, desk, danger) = (state.clone(), receipt.id.clone(), receipt.desk, receipt.danger);
    tokio::spawn(async move {
        let target = match state.store.webhook_target(desk).await {
            Ok(Some(target)) => target,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the alert desk's webhook");
                return;
            }
        };
        deliver(&client(), &state, Event::Alert(&id), &target, &alert_payload(&id, danger)).await;
    });
}

/// Posts one payload, retrying on failure, and records each attempt; answers whether it landed.
async fn deliver(
    client: &reqwest::Client,
    state: &AppState,
    event: Event<'_>,
    target: &WebhookTarget,
    body: &str,
) -> bool {
    let mut pauses = RETRIES.iter();
    loop {
        let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
        let sent = client
            .post(&target.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(
                "X-Steward-Event",
                match event {
                    Event::Clock(_) => "clock",
                    Event::Alert(_) => "alert",
                },
            )
            .header("X-Steward-Timestamp", timestamp.to_string())
            .header("X-Steward-Signature", signature(&target.secret, timestamp, body))
            .body(body.to_string())
            .send()
            .await;
        let (status, error) = match &sent {
            Ok(r) if r.status().is_success() => (Some(r.status().as_u16()), None),
            Ok(r) => (Some(r.status().as_u16()), Some(format!("answered {}", r.status()))),
            Err(e) => (None, Some(delivery_error(e))),
        };
        let recorded = match event {
            Event::Clock(id) => state.store.record_delivery(id, target.org_id, status, error.as_deref()).await,
            Event::Alert(id) => state.store.record_alert_delivery(id, target.org_id, status, error.as_deref()).await,
        };
        if let Err(e) = recorded {
            tracing::warn!(error = %e, "could not record a webhook delivery");
        }
        if error.is_none() {
            return true;
        }
        match pauses.next() {
            Some(pause) => tokio::time::sleep(*pause).await,
            None => return false,
        }
    }
}

/// Refuses webhook addresses on this machine or a private network (unless the installation allows
/// them): a webhook must not become a way to make the server call its own internal services.
/// Host names are checked as written; names that resolve privately are the network's to block.
pub fn check_webhook_target(url: &str, allow_private: bool) -> Result<(), String> {
    if allow_private {
        return Ok(());
    }
    let parsed = reqwest::Url::parse(url.trim()).map_err(|e| format!("webhook address: {e}"))?;
    let host = parsed.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    let private = match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => {
            ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified() || ip.is_broadcast()
        }
        Ok(std::net::IpAddr::V6(ip)) => {
            let first = ip.segments()[0];
            ip.is_loopback()
                || ip.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback() || v4.is_private() || v4.is_link_local())
        }
        Err(_) => {
            host.is_empty()
                || host == "localhost"
                || host.ends_with(".localhost")
                || host.ends_with(".local")
                || host.ends_with(".internal")
        }
    };
    if private {
        Err("webhook address: points at this machine or a private network, which this installation does not allow"
            .into())
    } else {
        Ok(())
    }
}

/// What went wrong, in words an organisation's administrator can act on.
fn delivery_error(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        format!("no answer within {} seconds", DELIVERY_TIMEOUT.as_secs())
    } else if e.is_connect() {
        "could not connect".to_string()
    } else {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhooks_cannot_reach_internal_services_unless_allowed() {
        for bad in [
            "http://127.0.0.1:5432/",
            "http://localhost/x",
            "http://10.0.0.5/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/",
            "http://[fd00::1]/",
        ] {
            assert!(check_webhook_target(bad, false).is_err(), "{bad}");
            assert!(check_webhook_target(bad, true).is_ok(), "{bad}");
        }
        assert!(check_webhook_target("https://hooks.example.org/steward", false).is_ok());
    }

    #[test]
    fn signatures_follow_the_documented_recipe() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac stw_key
        assert_eq!(
            signature("stw_key", 1_700_000_000, r#"{"a":1}"#),
            "sha256=f69cd7f6abdffbc97d2afcae15bf1b1f740ee802c1f05560e8c780d6b02eb341"
        );
    }
}
