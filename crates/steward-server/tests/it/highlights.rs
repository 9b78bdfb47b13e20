//! The public highlights page shows only a case's approved words while consent stands.

use crate::servers;
use reqwest::header::COOKIE;
use serde_json::{json, Value};
use steward_core::role::Role;

#[tokio::test]
async fn the_public_sees_approved_words_only_and_not_after_consent_is_withdrawn() {
    for s in servers().await {
        let owner = s.user("owner@alpha.example", Role::Coordinator, "Alpha Federation").await;
        let partner = s.user("p@beta.example", Role::Partner, "Beta Union").await;
        let (t, pt) = (s.token(&owner).await, s.token(&partner).await);
        let body = json!({"title": "Threats against Halvard Mossgrove", "summary": "Mossgrove followed by men from the Quarrin plant",
            "country": "GT", "risk": "life", "visibility": "partners", "shared_with": ["Beta Union"],
            "people": [{"name": "Halvard Mossgrove", "contact": "+502 0000 1111"}]});
        let r = s.client.post(s.at("/api/v1/cases")).bearer_auth(&t).json(&body).send().await.unwrap();
        let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let story = json!({"consent_from": "their organisation", "consent_by": "General secretary Ilse Varn",
            "consent_on": "2026-11-20", "title": "Banana workers' leader threatened",
            "summary": "A union leader in Guatemala received death threats after a strike; the union asks for solidarity."});
        let r = s
            .client
            .post(s.at(&format!("/api/v1/cases/{id}/highlight")))
            .bearer_auth(&pt)
            .json(&story)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{}: partners do not publish", s.backend());
        let future = json!({"consent_from": "person", "consent_by": "x", "consent_on": "2999-01-01", "title": "t", "summary": "s"});
        let r = s
            .client
            .post(s.at(&format!("/api/v1/cases/{id}/highlight")))
            .bearer_auth(&t)
            .json(&future)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        let r = s
            .client
            .post(s.at(&format!("/api/v1/cases/{id}/highlight")))
            .bearer_auth(&t)
            .json(&story)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", s.backend());

        let public = s.client.get(s.at("/highlights")).send().await.unwrap().text().await.unwrap();
        let api = s.client.get(s.at("/api/v1/highlights")).send().await.unwrap().text().await.unwrap();
        for text in [&public, &api] {
            assert!(text.contains("Banana workers") && text.contains("leader threatened"), "{}", s.backend());
            for secret in ["Mossgrove", "Quarrin", "Ilse Varn", "0000 1111", id.as_str()] {
                assert!(!text.contains(secret), "{}: the public page shows '{secret}'", s.backend());
            }
        }
        let mine: Value = s
            .client
            .get(s.at(&format!("/api/v1/cases/{id}/highlights")))
            .bearer_auth(&pt)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            mine[0]["consent_by"],
            "General secretary Ilse Varn",
            "{}: the case's readers see the consent",
            s.backend()
        );

        // Withdrawing through the case page takes it down at once.
        let cookie = s.sign_in("owner@alpha.example", crate::PASSWORD).await.unwrap();
        let page = s
            .client
            .get(s.at(&format!("/cases/{id}")))
            .header(COOKIE, &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("On the <a href=\"/highlights"), "{}", s.backend());
        let csrf = crate::hidden(&page, "csrf");
        let r = s
            .client
            .post(s.at(&format!("/cases/{id}/highlight/withdraw")))
            .header(COOKIE, &cookie)
            .form(&[("csrf", csrf.as_str()), ("reason", "Consent withdrawn by the union")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let public = s.client.get(s.at("/highlights")).send().await.unwrap().text().await.unwrap();
        assert!(!public.contains("Banana workers"), "{}: withdrawn at once", s.backend());
        assert_eq!(
            s.client.get(s.at("/api/v1/highlights")).send().await.unwrap().json::<Value>().await.unwrap(),
            json!([])
        );
        s.stop().await;
    }
}
