//! Fresh databases for tests, on every backend available.
//!
//! Always an SQLite file in a temporary folder; also a fresh PostgreSQL schema when
//! `STEWARD_TEST_POSTGRES_URL` is set. Used by this crate's contract suite and by the server's
//! tests, so both run against the same backends in the same way.

use crate::Store;
use sqlx::Executor;
use std::path::PathBuf;

/// A store on a fresh database, and what is needed to clean it up.
#[derive(Debug)]
pub struct TestDb {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// The URL the store was opened with (to open it again, for instance from a second server).
    pub url: String,
    /// The opened, migrated store.
    pub store: Store,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Dir(PathBuf),
    Schema { base: String, schema: String },
}

/// The PostgreSQL URL tests should use, if any. Prints a loud note when there is none.
pub fn postgres_url() -> Option<String> {
    match std::env::var("STEWARD_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            eprintln!("NOTE: STEWARD_TEST_POSTGRES_URL is not set: PostgreSQL is SKIPPED, only SQLite is tested");
            None
        }
    }
}

/// A fresh random keyring, as a first start would make.
pub fn test_keyring() -> std::sync::Arc<steward_core::seal::Keyring> {
    std::sync::Arc::new(steward_core::seal::Keyring::generate())
}

/// A fresh, migrated store on every available backend.
pub async fn fresh() -> Vec<TestDb> {
    let mut out = vec![fresh_sqlite().await];
    if let Some(base) = postgres_url() {
        out.push(fresh_postgres(&base).await);
    }
    out
}

/// A fresh, migrated SQLite store in its own temporary folder.
pub async fn fresh_sqlite() -> TestDb {
    let dir = std::env::temp_dir().join(format!("steward-test-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let url = format!("sqlite://{}", dir.join("steward.db").display());
    let store = Store::open(&url).await.expect("open SQLite test store").with_keyring(test_keyring());
    TestDb { backend: "sqlite", url, store, cleanup: Cleanup::Dir(dir) }
}

/// A fresh, migrated store in a new schema of the PostgreSQL database at `base`.
pub async fn fresh_postgres(base: &str) -> TestDb {
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let pool = sqlx::PgPool::connect(base).await.expect("connect to STEWARD_TEST_POSTGRES_URL");
    pool.execute(format!("CREATE SCHEMA {schema}").as_str()).await.expect("create test schema");
    pool.close().await;
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    let store = Store::open(&url).await.expect("open PostgreSQL test store").with_keyring(test_keyring());
    TestDb { backend: "postgres", url, store, cleanup: Cleanup::Schema { base: base.to_string(), schema } }
}

impl TestDb {
    /// Closes the store and removes its database.
    pub async fn drop_db(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Schema { base, schema } => {
                if let Ok(pool) = sqlx::PgPool::connect(&base).await {
                    let _ = pool.execute(format!("DROP SCHEMA {schema} CASCADE").as_str()).await;
                    pool.close().await;
                }
            }
        }
    }
}

/// The keyring a store was opened with (tests rotate keys from it).
pub fn keyring_of(store: &Store) -> steward_core::seal::Keyring {
    store.keyring().expect("test stores carry a keyring").clone()
}

/// Runs raw SQL behind the store's back, as someone with database access could.
pub async fn raw_exec(db: &TestDb, sql: &str) {
    match db.backend {
        "sqlite" => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.expect("open SQLite");
            pool.execute(sql).await.expect("raw SQL");
            pool.close().await;
        }
        _ => {
            let pool = sqlx::PgPool::connect(&db.url).await.expect("connect to PostgreSQL");
            pool.execute(sql).await.expect("raw SQL");
            pool.close().await;
        }
    }
}
