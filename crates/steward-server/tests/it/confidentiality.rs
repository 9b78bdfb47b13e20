//! Nothing about a case reaches anyone outside its visibility: not through the API, the pages,
//! search, export, the audit trail or an error's shape. Each case's words are unique, so finding
//! one anywhere it should not be is a leak.

use crate::{servers, TestServer};
use reqwest::header::COOKIE;
use serde_json::{json, Value};
use steward_core::role::Role;

struct Reader {
    name: &'static str,
    token: String,
    cookie: String,
    /// Which of the cases (restricted, partners, internal) this reader may see.
    sees: [bool; 3],
}

async fn reader(s: &TestServer, name: &'static str, email: &str, role: Role, org: &str, sees: [bool; 3]) -> Reader {
    let u = s.user(email, role, org).await;
    let token = s.token(&u).await;
    let cookie = s.sign_in(email, crate::PASSWORD).await.expect("sign in");
    Reader { name, token, cookie, sees }
}

/// Every text a reader can reach about cases, concatenated.
async fn everything(s: &TestServer, r: &Reader, ids: &[String], words: &[&str]) -> Vec<(String, u16, String)> {
    let mut paths: Vec<(bool, String)> = vec![
        (false, "/api/v1/cases".into()),
        (false, "/api/v1/cases/export.csv".into()),
        (false, "/api/v1/cases/export.xlsx".into()),
        (false, "/api/v1/reports/cases.xlsx".into()),
        (false, "/api/v1/statements".into()),
        (false, "/api/v1/highlights".into()),
        (true, "/cases/export.xlsx".into()),
        (true, "/statements".into()),
        (true, "/highlights".into()),
        (true, "/triage".into()),
        (false, "/api/v1/audit".into()),
        (false, "/api/v1/cases/due".into()),
        (false, "/api/v1/notifications".into()),
        (false, "/api/v1/reports/cases".into()),
        (false, "/api/v1/reports/cases.csv".into()),
        (true, "/reports".into()),
        (true, "/cases/export.csv".into()),
        (true, "/cases/due".into()),
        (true, "/notifications".into()),
        (true, "/cases".into()),
        (true, "/".into()),
        (true, "/audit".into()),
    ];
    for id in ids {
        paths.push((false, format!("/api/v1/cases/{id}")));
        paths.push((false, format!("/api/v1/cases/{id}/incidents")));
        paths.push((false, format!("/api/v1/cases/{id}/actions")));
        paths.push((false, format!("/api/v1/cases/{id}/history")));
        paths.push((false, format!("/api/v1/cases/{id}/sources")));
        paths.push((false, format!("/api/v1/cases/{id}/attachments")));
        paths.push((false, format!("/api/v1/cases/{id}/sender-notes")));
        paths.push((false, format!("/api/v1/cases/{id}/highlights")));
        paths.push((false, format!("/api/v1/cases/{id}/evidence")));
        paths.push((false, format!("/api/v1/cases/{id}/esf")));
        paths.push((true, format!("/cases/{id}/evidence")));
        paths.push((true, format!("/cases/{id}")));
    }
    for w in words {
        paths.push((false, format!("/api/v1/search?q={w}")));
        paths.push((true, format!("/search?q={w}")));
    }
    let mut out = Vec::new();
    for (page, path) in paths {
        let req = s.client.get(s.at(&path));
        let req = if page { req.header(COOKIE, &r.cookie) } else { req.bearer_auth(&r.token) };
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.unwrap();
        // A workbook is zipped XML: its cells are what must not leak, so they are what is read.
        let text = if path.ends_with(".xlsx") && status == 200 {
            let table = steward_screen::sheet::read(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
            let cells = table.rows.iter().flat_map(|(_, row)| row.iter().cloned());
            table.headers.iter().cloned().chain(cells).collect::<Vec<_>>().join("\t")
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        out.push((path, status, text));
    }
    out
}

#[tokio::test]
async fn no_route_export_or_search_leaks_a_case_across_its_visibility() {
    for s in servers().await {
        s.org("Alpha Federation").await;
        s.org("Beta Union").await;
        s.org("Gamma Ministry").await;
        let owner = reader(&s, "owner", "owner@alpha.example", Role::Coordinator, "Alpha Federation", [true; 3]).await;
        let readers = [
            reader(&s, "colleague", "colleague@alpha.example", Role::Analyst, "Alpha Federation", [false, true, true])
                .await,
            reader(&s, "named outsider", "named@gamma.example", Role::Viewer, "Gamma Ministry", [true, false, false])
                .await,
            reader(&s, "partner", "p@beta.example", Role::Partner, "Beta Union", [false, true, false]).await,
            reader(&s, "stranger", "s@gamma.example", Role::Coordinator, "Gamma Ministry", [false; 3]).await,
            reader(&s, "administrator", "root@alpha.example", Role::Admin, "Alpha Federation", [false, true, true])
                .await,
        ];
        // One unique word per case, in its title, summary and person.
        let words = ["Vorhalt", "Quenby", "Szilrand"];
        let bodies = [
            json!({"title": "Vorhalt detained", "summary": "Vorhalt held", "country": "KH", "risk": "liberty", "visibility": "restricted",
                   "people": [{"name": "Vorhalt Person", "role": "organiser"}], "members": ["named@gamma.example"]}),
            json!({"title": "Quenby threatened", "summary": "Quenby followed", "risk": "life", "visibility": "partners",
                   "people": [{"name": "Quenby Person"}], "shared_with": ["Beta Union"]}),
            json!({"title": "Szilrand dismissed", "summary": "Szilrand fired", "risk": "livelihood", "visibility": "internal",
                   "people": [{"name": "Szilrand Person"}]}),
        ];
        let mut ids = Vec::new();
        for b in &bodies {
            let r = s.client.post(s.at("/api/v1/cases")).bearer_auth(&owner.token).json(b).send().await.unwrap();
            assert_eq!(r.status(), 201, "{}", s.backend());
            ids.push(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
        }
        // Each case's word also in an incident's perpetrator, an action and an edit.
        for (word, id) in words.iter().zip(&ids) {
            let incident = json!({"kind": "arbitrary arrest", "date": "2026-11", "perpetrator": "police",
                                  "perpetrator_names": [format!("Kommandant {word}")], "victims": [1]});
            let r =
                s.client.post(s.at(&format!("/api/v1/cases/{id}/incidents"))).bearer_auth(&owner.token).json(&incident);
            assert_eq!(r.send().await.unwrap().status(), 201, "{}", s.backend());
            let action =
                json!({"kind": "legal aid", "status": "approved", "description": format!("Lawyer for {word}")});
            let r = s.client.post(s.at(&format!("/api/v1/cases/{id}/actions"))).bearer_auth(&owner.token).json(&action);
            assert_eq!(r.send().await.unwrap().status(), 201, "{}", s.backend());
            let source = json!({"reporter": format!("Reporter {word}"), "channel": "phone", "reliability": "C", "credibility": "3"});
            let r = s.client.post(s.at(&format!("/api/v1/cases/{id}/sources"))).bearer_auth(&owner.token).json(&source);
            assert_eq!(r.send().await.unwrap().status(), 201, "{}", s.backend());
            // A joint statement in the drafting organisation's hands: searchable by its readers only.
            let statement =
                json!({"title": format!("Free the organisers ({word})"), "text": "We call for their release."});
            let r = s
                .client
                .post(s.at(&format!("/api/v1/cases/{id}/statements")))
                .bearer_auth(&owner.token)
                .json(&statement);
            assert_eq!(r.send().await.unwrap().status(), 201, "{}", s.backend());
            let edit = json!({"sector": format!("{word} textiles"), "urgency": "high"});
            let r = s.client.patch(s.at(&format!("/api/v1/cases/{id}"))).bearer_auth(&owner.token).json(&edit);
            assert_eq!(r.send().await.unwrap().status(), 200, "{}", s.backend());
        }
        // Reported long ago and never acted on, every case is overdue: the queue lists them all.
        if let Some(db) = &s.db {
            steward_store::testing::raw_exec(db, "UPDATE cases SET created_at = '2020-01-01T00:00:00Z'").await;
        }
        // ...and the clock scan tells those who can act, and no one else.
        let state = steward_server::AppState::new(s.store.clone(), steward_server::ServerConfig::default());
        let scanned = steward_server::notify::scan_clocks_once(&state).await.unwrap();
        // Edited (so acknowledged) but with no action under way: the first-action clocks are overdue.
        assert_eq!(scanned.events, 3, "{}: one overdue clock on each case", s.backend());
        let missing = "00000000-0000-0000-0000-000000000000";
        let gone_api =
            s.client.get(s.at(&format!("/api/v1/cases/{missing}"))).bearer_auth(&owner.token).send().await.unwrap();
        let gone_api = (gone_api.status().as_u16(), gone_api.text().await.unwrap());
        for r in std::iter::once(&owner).chain(readers.iter()) {
            let all = everything(&s, r, &ids, &words).await;
            for (i, (word, id)) in words.iter().zip(&ids).enumerate() {
                let found: Vec<&str> = all
                    .iter()
                    .filter(|(_, _, body)| body.contains(word) || body.contains(id.as_str()))
                    .map(|(p, _, _)| p.as_str())
                    .collect();
                if r.sees[i] {
                    assert!(
                        found.iter().any(|p| p.starts_with("/api/v1/cases/") && !p.ends_with(".csv")),
                        "{} cannot read case {word} on {}",
                        r.name,
                        s.backend()
                    );
                    assert!(
                        found.contains(&"/api/v1/cases/export.csv") && found.contains(&"/api/v1/cases/export.xlsx"),
                        "{} does not get case {word} in the exports",
                        r.name
                    );
                    assert!(
                        found.iter().any(|p| p.starts_with("/search")),
                        "{} cannot find case {word} by search",
                        r.name
                    );
                    assert!(
                        found.contains(&format!("/api/v1/cases/{id}/incidents").as_str()),
                        "{} cannot read the incidents of case {word}",
                        r.name
                    );
                    assert!(
                        found.contains(&format!("/api/v1/cases/{id}/sources").as_str()),
                        "{} cannot read the sources of case {word}",
                        r.name
                    );
                    if s.db.is_some() {
                        assert!(found.contains(&"/cases/due"), "{} does not see case {word} as due", r.name);
                    }
                    if r.name == "owner" {
                        let (_, _, hits) =
                            all.iter().find(|(p, _, _)| *p == format!("/api/v1/search?q={word}")).unwrap();
                        assert!(hits.contains(r#""kind":"statement""#), "search finds the statement on {word}: {hits}");
                        assert!(
                            found.contains(&"/notifications"),
                            "the coordinator is not told case {word} is overdue"
                        );
                    }
                } else {
                    // A search for the word echoes it back in its own box; there, the case's id
                    // (in its link) is what must not appear.
                    let leaks: Vec<&str> = all
                        .iter()
                        .filter(|(p, _, body)| body.contains(id.as_str()) || (!p.contains(word) && body.contains(word)))
                        .map(|(p, _, _)| p.as_str())
                        .collect();
                    assert!(leaks.is_empty(), "{} sees case {word} at {leaks:?} on {}", r.name, s.backend());
                    let (_, status, body) = all.iter().find(|(p, _, _)| *p == format!("/api/v1/cases/{id}")).unwrap();
                    assert_eq!((*status, body.clone()), gone_api, "{}: a hidden case answers as a missing one", r.name);
                    let (_, status, _) = all.iter().find(|(p, _, _)| *p == format!("/cases/{id}")).unwrap();
                    assert_eq!(*status, 404, "{}: the page of a hidden case", r.name);
                }
            }
        }
        // Every read of the restricted and partners cases is in their trail, each part read on
        // its own (incidents, actions, history, sources, attachments) as a read of the case:
        // per reader, the case, its five parts, the evidence bundle twice, ESF and the page.
        for (i, id) in ids.iter().enumerate().take(2) {
            let seeing = std::iter::once(&owner).chain(readers.iter()).filter(|r| r.sees[i]).count();
            let views = s.store.case_audit(id).await.unwrap().iter().filter(|e| e.action == "view").count();
            assert!(views >= 10 * seeing, "{}: {views} reads recorded of case {i} by {seeing} readers", s.backend());
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn a_public_alert_becomes_a_case_only_its_desk_sees() {
    for s in servers().await {
        s.org("Alpha Federation").await;
        let desk = reader(&s, "desk", "desk@alpha.example", Role::Coordinator, "Alpha Federation", [true; 3]).await;
        let other = reader(&s, "other", "other@beta.example", Role::Coordinator, "Beta Union", [false; 3]).await;
        let r = s
            .client
            .post(s.at("/api/v1/alerts"))
            .json(&json!({"summary": "Organiser Wendrake arrested at midnight", "country": "Cambodia", "contact": "via the federation"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let receipt: Value = r.json().await.unwrap();
        let key = json!({"receipt": receipt["receipt"], "passphrase": receipt["passphrase"]});
        let st: Value =
            s.client.post(s.at("/api/v1/alerts/status")).json(&key).send().await.unwrap().json().await.unwrap();
        assert_eq!(st["status"], "received");
        assert!(!st.to_string().contains("Wendrake"), "the status shows nothing of the alert's content");

        // Every page the desk's coordinator opens says an alert waits; no one else's does.
        let badge = "alerts waiting: 1";
        assert!(s.get_page("/cases", &desk.cookie).await.text().await.unwrap().contains(badge), "{}", s.backend());
        assert!(!s.get_page("/cases", &other.cookie).await.text().await.unwrap().contains("alerts waiting"));
        // ...and the desk's coordinators have a notice of it, which names nothing of the alert.
        let told = |who: &Reader| s.client.get(s.at("/api/v1/notifications")).bearer_auth(&who.token).send();
        let ours: Value = told(&desk).await.unwrap().json().await.unwrap();
        assert_eq!(ours["notices"][0]["kind"], "alert", "{}: {ours}", s.backend());
        assert_eq!(ours["notices"][0]["link"], "/triage");
        assert!(ours["unread"].as_i64().unwrap() >= 1 && !ours.to_string().contains("Wendrake"));
        let theirs: Value = told(&other).await.unwrap().json().await.unwrap();
        assert_eq!(theirs["notices"], json!([]));
        let queue = |who: &Reader| s.client.get(s.at("/api/v1/alerts")).bearer_auth(&who.token).send();
        let theirs: Value = queue(&other).await.unwrap().json().await.unwrap();
        assert_eq!(theirs, json!([]), "another organisation's coordinators see no alert");
        let ours: Value = queue(&desk).await.unwrap().json().await.unwrap();
        assert!(ours[0]["summary"].as_str().unwrap().contains("Wendrake"));
        let id = ours[0]["id"].as_str().unwrap();
        let case: Value = s
            .client
            .post(s.at(&format!("/api/v1/alerts/{id}/case")))
            .bearer_auth(&desk.token)
            .json(&json!({"title": "Arrest of an organiser", "risk": "liberty"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(case["visibility"], "restricted", "a case from an alert is restricted unless chosen otherwise");
        assert!(case["summary"].as_str().unwrap().contains("via the federation"), "the contact is carried over");
        let st: Value =
            s.client.post(s.at("/api/v1/alerts/status")).json(&key).send().await.unwrap().json().await.unwrap();
        assert_eq!(st["status"], "accepted");
        // Until triaged, the case waits on the triage page of its desk, and only there.
        let triage = s.get_page("/triage", &desk.cookie).await.text().await.unwrap();
        assert!(triage.contains("not yet triaged") && triage.contains("Arrest of an organiser"), "{}", s.backend());
        let theirs = s.get_page("/triage", &other.cookie).await.text().await.unwrap();
        assert!(!theirs.contains("Arrest of an organiser"));
        // What the sender adds after the case is opened reaches the case, for those who see it.
        let mut more = key.clone();
        more["text"] = json!("Wendrake moved to Prey Sar prison");
        let r = s.client.post(s.at("/api/v1/alerts/notes")).json(&more).send().await.unwrap();
        assert_eq!(r.status(), 204, "{}", s.backend());
        let case_id = case["id"].as_str().unwrap();
        let notes_of = |who: &Reader| {
            s.client.get(s.at(&format!("/api/v1/cases/{case_id}/sender-notes"))).bearer_auth(&who.token).send()
        };
        let notes: Value = notes_of(&desk).await.unwrap().json().await.unwrap();
        assert!(notes.to_string().contains("Prey Sar"), "{}: {notes}", s.backend());
        assert_eq!(notes_of(&other).await.unwrap().status(), 404);
        let page = s.get_page(&format!("/cases/{case_id}"), &desk.cookie).await.text().await.unwrap();
        assert!(page.contains("From the alert&#x27;s sender") || page.contains("From the alert's sender"));
        assert!(page.contains("Prey Sar"), "the case page shows the sender's addition");
        let seen: Value =
            s.client.get(s.at("/api/v1/cases")).bearer_auth(&other.token).send().await.unwrap().json().await.unwrap();
        assert_eq!(seen, json!([]));
        // An alert saying someone is in danger right now comes first in the queue.
        let r = s.client.post(s.at("/api/v1/alerts")).json(&json!({"summary": "Calm report"})).send().await.unwrap();
        assert_eq!(r.status(), 201);
        let urgent = json!({"summary": "Organiser Sathya Pellor beaten, being taken away", "danger": true});
        let r = s.client.post(s.at("/api/v1/alerts")).json(&urgent).send().await.unwrap();
        assert_eq!(r.status(), 201);
        let ours: Value = queue(&desk).await.unwrap().json().await.unwrap();
        assert_eq!(ours[0]["danger"], true, "{}: {ours}", s.backend());
        assert!(ours[0]["summary"].as_str().unwrap().contains("Sathya Pellor"));
        assert_eq!(ours[1]["danger"], false);
        let page = s.get_page("/triage", &desk.cookie).await.text().await.unwrap();
        assert!(page.contains("In danger now"), "{}", s.backend());
        // Alerts are counted per sending address, but the count is kept under a keyed hash of
        // the address: the database does not say where an alert came from.
        let epoch = time::OffsetDateTime::UNIX_EPOCH;
        for address in ["alert:127.0.0.1", "alert:::1", "alert-lookup:127.0.0.1"] {
            assert_eq!(s.store.attempts_since(address, epoch).await.unwrap(), 0, "{}: {address}", s.backend());
        }
        let mut statuses = Vec::new();
        for i in 0..8 {
            let r = s.client.post(s.at("/api/v1/alerts")).json(&json!({"summary": format!("Alert {i}")})).send();
            statuses.push(r.await.unwrap().status().as_u16());
        }
        assert_eq!(statuses[..7], [201; 7], "{}: ten an hour from one address", s.backend());
        assert_eq!(statuses[7], 429, "{}: the eleventh is refused", s.backend());
        s.stop().await;
    }
}

#[tokio::test]
async fn naming_people_on_a_case_does_not_tell_who_has_an_account() {
    for s in servers().await {
        let owner = reader(&s, "owner", "owner@alpha.example", Role::Coordinator, "Alpha Federation", [true; 3]).await;
        s.user("outsider@beta.example", Role::Coordinator, "Beta Union").await;
        let body = json!({"title": "Dismissal", "summary": "Organiser dismissed", "risk": "livelihood", "visibility": "internal"});
        let r = s.client.post(s.at("/api/v1/cases")).bearer_auth(&owner.token).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 201, "{}", s.backend());
        let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let answer = |req: reqwest::RequestBuilder| async move {
            let r = req.send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        };
        let mut answers = Vec::new();
        for email in ["outsider@beta.example", "nobody@nowhere.example"] {
            let assign = s
                .client
                .patch(s.at(&format!("/api/v1/cases/{id}")))
                .bearer_auth(&owner.token)
                .json(&json!({ "assignee": email }));
            let action = s
                .client
                .post(s.at(&format!("/api/v1/cases/{id}/actions")))
                .bearer_auth(&owner.token)
                .json(&json!({ "kind": "legal aid", "owner_user": email }));
            let (assigned, acted) = (answer(assign).await, answer(action).await);
            assert_eq!(assigned.0, 400, "{}: {email}: {}", s.backend(), assigned.1);
            assert_eq!(acted.0, 400, "{}: {email}: {}", s.backend(), acted.1);
            assert!(!assigned.1.contains("no user") && !acted.1.contains("no user"), "{}", assigned.1);
            assert!(assigned.1.contains("must be able to see the case"), "{}", assigned.1);
            answers.push((assigned, acted));
        }
        assert_eq!(answers[0], answers[1], "{}: an account and no account answer alike", s.backend());
        // A members list on a case that is not restricted is refused before any email is looked up.
        for email in ["outsider@beta.example", "nobody@nowhere.example"] {
            let probe =
                json!({"title": "x", "summary": "x", "risk": "other", "visibility": "internal", "members": [email]});
            let (status, text) =
                answer(s.client.post(s.at("/api/v1/cases")).bearer_auth(&owner.token).json(&probe)).await;
            assert_eq!(status, 400);
            assert!(text.contains("this case is not restricted"), "{text}");
        }
        s.stop().await;
    }
}
