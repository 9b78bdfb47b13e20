use crate::new_user;
use std::sync::Arc;
use steward_core::alert::{AlertStatus, NewAlert};
use steward_core::audit::Actor;
use steward_core::case::{CaseId, NewCase, PersonAtRisk, PersonRole, Risk, Viewer, Visibility};
use steward_core::org::{NewOrg, OrgKind};
use steward_core::role::Role;
use steward_store::testing::{self, TestDb};
use steward_store::{Store, StoreError};

const SECRET_NAME: &str = "Qorvantha Zellibrück";
const SECRET_CONTACT: &str = "signal-handle-7731";
const SECRET_SUMMARY: &str = "Detained after the Tuesday strike";

pub(crate) struct World {
    pub(crate) owner: Viewer,
    pub(crate) colleague: Viewer,
    pub(crate) member_elsewhere: Viewer,
    pub(crate) partner: Viewer,
    pub(crate) stranger: Viewer,
    pub(crate) admin: Viewer,
}

async fn viewer(s: &Store, org: steward_core::ids::OrgId, email: &str, role: Role) -> Viewer {
    let u = s.create_user(&Actor::cli(), new_user(email, org, role)).await.unwrap();
    Viewer { user: u.id, org }
}

pub(crate) async fn world(s: &Store) -> World {
    let org = |n: &'static str| NewOrg::new(n, OrgKind::Workers, None).unwrap();
    // The host organisation comes first: public alerts go to its desk.
    let alpha = s.create_org(&Actor::cli(), org("Alpha Federation")).await.unwrap();
    let beta = s.create_org(&Actor::cli(), org("Beta Union")).await.unwrap();
    let gamma = s.create_org(&Actor::cli(), org("Gamma Ministry")).await.unwrap();
    World {
        owner: viewer(s, alpha.id, "owner@alpha.example", Role::Coordinator).await,
        colleague: viewer(s, alpha.id, "colleague@alpha.example", Role::Coordinator).await,
        member_elsewhere: viewer(s, gamma.id, "named@gamma.example", Role::Partner).await,
        partner: viewer(s, beta.id, "p@beta.example", Role::Partner).await,
        stranger: viewer(s, gamma.id, "s@gamma.example", Role::Coordinator).await,
        admin: viewer(s, alpha.id, "admin@alpha.example", Role::Admin).await,
    }
}

pub(crate) fn new_case(title: &str, visibility: Visibility) -> NewCase {
    let person = PersonAtRisk {
        name: SECRET_NAME.into(),
        role: Some(PersonRole::TradeUnionLeader),
        organisation: Some("Alpha Federation".into()),
        contact: Some(SECRET_CONTACT.into()),
        ..Default::default()
    };
    NewCase::new(title, SECRET_SUMMARY, Some("KH"), Risk::Liberty, visibility, vec![person]).unwrap()
}

fn titles(cases: &[steward_core::case::Case]) -> Vec<String> {
    let mut t: Vec<String> = cases.iter().map(|c| c.title.clone()).collect();
    t.sort();
    t
}

