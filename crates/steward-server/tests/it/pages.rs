use crate::{client, hidden, location, servers, session_cookie, set_cookies, start, PASSWORD};
use reqwest::header::COOKIE;
use reqwest::StatusCode;
use steward_core::audit::Actor;
use steward_core::credential::hash_password;
use steward_core::role::Role;

#[tokio::test]
async fn sign_in_sets_a_safe_cookie_and_sign_out_ends_the_session() {
    for s in servers().await {
        s.user("ana@example.org", Role::Analyst, "Bars Union").await;
        let (csrf, login_cookie) = s.login_form().await;
        let r = s
            .client
            .post(s.at("/login"))
            .header(COOKIE, &login_cookie)
            .form(&[("email", "ANA@example.org"), ("password", PASSWORD), ("csrf", &csrf), ("next", "/orgs")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", s.backend());
        assert_eq!(location(&r), "/orgs");
        let raw = set_cookies(r.headers()).into_iter().find(|c| c.starts_with("steward_session=")).unwrap();
        for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(raw.contains(attr), "{raw} lacks {attr}");
        }
        let cookie = session_cookie(r.headers()).unwrap();
        let home = s.get_page("/", &cookie).await;
        assert_eq!(home.status(), StatusCode::OK);
        assert!(home.text().await.unwrap().contains("Welcome, ana"));

        let token = s.csrf(&cookie).await;
        let r = s.client.post(s.at("/logout")).header(COOKIE, &cookie).form(&[("csrf", "wrong")]).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "sign-out needs the CSRF token");
        let r = s
            .client
            .post(s.at("/logout"))
            .header(COOKIE, &cookie)
            .form(&[("csrf", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let after = s.get_page("/", &cookie).await;
        assert_eq!(after.status(), StatusCode::SEE_OTHER, "the old cookie no longer works on {}", s.backend());
        assert!(location(&after).starts_with("/login"));
        s.stop().await;
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same_and_are_throttled() {
    for s in servers().await {
        s.user("ana@example.org", Role::Analyst, "Bars Union").await;
        let (csrf, cookie) = s.login_form().await;
        let attempt = |email: &'static str, password: &'static str| {
            let (csrf, cookie) = (csrf.clone(), cookie.clone());
            let c = s.client.clone();
            let url = s.at("/login");
            async move {
                let r = c
                    .post(url)
                    .header(COOKIE, cookie)
                    .form(&[("email", email), ("password", password), ("csrf", &csrf)])
                    .send()
                    .await
                    .unwrap();
                let status = r.status();
                (status, r.text().await.unwrap())
            }
        };
        let r = s
            .client
            .post(s.at("/login"))
            .form(&[("email", "ana@example.org"), ("password", PASSWORD), ("csrf", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "no CSRF cookie, no sign-in");
        let (st1, body1) = attempt("ana@example.org", "wrong password here").await;
        let (st2, body2) = attempt("nobody@example.org", "wrong password here").await;
        assert_eq!((st1, st2), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
        let message = |b: &str| b.split("id=\"login-error\">").nth(1).unwrap().split('<').next().unwrap().to_string();
        assert_eq!(message(&body1), message(&body2));
        for _ in 0..4 {
            attempt("ana@example.org", "wrong password here").await;
        }
        let (st, _) = attempt("ana@example.org", PASSWORD).await;
        assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "locked after 5 failures on {}", s.backend());
        s.stop().await;
    }
}

#[tokio::test]
async fn a_one_time_password_must_be_replaced_first() {
    for s in servers().await {
        let u = s.user("ana@example.org", Role::Analyst, "Bars Union").await;
        s.store.set_password(&Actor::cli(), u.id, &hash_password("one time password!"), true, None).await.unwrap();
        let cookie = s.sign_in("ana@example.org", "one time password!").await.unwrap();
        let r = s.get_page("/orgs", &cookie).await;
        assert_eq!(location(&r), "/account/password", "{}", s.backend());
        let csrf = hidden(&s.get_page("/account/password", &cookie).await.text().await.unwrap(), "csrf");
        let change = |password: &'static str, confirm: &'static str| {
            s.client
                .post(s.at("/account/password"))
                .header(COOKIE, &cookie)
                .form(&[
                    ("current", "one time password!"),
                    ("password", password),
                    ("confirm", confirm),
                    ("csrf", &csrf),
                ])
                .send()
        };
        assert_eq!(change("short", "short").await.unwrap().status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            change("a brand new password", "a different one!!").await.unwrap().status(),
            StatusCode::BAD_REQUEST
        );
        let r = change("a brand new password", "a brand new password").await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(s.get_page("/orgs", &cookie).await.status(), StatusCode::OK, "this session continues");
        assert!(s.sign_in("ana@example.org", "a brand new password").await.is_some());
        assert!(s.sign_in("ana@example.org", "one time password!").await.is_none());
        s.stop().await;
    }
}

#[tokio::test]
async fn two_factor_enrolment_sign_in_and_recovery_codes() {
    for s in servers().await {
        let u = s.user("ana@example.org", Role::Coordinator, "Bars Union").await;
        let cookie = s.sign_in("ana@example.org", PASSWORD).await.unwrap();
        let page = s.get_page("/account/2fa", &cookie).await.text().await.unwrap();
        assert!(page.contains("<svg"), "QR code shown");
        let secret = page.split("id=\"totp-secret\">").nth(1).unwrap().split('<').next().unwrap().to_string();
        let csrf = hidden(&page, "csrf");
        let r = s
            .client
            .post(s.at("/account/2fa"))
            .header(COOKIE, &cookie)
            .form(&[("code", "000000"), ("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let code = steward_server::totp::current(&secret, "ana@example.org").unwrap();
        let r = s
            .client
            .post(s.at("/account/2fa"))
            .header(COOKIE, &cookie)
            .form(&[("code", code.as_str()), ("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        let body = r.text().await.unwrap();
        let codes: Vec<String> =
            body.split("<li><code>").skip(1).map(|c| c.split('<').next().unwrap().to_string()).collect();
        assert_eq!(codes.len(), 10, "{}", s.backend());
        assert!(s.store.user(u.id).await.unwrap().totp_enabled);

        // The password alone now gives a pending session that reaches nothing but the second step.
        let pending = s.sign_in("ana@example.org", PASSWORD).await.unwrap();
        assert_eq!(location(&s.get_page("/", &pending).await), "/login/mfa");
        assert_eq!(
            s.client.get(s.at("/api/v1/me")).header(COOKIE, &pending).send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
        let mfa = s.get_page("/login/mfa", &pending).await.text().await.unwrap();
        let csrf = hidden(&mfa, "csrf");
        let submit = |cookie: String, code: String, csrf: String| {
            let c = client();
            let url = s.at("/login/mfa");
            async move { c.post(url).header(COOKIE, cookie).form(&[("code", code), ("csrf", csrf)]).send().await.unwrap() }
        };
        let r = submit(pending.clone(), "123456".into(), csrf.clone()).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let r = submit(pending.clone(), codes[0].clone(), csrf.clone()).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "recovery code on {}", s.backend());
        let full = session_cookie(r.headers()).unwrap();
        assert_ne!(full, pending, "the session id changes with privilege");
        assert_eq!(s.get_page("/", &full).await.status(), StatusCode::OK);
        assert_eq!(location(&s.get_page("/", &pending).await), "/login?next=%2F", "the pending session is gone");

        let again = s.sign_in("ana@example.org", PASSWORD).await.unwrap();
        let csrf = hidden(&s.get_page("/login/mfa", &again).await.text().await.unwrap(), "csrf");
        let r = submit(again.clone(), codes[0].clone(), csrf.clone()).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "a recovery code works once");
        let code = steward_server::totp::current(&secret, "ana@example.org").unwrap();
        let r = submit(again, code.clone(), csrf).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "authenticator code on {}", s.backend());

        // The same code a second time (a shoulder-surfed or phished one) is refused.
        let replay = s.sign_in("ana@example.org", PASSWORD).await.unwrap();
        let csrf = hidden(&s.get_page("/login/mfa", &replay).await.text().await.unwrap(), "csrf");
        let r = submit(replay.clone(), code, csrf.clone()).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "a code works once on {}", s.backend());

        // Wrong codes are limited on their own count, which signing in again does not reset.
        for _ in 0..5 {
            let again = s.sign_in("ana@example.org", PASSWORD).await.unwrap();
            let csrf = hidden(&s.get_page("/login/mfa", &again).await.text().await.unwrap(), "csrf");
            submit(again, "000000".into(), csrf).await;
        }
        let last = s.sign_in("ana@example.org", PASSWORD).await.unwrap();
        let csrf = hidden(&s.get_page("/login/mfa", &last).await.text().await.unwrap(), "csrf");
        let code = steward_server::totp::current(&secret, "ana@example.org").unwrap();
        let r = submit(last, code, csrf).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "second factor locked on {}", s.backend());
        s.stop().await;
    }
}

#[tokio::test]
async fn roles_can_be_required_to_use_two_factor_sign_in() {
    for s in servers().await {
        s.user("ana@example.org", Role::Coordinator, "Bars Union").await;
        s.user("ben@example.org", Role::Viewer, "Bars Union").await;
        s.store.set_mfa_required_roles(&Actor::cli(), &[Role::Coordinator]).await.unwrap();
        let ana = s.sign_in("ana@example.org", PASSWORD).await.unwrap();
        assert_eq!(location(&s.get_page("/orgs", &ana).await), "/account/2fa", "{}", s.backend());
        let ben = s.sign_in("ben@example.org", PASSWORD).await.unwrap();
        assert_eq!(s.get_page("/orgs", &ben).await.status(), StatusCode::OK);
        s.stop().await;
    }
}

#[tokio::test]
async fn administrators_manage_orgs_and_users_through_the_pages() {
    for s in servers().await {
        s.user("admin@example.org", Role::Admin, "Secretariat").await;
        let cookie = s.sign_in("admin@example.org", PASSWORD).await.unwrap();
        let csrf = s.csrf(&cookie).await;
        let r = s
            .client
            .post(s.at("/orgs"))
            .header(COOKIE, &cookie)
            .form(&[("name", "Bars Union"), ("kind", "workers"), ("country", "KH"), ("csrf", "forged")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "forged form refused");
        assert!(s.store.org_by_name("Bars Union").await.is_err(), "and nothing stored");
        let r = s
            .client
            .post(s.at("/orgs"))
            .header(COOKIE, &cookie)
            .form(&[("name", "Bars Union"), ("kind", "workers"), ("country", "KH"), ("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", s.backend());
        let org_page = s.get_page(&location(&r), &cookie).await.text().await.unwrap();
        assert!(org_page.contains("Bars Union") && org_page.contains("Cambodia"));
        let r = s
            .client
            .post(s.at("/orgs"))
            .header(COOKIE, &cookie)
            .form(&[("name", "Other"), ("kind", "union"), ("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("is not an organisation kind"));

        let org = s.store.org_by_name("Bars Union").await.unwrap();
        let r = s
            .client
            .post(s.at("/users"))
            .header(COOKIE, &cookie)
            .form(&[
                ("email", "new@example.org"),
                ("display_name", "New Person"),
                ("org", &org.id.to_string()),
                ("role", "partner"),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["cache-control"], "no-store");
        let body = r.text().await.unwrap();
        let password = body.split("id=\"one-time-password\">").nth(1).unwrap().split('<').next().unwrap().to_string();
        let new = s.sign_in("new@example.org", &password).await.expect("the one-time password works");
        assert_eq!(location(&s.get_page("/", &new).await), "/account/password");
        let users = s.get_page("/users", &cookie).await.text().await.unwrap();
        assert!(users.contains("new@example.org"));
        assert_eq!(s.get_page("/users", &new).await.status(), StatusCode::SEE_OTHER);
        s.stop().await;
    }
}

/// Two server processes on one database are one service: a session begun on one is valid on
/// the other, and a sign-out on either ends it on both.
#[tokio::test]
async fn two_servers_on_one_database_share_sessions_and_data() {
    for s in servers().await {
        s.user("ana@example.org", Role::Analyst, "Bars Union").await;
        let url = s.db.as_ref().unwrap().url.clone();
        let second = steward_store::Store::open(&url).await.unwrap();
        let (url_b, stop_b) = start(second.clone()).await;
        let cookie = s.sign_in("ana@example.org", PASSWORD).await.unwrap();
        let on_b = client().get(format!("{url_b}/orgs")).header(COOKIE, &cookie).send().await.unwrap();
        assert_eq!(on_b.status(), StatusCode::OK, "session from A works on B ({})", s.backend());
        assert!(on_b.text().await.unwrap().contains("Bars Union"));
        let csrf = s.csrf(&cookie).await;
        client().post(format!("{url_b}/logout")).header(COOKIE, &cookie).form(&[("csrf", csrf)]).send().await.unwrap();
        assert_eq!(s.get_page("/orgs", &cookie).await.status(), StatusCode::SEE_OTHER, "signed out on B ends it on A");
        let _ = stop_b.send(());
        second.close().await;
        s.stop().await;
    }
}
