#![allow(missing_docs, clippy::unwrap_used)]
//! HTTP tests against the real server on a real socket, on SQLite and (when
//! `STEWARD_TEST_POSTGRES_URL` is set) PostgreSQL.

mod api;
mod confidentiality;
mod evidence;
mod highlights;
mod notifications;
mod pages;
mod reports;
mod routes;
mod screening;

use reqwest::header::{HeaderMap, COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use steward_core::audit::Actor;
use steward_core::credential::{generate_token, hash_password, secret_hash};
use steward_core::email::Email;
use steward_core::org::{NewOrg, Org, OrgKind};
use steward_core::role::Role;
use steward_core::user::{NewUser, User};
use steward_server::{AppState, ServerConfig};
use steward_store::testing::{self, TestDb};
use steward_store::Store;

pub const PASSWORD: &str = "a long test password";

/// A running server on a fresh database.
pub struct TestServer {
    pub url: String,
    pub store: Store,
    pub db: Option<TestDb>,
    pub client: Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// Starts a server over `store` on a free port.
pub async fn start(store: Store) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    // The webhook receivers in the tests listen on 127.0.0.1.
    let config = ServerConfig {
        cookie_secure: false,
        clock_scan_seconds: 0,
        allow_private_webhooks: true,
        ..ServerConfig::default()
    };
    tokio::spawn(steward_server::serve(listener, AppState::new(store, config), async move {
        let _ = rx.await;
    }));
    (url, tx)
}

/// A server on each available backend.
pub async fn servers() -> Vec<TestServer> {
    let mut out = Vec::new();
    for db in testing::fresh().await {
        let (url, tx) = start(db.store.clone()).await;
        out.push(TestServer { url, store: db.store.clone(), db: Some(db), client: client(), shutdown: Some(tx) });
    }
    out
}

pub fn client() -> Client {
    Client::builder().redirect(Policy::none()).build().expect("client")
}

impl TestServer {
    pub fn backend(&self) -> &'static str {
        self.db.as_ref().map(|d| d.backend).unwrap_or("?")
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(db) = self.db.take() {
            db.drop_db().await;
        }
    }

    pub async fn org(&self, name: &str) -> Org {
        match self.store.org_by_name(name).await {
            Ok(o) => o,
            Err(_) => {
                self.store.create_org(&Actor::cli(), NewOrg::new(name, OrgKind::Workers, None).unwrap()).await.unwrap()
            }
        }
    }

    /// A user with the test password, already changed (no one-time password pending).
    pub async fn user(&self, email: &str, role: Role, org: &str) -> User {
        let org = self.org(org).await;
        let new = NewUser {
            email: Email::parse(email).unwrap(),
            display_name: email.split('@').next().unwrap().to_string(),
            org_id: org.id,
            role,
            password_hash: hash_password(PASSWORD),
            must_change_password: false,
        };
        self.store.create_user(&Actor::cli(), new).await.unwrap()
    }

    pub async fn token(&self, user: &User) -> String {
        let token = generate_token();
        self.store.create_token(&Actor::cli(), user.id, "test", &secret_hash(&token)).await.unwrap();
        token
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    /// Signs in through the pages and returns the session cookie (`name=value`).
    pub async fn sign_in(&self, email: &str, password: &str) -> Option<String> {
        let (csrf, cookie) = self.login_form().await;
        let r = self
            .client
            .post(self.at("/login"))
            .header(COOKIE, &cookie)
            .form(&[("email", email), ("password", password), ("csrf", &csrf), ("next", "/")])
            .send()
            .await
            .unwrap();
        if r.status() != StatusCode::SEE_OTHER {
            return None;
        }
        session_cookie(r.headers())
    }

    /// The sign-in form's CSRF token and the cookie it must travel with.
    pub async fn login_form(&self) -> (String, String) {
        let r = self.client.get(self.at("/login")).send().await.unwrap();
        let cookie = set_cookies(r.headers())
            .into_iter()
            .find(|c| c.starts_with("steward_login_csrf="))
            .expect("login csrf cookie");
        let cookie = cookie.split(';').next().unwrap().to_string();
        let body = r.text().await.unwrap();
        (hidden(&body, "csrf"), cookie)
    }

    /// GET with a session cookie.
    pub async fn get_page(&self, path: &str, cookie: &str) -> Response {
        self.client.get(self.at(path)).header(COOKIE, cookie).send().await.unwrap()
    }

    /// The CSRF token of the session, read from a page's sign-out form.
    pub async fn csrf(&self, cookie: &str) -> String {
        let body = self.get_page("/account", cookie).await.text().await.unwrap();
        hidden(&body, "csrf")
    }
}

pub fn set_cookies(h: &HeaderMap) -> Vec<String> {
    h.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(String::from).collect()
}

pub fn session_cookie(h: &HeaderMap) -> Option<String> {
    set_cookies(h)
        .into_iter()
        .find(|c| c.starts_with("steward_session=") && !c.starts_with("steward_session=;"))
        .map(|c| c.split(';').next().unwrap().to_string())
}

pub fn location(r: &Response) -> String {
    r.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

/// The value of the first hidden input named `name` in `html`.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no hidden {name} in page")) + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}
