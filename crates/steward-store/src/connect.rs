//! Opening a database and bringing its schema up to date.

use crate::error::{StoreError, StoreResult};
use crate::sql::Db;
use crate::Store;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::time::Duration;

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Migrations embedded in the binary, as `(version, description, sql)`. Forward-only: never edit
/// one that has shipped; add the next number in both folders.
const SQLITE: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/sqlite/0001_foundation.sql")),
    (2, "lists", include_str!("../migrations/sqlite/0002_lists.sql")),
    (3, "attempts", include_str!("../migrations/sqlite/0003_attempts.sql")),
    (4, "entities", include_str!("../migrations/sqlite/0004_entities.sql")),
    (5, "cases", include_str!("../migrations/sqlite/0005_cases.sql")),
    (6, "case work", include_str!("../migrations/sqlite/0006_case_work.sql")),
    (7, "statements", include_str!("../migrations/sqlite/0007_statements.sql")),
    (8, "notifications", include_str!("../migrations/sqlite/0008_notifications.sql")),
    (9, "sources", include_str!("../migrations/sqlite/0009_sources.sql")),
    (10, "highlights", include_str!("../migrations/sqlite/0010_highlights.sql")),
    (11, "people", include_str!("../migrations/sqlite/0011_people.sql")),
    (12, "registries", include_str!("../migrations/sqlite/0012_registries.sql")),
    (13, "registry columns", include_str!("../migrations/sqlite/0013_registry_columns.sql")),
    (14, "person links", include_str!("../migrations/sqlite/0014_person_links.sql")),
    (15, "notices", include_str!("../migrations/sqlite/0015_notices.sql")),
    (16, "alert deliveries", include_str!("../migrations/sqlite/0016_alert_deliveries.sql")),
    (17, "alert danger", include_str!("../migrations/sqlite/0017_alert_danger.sql")),
];
const POSTGRES: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/postgres/0001_foundation.sql")),
    (2, "lists", include_str!("../migrations/postgres/0002_lists.sql")),
    (3, "attempts", include_str!("../migrations/postgres/0003_attempts.sql")),
    (4, "entities", include_str!("../migrations/postgres/0004_entities.sql")),
    (5, "cases", include_str!("../migrations/postgres/0005_cases.sql")),
    (6, "case work", include_str!("../migrations/postgres/0006_case_work.sql")),
    (7, "statements", include_str!("../migrations/postgres/0007_statements.sql")),
    (8, "notifications", include_str!("../migrations/postgres/0008_notifications.sql")),
    (9, "sources", include_str!("../migrations/postgres/0009_sources.sql")),
    (10, "highlights", include_str!("../migrations/postgres/0010_highlights.sql")),
    (11, "people", include_str!("../migrations/postgres/0011_people.sql")),
    (12, "registries", include_str!("../migrations/postgres/0012_registries.sql")),
    (13, "registry columns", include_str!("../migrations/postgres/0013_registry_columns.sql")),
    (14, "person links", include_str!("../migrations/postgres/0014_person_links.sql")),
    (15, "notices", include_str!("../migrations/postgres/0015_notices.sql")),
    (16, "alert deliveries", include_str!("../migrations/postgres/0016_alert_deliveries.sql")),
    (17, "alert danger", include_str!("../migrations/postgres/0017_alert_danger.sql")),
];

#[derive(Debug)]
struct Embedded(&'static [(i64, &'static str, &'static str)]);

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 'static>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// The URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Store {
    /// Opens the database at `url` (`sqlite://PATH` or `postgres://...`), creating an SQLite
    /// file if it does not exist. Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &str) -> StoreResult<Store> {
        let target = redact(url);
        let connect_err = |e: sqlx::Error| StoreError::Connect { target: target.clone(), reason: explain(&e) };
        let db = if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(connect_err)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                // Freed space in pages is zeroed, so that a value replaced or deleted (a secret
                // sealed on upgrade) does not linger in the database file once the write-ahead
                // log is checkpointed.
                .pragma("secure_delete", "ON")
                .busy_timeout(Duration::from_secs(30));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts)
                .await
                .map_err(connect_err)?;
            Db::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url).map_err(connect_err)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await
                .map_err(connect_err)?;
            Db::Postgres(pool)
        } else {
            return Err(StoreError::UnsupportedUrl(target));
        };
        Ok(Store { db, keyring: None })
    }

    /// Opens and migrates in one step: what every command wants.
    pub async fn open(url: &str) -> StoreResult<Store> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations, each in its own transaction, under a lock so that several
    /// processes starting together do not race.
    pub async fn migrate(&self) -> StoreResult<()> {
        let source = match self.backend() {
            Backend::Sqlite => Embedded(SQLITE),
            Backend::Postgres => Embedded(POSTGRES),
        };
        let migrator = Migrator::new(source).await.map_err(|e| StoreError::Migrate(e.to_string()))?;
        let result = match &self.db {
            Db::Sqlite(p) => migrator.run(p).await,
            Db::Postgres(p) => migrator.run(p).await,
        };
        result.map_err(|e| StoreError::Migrate(e.to_string()))
    }

    /// Which engine this store runs on.
    pub fn backend(&self) -> Backend {
        match &self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Answers whether the database can be queried now (for `/healthz`).
    pub async fn ping(&self) -> bool {
        self.db.one(crate::sql::Q::new("SELECT 1 AS one")).await.is_ok()
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.db.close().await;
    }
}

/// One line a person can act on, for the usual ways a connection fails.
fn explain(e: &sqlx::Error) -> String {
    let text = e.to_string();
    if text.contains("Connection refused") {
        format!("{text} (is the server running and listening there?)")
    } else if text.contains("does not exist") {
        format!("{text} (create it first, for example with createdb)")
    } else if text.contains("unable to open database file") {
        format!("{text} (check that the folder exists and is writable)")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact("sqlite://x.db"), "sqlite://x.db");
    }
}
