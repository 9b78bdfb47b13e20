use crate::new_user;
use steward_core::audit::Actor;
use steward_core::org::{NewOrg, OrgKind};
use steward_core::role::Role;
use steward_store::{testing, StoreError};

#[tokio::test]
async fn organisations_are_created_listed_and_unique_by_folded_name() {
    for db in testing::fresh().await {
        let s = &db.store;
        let a = s
            .create_org(&Actor::cli(), NewOrg::new("Bars Union", OrgKind::Workers, Some("Burma")).unwrap())
            .await
            .unwrap();
        assert_eq!(a.country.as_deref(), Some("MM"), "{}", db.backend);
        let dup = s.create_org(&Actor::cli(), NewOrg::new("bars union.", OrgKind::Company, None).unwrap()).await;
        assert!(matches!(dup, Err(StoreError::Conflict { field: "name", .. })), "{}: {dup:?}", db.backend);
        s.create_org(&Actor::cli(), NewOrg::new("Acme Buyers", OrgKind::Company, None).unwrap()).await.unwrap();
        let names: Vec<String> = s.orgs().await.unwrap().into_iter().map(|o| o.name).collect();
        assert_eq!(names, ["Acme Buyers", "Bars Union"], "{}", db.backend);
        assert_eq!(s.org_by_name("BARS UNION").await.unwrap().id, a.id);
        assert!(matches!(s.org_by_name("nobody").await, Err(StoreError::NotFound { .. })));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn users_round_trip_and_emails_are_unique() {
    for db in testing::fresh().await {
        let s = &db.store;
        let org =
            s.create_org(&Actor::cli(), NewOrg::new("Bars Union", OrgKind::Workers, None).unwrap()).await.unwrap();
        let u = s.create_user(&Actor::cli(), new_user("ana@example.org", org.id, Role::Coordinator)).await.unwrap();
        assert_eq!(s.user(u.id).await.unwrap(), u, "{}", db.backend);
        let dup = s.create_user(&Actor::cli(), new_user("ana@example.org", org.id, Role::Viewer)).await;
        assert!(matches!(dup, Err(StoreError::Conflict { field: "email", .. })), "{}", db.backend);
        s.create_user(&Actor::cli(), new_user("ben@example.org", org.id, Role::Viewer)).await.unwrap();
        let emails: Vec<String> = s.users().await.unwrap().into_iter().map(|u| u.email.to_string()).collect();
        assert_eq!(emails, ["ana@example.org", "ben@example.org"], "oldest first on {}", db.backend);
        let disabled = s.set_user_disabled(&Actor::cli(), u.id, true).await.unwrap();
        assert!(disabled.disabled);
        let promoted = s.set_user_role(&Actor::cli(), u.id, Role::Admin).await.unwrap();
        assert_eq!(promoted.role, Role::Admin);
        let creds = s.credentials(&u.email).await.unwrap().expect("credentials");
        assert!(steward_core::credential::verify_password("correct horse battery staple", &creds.password_hash));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn the_first_administrator_is_created_once() {
    for db in testing::fresh().await {
        let s = &db.store;
        let org = NewOrg::new("Secretariat", OrgKind::Multilateral, None).unwrap();
        let first = s.bootstrap_admin(org.clone(), |id| new_user("admin@example.org", id, Role::Admin)).await.unwrap();
        assert!(first.is_some(), "{}", db.backend);
        let second = s.bootstrap_admin(org, |id| new_user("other@example.org", id, Role::Admin)).await.unwrap();
        assert!(second.is_none(), "{}", db.backend);
        assert_eq!(s.users().await.unwrap().len(), 1);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn two_factor_enrolment_and_recovery_codes() {
    for db in testing::fresh().await {
        let s = &db.store;
        let org =
            s.create_org(&Actor::cli(), NewOrg::new("Bars Union", OrgKind::Workers, None).unwrap()).await.unwrap();
        let u = s.create_user(&Actor::cli(), new_user("ana@example.org", org.id, Role::Coordinator)).await.unwrap();
        s.set_pending_totp(&Actor::cli(), u.id, "JBSWY3DPEHPK3PXP").await.unwrap();
        assert!(!s.user(u.id).await.unwrap().totp_enabled);
        let u2 = s.enable_totp(&Actor::cli(), u.id, &["h1".into(), "h2".into()], None).await.unwrap();
        assert!(u2.totp_enabled, "{}", db.backend);
        assert!(s.use_recovery_code(&Actor::cli(), u.id, "h1").await.unwrap());
        assert!(!s.use_recovery_code(&Actor::cli(), u.id, "h1").await.unwrap(), "a code works once on {}", db.backend);
        assert!(s.use_totp_step(u.id, 100).await.unwrap());
        assert!(!s.use_totp_step(u.id, 100).await.unwrap(), "an authenticator code works once on {}", db.backend);
        assert!(!s.use_totp_step(u.id, 99).await.unwrap(), "nor an older one");
        assert!(s.use_totp_step(u.id, 101).await.unwrap());
        assert_eq!(s.recovery_codes_left(u.id).await.unwrap(), 1);
        let off = s.disable_totp(&Actor::cli(), u.id).await.unwrap();
        assert!(!off.totp_enabled);
        assert!(s.credentials(&u.email).await.unwrap().unwrap().totp_secret.is_none());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn mfa_settings_are_shared() {
    for db in testing::fresh().await {
        let s = &db.store;
        assert!(s.mfa_required_roles().await.unwrap().is_empty());
        s.set_mfa_required_roles(&Actor::cli(), &[Role::Admin, Role::Coordinator]).await.unwrap();
        assert_eq!(s.mfa_required_roles().await.unwrap(), [Role::Admin, Role::Coordinator], "{}", db.backend);
        s.set_mfa_required_roles(&Actor::cli(), &[]).await.unwrap();
        assert!(s.mfa_required_roles().await.unwrap().is_empty());
        db.drop_db().await;
    }
}

/// Second-factor secrets are sealed at rest, bound to their account; one written before they
/// were sealed is sealed when the keyring is next checked (every start), and still works.
#[tokio::test]
async fn second_factor_secrets_are_sealed_at_rest() {
    use sqlx::Executor;
    for db in testing::fresh().await {
        let s = &db.store;
        let org =
            s.create_org(&Actor::cli(), NewOrg::new("Seal Union", OrgKind::Workers, None).unwrap()).await.unwrap();
        let a = s.create_user(&Actor::cli(), new_user("ana@example.org", org.id, Role::Coordinator)).await.unwrap();
        let b = s.create_user(&Actor::cli(), new_user("bo@example.org", org.id, Role::Partner)).await.unwrap();
        s.set_pending_totp(&Actor::cli(), a.id, "JBSWY3DPEHPK3PXP").await.unwrap();
        let creds = s.credentials(&a.email).await.unwrap().unwrap();
        assert_eq!(creds.totp_secret.as_deref(), Some("JBSWY3DPEHPK3PXP"), "{}", db.backend);

        // As an older Steward wrote it: in plain.
        let legacy = "UPDATE users SET totp_secret = 'KRUGS4ZANFZSAYJA' WHERE email = 'bo@example.org'";
        match db.backend {
            "sqlite" => sqlx::SqlitePool::connect(&db.url).await.unwrap().execute(legacy).await.unwrap(),
            _ => {
                sqlx::PgPool::connect(&db.url).await.unwrap().execute(legacy).await.map(|_| Default::default()).unwrap()
            }
        };
        s.check_keyring(&testing::keyring_of(s)).await.unwrap();
        let creds = s.credentials(&b.email).await.unwrap().unwrap();
        assert_eq!(creds.totp_secret.as_deref(), Some("KRUGS4ZANFZSAYJA"), "{}", db.backend);
        s.check_keyring(&testing::keyring_of(s)).await.unwrap();
        let stored: Vec<String> = if db.backend == "sqlite" {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            let v = sqlx::query_scalar("SELECT totp_secret FROM users WHERE totp_secret IS NOT NULL")
                .fetch_all(&pool)
                .await
                .unwrap();
            pool.close().await;
            v
        } else {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            let v = sqlx::query_scalar("SELECT totp_secret FROM users WHERE totp_secret IS NOT NULL")
                .fetch_all(&pool)
                .await
                .unwrap();
            pool.close().await;
            v
        };
        assert_eq!(stored.len(), 2);
        assert!(stored.iter().all(|v| v.starts_with("s1.")), "{}: every stored secret is sealed", db.backend);

        let raw = crate::cases::raw_dump(&db).await;
        assert!(!raw.contains("JBSWY3DPEHPK3PXP"), "{}: a new secret is never readable at rest", db.backend);
        db.drop_db().await;
    }
}