#[tokio::test]
async fn each_visibility_admits_exactly_its_readers_and_no_role_bypasses_it() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        let restricted = s
            .create_case(
                &actor,
                &w.owner,
                new_case("restricted", Visibility::Restricted),
                &[w.member_elsewhere.user],
                &[],
            )
            .await
            .unwrap();
        let partners = s
            .create_case(&actor, &w.owner, new_case("partners", Visibility::Partners), &[], &[w.partner.org])
            .await
            .unwrap();
        let internal =
            s.create_case(&actor, &w.owner, new_case("internal", Visibility::Internal), &[], &[]).await.unwrap();
        assert_eq!(restricted.members.len(), 2, "the reporter is always named");

        let expect: [(&Viewer, &[&str]); 6] = [
            (&w.owner, &["internal", "partners", "restricted"]),
            (&w.colleague, &["internal", "partners"]),
            (&w.member_elsewhere, &["restricted"]),
            (&w.partner, &["partners"]),
            (&w.stranger, &[]),
            (&w.admin, &["internal", "partners"]),
        ];
        for (v, want) in expect {
            assert_eq!(titles(&s.cases_for(v).await.unwrap()), want, "{}", db.backend);
            for case in [&restricted, &partners, &internal] {
                let got = s.case_for(&actor, v, case.id).await;
                if want.contains(&case.title.as_str()) {
                    let got = got.unwrap();
                    assert_eq!(got.people[0].name, SECRET_NAME);
                    assert_eq!(got.people[0].contact.as_deref(), Some(SECRET_CONTACT));
                    assert_eq!(got.summary, SECRET_SUMMARY);
                } else {
                    let hidden = got.unwrap_err().to_string();
                    let missing = s.case_for(&actor, v, CaseId::new()).await.unwrap_err().to_string();
                    assert_eq!(
                        hidden.replace(&case.id.to_string(), "ID"),
                        missing.split('\'').next().unwrap().to_string() + "'ID'",
                        "a hidden case reads as a missing one on {}",
                        db.backend
                    );
                }
            }
        }
        db.drop_db().await;
    }
}

#[tokio::test]
async fn reads_of_restricted_and_partner_cases_are_audited_but_kept_off_the_general_trail() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::user(w.owner.user, "owner@alpha.example");
        let restricted =
            s.create_case(&actor, &w.owner, new_case("r", Visibility::Restricted), &[], &[]).await.unwrap();
        let internal = s.create_case(&actor, &w.owner, new_case("i", Visibility::Internal), &[], &[]).await.unwrap();
        s.case_for(&actor, &w.owner, restricted.id).await.unwrap();
        s.case_for(&actor, &w.owner, internal.id).await.unwrap();
        s.export_cases(&actor, &w.owner).await.unwrap();
        let actions =
            |trail: Vec<steward_core::audit::AuditEntry>| trail.into_iter().map(|e| e.action).collect::<Vec<_>>();
        assert_eq!(actions(s.case_audit(&restricted.id.to_string()).await.unwrap()), ["create", "view", "export"]);
        assert_eq!(actions(s.case_audit(&internal.id.to_string()).await.unwrap()), ["create", "export"]);
        let general = s.audit_page(None, 500).await.unwrap();
        assert!(general.entries.iter().all(|e| e.entity != "case"), "{}", db.backend);
        assert!(s.verify_audit().await.unwrap().broken.is_none());
        db.drop_db().await;
    }
}

/// Every stored byte of the sensitive tables, as the database holds it.
pub(crate) async fn raw_dump(db: &TestDb) -> String {
    match db.backend {
        "sqlite" => {
            db.store.close().await;
            let path = db.url.trim_start_matches("sqlite://");
            let dir = std::path::Path::new(path).parent().unwrap();
            let mut all = Vec::new();
            for entry in std::fs::read_dir(dir).unwrap() {
                all.extend(std::fs::read(entry.unwrap().path()).unwrap());
            }
            String::from_utf8_lossy(&all).into_owned()
        }
        _ => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            let mut all = String::new();
            for table in [
                "cases",
                "case_people",
                "case_members",
                "case_shares",
                "alerts",
                "alert_notes",
                "audit_log",
                "case_incidents",
                "case_actions",
                "case_revisions",
                "statements",
                "webhooks",
                "case_sources",
                "case_attachments",
                "case_highlights",
            ] {
                let sql = format!("SELECT COALESCE(string_agg(t::text, ' '), '') FROM {table} t");
                let text: String = sqlx::query_scalar(&sql).fetch_one(&pool).await.unwrap();
                all.push_str(&text);
            }
            pool.close().await;
            all
        }
    }
}

