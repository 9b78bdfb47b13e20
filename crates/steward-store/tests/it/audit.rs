use crate::new_user;
use steward_core::audit::Actor;
use steward_core::org::{NewOrg, OrgKind};
use steward_core::role::Role;
use steward_store::testing;

#[tokio::test]
async fn every_change_is_chained_and_verifies() {
    for db in testing::fresh().await {
        let s = &db.store;
        let org =
            s.create_org(&Actor::cli(), NewOrg::new("Bars Union", OrgKind::Workers, None).unwrap()).await.unwrap();
        let u = s.create_user(&Actor::cli(), new_user("ana@example.org", org.id, Role::Analyst)).await.unwrap();
        s.set_user_disabled(&Actor::cli(), u.id, true).await.unwrap();
        let page = s.audit_page(None, 50).await.unwrap();
        let actions: Vec<(String, String)> =
            page.entries.iter().map(|e| (e.entity.clone(), e.action.clone())).collect();
        assert_eq!(
            actions,
            [("user".into(), "disable".into()), ("user".into(), "create".into()), ("org".into(), "create".into())],
            "{}",
            db.backend
        );
        assert!(!page.entries[1].summary.contains("argon2"), "no secrets in the trail");
        let report = s.verify_audit().await.unwrap();
        assert_eq!((report.entries, report.broken), (3, None), "{}", db.backend);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn concurrent_writers_never_fork_the_chain() {
    for db in testing::fresh().await {
        let mut tasks = Vec::new();
        for i in 0..20 {
            let s = db.store.clone();
            tasks.push(tokio::spawn(async move {
                s.create_org(&Actor::cli(), NewOrg::new(&format!("Org {i}"), OrgKind::Company, None).unwrap()).await
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let report = db.store.verify_audit().await.unwrap();
        assert_eq!((report.entries, report.broken), (20, None), "{}", db.backend);
        db.drop_db().await;
    }
}
