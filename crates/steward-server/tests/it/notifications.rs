//! Response clocks running out reach the people who can act, in the application, and the
//! organisations that may see the case, by a signed webhook to a real receiving server.

use crate::{servers, TestServer};
use axum::extract::State;
use axum::http::HeaderMap;
use reqwest::header::COOKIE;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use steward_core::role::Role;
use steward_server::{notify, AppState, ServerConfig};

type Received = Arc<Mutex<Vec<(HeaderMap, String)>>>;

/// A webhook receiver on a real socket that keeps what it is sent.
async fn receiver() -> (String, Received) {
    let received: Received = Arc::default();
    let app = axum::Router::new()
        .route(
            "/hook",
            axum::routing::post(|State(r): State<Received>, headers: HeaderMap, body: String| async move {
                r.lock().unwrap().push((headers, body));
                "ok"
            }),
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

async fn create(s: &TestServer, token: &str, body: Value) -> String {
    let r = s.client.post(s.at("/api/v1/cases")).bearer_auth(token).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201, "{}", s.backend());
    r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

async fn set_hook(s: &TestServer, token: &str, url: &str) -> reqwest::Response {
    s.client.put(s.at("/api/v1/webhook")).bearer_auth(token).json(&json!({ "url": url })).send().await.unwrap()
}

#[tokio::test]
async fn overdue_clocks_notify_in_the_application_and_by_signed_webhook() {
    for s in servers().await {
        let Some(db) = &s.db else { continue };
        let owner = s.user("owner@alpha.example", Role::Coordinator, "Alpha Federation").await;
        let partner = s.user("coord@beta.example", Role::Coordinator, "Beta Union").await;
        let partner_member = s.user("member@beta.example", Role::Partner, "Beta Union").await;
        let stranger = s.user("s@gamma.example", Role::Coordinator, "Gamma Ministry").await;
        let (owner_t, partner_t, member_t, stranger_t) =
            (s.token(&owner).await, s.token(&partner).await, s.token(&partner_member).await, s.token(&stranger).await);
        // The accounts just made were told to their organisations' coordinators: read, so that
        // what follows counts the clocks alone.
        for t in [&owner_t, &partner_t, &member_t, &stranger_t] {
            let r = s.client.post(s.at("/api/v1/notifications/read")).bearer_auth(t).json(&json!({})).send();
            assert_eq!(r.await.unwrap().status(), 200);
        }

        let (url, received) = receiver().await;
        let r = set_hook(&s, &member_t, &url).await;
        assert_eq!(r.status(), 403, "{}: only coordinators set their organisation's webhook", s.backend());
        let r = set_hook(&s, &owner_t, "ftp://nowhere.example").await;
        assert_eq!(r.status(), 400, "{}", s.backend());
        assert!(r.text().await.unwrap().contains("webhook address"));
        let alpha: Value = set_hook(&s, &owner_t, &url).await.json().await.unwrap();
        let beta: Value = set_hook(&s, &partner_t, &url).await.json().await.unwrap();
        let gamma: Value = set_hook(&s, &stranger_t, &url).await.json().await.unwrap();
        let secret_of = |v: &Value| v["secret"].as_str().unwrap().to_string();
        let secrets = [secret_of(&alpha), secret_of(&beta), secret_of(&gamma)];
        let shown: Value =
            s.client.get(s.at("/api/v1/webhook")).bearer_auth(&owner_t).send().await.unwrap().json().await.unwrap();
        assert_eq!(shown["url"], url.as_str());
        assert!(shown.get("secret").is_none(), "{}: the secret is shown once, when set", s.backend());

        let shared = create(
            &s,
            &owner_t,
            json!({"title": "Ardalion Vesk detained", "summary": "Ardalion Vesk held at the station", "country": "KH",
                   "risk": "liberty", "visibility": "partners", "people": [{"name": "Ardalion Vesk"}], "shared_with": ["Beta Union"]}),
        )
        .await;
        let restricted = create(
            &s,
            &owner_t,
            json!({"title": "Brisa Toumell threatened", "summary": "Brisa Toumell followed home", "country": "KH",
                   "risk": "life", "visibility": "restricted", "people": [{"name": "Brisa Toumell"}]}),
        )
        .await;
        let state = AppState::new(s.store.clone(), ServerConfig::default());
        let none = notify::scan_clocks_once(&state).await.unwrap();
        assert_eq!(none.events, 0, "{}: fresh cases have time left", s.backend());

        steward_store::testing::raw_exec(db, "UPDATE cases SET created_at = '2020-01-01T00:00:00Z'").await;
        let report = notify::scan_clocks_once(&state).await.unwrap();
        assert_eq!(report.events, 4, "{}: two overdue clocks on each case", s.backend());
        assert_eq!(
            (report.delivered, report.failed),
            (4, 0),
            "{}: the shared case's two events to two organisations",
            s.backend()
        );
        let again = notify::scan_clocks_once(&state).await.unwrap();
        assert_eq!(again.events, 0, "{}: each event is announced once", s.backend());
        assert_eq!((again.retried, again.recovered), (0, 0), "{}: nothing failed", s.backend());
        // A failed try recorded for an organisation that may not see the case is never tried
        // again: entitlement is asked anew on every retry.
        let sent: Value = serde_json::from_str(&received.lock().unwrap()[0].1).unwrap();
        let event = sent["id"].as_str().unwrap().to_string();
        s.store.record_delivery(&event, stranger.org_id, None, Some("refused")).await.unwrap();
        let retry = notify::redeliver_once(&state, std::time::Duration::ZERO).await.unwrap();
        assert_eq!(retry, (0, 0), "{}: Gamma may not see the case", s.backend());

        let got = received.lock().unwrap().clone();
        assert_eq!(got.len(), 4, "{}", s.backend());
        for (headers, body) in &got {
            let ts: i64 = headers["x-steward-timestamp"].to_str().unwrap().parse().unwrap();
            let sig = headers["x-steward-signature"].to_str().unwrap();
            let signer = secrets.iter().position(|k| notify::signature(k, ts, body) == sig);
            assert!(
                matches!(signer, Some(0 | 1)),
                "{}: signed by Alpha's or Beta's secret, never Gamma's",
                s.backend()
            );
            let payload: Value = serde_json::from_str(body).unwrap();
            assert_eq!(payload["case_id"], shared.as_str(), "{}: restricted cases never leave by webhook", s.backend());
            assert_eq!(payload["state"], "overdue");
            assert_eq!(payload["risk"], "liberty");
            assert!(!body.contains("Ardalion"), "{}: payloads carry no names or words of the case", s.backend());
            let tampered = notify::signature(&secrets[0], ts, &body.replace("overdue", "due_soon"));
            assert_ne!(tampered, sig);
        }

        let list = |t: &str| {
            let t = t.to_string();
            let c = s.client.get(s.at("/api/v1/notifications")).bearer_auth(t).send();
            async move { c.await.unwrap().json::<Value>().await.unwrap() }
        };
        let mine = list(&owner_t).await;
        assert_eq!(mine["unread"], 4, "{}: the owner coordinator hears of both cases", s.backend());
        let theirs = list(&partner_t).await;
        assert_eq!(theirs["unread"], 2, "{}: the partner's coordinator hears of the shared case", s.backend());
        assert!(theirs.to_string().contains("Ardalion") && !theirs.to_string().contains(&restricted));
        assert_eq!(list(&member_t).await["unread"], 0, "{}: partners who cannot act are not paged", s.backend());
        let strangers = list(&stranger_t).await;
        assert_eq!(strangers["notifications"], json!([]), "{}", s.backend());

        // The pages: the count in the navigation, the list, mark read.
        let cookie = s.sign_in("owner@alpha.example", crate::PASSWORD).await.unwrap();
        let home = s.client.get(s.at("/")).header(COOKIE, &cookie).send().await.unwrap().text().await.unwrap();
        assert!(home.contains("4 unread"), "{}: the navigation shows the unread count", s.backend());
        let page =
            s.client.get(s.at("/notifications")).header(COOKIE, &cookie).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Ardalion Vesk detained") && page.contains("Brisa Toumell threatened"));
        assert!(page.contains("overdue") && page.contains("Latest deliveries"));
        let csrf = crate::hidden(&page, "csrf");
        let r = s
            .client
            .post(s.at("/notifications/read"))
            .header(COOKIE, &cookie)
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(list(&owner_t).await["unread"], 0, "{}", s.backend());

        let r = s.client.delete(s.at("/api/v1/webhook")).bearer_auth(&owner_t).send().await.unwrap();
        assert_eq!(r.status(), 204);
        let gone: Value =
            s.client.get(s.at("/api/v1/webhook")).bearer_auth(&owner_t).send().await.unwrap().json().await.unwrap();
        assert!(gone["url"].is_null());
        s.stop().await;
    }
}

#[tokio::test]
async fn a_public_alert_wakes_the_desk_through_its_webhook() {
    for s in servers().await {
        s.org("Alpha Federation").await;
        let desk = s.user("desk@alpha.example", Role::Coordinator, "Alpha Federation").await;
        let t = s.token(&desk).await;
        let (url, received) = receiver().await;
        let hook: Value = set_hook(&s, &t, &url).await.json().await.unwrap();
        let secret = hook["secret"].as_str().unwrap().to_string();
        let r = s
            .client
            .post(s.at("/api/v1/alerts"))
            .json(&json!({"summary": "Organiser Quillan Morvet taken from her home at night"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", s.backend());
        // Delivered in the background: the sender's answer does not wait for it.
        let mut waited = 0;
        while received.lock().unwrap().is_empty() && waited < 100 {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            waited += 1;
        }
        let got = received.lock().unwrap().clone();
        assert_eq!(got.len(), 1, "{}: one announcement", s.backend());
        let (headers, body) = &got[0];
        assert_eq!(headers["x-steward-event"], "alert");
        let ts: i64 = headers["x-steward-timestamp"].to_str().unwrap().parse().unwrap();
        assert_eq!(headers["x-steward-signature"].to_str().unwrap(), notify::signature(&secret, ts, body));
        let payload: Value = serde_json::from_str(body).unwrap();
        assert_eq!(payload["type"], "alert.received");
        assert!(!body.contains("Quillan") && !body.contains("night"), "{}: nothing of what it says", s.backend());
        let shown: Value =
            s.client.get(s.at("/api/v1/webhook")).bearer_auth(&t).send().await.unwrap().json().await.unwrap();
        assert_eq!(shown["deliveries"][0]["event"], payload["id"], "{}: the delivery is recorded", s.backend());
        assert_eq!(shown["deliveries"][0]["status"], 200);
        s.stop().await;
    }
}

#[tokio::test]
async fn a_delivery_that_failed_is_tried_again_on_a_later_scan() {
    for s in servers().await {
        let alpha = s.org("Alpha Federation").await;
        let desk = s.user("desk@alpha.example", Role::Coordinator, "Alpha Federation").await;
        let t = s.token(&desk).await;
        // An alert whose announcement failed (the team's receiver was down)...
        let r = s.client.post(s.at("/api/v1/alerts")).json(&json!({"summary": "Strike leader missing"})).send();
        assert_eq!(r.await.unwrap().status(), 201);
        let alert: Value =
            s.client.get(s.at("/api/v1/alerts")).bearer_auth(&t).send().await.unwrap().json().await.unwrap();
        let alert_id = alert[0]["id"].as_str().unwrap().to_string();
        // ...and the receiver now up again.
        let (url, received) = receiver().await;
        set_hook(&s, &t, &url).await;
        s.store.record_alert_delivery(&alert_id, alpha.id, None, Some("connection refused")).await.unwrap();
        let state = AppState::new(s.store.clone(), ServerConfig::default());
        let later = std::time::Duration::from_secs(3600);
        assert_eq!(
            notify::redeliver_once(&state, later).await.unwrap(),
            (0, 0),
            "{}: not before its time",
            s.backend()
        );
        let now = std::time::Duration::ZERO;
        assert_eq!(notify::redeliver_once(&state, now).await.unwrap(), (1, 1), "{}", s.backend());
        let got = received.lock().unwrap().clone();
        assert_eq!(got.len(), 1);
        assert!(got[0].1.contains(&alert_id) && got[0].1.contains("alert.received"));
        assert_eq!(notify::redeliver_once(&state, now).await.unwrap(), (0, 0), "{}: landed, so done", s.backend());
        s.stop().await;
    }
}
