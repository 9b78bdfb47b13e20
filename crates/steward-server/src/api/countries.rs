//! Countries and territories, and resolving the names lists use.

use crate::auth::ApiCaller;
use crate::error::AppResult;
use axum::extract::Query;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A country or territory.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountryOut {
    alpha2: String,
    alpha3: String,
    name: String,
}

/// Filter.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CountryQuery {
    /// A code or a name in any variant lists use ("Burma", "Congo, Democratic Republic of the"):
    /// answers with the one country it resolves to, or an empty list.
    q: Option<String>,
}

/// All ISO 3166-1 countries and territories, or the one that `q` resolves to.
#[utoipa::path(get, path = "/api/v1/countries", tag = "reference", params(CountryQuery),
    responses((status = 200, body = [CountryOut]), (status = 401, description = "No valid token")))]
pub async fn list_countries(_caller: ApiCaller, Query(q): Query<CountryQuery>) -> AppResult<Json<Vec<CountryOut>>> {
    let out = |c: steward_core::country::Country| CountryOut {
        alpha2: c.alpha2.into(),
        alpha3: c.alpha3.into(),
        name: c.name.into(),
    };
    Ok(Json(match q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => steward_core::country::resolve(name).ok().into_iter().map(out).collect(),
        None => steward_core::country::all().map(out).collect(),
    }))
}
