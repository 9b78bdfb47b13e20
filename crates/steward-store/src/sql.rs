//! One SQL text, two backends.
//!
//! Steward's queries are written once, in the subset of SQL that SQLite and PostgreSQL share
//! (`$1` placeholders, `ON CONFLICT`, `RETURNING`). [`Q`] carries the text and its arguments;
//! [`Db`] and [`Tx`] run it on whichever pool the URL chose, and [`Row`] reads columns back from
//! either. Dialect differences live only in the migrations (column types), which is why no query
//! in this crate may depend on a type that the two backends encode differently.

use crate::error::{StoreError, StoreResult};
use sqlx::postgres::{PgPool, PgRow, Postgres};
use sqlx::sqlite::{Sqlite, SqlitePool, SqliteRow};
use sqlx::Row as _;
use time::OffsetDateTime;

/// A bound argument.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(bool),
    Time(Option<OffsetDateTime>),
}

/// A query with its arguments, runnable on either backend.
#[derive(Debug, Clone)]
pub(crate) struct Q {
    sql: &'static str,
    args: Vec<Arg>,
}

impl Q {
    pub(crate) fn new(sql: &'static str) -> Self {
        Self { sql, args: Vec::new() }
    }
    pub(crate) fn text(mut self, v: impl Into<String>) -> Self {
        self.args.push(Arg::Text(Some(v.into())));
        self
    }
    pub(crate) fn opt_text(mut self, v: Option<impl Into<String>>) -> Self {
        self.args.push(Arg::Text(v.map(Into::into)));
        self
    }
    pub(crate) fn int(mut self, v: i64) -> Self {
        self.args.push(Arg::Int(Some(v)));
        self
    }
    pub(crate) fn opt_int(mut self, v: Option<i64>) -> Self {
        self.args.push(Arg::Int(v));
        self
    }
    pub(crate) fn boolean(mut self, v: bool) -> Self {
        self.args.push(Arg::Bool(v));
        self
    }
    pub(crate) fn time(mut self, v: OffsetDateTime) -> Self {
        self.args.push(Arg::Time(Some(v)));
        self
    }
    pub(crate) fn opt_time(mut self, v: Option<OffsetDateTime>) -> Self {
        self.args.push(Arg::Time(v));
        self
    }
}

/// Builds the backend's query from a [`Q`]; a macro because the two query types share no trait
/// that `bind` could be called through.
macro_rules! bound {
    ($q:expr) => {{
        let q = $q;
        let mut query = sqlx::query(q.sql);
        for arg in q.args {
            query = match arg {
                Arg::Text(v) => query.bind(v),
                Arg::Int(v) => query.bind(v),
                Arg::Bool(v) => query.bind(v),
                Arg::Time(v) => query.bind(v),
            };
        }
        query
    }};
}

/// A connection pool on one of the two backends.
#[derive(Debug, Clone)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open transaction on one of the two backends.
pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// A result row from either backend.
pub(crate) enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Db {
    pub(crate) async fn begin(&self) -> StoreResult<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub(crate) async fn all(&self, q: Q) -> StoreResult<Vec<Row>> {
        Ok(match self {
            Db::Sqlite(p) => bound!(q).fetch_all(p).await?.into_iter().map(Row::Sqlite).collect(),
            Db::Postgres(p) => bound!(q).fetch_all(p).await?.into_iter().map(Row::Postgres).collect(),
        })
    }

    pub(crate) async fn opt(&self, q: Q) -> StoreResult<Option<Row>> {
        Ok(match self {
            Db::Sqlite(p) => bound!(q).fetch_optional(p).await?.map(Row::Sqlite),
            Db::Postgres(p) => bound!(q).fetch_optional(p).await?.map(Row::Postgres),
        })
    }

    pub(crate) async fn one(&self, q: Q) -> StoreResult<Row> {
        Ok(match self {
            Db::Sqlite(p) => Row::Sqlite(bound!(q).fetch_one(p).await?),
            Db::Postgres(p) => Row::Postgres(bound!(q).fetch_one(p).await?),
        })
    }

    pub(crate) async fn exec(&self, q: Q) -> StoreResult<u64> {
        Ok(match self {
            Db::Sqlite(p) => bound!(q).execute(p).await?.rows_affected(),
            Db::Postgres(p) => bound!(q).execute(p).await?.rows_affected(),
        })
    }

    pub(crate) async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }
}

impl Tx {
    pub(crate) async fn opt(&mut self, q: Q) -> StoreResult<Option<Row>> {
        Ok(match self {
            Tx::Sqlite(t) => bound!(q).fetch_optional(&mut **t).await?.map(Row::Sqlite),
            Tx::Postgres(t) => bound!(q).fetch_optional(&mut **t).await?.map(Row::Postgres),
        })
    }

    pub(crate) async fn all(&mut self, q: Q) -> StoreResult<Vec<Row>> {
        Ok(match self {
            Tx::Sqlite(t) => bound!(q).fetch_all(&mut **t).await?.into_iter().map(Row::Sqlite).collect(),
            Tx::Postgres(t) => bound!(q).fetch_all(&mut **t).await?.into_iter().map(Row::Postgres).collect(),
        })
    }

    pub(crate) async fn one(&mut self, q: Q) -> StoreResult<Row> {
        Ok(match self {
            Tx::Sqlite(t) => Row::Sqlite(bound!(q).fetch_one(&mut **t).await?),
            Tx::Postgres(t) => Row::Postgres(bound!(q).fetch_one(&mut **t).await?),
        })
    }

    pub(crate) async fn exec(&mut self, q: Q) -> StoreResult<u64> {
        Ok(match self {
            Tx::Sqlite(t) => bound!(q).execute(&mut **t).await?.rows_affected(),
            Tx::Postgres(t) => bound!(q).execute(&mut **t).await?.rows_affected(),
        })
    }

    pub(crate) async fn commit(self) -> StoreResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// Types that both backends decode the same way.
pub(crate) trait Column:
    for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>
{
}
impl<T> Column for T where
    T: for<'r> sqlx::Decode<'r, Sqlite>
        + sqlx::Type<Sqlite>
        + for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Postgres>
{
}

impl Row {
    pub(crate) fn get<T: Column>(&self, col: &str) -> StoreResult<T> {
        match self {
            Row::Sqlite(r) => r.try_get(col),
            Row::Postgres(r) => r.try_get(col),
        }
        .map_err(|e| StoreError::Corrupt(format!("column {col}: {e}")))
    }

    pub(crate) fn text(&self, col: &str) -> StoreResult<String> {
        self.get(col)
    }

    pub(crate) fn parse<T: std::str::FromStr>(&self, col: &str) -> StoreResult<T>
    where
        T::Err: std::fmt::Display,
    {
        let raw: String = self.get(col)?;
        raw.parse().map_err(|e| StoreError::Corrupt(format!("column {col} holds '{raw}': {e}")))
    }
}
