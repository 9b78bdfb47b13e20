use crate::servers;
use reqwest::StatusCode;
use serde_json::{json, Value};
use steward_core::audit::Actor;
use steward_core::list::{EntitySchema, ListEntity, ListKind, NewEdition};
use steward_core::role::Role;
use steward_store::EditionRows;

fn entity(row: usize, name: &str, aliases: &[&str], country: &str) -> ListEntity {
    ListEntity {
        row,
        key: format!("e{row}"),
        schema: EntitySchema::Company,
        name: name.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        countries: vec![country.into()],
        identifiers: vec![],
        notes: String::new(),
    }
}

/// Signs in as `email`, uploads `file` on the screening page and saves the result as the
/// organisation's supplier registry `name`, as a user would in the browser.
async fn save_registry(s: &crate::TestServer, email: &str, file: &str, name: &str) {
    use reqwest::header::COOKIE;
    use reqwest::multipart::{Form, Part};
    let cookie = s.sign_in(email, crate::PASSWORD).await.unwrap();
    let page = s.client.get(s.at("/screen")).header(COOKIE, &cookie).send().await.unwrap().text().await.unwrap();
    let csrf = crate::hidden(&page, "csrf");
    let form =
        Form::new().text("csrf", csrf.clone()).part("file", Part::bytes(file.as_bytes().to_vec()).file_name("s.csv"));
    let r = s.client.post(s.at("/screen")).header(COOKIE, &cookie).multipart(form).send().await.unwrap();
    let results = crate::location(&r);
    let r = s
        .client
        .post(s.at(&format!("{results}/save")))
        .header(COOKIE, &cookie)
        .form(&[("csrf", csrf.as_str()), ("name", name)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", s.backend());
}

async fn import(s: &crate::TestServer, list: &str, checksum: &str, entities: &[ListEntity]) {
    let new = NewEdition {
        list_name: list.into(),
        kind: ListKind::Csv,
        source: "test.csv".into(),
        published: None,
        checksum: checksum.into(),
    };
    s.store.import_edition(&Actor::cli(), new, EditionRows::Entities(entities)).await.unwrap();
}

#[tokio::test]
async fn match_speaks_yentes_shape_and_follows_list_changes() {
    for s in servers().await {
        let u = s.user("analyst@example.org", Role::Analyst, "Acme Buyers").await;
        let token = s.token(&u).await;
        import(&s, "watch", "c1", &[entity(2, "Hoshan Polysilicon Industry Co. Ltd.", &["Hoshan Silicon"], "CN")])
            .await;
        let body = json!({"queries": {"q1": {"schema": "Company", "properties": {"name": ["HOSHAN POLYSILICON INDUSTRY COMPANY LIMITED"], "country": ["cn"]}}}});
        let post = |dataset: &str, body: Value| {
            s.client.post(s.at(&format!("/api/v1/match/{dataset}"))).bearer_auth(&token).json(&body).send()
        };
        let r: Value = post("default", body.clone()).await.unwrap().json().await.unwrap();
        let top = &r["responses"]["q1"]["results"][0];
        assert_eq!(top["caption"], "Hoshan Polysilicon Industry Co. Ltd.", "{r}");
        assert_eq!(
            (top["match"].as_bool(), top["datasets"][0].as_str(), top["schema"].as_str()),
            (Some(true), Some("watch"), Some("Company"))
        );
        assert!(top["score"].as_f64().unwrap() >= 0.95);
        assert!(top["explanations"]["name_match"]["detail"].as_str().unwrap().contains("partner"));
        assert_eq!(r["responses"]["q1"]["total"]["relation"], "eq");

        // A new edition of the list is picked up by the next request.
        import(&s, "watch", "c2", &[entity(2, "Xinjiang Lianchuang Cotton Textile Co. Ltd.", &[], "CN")]).await;
        let r: Value = post("watch", body.clone()).await.unwrap().json().await.unwrap();
        assert!(
            r["responses"]["q1"]["results"].as_array().unwrap().is_empty(),
            "the old edition is no longer in force on {}",
            s.backend()
        );

        assert_eq!(post("nonesuch", body.clone()).await.unwrap().status(), StatusCode::NOT_FOUND);
        let bad = post("default", json!({"queries": {"q": {"schema": "Spaceship", "properties": {"name": ["x"]}}}}))
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        let v: Value = bad.json().await.unwrap();
        assert_eq!(v["error"]["field"], "queries.q.schema");
        s.stop().await;
    }
}

#[tokio::test]
async fn reconcile_answers_a_manifest_and_batches() {
    for s in servers().await {
        let u = s.user("analyst@example.org", Role::Analyst, "Acme Buyers").await;
        let token = s.token(&u).await;
        import(&s, "watch", "c1", &[entity(2, "Hoshan Polysilicon Industry Co. Ltd.", &[], "CN")]).await;
        assert_eq!(s.client.get(s.at("/reconcile")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
        let manifest: Value =
            s.client.get(s.at("/reconcile")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(manifest["versions"], json!(["0.2"]));
        let batch = json!({"q0": {"query": "Hoshan Polysilicon Industry", "limit": 3}, "q1": {"query": "zzqx nothing like it"}}).to_string();
        let r: Value = s
            .client
            .post(s.at("/reconcile"))
            .bearer_auth(&token)
            .form(&[("queries", batch.as_str())])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(r["q0"]["result"][0]["name"], "Hoshan Polysilicon Industry Co. Ltd.", "{r}");
        assert!(r["q1"]["result"].as_array().unwrap().is_empty());
        let bad = s
            .client
            .post(s.at("/reconcile"))
            .bearer_auth(&token)
            .form(&[("queries", "{not json")])
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        assert!(bad.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
        s.stop().await;
    }
}

/// The web: a supplier file uploaded, every row back with a verdict, filters and downloads;
/// kept as a registry, it is re-screened when a list changes and the change is an alert, for
/// its own organisation only.
#[tokio::test]
async fn uploaded_files_are_screened_kept_as_registries_and_rescreened() {
    use reqwest::header::COOKIE;
    use reqwest::multipart::{Form, Part};
    for s in servers().await {
        s.user("analyst@buyer.example", Role::Analyst, "Acme Buyers").await;
        s.user("other@rival.example", Role::Analyst, "Rival Buyers").await;
        import(&s, "watch", "w1", &[entity(2, "Hoshan Polysilicon Industry Co. Ltd.", &["Hoshan Silicon"], "CN")])
            .await;
        let cookie = s.sign_in("analyst@buyer.example", crate::PASSWORD).await.unwrap();
        let page = s.client.get(s.at("/screen")).header(COOKIE, &cookie).send().await.unwrap().text().await.unwrap();
        let csrf = crate::hidden(&page, "csrf");
        let csv = "Supplier Name;Country;Product\nHOSHAN POLYSILICON INDUSTRY COMPANY LIMITED;China;polysilicon\nQuarrin Textile Mill;Pakistan;cotton yarn\nAcme Buttons;US;buttons\n";
        let form = Form::new()
            .text("csrf", csrf.clone())
            .part("file", Part::bytes(csv.as_bytes().to_vec()).file_name("suppliers.csv"));
        let r = s.client.post(s.at("/screen")).header(COOKIE, &cookie).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), 303, "{}", s.backend());
        let results = crate::location(&r);
        assert!(results.starts_with("/screen/"), "{results}");
        let page = s.client.get(s.at(&results)).header(COOKIE, &cookie).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("verdict-match") && page.contains("Quarrin Textile Mill"), "{}", s.backend());
        let only = s.client.get(s.at(&format!("{results}?status=match"))).header(COOKIE, &cookie).send().await.unwrap();
        let only = only.text().await.unwrap();
        assert!(only.contains("HOSHAN") && !only.contains("Acme Buttons"), "the filter shows matches only");
        let download =
            s.client.get(s.at(&format!("{results}/results.csv"))).header(COOKIE, &cookie).send().await.unwrap();
        let text = download.text().await.unwrap();
        assert!(text.starts_with("Supplier Name,Country,Product,steward_status"), "{text}");
        assert_eq!(text.lines().count(), 4, "every row comes back: {text}");

        // Another organisation sees nothing of it.
        let rival = s.sign_in("other@rival.example", crate::PASSWORD).await.unwrap();
        let r = s.client.get(s.at(&results)).header(COOKIE, &rival).send().await.unwrap();
        assert_eq!(r.status(), 404, "{}", s.backend());

        // Kept as a registry, then a list change brings a new hit: an alert for Acme Buyers only.
        let r = s
            .client
            .post(s.at(&format!("{results}/save")))
            .header(COOKIE, &cookie)
            .form(&[("csrf", csrf.as_str()), ("name", "Tier 1 suppliers")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let state = steward_server::AppState::new(s.store.clone(), steward_server::ServerConfig::default());
        assert_eq!(steward_server::registry::rescreen_registries(&state).await.unwrap(), 0, "no list changed yet");
        import(&s, "wro", "w2", &[entity(2, "Quarrin Textile Mills Ltd.", &[], "PK")]).await;
        let raised = steward_server::registry::rescreen_registries(&state).await.unwrap();
        assert_eq!(raised, 1, "{}: the new WRO hit is an alert", s.backend());
        let page = s.client.get(s.at("/screen")).header(COOKIE, &cookie).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Quarrin Textile Mill: now a") && page.contains("Tier 1 suppliers"), "{}", s.backend());
        let theirs = s.client.get(s.at("/screen")).header(COOKIE, &rival).send().await.unwrap().text().await.unwrap();
        assert!(!theirs.contains("Quarrin") && !theirs.contains("Tier 1"), "{}", s.backend());
        assert_eq!(steward_server::registry::rescreen_registries(&state).await.unwrap(), 0, "already up to date");
        s.stop().await;
    }
}

/// A file whose headers Steward does not recognise is refused with its columns listed; with the
/// columns named on the form it is screened, and a saved registry is re-screened by the same
/// columns when a list changes.
#[tokio::test]
async fn columns_can_be_named_on_the_web_and_are_kept_for_rescreens() {
    use reqwest::header::COOKIE;
    use reqwest::multipart::{Form, Part};
    for s in servers().await {
        s.user("analyst@buyer.example", Role::Analyst, "Acme Buyers").await;
        import(&s, "watch", "w1", &[entity(2, "Hoshan Polysilicon Industry Co. Ltd.", &["Hoshan Silicon"], "CN")])
            .await;
        let cookie = s.sign_in("analyst@buyer.example", crate::PASSWORD).await.unwrap();
        let page = s.client.get(s.at("/screen")).header(COOKIE, &cookie).send().await.unwrap().text().await.unwrap();
        let csrf = crate::hidden(&page, "csrf");
        let csv = "Lfd;Bezeichnung;Staat\n1;HOSHAN POLYSILICON INDUSTRY COMPANY LIMITED;China\n2;Quarrin Textile Mill;Pakistan\n";
        let upload = |names: &[(&str, &str)]| {
            let mut form = Form::new()
                .text("csrf", csrf.clone())
                .part("file", Part::bytes(csv.as_bytes().to_vec()).file_name("lieferanten.csv"));
            for (k, v) in names {
                form = form.text(k.to_string(), v.to_string());
            }
            s.client.post(s.at("/screen")).header(COOKIE, &cookie).multipart(form).send()
        };
        let r = upload(&[]).await.unwrap();
        assert_eq!(r.status(), 400, "{}", s.backend());
        let text = r.text().await.unwrap();
        assert!(
            text.contains("found no column of names or goods") && text.contains("Lfd, Bezeichnung, Staat"),
            "{text}"
        );
        let r = upload(&[("name_column", "Missing")]).await.unwrap();
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("no column &#39;Missing&#39; for the name"), "{}", s.backend());

        let r = upload(&[("name_column", "Bezeichnung"), ("country_column", "Staat")]).await.unwrap();
        assert_eq!(r.status(), 303, "{}", s.backend());
        let results = crate::location(&r);
        let page = s.client.get(s.at(&results)).header(COOKIE, &cookie).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("verdict-match"), "{}: screened by the named column", s.backend());
        let r = s
            .client
            .post(s.at(&format!("{results}/save")))
            .header(COOKIE, &cookie)
            .form(&[("csrf", csrf.as_str()), ("name", "Lieferanten")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let state = steward_server::AppState::new(s.store.clone(), steward_server::ServerConfig::default());
        import(&s, "wro", "w2", &[entity(2, "Quarrin Textile Mills Ltd.", &[], "PK")]).await;
        let raised = steward_server::registry::rescreen_registries(&state).await.unwrap();
        assert_eq!(raised, 1, "{}: re-screened by the columns named at upload", s.backend());
        s.stop().await;
    }
}

/// A case naming a workplace alerts the buyers whose registries list it, with what a partner
/// would be told and nothing more; only the case's coordinators send it.
#[tokio::test]
async fn a_case_at_a_workplace_alerts_the_buyers_who_source_from_it() {
    use reqwest::header::COOKIE;
    for s in servers().await {
        s.user("buyer@acme.example", Role::Analyst, "Acme Buyers").await;
        s.user("buyer@other.example", Role::Analyst, "Other Buyers").await;
        let coord = s.user("coord@union.example", Role::Coordinator, "Garment Union").await;
        let member = s.user("member@union.example", Role::Partner, "Garment Union").await;
        let (t, mt) = (s.token(&coord).await, s.token(&member).await);
        for (email, file) in [
            ("buyer@acme.example", "name,country\nQuenliss Apparel Factory,Cambodia\nOrvane Buttons,Vietnam\n"),
            ("buyer@other.example", "name,country\nTessaly Shoes,Italy\n"),
        ] {
            save_registry(&s, email, file, "Suppliers").await;
        }
        let body = json!({"title": "Organiser Vannak Sothea dismissed", "summary": "Dismissed after forming a union", "country": "KH",
            "risk": "livelihood", "visibility": "internal",
            "people": [{"name": "Vannak Sothea", "workplace": "Quenliss Apparel factory", "contact": "+855 1111"}]});
        let r = s.client.post(s.at("/api/v1/cases")).bearer_auth(&t).json(&body).send().await.unwrap();
        let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let incident = json!({"kind": "anti-union dismissal", "victims": [1]});
        s.client
            .post(s.at(&format!("/api/v1/cases/{id}/incidents")))
            .bearer_auth(&t)
            .json(&incident)
            .send()
            .await
            .unwrap();
        let r = s.client.post(s.at(&format!("/api/v1/cases/{id}/alert-buyers"))).bearer_auth(&mt).send().await.unwrap();
        assert_eq!(r.status(), 403, "{}: only coordinators alert buyers", s.backend());
        // While restricted, the case's existence is not the organisation's to tell.
        let restrict = |v: &'static str| {
            s.client.put(s.at(&format!("/api/v1/cases/{id}/access"))).bearer_auth(&t).json(&json!({"visibility": v}))
        };
        assert_eq!(restrict("restricted").send().await.unwrap().status(), 200, "{}", s.backend());
        let r = s.client.post(s.at(&format!("/api/v1/cases/{id}/alert-buyers"))).bearer_auth(&t).send().await.unwrap();
        assert!(r.status().is_client_error(), "{}: {}", s.backend(), r.status());
        assert!(r.text().await.unwrap().contains("restricted"));
        assert_eq!(restrict("internal").send().await.unwrap().status(), 200, "{}", s.backend());
        let r = s.client.post(s.at(&format!("/api/v1/cases/{id}/alert-buyers"))).bearer_auth(&t).send().await.unwrap();
        assert_eq!(r.status(), 204, "{}", s.backend());
        // Pressed again: the buyer is not told twice.
        let r = s.client.post(s.at(&format!("/api/v1/cases/{id}/alert-buyers"))).bearer_auth(&t).send().await.unwrap();
        assert_eq!(r.status(), 204, "{}", s.backend());

        let acme = s.sign_in("buyer@acme.example", crate::PASSWORD).await.unwrap();
        let page = s.client.get(s.at("/screen")).header(COOKIE, &acme).send().await.unwrap().text().await.unwrap();
        assert!(
            page.contains("Quenliss Apparel Factory: Garment Union reports a labour-rights case"),
            "{}",
            s.backend()
        );
        assert!(page.contains("risk to livelihood") && page.contains("anti-union dismissal"));
        assert_eq!(page.matches("Garment Union reports a labour-rights case").count(), 1, "{}: told once", s.backend());
        for secret in ["Vannak", "Sothea", "1111", "Dismissed after", id.as_str()] {
            assert!(!page.contains(secret), "{}: the buyer's alert shows '{secret}'", s.backend());
        }
        let other = s.sign_in("buyer@other.example", crate::PASSWORD).await.unwrap();
        let page = s.client.get(s.at("/screen")).header(COOKIE, &other).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("Garment Union"), "{}: a buyer not sourcing there hears nothing", s.backend());
        s.stop().await;
    }
}

/// Two editions of a list compared on the web, as `steward lists diff` compares them.
#[tokio::test]
async fn the_lists_page_compares_two_editions() {
    use reqwest::header::COOKIE;
    for s in servers().await {
        s.user("analyst@example.org", Role::Analyst, "Acme Buyers").await;
        import(&s, "watch", "d1", &[entity(2, "Hoshan Polysilicon Industry Co. Ltd.", &[], "CN")]).await;
        import(
            &s,
            "watch",
            "d2",
            &[
                entity(2, "Hoshan Polysilicon Industry Co. Ltd.", &[], "CN"),
                entity(3, "Quarrin Textile Mills Ltd.", &[], "PK"),
            ],
        )
        .await;
        let editions = s.store.editions().await.unwrap();
        let watch: Vec<_> = editions.iter().filter(|e| e.list_name == "watch").collect();
        let (old, new) = (watch[1].id, watch[0].id);
        let cookie = s.sign_in("analyst@example.org", crate::PASSWORD).await.unwrap();
        let page = s
            .client
            .get(s.at(&format!("/lists/diff?a={old}&b={new}")))
            .header(COOKIE, &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Entities added (1)") && page.contains("+ Quarrin Textile Mills Ltd. [PK]"),
            "{}",
            s.backend()
        );
        assert!(page.contains("Entities removed (0)"));
        s.stop().await;
    }
}

/// A person's union is linked to its organisation record, and their workplace to the row of the
/// case organisation's own supplier registry that lists it; the registry row is that
/// organisation's business, so a partner on the case sees the workplace as written only.
#[tokio::test]
async fn a_persons_union_and_workplace_are_linked_to_stewards_records() {
    use reqwest::header::COOKIE;
    for s in servers().await {
        let coord = s.user("coord@union.example", Role::Coordinator, "Garment Union").await;
        s.user("analyst@union.example", Role::Analyst, "Garment Union").await;
        s.user("buyer@acme.example", Role::Analyst, "Acme Buyers").await;
        let partner = s.user("partner@fed.example", Role::Coordinator, "Cambodian Garment Workers Federation").await;
        let (t, pt) = (s.token(&coord).await, s.token(&partner).await);
        for (email, file) in [
            ("analyst@union.example", "name,country\nOrvane Buttons,Vietnam\nQuenliss Apparel Factory,Cambodia\n"),
            ("buyer@acme.example", "name,country\nQuenliss Apparel Factory,Cambodia\n"),
        ] {
            let name = if email.contains("union") { "Union suppliers" } else { "Acme suppliers" };
            save_registry(&s, email, file, name).await;
        }
        let orgs: Value =
            s.client.get(s.at("/api/v1/orgs")).bearer_auth(&t).send().await.unwrap().json().await.unwrap();
        let federation =
            orgs.as_array().unwrap().iter().find(|o| o["name"] == "Cambodian Garment Workers Federation").unwrap()
                ["id"]
                .as_str()
                .unwrap()
                .to_string();
        let body = json!({"title": "Organisers dismissed", "summary": "Dismissed after forming a union", "country": "KH",
            "risk": "livelihood", "visibility": "partners", "shared_with": ["Cambodian Garment Workers Federation"],
            "people": [
                {"name": "Vannak Sothea", "organisation": "Cambodian Garment Workers' Federation",
                 "workplace": "Quenliss Apparel factory", "country": "KH"},
                {"name": "Chan Dara", "organisation": "Phnom Penh Tuk-Tuk Drivers Association", "workplace": "Tessaly Shoes"}]});
        let r = s.client.post(s.at("/api/v1/cases")).bearer_auth(&t).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 201, "{}", s.backend());
        let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let case: Value = s
            .client
            .get(s.at(&format!("/api/v1/cases/{id}")))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let people = &case["people"];
        assert_eq!(people[0]["organisation_id"], federation.as_str(), "{}: {people}", s.backend());
        assert_eq!(people[0]["workplace_link"]["registry_name"], "Union suppliers", "{}: {people}", s.backend());
        assert_eq!(people[0]["workplace_link"]["row"], 2, "{}", s.backend());
        assert_eq!(people[0]["workplace_link"]["supplier"], "Quenliss Apparel Factory", "{}", s.backend());
        assert!(people[1]["organisation_id"].is_null(), "{}: no record, no link: {people}", s.backend());
        assert!(people[1]["workplace_link"].is_null(), "{}: not in the union's registry: {people}", s.backend());

        // The partner sees the people, not where the workplace sits in the union's registry.
        let seen: Value = s
            .client
            .get(s.at(&format!("/api/v1/cases/{id}")))
            .bearer_auth(&pt)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(seen["people"][0]["workplace"], "Quenliss Apparel factory", "{}", s.backend());
        assert!(seen["people"][0]["workplace_link"].is_null(), "{}: {}", s.backend(), seen["people"]);
        assert_eq!(seen["people"][0]["organisation_id"], federation.as_str(), "{}", s.backend());

        // The page links both for the union's coordinator.
        let cookie = s.sign_in("coord@union.example", crate::PASSWORD).await.unwrap();
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
        assert!(page.contains(&format!("href=\"/orgs/{federation}\"")), "{}", s.backend());
        assert!(page.contains("in your registry") && page.contains("Union suppliers"), "{}", s.backend());
        assert!(page.contains("<datalist id=\"org-directory\">"), "{}", s.backend());

        // A link given by id is checked; a person edited away from the registry loses the link.
        let put = |n: usize, body: Value| {
            s.client.put(s.at(&format!("/api/v1/cases/{id}/people/{n}"))).bearer_auth(&t).json(&body).send()
        };
        let r = put(2, json!({"name": "Chan Dara", "organisation_id": "not an id"})).await.unwrap();
        assert_eq!(r.status(), 400, "{}", s.backend());
        assert!(r.text().await.unwrap().contains("organisation_id"), "{}", s.backend());
        let r = put(2, json!({"name": "Chan Dara", "organisation_id": "0190f0a8-0000-7000-8000-000000000000"}))
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{}: an organisation that does not exist", s.backend());
        let r = put(2, json!({"name": "Chan Dara", "organisation_id": federation})).await.unwrap();
        assert_eq!(r.status(), 200, "{}", s.backend());
        let r = put(1, json!({"name": "Vannak Sothea", "workplace": "Another factory entirely"})).await.unwrap();
        assert_eq!(r.status(), 200, "{}", s.backend());
        let case: Value = s
            .client
            .get(s.at(&format!("/api/v1/cases/{id}")))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(case["people"][1]["organisation"], "Cambodian Garment Workers Federation", "{}", s.backend());
        assert_eq!(case["people"][1]["organisation_id"], federation.as_str(), "{}", s.backend());
        assert!(case["people"][0]["workplace_link"].is_null(), "{}: {}", s.backend(), case["people"]);
        s.stop().await;
    }
}

/// A supplier file screened over the API comes back whole, in the format asked for, with the
/// same verdicts as the web page; `save` keeps it as a registry.
#[tokio::test]
async fn a_file_is_screened_over_the_api_in_every_format() {
    use reqwest::multipart::{Form, Part};
    for s in servers().await {
        let analyst = s.user("analyst@acme.example", Role::Analyst, "Acme Buyers").await;
        let admin = s.user("admin@acme.example", Role::Admin, "Acme Buyers").await;
        let (t, at) = (s.token(&analyst).await, s.token(&admin).await);
        import(&s, "watch", "api1", &[entity(2, "Hoshan Polysilicon Industry Co. Ltd.", &[], "CN")]).await;
        // Windows-1252, semicolons, a header in Spanish: as suppliers' files come.
        let latin1 = |text: &str| text.chars().map(|c| u8::try_from(u32::from(c)).unwrap()).collect::<Vec<u8>>();
        let file =
            latin1("Proveedor;País;Nota\nHOSHAN POLYSILICON INDUSTRY CO LTD;China;año 1\nPanadería Núñez;Chile;\n");
        let form = |extra: &[(&str, &str)]| {
            let mut f = Form::new().part("file", Part::bytes(file.to_vec()).file_name("proveedores.csv"));
            for (k, v) in extra {
                f = f.text(k.to_string(), v.to_string());
            }
            f
        };
        let post = |format: &str, token: &str, f: Form| {
            s.client.post(s.at(&format!("/api/v1/screen?format={format}"))).bearer_auth(token).multipart(f).send()
        };
        let r = post("json", &t, form(&[])).await.unwrap();
        assert_eq!(r.status(), 200, "{}", s.backend());
        let out: Value = r.json().await.unwrap();
        assert_eq!(out["columns"][0], "Proveedor", "{}", s.backend());
        assert_eq!(out["columns"][3], "steward_status", "{}", s.backend());
        assert_eq!(out["rows"][0][2], "año 1", "{}: decoded from Windows-1252", s.backend());
        assert_eq!(out["rows"][0][3], "match", "{}: {}", s.backend(), out["rows"]);
        assert_eq!(out["rows"][1][3], "clear", "{}", s.backend());
        assert_eq!(out["counts"]["match"], 1, "{}", s.backend());
        assert!(out["registry"].is_null(), "{}", s.backend());

        let csv = post("csv", &t, form(&[])).await.unwrap().text().await.unwrap();
        assert!(csv.starts_with("Proveedor,País,Nota,steward_status"), "{}: {csv}", s.backend());
        assert_eq!(csv.lines().count(), 3, "{}", s.backend());
        let lines = post("jsonl", &t, form(&[])).await.unwrap().text().await.unwrap();
        let first: Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
        assert_eq!(first["steward_entity_name"], "Hoshan Polysilicon Industry Co. Ltd.", "{}", s.backend());
        let xlsx = post("xlsx", &t, form(&[])).await.unwrap().bytes().await.unwrap();
        assert!(xlsx.starts_with(b"PK"), "{}: an XLSX is a zip", s.backend());

        let r = post("pdf", &t, form(&[])).await.unwrap();
        assert_eq!(r.status(), 400, "{}", s.backend());
        assert!(r.text().await.unwrap().contains("format"), "{}", s.backend());
        let r = post("json", &at, form(&[])).await.unwrap();
        assert_eq!(r.status(), 403, "{}: administrators do not screen", s.backend());
        let empty = Form::new().text("save", "x");
        let r = s.client.post(s.at("/api/v1/screen")).bearer_auth(&t).multipart(empty).send().await.unwrap();
        assert_eq!(r.status(), 400, "{}: no file", s.backend());

        // Columns named by the caller, and saved as a registry.
        let renamed = latin1("A;B\nHoshan Polysilicon Industry;CN\n");
        let f = Form::new()
            .part("file", Part::bytes(renamed.to_vec()).file_name("x.csv"))
            .text("name_column", "A")
            .text("country_column", "B")
            .text("save", "Acme suppliers");
        let r = s.client.post(s.at("/api/v1/screen")).bearer_auth(&t).multipart(f).send().await.unwrap();
        assert_eq!(r.status(), 200, "{}", s.backend());
        let out: Value = r.json().await.unwrap();
        assert_eq!(out["rows"][0][2], "match", "{}: {}", s.backend(), out["rows"]);
        let registry = out["registry"].as_str().unwrap().to_string();
        let saved = s.store.saved_registries().await.unwrap();
        assert!(saved.iter().any(|(id, _, _)| *id == registry), "{}", s.backend());
        s.stop().await;
    }
}
