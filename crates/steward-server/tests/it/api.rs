use crate::{servers, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};
use steward_core::audit::Actor;
use steward_core::role::Role;

#[tokio::test]
async fn tokens_work_as_bearer_and_apikey_until_revoked_or_disabled() {
    for s in servers().await {
        let u = s.user("ana@example.org", Role::Analyst, "Bars Union").await;
        let token = s.token(&u).await;
        for scheme in ["Bearer", "ApiKey", "bearer"] {
            let r = s
                .client
                .get(s.at("/api/v1/me"))
                .header("Authorization", format!("{scheme} {token}"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{scheme} on {}", s.backend());
            let me: Value = r.json().await.unwrap();
            assert_eq!(me["email"], "ana@example.org");
            assert_eq!(me["org_name"], "Bars Union");
            assert!(me.get("password_hash").is_none());
        }
        let none = s.client.get(s.at("/api/v1/me")).send().await.unwrap();
        assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
        let body: Value = none.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized");
        let wrong = s.client.get(s.at("/api/v1/me")).bearer_auth("stw_not_a_token").send().await.unwrap();
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);

        s.store.set_user_disabled(&Actor::cli(), u.id, true).await.unwrap();
        let r = s.client.get(s.at("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "disabled user's token on {}", s.backend());
        s.store.set_user_disabled(&Actor::cli(), u.id, false).await.unwrap();
        let t = s.store.token_by_hash(&steward_core::credential::secret_hash(&token)).await.unwrap();
        s.store.revoke_token(&Actor::cli(), t.id, None).await.unwrap();
        let r = s.client.get(s.at("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "revoked token on {}", s.backend());
        s.stop().await;
    }
}

#[tokio::test]
async fn administrators_create_orgs_and_users_and_bad_input_names_the_field() {
    for s in servers().await {
        let admin = s.user("admin@example.org", Role::Admin, "Secretariat").await;
        let token = s.token(&admin).await;
        let post = |path: &str, body: String| {
            s.client.post(s.at(path)).bearer_auth(&token).header("content-type", "application/json").body(body).send()
        };
        let r = post("/api/v1/orgs", json!({"name": "Bars Union", "kind": "workers", "country": "Burma"}).to_string())
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", s.backend());
        let org: Value = r.json().await.unwrap();
        assert_eq!(org["country"], "MM");

        let r = post("/api/v1/orgs", "{bad".into()).await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let r = post("/api/v1/orgs", json!({"name": "X"}).to_string()).await.unwrap();
        assert!(r.status().is_client_error());
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().contains("kind"), "{body}");
        let r = post("/api/v1/orgs", json!({"name": "X", "kind": "union"}).to_string()).await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["field"], "kind");
        let r = post("/api/v1/orgs", json!({"name": "X", "kind": "company", "country": "Atlantis"}).to_string())
            .await
            .unwrap();
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["field"], "country", "{body}");
        let r = post("/api/v1/orgs", json!({"name": "bars union", "kind": "workers"}).to_string()).await.unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT);

        let r = post(
            "/api/v1/users",
            json!({"email": "new@example.org", "org": "Bars Union", "role": "viewer"}).to_string(),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", s.backend());
        let created: Value = r.json().await.unwrap();
        assert!(created["one_time_password"].as_str().unwrap().len() >= 16);
        assert_eq!(created["user"]["org_name"], "Bars Union");
        let r = post("/api/v1/users", json!({"email": "x@example.org", "org": "Nobody", "role": "viewer"}).to_string())
            .await
            .unwrap();
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["field"], "org");

        let big = format!("{{\"name\": \"{}\", \"kind\": \"company\"}}", "x".repeat(2 * 1024 * 1024));
        let r = post("/api/v1/orgs", big).await.unwrap();
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);

        let audit: Value =
            s.client.get(s.at("/api/v1/audit")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        let first = &audit["entries"][0];
        assert_eq!((first["entity"].as_str(), first["action"].as_str()), (Some("user"), Some("create")));
        assert_eq!(first["actor"], "admin@example.org");
        let verify: Value =
            s.client.get(s.at("/api/v1/audit/verify")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(verify["ok"], true, "{verify}");
        s.stop().await;
    }
}

#[tokio::test]
async fn members_are_shown_only_to_their_organisation_and_administrators() {
    for s in servers().await {
        let a = s.user("a@example.org", Role::Partner, "Bars Union").await;
        let b = s.user("b@example.org", Role::Partner, "Acme Buyers").await;
        let org = s.org("Bars Union").await;
        let get = |t: String| s.client.get(s.at(&format!("/api/v1/orgs/{}", org.id))).bearer_auth(t).send();
        let own: Value = get(s.token(&a).await).await.unwrap().json().await.unwrap();
        assert_eq!(own["members"][0]["email"], "a@example.org");
        let other: Value = get(s.token(&b).await).await.unwrap().json().await.unwrap();
        assert!(other.get("members").is_none(), "{other}");
        let r =
            s.client.get(s.at(&format!("/api/v1/users/{}", a.id))).bearer_auth(s.token(&b).await).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "another user's record is not found");
        let _ = PASSWORD;
        s.stop().await;
    }
}

#[tokio::test]
async fn countries_resolve_official_list_names() {
    for s in servers().await {
        let u = s.user("a@example.org", Role::Viewer, "Bars Union").await;
        let t = s.token(&u).await;
        let all: Value =
            s.client.get(s.at("/api/v1/countries")).bearer_auth(&t).send().await.unwrap().json().await.unwrap();
        assert!(all.as_array().unwrap().len() >= 249);
        let one: Value = s
            .client
            .get(s.at("/api/v1/countries"))
            .query(&[("q", "Congo, Democratic Republic of the")])
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(one[0]["alpha2"], "CD");
        s.stop().await;
    }
}

#[tokio::test]
async fn health_openapi_and_unknown_routes() {
    for s in servers().await {
        assert_eq!(s.client.get(s.at("/healthz")).send().await.unwrap().status(), StatusCode::OK);
        let spec: Value = s.client.get(s.at("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
        assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
        for path in
            ["/api/v1/me", "/api/v1/orgs", "/api/v1/orgs/{id}", "/api/v1/users", "/api/v1/audit", "/api/v1/countries"]
        {
            assert!(spec["paths"].get(path).is_some(), "{path} documented");
        }
        let r = s.client.get(s.at("/api/v1/nothing")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
        let r = s.client.get(s.at("/nothing")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let headers = r.headers().clone();
        assert!(headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(r.text().await.unwrap().contains("Not found"));
        s.stop().await;
    }
}