#[tokio::test]
async fn sensitive_fields_are_ciphertext_at_rest() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        s.create_case(
            &Actor::cli(),
            &w.owner,
            new_case("Arrest of a union president", Visibility::Restricted),
            &[],
            &[],
        )
        .await
        .unwrap();
        let receipt = s
            .create_alert(
                NewAlert::new(
                    "Organiser threatened at the Zarvenko plant",
                    Some("KH"),
                    Some(SECRET_NAME),
                    Some(SECRET_CONTACT),
                )
                .unwrap(),
            )
            .await
            .unwrap();
        assert!(s
            .add_alert_note(&receipt.receipt, &receipt.passphrase, "Blixtor moved to a safe house")
            .await
            .unwrap());
        let raw = raw_dump(&db).await;
        assert!(raw.contains("restricted"), "{}: the dump reads the tables", db.backend);
        for needle in [
            SECRET_NAME,
            "Qorvantha",
            SECRET_CONTACT,
            SECRET_SUMMARY,
            "union president",
            "Zarvenko",
            "Blixtor",
            &receipt.passphrase,
        ] {
            assert!(!raw.contains(needle), "{}: '{needle}' is readable at rest", db.backend);
        }
        db.drop_db().await;
    }
}

#[tokio::test]
async fn ciphertext_moved_between_records_does_not_open() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let a = s.create_case(&Actor::cli(), &w.owner, new_case("a", Visibility::Internal), &[], &[]).await.unwrap();
        let b = s.create_case(&Actor::cli(), &w.owner, new_case("b", Visibility::Internal), &[], &[]).await.unwrap();
        testing::raw_exec(
            &db,
            &format!("UPDATE cases SET title = (SELECT title FROM cases WHERE id = '{}') WHERE id = '{}'", a.id, b.id),
        )
        .await;
        let err = s.case_for(&Actor::cli(), &w.owner, b.id).await.unwrap_err();
        assert!(matches!(err, StoreError::Sealed(_)), "{}: {err}", db.backend);
        assert_eq!(s.case_for(&Actor::cli(), &w.owner, a.id).await.unwrap().title, "a");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn rotation_reseals_everything_under_the_new_key() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        s.create_case(&Actor::cli(), &w.owner, new_case("rotated", Visibility::Internal), &[], &[]).await.unwrap();
        s.create_alert(NewAlert::new("alert text", None, None, None).unwrap()).await.unwrap();
        let old = s.clone();
        let ring = Arc::new(testing::keyring_of(&old).with_new_key());
        let rotated = s.clone().with_keyring(ring.clone());
        // Title, summary and the person's name, organisation and contact; the alert's summary.
        assert_eq!(rotated.reseal_all(&Actor::cli()).await.unwrap(), 6, "{}", db.backend);
        assert_eq!(rotated.reseal_all(&Actor::cli()).await.unwrap(), 0, "nothing left to do");
        let retired = s.clone().with_keyring(Arc::new(ring.current_only()));
        assert_eq!(retired.cases_for(&w.owner).await.unwrap()[0].people[0].name, SECRET_NAME);
        assert!(
            matches!(old.cases_for(&w.owner).await, Err(StoreError::Sealed(_))),
            "the old key alone no longer opens"
        );
        // A server still running with the old key alone may not seal anything more with it: its
        // writes are refused, whole, until it restarts with the new key file.
        let late = old.create_alert(NewAlert::new("sent after the rotation", None, None, None).unwrap()).await;
        assert!(matches!(late, Err(StoreError::KeysRotated)), "{}: {late:?}", db.backend);
        assert!(retired.create_alert(NewAlert::new("after restart", None, None, None).unwrap()).await.is_ok());
        assert_eq!(retired.reseal_all(&Actor::cli()).await.unwrap(), 0, "{}: nothing under a retired key", db.backend);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn public_alerts_reach_the_host_desk_and_only_the_passphrase_opens_their_status() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let r = s
            .create_alert(NewAlert::new("Organiser threatened", Some("KH"), Some(SECRET_NAME), None).unwrap())
            .await
            .unwrap();
        assert!(r.receipt.starts_with("R-") && r.passphrase.len() >= 25);
        let status = s.alert_status(&r.receipt, &r.passphrase).await.unwrap().unwrap();
        assert_eq!(status.status, AlertStatus::Received);
        assert!(s.alert_status(&r.receipt, "wrong").await.unwrap().is_none());
        assert!(s.alert_status("R-NONE-NONE-NONE", &r.passphrase).await.unwrap().is_none());
        assert!(!s.add_alert_note(&r.receipt, "wrong", "x").await.unwrap());
        assert!(s.add_alert_note(&r.receipt.to_lowercase(), &r.passphrase, "more detail").await.unwrap());
        assert_eq!(s.alert_status(&r.receipt, &r.passphrase).await.unwrap().unwrap().additions, 1);

        let actor = Actor::user(w.owner.user, "owner@alpha.example");
        assert!(s.alerts_for_desk(&actor, w.stranger.org).await.unwrap().is_empty(), "another desk sees nothing");
        assert_eq!(s.alerts_waiting(w.owner.org).await.unwrap(), 1, "{}: the desk's count", db.backend);
        assert_eq!(s.alerts_waiting(w.stranger.org).await.unwrap(), 0);
        let queue = s.alerts_for_desk(&actor, w.owner.org).await.unwrap();
        assert_eq!(queue.len(), 1);
        assert_eq!(queue[0].name.as_deref(), Some(SECRET_NAME));
        assert_eq!(queue[0].notes[0].1, "more detail");

        let new = NewCase::new(
            "From alert",
            &queue[0].summary,
            queue[0].country.as_deref(),
            Risk::Life,
            Visibility::Restricted,
            vec![],
        )
        .unwrap();
        assert!(s.open_case_from_alert(&actor, &w.stranger, &queue[0].id, new.clone()).await.is_err(), "only the desk");
        let case = s.open_case_from_alert(&actor, &w.owner, &queue[0].id, new.clone()).await.unwrap();
        let stored = s.case_for(&actor, &w.owner, case.id).await.unwrap();
        assert_eq!(stored.summary, "Organiser threatened");
        // Reported when the alert arrived, so its clocks count the wait; opening it acknowledges it.
        assert_eq!(stored.created_at, queue[0].created_at, "{}", db.backend);
        assert!(stored.acknowledged_at.is_some_and(|at| at >= stored.created_at), "{}", db.backend);
        assert_eq!(s.alerts_waiting(w.owner.org).await.unwrap(), 0);
        assert!(s.open_case_from_alert(&actor, &w.owner, &queue[0].id, new).await.is_err(), "only once");
        assert_eq!(s.alert_status(&r.receipt, &r.passphrase).await.unwrap().unwrap().status, AlertStatus::Accepted);
        assert!(s.alerts_for_desk(&actor, w.owner.org).await.unwrap().is_empty());

        // Administrators choose the desk; alerts still waiting move with it, new ones go there.
        s.create_alert(NewAlert::new("waiting when the desk moves", None, None, None).unwrap()).await.unwrap();
        assert!(s.set_alert_desk(&Actor::cli(), steward_core::ids::OrgId::new()).await.is_err(), "no such org");
        s.set_alert_desk(&Actor::cli(), w.stranger.org).await.unwrap();
        assert_eq!(s.alert_desk().await.unwrap(), w.stranger.org);
        assert_eq!(s.alerts_waiting(w.owner.org).await.unwrap(), 0, "{}", db.backend);
        assert_eq!(s.alerts_waiting(w.stranger.org).await.unwrap(), 1, "{}: the waiting alert moved", db.backend);
        s.create_alert(NewAlert::new("after the move", None, None, None).unwrap()).await.unwrap();
        assert_eq!(s.alerts_waiting(w.stranger.org).await.unwrap(), 2, "{}", db.backend);
        let status = s.alert_status(&r.receipt, &r.passphrase).await.unwrap().unwrap().status;
        assert_eq!(status, AlertStatus::Accepted, "a handled alert stays where it was handled");
        db.drop_db().await;
    }
}
