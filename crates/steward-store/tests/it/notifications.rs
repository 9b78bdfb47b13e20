//! Response-clock events: recorded once, told only to those who may see the case and can act on
//! it, webhooks only for organisations that may see it, never for restricted cases.

use crate::cases::{new_case, raw_dump, world};
use steward_core::audit::Actor;
use steward_core::case::{CaseId, Visibility};
use steward_core::response::{ClockState, ResponseClocks};
use steward_store::testing::{self, TestDb};
use steward_store::{Recorded, Store};

/// Runs the scanner's loop body once, as the server does, and answers what it recorded.
async fn scan(s: &Store) -> Vec<Recorded> {
    let clocks = ResponseClocks::default();
    let now = steward_core::clock::now();
    let mut out = Vec::new();
    for (case, facts) in s.open_case_clocks().await.unwrap() {
        for clock in facts.clocks(&clocks, now) {
            if let Some(recorded) = s.record_clock_event(case, &clock).await.unwrap() {
                out.push(recorded);
            }
        }
    }
    out
}

async fn backdate(db: &TestDb, case: CaseId, when: &str) {
    testing::raw_exec(db, &format!("UPDATE cases SET created_at = '{when}' WHERE id = '{case}'")).await;
}

#[tokio::test]
async fn overdue_clocks_are_told_once_to_those_who_may_see_and_act() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        let internal =
            s.create_case(&actor, &w.owner, new_case("Internal", Visibility::Internal), &[], &[]).await.unwrap();
        let shared = s
            .create_case(&actor, &w.owner, new_case("Shared", Visibility::Partners), &[], &[w.partner.org])
            .await
            .unwrap();
        let restricted = s
            .create_case(
                &actor,
                &w.owner,
                new_case("Restricted", Visibility::Restricted),
                &[w.member_elsewhere.user],
                &[],
            )
            .await
            .unwrap();
        assert!(scan(s).await.is_empty(), "{}: fresh cases have time left", db.backend);

        let secret = s.set_webhook(&actor, w.owner.org, "https://hooks.alpha.example/steward").await.unwrap();
        s.set_webhook(&actor, w.partner.org, "https://hooks.beta.example/in").await.unwrap();
        s.set_webhook(&actor, w.stranger.org, "https://hooks.gamma.example/in").await.unwrap();
        assert!(secret.starts_with("stw_"));
        for case in [internal.id, shared.id, restricted.id] {
            backdate(&db, case, "2020-01-01T00:00:00Z").await;
        }
        let recorded = scan(s).await;
        assert_eq!(recorded.len(), 6, "{}: two overdue clocks on each of three cases", db.backend);
        assert!(recorded.iter().all(|r| r.event.state == ClockState::Overdue));
        let hooks = |case: CaseId| -> Vec<steward_core::ids::OrgId> {
            let mut orgs: Vec<_> = recorded
                .iter()
                .filter(|r| r.event.case_id == case)
                .flat_map(|r| r.webhooks.iter().map(|h| h.org_id))
                .collect();
            orgs.sort();
            orgs.dedup();
            orgs
        };
        assert_eq!(hooks(internal.id), vec![w.owner.org], "{}", db.backend);
        let mut both = vec![w.owner.org, w.partner.org];
        both.sort();
        assert_eq!(hooks(shared.id), both, "{}", db.backend);
        assert!(hooks(restricted.id).is_empty(), "{}: restricted cases reach named people only", db.backend);
        let alpha_hook = recorded.iter().flat_map(|r| &r.webhooks).find(|h| h.org_id == w.owner.org).unwrap();
        assert_eq!(alpha_hook.secret, secret, "{}: the secret opens to what was shown", db.backend);

        assert!(scan(s).await.is_empty(), "{}: an event is recorded once", db.backend);

        // Coordinators of the owning organisation hear of the cases they may see.
        let owner_sees: Vec<CaseId> = s.notifications_for(&w.owner).await.unwrap().iter().map(|n| n.case.id).collect();
        assert_eq!(owner_sees.len(), 6, "{}: {owner_sees:?}", db.backend);
        // The partner organisation's member hears nothing: partners cannot act on clocks unless named.
        assert!(s.notifications_for(&w.partner).await.unwrap().is_empty(), "{}", db.backend);
        // The named member elsewhere hears of the restricted case only; the stranger of nothing.
        let named = s.notifications_for(&w.member_elsewhere).await.unwrap();
        assert!(named.iter().all(|n| n.case.id == restricted.id) && named.len() == 2, "{}", db.backend);
        assert!(s.notifications_for(&w.stranger).await.unwrap().is_empty(), "{}", db.backend);
        assert!(s.notifications_for(&w.admin).await.unwrap().is_empty(), "{}: administrators see no cases", db.backend);

        assert_eq!(s.unread_notifications(&w.member_elsewhere).await.unwrap(), 2);
        // Taken off the case, the member stops seeing its notifications, and their count.
        testing::raw_exec(&db, &format!("DELETE FROM case_members WHERE user_id = '{}'", w.member_elsewhere.user))
            .await;
        assert!(s.notifications_for(&w.member_elsewhere).await.unwrap().is_empty(), "{}", db.backend);
        assert_eq!(s.unread_notifications(&w.member_elsewhere).await.unwrap(), 0, "{}", db.backend);

        let first = s.notifications_for(&w.owner).await.unwrap()[0].id.clone();
        assert_eq!(s.mark_notifications_read(&w.owner, Some(&first)).await.unwrap(), 1);
        assert_eq!(s.mark_notifications_read(&w.colleague, Some(&first)).await.unwrap(), 0, "not theirs");
        assert_eq!(s.unread_notifications(&w.owner).await.unwrap(), 5);
        assert_eq!(s.mark_notifications_read(&w.owner, None).await.unwrap(), 5);
        assert_eq!(s.unread_notifications(&w.owner).await.unwrap(), 0);

        let event = &recorded[0].event;
        s.record_delivery(&event.id, w.owner.org, Some(200), None).await.unwrap();
        s.record_delivery(&event.id, w.owner.org, None, Some("connection refused")).await.unwrap();
        let deliveries = s.deliveries_of(w.owner.org, 10).await.unwrap();
        assert_eq!(deliveries.len(), 2);
        assert_eq!(deliveries[0].error.as_deref(), Some("connection refused"));
        assert!(s.deliveries_of(w.partner.org, 10).await.unwrap().is_empty());

        assert!(s.remove_webhook(&actor, w.stranger.org).await.unwrap());
        assert!(s.webhook_of(w.stranger.org).await.unwrap().is_none());
        assert_eq!(s.webhook_of(w.owner.org).await.unwrap().unwrap().url, "https://hooks.alpha.example/steward");
        assert!(s.verify_audit().await.unwrap().broken.is_none());

        let raw = raw_dump(&db).await;
        assert!(!raw.contains(&secret), "{}: webhook secrets are sealed at rest", db.backend);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn webhook_addresses_are_checked() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        for bad in ["ftp://x.example", "https://", "https://user:pw@x.example/", "http://x.example/a b", "not a url"] {
            let err = s.set_webhook(&Actor::cli(), w.owner.org, bad).await.unwrap_err();
            assert!(err.to_string().contains("webhook address"), "{}: {bad}: {err}", db.backend);
        }
        assert!(s.webhook_of(w.owner.org).await.unwrap().is_none());
        db.drop_db().await;
    }
}
