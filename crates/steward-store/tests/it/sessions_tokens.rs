use crate::new_user;
use steward_core::audit::Actor;
use steward_core::credential::{generate_session_secret, generate_token, secret_hash};
use steward_core::org::{NewOrg, OrgKind};
use steward_core::role::Role;
use steward_store::{testing, NewSession};
use time::Duration;

#[tokio::test]
async fn sessions_live_until_expiry_sign_out_or_disable() {
    for db in testing::fresh().await {
        let s = &db.store;
        let org =
            s.create_org(&Actor::cli(), NewOrg::new("Bars Union", OrgKind::Workers, None).unwrap()).await.unwrap();
        let u = s.create_user(&Actor::cli(), new_user("ana@example.org", org.id, Role::Analyst)).await.unwrap();
        let session = |expires| NewSession {
            id_hash: secret_hash(&generate_session_secret()),
            user_id: u.id,
            csrf_token: generate_session_secret(),
            mfa_pending: false,
            expires_at: steward_core::clock::now() + expires,
        };
        let live = session(Duration::hours(1));
        let expired = session(Duration::seconds(-1));
        s.create_session(&Actor::user(u.id, "ana"), live.clone(), None).await.unwrap();
        s.create_session(&Actor::user(u.id, "ana"), expired.clone(), None).await.unwrap();
        let (found, user) = s.session(&live.id_hash).await.unwrap().expect("live session");
        assert_eq!((found.csrf_token, user.id), (live.csrf_token.clone(), u.id), "{}", db.backend);
        assert!(s.session(&expired.id_hash).await.unwrap().is_none(), "expired on {}", db.backend);
        s.end_session(&Actor::user(u.id, "ana"), &live.id_hash).await.unwrap();
        assert!(s.session(&live.id_hash).await.unwrap().is_none(), "signed out on {}", db.backend);
        let again = session(Duration::hours(1));
        s.create_session(&Actor::user(u.id, "ana"), again.clone(), None).await.unwrap();
        s.set_user_disabled(&Actor::cli(), u.id, true).await.unwrap();
        assert!(s.session(&again.id_hash).await.unwrap().is_none(), "disabled on {}", db.backend);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn tokens_are_found_by_hash_and_revoked() {
    for db in testing::fresh().await {
        let s = &db.store;
        let org =
            s.create_org(&Actor::cli(), NewOrg::new("Bars Union", OrgKind::Workers, None).unwrap()).await.unwrap();
        let u = s.create_user(&Actor::cli(), new_user("ana@example.org", org.id, Role::Analyst)).await.unwrap();
        let token = generate_token();
        let stored = s.create_token(&Actor::cli(), u.id, "script", &secret_hash(&token)).await.unwrap();
        let (t, user) = s.token_user(&secret_hash(&token)).await.unwrap().expect("token");
        assert_eq!((t.id, user.id), (stored.id, u.id), "{}", db.backend);
        assert!(s.token_user(&secret_hash("stw_wrong")).await.unwrap().is_none());
        s.revoke_token(&Actor::cli(), stored.id, None).await.unwrap();
        assert!(s.token_user(&secret_hash(&token)).await.unwrap().is_none(), "revoked on {}", db.backend);
        assert!(s.revoke_token(&Actor::cli(), stored.id, None).await.is_err(), "revoking twice is an error");
        let other = generate_token();
        s.create_token(&Actor::cli(), u.id, "other", &secret_hash(&other)).await.unwrap();
        s.set_password(&Actor::cli(), u.id, "x", false, None).await.unwrap();
        assert!(s.token_user(&secret_hash(&other)).await.unwrap().is_some(), "changing one's password keeps tokens");
        s.set_password(&Actor::cli(), u.id, "y", true, None).await.unwrap();
        assert!(
            s.token_user(&secret_hash(&other)).await.unwrap().is_none(),
            "an administrator's reset revokes them on {}",
            db.backend
        );
        db.drop_db().await;
    }
}

#[tokio::test]
async fn login_failures_count_per_key() {
    for db in testing::fresh().await {
        let s = &db.store;
        let since = steward_core::clock::now() - Duration::minutes(15);
        s.record_attempt(&["email:a@x.org".into(), "ip:1.2.3.4".into()]).await.unwrap();
        s.record_attempt(&["email:a@x.org".into()]).await.unwrap();
        assert_eq!(s.attempts_since("email:a@x.org", since).await.unwrap(), 2, "{}", db.backend);
        assert_eq!(s.attempts_since("ip:1.2.3.4", since).await.unwrap(), 1);
        let attempt = s.record_attempt(&["ip:1.2.3.4".into()]).await.unwrap();
        assert_eq!(s.attempts_since("ip:1.2.3.4", since).await.unwrap(), 2);
        s.forgive_attempt("ip:1.2.3.4", attempt).await.unwrap();
        assert_eq!(s.attempts_since("ip:1.2.3.4", since).await.unwrap(), 1, "one attempt taken back on {}", db.backend);
        s.clear_attempts("email:a@x.org").await.unwrap();
        assert_eq!(s.attempts_since("email:a@x.org", since).await.unwrap(), 0);
        db.drop_db().await;
    }
}
