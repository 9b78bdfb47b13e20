//! Sources, files and the evidence bundle over HTTP: uploads checked by content, downloads that
//! no browser runs, the bundle's omissions, and nothing for those outside the case.

use crate::{servers, TestServer};
use reqwest::header::COOKIE;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use steward_core::role::Role;

async fn upload(
    s: &TestServer,
    token: &str,
    case: &str,
    name: &str,
    bytes: &[u8],
    source: Option<&str>,
) -> reqwest::Response {
    let mut form = Form::new().part("file", Part::bytes(bytes.to_vec()).file_name(name.to_string()));
    if let Some(source) = source {
        form = form.text("source", source.to_string());
    }
    s.client
        .post(s.at(&format!("/api/v1/cases/{case}/attachments")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn evidence_bundles_carry_what_a_referral_needs_and_say_what_they_leave_out() {
    for s in servers().await {
        let owner = s.user("owner@alpha.example", Role::Coordinator, "Alpha Federation").await;
        let stranger = s.user("s@gamma.example", Role::Coordinator, "Gamma Ministry").await;
        let (t, st) = (s.token(&owner).await, s.token(&stranger).await);
        let body = json!({"title": "Arrest of Teodric Vallum", "summary": "Held after the strike", "country": "KH",
            "risk": "liberty", "visibility": "internal",
            "people": [{"name": "Teodric Vallum", "role": "trade-union leader", "contact": "signal:+855-00-VALLUM"}]});
        let r = s.client.post(s.at("/api/v1/cases")).bearer_auth(&t).json(&body).send().await.unwrap();
        let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let incident = json!({"kind": "arbitrary arrest", "date": "2026-11-20", "perpetrator": "police",
            "perpetrator_names": ["Captain Orrin Flaske"], "victims": [1]});
        let r = s
            .client
            .post(s.at(&format!("/api/v1/cases/{id}/incidents")))
            .bearer_auth(&t)
            .json(&incident)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let incident_id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        // Corrected after the fact: the place was learnt the next day.
        let corrected = json!({"kind": "arbitrary arrest", "date": "2026-11-20", "perpetrator": "police",
            "place": "Prey Sar prison", "perpetrator_names": ["Captain Orrin Flaske"], "victims": [1]});
        let url = s.at(&format!("/api/v1/cases/{id}/incidents/{incident_id}"));
        let r = s.client.put(&url).bearer_auth(&st).json(&corrected).send().await.unwrap();
        assert_eq!(r.status(), 404, "{}: strangers cannot edit what they cannot see", s.backend());
        let r = s.client.put(&url).bearer_auth(&t).json(&corrected).send().await.unwrap();
        assert_eq!(r.status(), 200, "{}", s.backend());
        assert_eq!(r.json::<Value>().await.unwrap()["place"], "Prey Sar prison");
        let source = json!({"reporter": "Wenna Drossel", "channel": "signal", "reported_on": "2026-11-21",
            "reliability": "B", "credibility": "2", "notes": "Saw the arrest"});
        let r = s
            .client
            .post(s.at(&format!("/api/v1/cases/{id}/sources")))
            .bearer_auth(&t)
            .json(&source)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", s.backend());
        let source_id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let better = json!({"reporter": "Wenna Drossel", "channel": "signal", "reported_on": "2026-11-21",
            "reliability": "B", "credibility": "2", "notes": "Saw the arrest from her stall"});
        let url = s.at(&format!("/api/v1/cases/{id}/sources/{source_id}"));
        let r = s.client.put(&url).bearer_auth(&t).json(&better).send().await.unwrap();
        assert_eq!(r.status(), 200, "{}", s.backend());
        let history: Value = s
            .client
            .get(s.at(&format!("/api/v1/cases/{id}/history")))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let text = history.to_string();
        assert!(text.contains("Prey Sar prison") && text.contains("Saw the arrest from her stall"), "{text}");
        let bad = json!({"channel": "carrier pigeon", "reliability": "B", "credibility": "2"});
        let r = s
            .client
            .post(s.at(&format!("/api/v1/cases/{id}/sources")))
            .bearer_auth(&t)
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("carrier pigeon"));

        let pdf = b"%PDF-1.4\n% arrest warrant\n";
        let r = upload(&s, &t, &id, "warrant.pdf", pdf, Some(&source_id)).await;
        assert_eq!(r.status(), 201, "{}", s.backend());
        let file: Value = r.json().await.unwrap();
        assert_eq!(file["kind"], "pdf");
        let r = upload(&s, &t, &id, "photo.jpg", b"<html><script>alert(1)</script></html>", None).await;
        assert_eq!(r.status(), 400, "{}: a script named .jpg is refused", s.backend());
        assert!(r.text().await.unwrap().contains("photo.jpg is not a PDF"));
        let r = upload(&s, &st, &id, "warrant.pdf", pdf, None).await;
        assert_eq!(r.status(), 404, "{}: strangers cannot attach to a case they cannot see", s.backend());

        let url = s.at(&format!("/api/v1/cases/{id}/attachments/{}", file["id"].as_str().unwrap()));
        let r = s.client.get(&url).bearer_auth(&t).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
        assert_eq!(r.bytes().await.unwrap().as_ref(), pdf);
        assert_eq!(s.client.get(&url).bearer_auth(&st).send().await.unwrap().status(), 404);

        let e: Value = s
            .client
            .get(s.at(&format!("/api/v1/cases/{id}/evidence")))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let text = e.to_string();
        assert!(text.contains("Captain Orrin Flaske") && text.contains("Teodric Vallum"), "{}", s.backend());
        assert!(!text.contains("VALLUM"), "{}: contacts never leave in an export", s.backend());
        assert!(!text.contains("Wenna Drossel"), "{}: reporters are withheld by default", s.backend());
        assert_eq!(e["attachments"][0]["sha256"], file["sha256"]);
        let omitted = e["omitted"].to_string();
        assert!(omitted.contains("Contact details") && omitted.contains("1 source's reporter"), "{omitted}");
        let named: Value = s
            .client
            .get(s.at(&format!("/api/v1/cases/{id}/evidence?reporters=include&people=pseudonyms")))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(named.to_string().contains("Wenna Drossel"));
        assert!(!named.to_string().contains("Teodric Vallum"), "{}: {named}", s.backend());
        assert_eq!(named["people"][0]["name"], "Person 1");
        let r = s.client.get(s.at(&format!("/api/v1/cases/{id}/evidence"))).bearer_auth(&st).send().await.unwrap();
        assert_eq!(r.status(), 404);

        // A referral about one incident carries that one, and says how many it leaves out.
        let threat = json!({"kind": "threat or intimidation", "date": "2026-11-22", "perpetrator": "unknown",
            "perpetrator_names": ["Sergeant Hollis Brede"], "victims": [1]});
        let r = s.client.post(s.at(&format!("/api/v1/cases/{id}/incidents"))).bearer_auth(&t).json(&threat).send();
        assert_eq!(r.await.unwrap().status(), 201);
        let bundle = |q: String| s.client.get(s.at(&format!("/api/v1/cases/{id}/evidence?{q}"))).bearer_auth(&t).send();
        let one: Value = bundle(format!("incidents={incident_id}")).await.unwrap().json().await.unwrap();
        assert_eq!(one["incidents"].as_array().unwrap().len(), 1, "{}", s.backend());
        assert!(one.to_string().contains("Orrin Flaske") && !one.to_string().contains("Hollis Brede"));
        assert!(one["omitted"].to_string().contains("1 other incident of the case not chosen"), "{}", one["omitted"]);
        let r = bundle("incidents=no-such-incident".into()).await.unwrap();
        assert_eq!(r.status(), 400, "{}", s.backend());
        assert!(r.text().await.unwrap().contains("incidents"));

        // The same case in HURIDOCS ESF: codes from the micro-thesauri, victims and perpetrators
        // as person records, no contact, no reporter unless asked.
        let esf: Value = s
            .client
            .get(s.at(&format!("/api/v1/cases/{id}/esf")))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(esf["event"]["event_record_number"], id.as_str());
        assert_eq!(esf["acts"][0]["type_of_act"]["code"], "030101000000", "{}", s.backend());
        assert_eq!(esf["acts"][0]["victim"], "V1");
        assert_eq!(esf["involvements"][0]["type_of_perpetrator"]["code"], "010104000000");
        let persons = esf["persons"].to_string();
        assert!(persons.contains("Teodric Vallum") && persons.contains("Captain Orrin Flaske"), "{persons}");
        assert!(!esf.to_string().contains("VALLUM") && !esf.to_string().contains("Wenna Drossel"));
        assert_eq!(esf["information"][0]["reliability_of_information"].as_str().unwrap().get(..2), Some("B2"));
        let r = s.client.get(s.at(&format!("/api/v1/cases/{id}/esf"))).bearer_auth(&st).send().await.unwrap();
        assert_eq!(r.status(), 404);

        // The pages: the case shows sources and files; the printable bundle; its export is audited.
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
        assert!(page.contains("Wenna Drossel") && page.contains("warrant.pdf"));
        let csrf = crate::hidden(&page, "csrf");
        let form = Form::new()
            .text("csrf", csrf.clone())
            .part("file", Part::bytes(b"Notes from the hearing\n".to_vec()).file_name("hearing.txt"));
        let r = s
            .client
            .post(s.at(&format!("/cases/{id}/attachments")))
            .header(COOKIE, &cookie)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{}", s.backend());
        let form = Form::new().text("csrf", "forged").part("file", Part::bytes(b"x\n".to_vec()).file_name("x.txt"));
        let r = s
            .client
            .post(s.at(&format!("/cases/{id}/attachments")))
            .header(COOKIE, &cookie)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_ne!(r.status(), 303, "{}: a forged form attaches nothing", s.backend());
        let r = s
            .client
            .post(s.at(&format!("/cases/{id}/sources")))
            .header(COOKIE, &cookie)
            .form(&[("csrf", csrf.as_str()), ("channel", "phone"), ("reliability", "C"), ("credibility", "3")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let bundle = s.client.get(s.at(&format!("/cases/{id}/evidence"))).header(COOKIE, &cookie).send().await.unwrap();
        assert_eq!(bundle.status(), 200);
        let bundle = bundle.text().await.unwrap();
        assert!(
            bundle.contains("What this bundle leaves out")
                && bundle.contains("hearing.txt")
                && bundle.contains("withheld")
        );
        let audit: Value = s
            .client
            .get(s.at(&format!("/api/v1/cases/{id}")))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(audit["id"], id.as_str());
        let trail = s.store.case_audit(&id).await.unwrap();
        assert!(
            trail.iter().filter(|e| e.action == "export evidence").count() >= 3,
            "{}: every export is recorded",
            s.backend()
        );

        // The case page offers the same correction, prefilled, to its own organisation.
        let cookie = s.sign_in("owner@alpha.example", crate::PASSWORD).await.unwrap();
        let page = s.get_page(&format!("/cases/{id}"), &cookie).await.text().await.unwrap();
        assert!(page.contains("Edit incident 1") && page.contains(r#"value="Prey Sar prison""#), "{}", s.backend());
        let csrf = s.csrf(&cookie).await;
        let r = s
            .client
            .post(s.at(&format!("/cases/{id}/incidents/{incident_id}")))
            .header(reqwest::header::COOKIE, &cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("kind", "arbitrary arrest"),
                ("date", "2026-11-20"),
                ("place", "Prey Sar prison, block C"),
                ("perpetrator", "police"),
                ("perpetrator_names", "Captain Orrin Flaske"),
                ("victim", "1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{}", s.backend());
        let page = s.get_page(&format!("/cases/{id}"), &cookie).await.text().await.unwrap();
        assert!(page.contains("Prey Sar prison, block C"), "{}", s.backend());

        // An action, corrected on the page: its description and due date.
        let action = json!({"kind": "legal aid", "description": "Find a lawyer"});
        let r = s
            .client
            .post(s.at(&format!("/api/v1/cases/{id}/actions")))
            .bearer_auth(&t)
            .json(&action)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", s.backend());
        let action_id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let r = s
            .client
            .post(s.at(&format!("/cases/{id}/actions/{action_id}")))
            .header(reqwest::header::COOKIE, &cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("kind", "legal aid"),
                ("owner", "Alpha Federation"),
                ("due", "2026-12-02"),
                ("description", "Retain counsel for the bail hearing"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{}", s.backend());
        let actions: Value = s
            .client
            .get(s.at(&format!("/api/v1/cases/{id}/actions")))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(actions[0]["description"], "Retain counsel for the bail hearing", "{}", s.backend());
        assert_eq!(actions[0]["due"], "2026-12-02");
        let r = s
            .client
            .put(s.at(&format!("/api/v1/cases/{id}/actions/{action_id}")))
            .bearer_auth(&t)
            .json(&json!({"kind": "legal aid", "status": "done"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{}: a status is moved, not edited", s.backend());
        s.stop().await;
    }
}
